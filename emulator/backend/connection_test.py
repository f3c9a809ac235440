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
}
_SSL_MODES = {
    "disable": "disable", "allow": "allow", "prefer": "prefer", "require": "require",
    "verify ca": "verify-ca", "verify-ca": "verify-ca", "verify full": "verify-full", "verify-full": "verify-full",
}


def parse_connection_string(text: str) -> dict[str, str] | None:
    """``Server=h;Database=d;Port=5432;UID=u;Password=p`` -> libpq keywords, or None when malformed."""
    out: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(";"))):
        key, sep, value = part.partition("=")
        target = _KEYS.get(key.strip().lower())
        if not sep or target is None:
            return None
        out[target] = value.strip()
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
    port = args.get("port", "5432")
    if not port.isdigit():
        return False
    try:
        with psycopg.connect(
            host=args["host"], port=int(port), dbname=args["dbname"], user=args["user"],
            password=args["password"], sslmode=sslmode, connect_timeout=LOGIN_TIMEOUT_SECONDS,
        ) as conn:
            conn.execute("SELECT 1")
        return True
    except (psycopg.Error, OSError) as exc:
        log.info("PostgreSQL login to %s:%s failed: %s", args["host"], port, type(exc).__name__)
        return False


def test_connection(spec: ConnectionSpec, auth: AuthSpec, params: dict[str, Any]) -> bool:
    try:
        validate_params(auth, params)
    except EmulatorError:
        return False
    if spec.id != POSTGRESQL_SPEC_ID:
        return True
    args = _login_args(params)
    return args is not None and _postgres_login(args)


test_connection.__test__ = False  # not a pytest test, despite the name
