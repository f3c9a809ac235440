"""``GET /connections/{id}/test``: does the stored connection really log in?

PostgreSQL connections get a real login with psycopg to the host they name, so a wrong password is ``False``.
Other sources cannot be reached from a laptop; they test ``True`` when their params are well formed.
"""
from __future__ import annotations

import logging
from typing import Any

from emulator.errors import EmulatorError

from .catalog import AuthSpec, ConnectionSpec
from .params import validate_params

POSTGRESQL_SPEC_ID = "74a1c565-4e59-48d7-9d67-7c03b8a13137"
LOGIN_TIMEOUT_SECONDS = 5
log = logging.getLogger(__name__)

_KEYS = {
    "server": "host", "host": "host", "data source": "host",
    "database": "dbname", "dbname": "dbname", "initial catalog": "dbname",
    "port": "port",
    "uid": "user", "user id": "user", "user": "user", "username": "user",
    "password": "password", "pwd": "password",
    "sslmode": "sslmode", "ssl mode": "sslmode",
    "encryptionmethod": "encryption", "validateservercertificate": "validate",
}
_SSL_MODES = {
    "disable": "disable", "allow": "allow", "prefer": "prefer", "require": "require",
    "verify ca": "verify-ca", "verify-ca": "verify-ca", "verify full": "verify-full", "verify-full": "verify-full",
}


def _split_pairs(text: str) -> list[tuple[str, str]] | None:
    """ODBC ``key=value;`` pairs; a ``{...}`` value may hold ``;`` and ``=``, with ``}}`` standing for ``}``."""
    pairs, i, n = [], 0, len(text)
    while i < n:
        eq = text.find("=", i)
        if eq < 0:
            return None if text[i:].strip() else pairs
        key, i = text[i:eq].strip(), eq + 1
        if i < n and text[i] == "{":
            value, i = [], i + 1
            while i < n and not (text[i] == "}" and text[i + 1:i + 2] != "}"):
                value.append(text[i])
                i += 2 if text[i] == "}" else 1
            if i >= n:
                return None
            i += 1
            if text[i:i + 1] not in ("", ";"):
                return None
            pairs.append((key, "".join(value)))
        else:
            end = text.find(";", i)
            end = n if end < 0 else end
            pairs.append((key, text[i:end].strip()))
            i = end
        i += 1
    return pairs


def _sslmode_from_datadirect(out: dict[str, str]) -> None:
    """Adobe's PostgreSQL source takes DataDirect's ``EncryptionMethod`` (1 = TLS) and
    ``ValidateServerCertificate`` (1 = check it); fold them into a libpq sslmode."""
    encryption, validate = out.pop("encryption", None), out.pop("validate", None)
    if encryption is None or "sslmode" in out:
        return
    if encryption.strip() == "1":
        out["sslmode"] = "verify-full" if (validate or "").strip() == "1" else "require"
    else:
        out["sslmode"] = "disable"


def parse_connection_string(text: str) -> dict[str, str] | None:
    """``Server=h;Database=d;Port=5432;UID=u;Password={p;w}`` -> libpq keywords, or None when malformed."""
    pairs = _split_pairs(text)
    if pairs is None:
        return None
    out: dict[str, str] = {}
    for key, value in pairs:
        target = _KEYS.get(key.lower())
        if target is None:
            return None
        out[target] = value
    _sslmode_from_datadirect(out)
    if not {"host", "dbname", "user", "password"} <= out.keys():
        return None
    return out


def _login_args(params: dict[str, Any]) -> dict[str, str] | None:
    if "connectionString" in params:
        return parse_connection_string(params["connectionString"])
    return {
        "host": params["server"], "port": str(params["port"]), "dbname": params["database"],
        "user": params["username"], "password": params["password"], "sslmode": params.get("sslMode", "prefer"),
    }


def _postgres_login(args: dict[str, str]) -> bool:
    import psycopg

    sslmode = _SSL_MODES.get(args.get("sslmode", "prefer").strip().lower())
    if sslmode is None:
        return False
    port = args.get("port", "5432").strip()
    if not (port.isascii() and port.isdigit() and len(port) <= 5 and 0 < int(port) < 65536):
        return False
    try:
        with psycopg.connect(
            host=args["host"], port=int(port), dbname=args["dbname"], user=args["user"],
            password=args["password"], sslmode=sslmode, connect_timeout=LOGIN_TIMEOUT_SECONDS,
        ) as conn:
            conn.execute("SELECT 1")
        return True
    except (psycopg.Error, OSError, ValueError) as exc:  # ValueError: a NUL byte in a value
        log.info("PostgreSQL login to %s:%s failed: %s", args["host"], port, type(exc).__name__)
        return False


def check_connectivity(spec: ConnectionSpec, auth: AuthSpec, params: dict[str, Any]) -> bool:
    try:
        validate_params(auth, params)
    except EmulatorError:
        return False
    if spec.id != POSTGRESQL_SPEC_ID:
        return True
    args = _login_args(params)
    return args is not None and _postgres_login(args)
