"""postgres-tls-required: PostgreSQL connections in the listed sandboxes must ask for TLS.

A connection can state its transport security in three places, and every statement found must ask for TLS
(if one says `require` and another `disable`, which one wins is up to the driver, so that fails):
  - the basic-auth param `sslMode`: `require`, `verify-ca` or `verify-full`, spelled freely (`Verify Full`,
    `VerifyFull`, `verify_full`); `true` also counts (Adobe's AWS-hosted flavour takes a boolean);
  - an ssl mode key inside the connection string (`sslmode=` for libpq and URIs, `SSL Mode=` for ADO.NET), with
    the same values;
  - Adobe's documented driver property `EncryptionMethod` in the connection string: `1` (SSL) asks for TLS,
    `0` (none) and `6` (SSL only if the server offers it) do not. This is what `PostgreSqlConnection(ssl_mode=...)`
    writes.
A connection that states none of these fails. The rule applies when the spec is PostgreSQL and the connection's
sandbox, or the stack's, is in `sandboxes`.
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
ENCRYPTION_METHOD_TLS = "1"

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


@dataclass(frozen=True)
class TlsSetting:
    """One place where the connection states its transport security, and whether that asks for TLS."""

    where: str
    value: Any
    asks_for_tls: bool


def parse_settings(config: Optional[Mapping[str, Any]]) -> Settings:
    return Settings(sandboxes=tuple(string_list(config, RULE, "sandboxes", SCHEMA["sandboxes"]["default"])))


def applies(connection: Connection, settings: Settings, stack: Optional[StackContext] = None) -> Optional[str]:
    """None when the rule applies, else why it does not."""
    if connection.spec_id != POSTGRESQL_SPEC_ID:
        return "not a PostgreSQL connection"
    if listed_sandbox(connection, settings.sandboxes, stack) is None:
        return f"sandbox is not one of {list(settings.sandboxes)}"
    return None


def is_tls_mode(mode: Any) -> bool:
    if mode is True:
        return True
    if not isinstance(mode, str):
        return False
    squashed = re.sub(r"[^a-z]", "", mode.lower())
    return squashed == "true" or squashed in {m.replace("-", "") for m in TLS_MODES}


def tls_settings(connection: Connection) -> list[TlsSetting]:
    found = [
        TlsSetting(f"auth param '{key}'", connection.auth_param(key), is_tls_mode(connection.auth_param(key)))
        for key in list(connection.auth_params)
        if normalize_key(key) == "sslmode"
    ]
    text = connection.auth_param("connectionString")
    if isinstance(text, str):
        parsed = parse_connection_string(text)
        found += [TlsSetting("sslmode in the connection string", v, is_tls_mode(v)) for v in parsed.get("sslmode", [])]
        found += [
            TlsSetting("EncryptionMethod in the connection string", v, v.strip() == ENCRYPTION_METHOD_TLS)
            for v in parsed.get("encryptionmethod", [])
        ]
    return found


def _describe(value: Any) -> str:
    return repr(value) if isinstance(value, (str, bool, int)) else f"a {type(value).__name__}"


def check(connection: Connection, settings: Settings, stack: Optional[StackContext] = None) -> list[str]:
    if applies(connection, settings, stack) is not None:
        return []
    sandbox = listed_sandbox(connection, settings.sandboxes, stack)
    fix = (
        "Fix: pass ssl_mode='require' or 'verify-full' to PostgreSqlConnection, or put sslmode=require "
        "(or EncryptionMethod=1) in the connection string, or set the basic-auth param sslMode to require."
    )
    found = tls_settings(connection)
    if not found:
        return [f"[{RULE}] PostgreSQL {connection.label} in sandbox '{sandbox}' does not ask for TLS. {fix}"]
    weak = [f"{s.where} is {_describe(s.value)}" for s in found if not s.asks_for_tls]
    if weak:
        return [
            f"[{RULE}] PostgreSQL {connection.label} in sandbox '{sandbox}' does not require TLS: "
            f"{'; '.join(weak)} (asks for TLS: sslmode {', '.join(TLS_MODES)}, or EncryptionMethod=1). {fix}"
        ]
    return []
