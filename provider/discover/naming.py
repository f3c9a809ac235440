"""Pulumi resource names and secret config keys for discovered connections.

A resource name is the display name made a slug (`aep:connections` keys: lowercase letters, digits, '-', at most
63 characters). Connections are taken oldest first (created time, then id), so the same sandbox always gives the
same names: each distinct slug goes to its oldest connection, and later ones with the same slug get the first
free `-2`, `-3`, ... A connection whose slug is unique keeps it whatever other names the sandbox holds.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Iterable, Sequence

from provider.client.models import Connection
from provider.settings import KEYS

MAX_NAME = 63
FALLBACK_NAME = "connection"
# Config keys of the `aep` namespace that a suggested secret key must never shadow.
RESERVED_KEYS = frozenset({key.split(":", 1)[1] for key, _env, _secret in KEYS.values()}
                          | {"connections", "dataflows", "connectionsFile", "dataflowsFile"})


def oldest_first(connections: Iterable[Connection]) -> list[Connection]:
    return sorted(connections, key=lambda c: (c.createdAt is None, c.createdAt or 0, c.id))


def slug(display_name: str) -> str:
    """`Orders DB (PostgreSQL)` -> `orders-db-postgresql`; accents are dropped, anything else becomes '-'."""
    ascii_text = unicodedata.normalize("NFKD", display_name).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return text[:MAX_NAME].rstrip("-") or FALLBACK_NAME


def _suffixed(base: str, n: int) -> str:
    suffix = f"-{n}"
    return f"{base[: MAX_NAME - len(suffix)].rstrip('-')}{suffix}"


def resource_names(connections: Sequence[Connection]) -> dict[str, str]:
    """Connection id -> a unique resource name (see the module docstring for the order)."""
    ordered = oldest_first(connections)
    names: dict[str, str] = {}
    taken: set[str] = set()
    for conn in ordered:
        base = slug(conn.name)
        if base not in taken:
            names[conn.id] = base
            taken.add(base)
    for conn in ordered:
        if conn.id in names:
            continue
        base, n = slug(conn.name), 2
        while _suffixed(base, n) in taken:
            n += 1
        names[conn.id] = _suffixed(base, n)
        taken.add(names[conn.id])
    return names


def config_key(resource_name: str, argument: str) -> str:
    """The suggested `aep:` key for one secret argument: (`orders-db`, `password`) -> `ordersDbPassword`."""
    words = [w for w in re.split(r"[^A-Za-z0-9]+", f"{resource_name}-{argument}") if w]
    return words[0].lower() + "".join(w[:1].upper() + w[1:].lower() for w in words[1:])


class ConfigKeys:
    """Hands out suggested secret config keys, each once, none equal to a provider setting's key."""

    def __init__(self) -> None:
        self._taken = {key.lower() for key in RESERVED_KEYS}

    def take(self, resource_name: str, argument: str) -> str:
        base = config_key(resource_name, argument)
        key, n = base, 2
        while key.lower() in self._taken:
            key, n = f"{base}{n}", n + 1
        self._taken.add(key.lower())
        return key
