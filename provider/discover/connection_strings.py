"""Split a live PostgreSQL connection string back into `PostgreSqlConnection`'s arguments, only where exact.

Flow Service treats `connectionString` as one secret, so it usually comes back masked whole (`***`) and stays a
secret argument. Where it comes back readable (the password masked inside it, or in clear), it is split only if
`PostgreSqlConnection` would build the very same text from the parts, the password aside: the same keys in the
same order and spelling, the same quoting, the port as the component writes it, SSL properties that an `ssl_mode`
produces, values the component accepts. Anything else keeps `connection_string` whole. The password's value is
never part of the result: it becomes a secret argument the user sets.
"""

from __future__ import annotations

import uuid
from typing import Any, Optional, get_args

from provider.service_fields import looks_masked
from provider.sources.connection_string import ConnectionStringError, parse_connection_string
from provider.sources.params import InvalidSourceArgument
from provider.sources.postgresql import PostgreSqlConnection, SslMode, postgresql_connection_string

_KEYS = ("Server", "Database", "Port", "UID", "Password")


def split_postgresql(text: Any) -> Optional[dict[str, Any]]:
    """`host`, `port`, `database`, `username` (and `ssl_mode`) when the string round-trips exactly, else None."""
    if not isinstance(text, str) or looks_masked(text):
        return None
    try:
        pairs = parse_connection_string(text)
    except ConnectionStringError:
        return None
    values = dict(pairs)
    if tuple(key for key, _ in pairs[:5]) != _KEYS or not values["Port"].isdigit():
        return None
    parts: dict[str, Any] = {
        "host": values["Server"], "database": values["Database"], "port": int(values["Port"]), "username": values["UID"]
    }
    marker = f"password-{uuid.uuid4().hex}"
    for ssl_mode in (None, *get_args(SslMode)):
        try:
            rebuilt = postgresql_connection_string(**parts, password=marker, ssl_mode=ssl_mode)
        except ConnectionStringError:
            return None
        before, after = rebuilt.split(marker)
        same_pairs = len(parse_connection_string(rebuilt)) == len(pairs)
        if same_pairs and text.startswith(before) and text.endswith(after) and len(text) > len(before) + len(after):
            found = {**parts, **({"ssl_mode": ssl_mode} if ssl_mode else {})}
            return found if _accepted(found) else None
    return None


def _accepted(arguments: dict[str, Any]) -> bool:
    """Whether the component takes these arguments (with some password) as they are."""
    try:
        PostgreSqlConnection.validate_arguments("discovered", {**arguments, "password": "set-later"})
    except InvalidSourceArgument:
        return False
    return True
