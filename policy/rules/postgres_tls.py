"""postgres-tls-required: PostgreSQL connections in the listed sandboxes must ask for TLS.

TLS is asked for by an ssl mode of `require`, `verify-ca` or `verify-full` (spelling is free: `Verify Full`,
`VerifyFull`, `verify_full` all count), given either as the basic-auth param `sslMode` or inside the connection
string (`sslmode=` for libpq and URIs, `SSL Mode=` for ADO.NET). `sslMode: true` counts as `require` (Adobe's
AWS-hosted flavour takes a boolean). Every mode found must be one of those: a string that says `require` in one
place and `disable` in another fails, since which one wins is up to the driver.

A connection applies when its spec is PostgreSQL and its sandbox, or the stack's sandbox, is in `sandboxes`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

from .config import string_list
from .connection_string import normalize_key, parse_connection_string
from .model import POSTGRESQL_SPEC_ID, Connection, StackContext, listed_sandbox

RULE = "postgres-tls-required"
TLS_MODES = ("require", "verify-ca", "verify-full")

SCHEMA: dict[str, dict[str, Any]] = {
    "sandboxes": {
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "default": ["prod"],
        "description": "Sandboxes in which PostgreSQL connections must use sslmode require/verify-ca/verify-full.",
    },
}


@dataclass(frozen=True)
class Settings:
    sandboxes: tuple[str, ...]


def parse_settings(config: Optional[Mapping[str, Any]]) -> Settings:
    return Settings(sandboxes=tuple(string_list(config, RULE, "sandboxes", SCHEMA["sandboxes"]["default"])))


def applies(connection: Connection, settings: Settings, stack: Optional[StackContext] = None) -> Optional[str]:
    """None when the rule applies, else why it does not."""
    if connection.spec_id != POSTGRESQL_SPEC_ID:
        return "not a PostgreSQL connection"
    if listed_sandbox(connection, settings.sandboxes, stack) is None:
        return f"sandbox is not one of {list(settings.sandboxes)}"
    return None


def _is_tls(mode: Any) -> bool:
    if mode is True:
        return True
    if not isinstance(mode, str):
        return False
    squashed = re.sub(r"[^a-z]", "", mode.lower())
    return squashed == "true" or squashed in {m.replace("-", "") for m in TLS_MODES}


def _describe(mode: Any) -> str:
    return repr(mode) if isinstance(mode, (str, bool)) else f"a {type(mode).__name__}"


def ssl_modes(connection: Connection) -> list[tuple[str, Any]]:
    """(where, mode) for every ssl mode the connection states: the `sslMode` param and the connection string."""
    found: list[tuple[str, Any]] = []
    params = connection.auth_params
    for key in list(params):
        if normalize_key(key) == "sslmode":
            found.append((f"auth param '{key}'", connection.auth_param(key)))
    text = connection.auth_param("connectionString")
    if isinstance(text, str):
        found += [("the connection string's sslmode", mode) for mode in parse_connection_string(text).get("sslmode", [])]
    return found


def check(connection: Connection, settings: Settings, stack: Optional[StackContext] = None) -> list[str]:
    if applies(connection, settings, stack) is not None:
        return []
    sandbox = listed_sandbox(connection, settings.sandboxes, stack)
    fix = (
        "Fix: add sslmode=require (or verify-ca / verify-full) to the connection string, or pass "
        "ssl_mode='require' to PostgreSqlConnection (auth param sslMode)."
    )
    modes = ssl_modes(connection)
    if not modes:
        return [
            f"[{RULE}] PostgreSQL {connection.label} in sandbox '{sandbox}' does not ask for TLS (no sslmode "
            f"is set). {fix}"
        ]
    weak = [f"{where} is {_describe(mode)}" for where, mode in modes if not _is_tls(mode)]
    if weak:
        return [
            f"[{RULE}] PostgreSQL {connection.label} in sandbox '{sandbox}' does not require TLS: "
            f"{'; '.join(weak)} (allowed: {', '.join(TLS_MODES)}). {fix}"
        ]
    return []
