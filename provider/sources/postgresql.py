"""PostgreSQL base connections: from host/port/database/username/password, or a ready connection string."""

from __future__ import annotations

from typing import Any, Literal, Optional

import pulumi
from pydantic import SecretStr, field_validator

from provider.sources.component import BaseConnectionComponent
from provider.sources.connection_string import (
    ConnectionStringError,
    format_connection_string,
    parse_connection_string,
)
from provider.sources.params import ArgumentProblem, InvalidSourceArgument, SourceParams, param

SslMode = Literal["disable", "prefer", "require", "verify-full"]

# Adobe's documented SSL properties for this source: EncryptionMethod 0 off, 1 SSL, 6 SSL if the server
# offers it; ValidateServerCertificate 0/1.
_SSL_PROPERTIES: dict[str, list[tuple[str, str]]] = {
    "disable": [("EncryptionMethod", "0")],
    "prefer": [("EncryptionMethod", "6")],
    "require": [("EncryptionMethod", "1"), ("ValidateServerCertificate", "0")],
    "verify-full": [("EncryptionMethod", "1"), ("ValidateServerCertificate", "1")],
}
_REQUIRED_KEYS = ("Server", "Database", "UID", "Password")


def postgresql_connection_string(
    host: str, port: int, database: str, username: str, password: str, ssl_mode: Optional[str] = None
) -> str:
    """Adobe's pattern `Server=..;Database=..;Port=..;UID=..;Password=..`, values brace-quoted as needed."""
    pairs = [("Server", host), ("Database", database), ("Port", str(port)), ("UID", username), ("Password", password)]
    return format_connection_string(pairs + _SSL_PROPERTIES.get(ssl_mode or "", []))


class _PostgreSqlParams(SourceParams):
    host: Optional[str] = param("server", "the PostgreSQL server's host name or IP address", None, min_length=1)
    port: int = param("port", "the server's TCP port, 1-65535", 5432, ge=1, le=65535)
    database: Optional[str] = param("database", "the database to read", None, min_length=1)
    username: Optional[str] = param("username", "the login user", None, min_length=1)
    password: Optional[SecretStr] = param("password", "the login user's password", None, min_length=1)
    ssl_mode: Optional[SslMode] = param("sslMode", "one of disable, prefer, require, verify-full", None)
    connection_string: Optional[SecretStr] = param(
        "connectionString",
        "a full connection string 'Server=..;Database=..;Port=..;UID=..;Password=..' (values with ; { } = in braces)",
        None,
    )

    @field_validator("host")
    @classmethod
    def _host_has_no_spaces(cls, value: str) -> str:
        if any(c.isspace() for c in value):
            raise ValueError("a host name cannot contain whitespace")
        if not value.isprintable():
            raise ValueError("a host name cannot contain invisible or control characters such as U+200B")
        return value

    @field_validator("connection_string")
    @classmethod
    def _well_formed(cls, value: SecretStr) -> SecretStr:
        try:
            keys = {key.lower() for key, _ in parse_connection_string(value.get_secret_value())}
        except ConnectionStringError as err:
            raise ValueError(str(err)) from None
        missing = [key for key in _REQUIRED_KEYS if key.lower() not in keys]
        if missing:
            raise ValueError(f"the connection string lacks {', '.join(missing)}")
        return value


class PostgreSqlConnection(BaseConnectionComponent):
    """PostgreSQL source ("Connection String Based Authentication").

    Give either `host`, `database`, `username`, `password` (and optionally `port`, `ssl_mode`), from which
    the connection string is built with brace quoting so any character in any value round-trips, or a
    complete `connection_string`. The connection string is always stored as a Pulumi secret.
    """

    source = "postgresql"
    display_name = "PostgreSQL"
    connection_spec_id = "74a1c565-4e59-48d7-9d67-7c03b8a13137"
    auth_spec_name = "Connection String Based Authentication"
    Params = _PostgreSqlParams

    def __init__(
        self,
        resource_name: str,
        *,
        host: Optional[pulumi.Input[str]] = None,
        database: Optional[pulumi.Input[str]] = None,
        username: Optional[pulumi.Input[str]] = None,
        password: Optional[pulumi.Input[str]] = None,
        port: pulumi.Input[int] = 5432,
        ssl_mode: Optional[SslMode] = None,
        connection_string: Optional[pulumi.Input[str]] = None,
        name: Optional[pulumi.Input[str]] = None,
        description: Optional[pulumi.Input[str]] = None,
        sandbox: Optional[str] = None,
        adopt_id: Optional[pulumi.Input[str]] = None,
        verify: bool = False,
        force_delete: bool = False,
        opts: Optional[pulumi.ResourceOptions] = None,
    ) -> None:
        args = dict(
            host=host, port=port, database=database, username=username, password=password,
            ssl_mode=ssl_mode, connection_string=connection_string,
        )
        super().__init__(
            resource_name, args, name=name, description=description, sandbox=sandbox, adopt_id=adopt_id,
            verify=verify, force_delete=force_delete, opts=opts,
        )

    @classmethod
    def secret_api_params(cls) -> frozenset[str]:
        return frozenset({"connectionString"})

    @classmethod
    def _check(cls, owner: str, values: dict[str, Any]) -> None:
        parts = ("host", "database", "username", "password")
        given = [p for p in parts if p in values]
        if "connection_string" in values:
            extra = given + [p for p in ("ssl_mode",) if p in values]
            if extra:
                message = f"pass either connection_string or {', '.join(parts)}, not both (also got {', '.join(extra)})"
                raise InvalidSourceArgument(f"{owner}: {message}", [ArgumentProblem(tuple(extra), message)])
        elif len(given) < len(parts):
            missing = tuple(p for p in parts if p not in values)
            message = f"argument(s) {', '.join(missing)} are required (or pass connection_string instead)"
            raise InvalidSourceArgument(f"{owner}: {message}", [ArgumentProblem(missing, message, missing=True)])

    def _auth_params(self, values: dict[str, Any]) -> dict[str, Any]:
        if "connection_string" in values:
            return {"connectionString": values["connection_string"]}
        keys = ("host", "port", "database", "username", "password", "ssl_mode")
        parts = pulumi.Output.all(**{k: values.get(k) for k in keys})
        return {"connectionString": parts.apply(lambda v: postgresql_connection_string(**v))}


class _PostgreSqlBasicParams(SourceParams):
    server: str = param("server", "the PostgreSQL server's host name or IP address", min_length=1)
    port: int = param("port", "the server's TCP port, 1-65535", 5432, ge=1, le=65535)
    database: str = param("database", "the database to read", min_length=1)
    username: str = param("username", "the login user", min_length=1)
    password: SecretStr = param("password", "the login user's password", min_length=1)
    ssl_mode: Optional[str] = param("sslMode", "the SSL mode the server expects", None, min_length=1)


class PostgreSqlBasicConnection(BaseConnectionComponent):
    """PostgreSQL source ("Basic Authentication"): the same login as separate params, no connection string."""

    source = "postgresql"
    display_name = "PostgreSQL"
    connection_spec_id = "74a1c565-4e59-48d7-9d67-7c03b8a13137"
    auth_spec_name = "Basic Authentication"
    Params = _PostgreSqlBasicParams

    def __init__(
        self,
        resource_name: str,
        *,
        server: pulumi.Input[str],
        database: pulumi.Input[str],
        username: pulumi.Input[str],
        password: pulumi.Input[str],
        port: pulumi.Input[int] = 5432,
        ssl_mode: Optional[pulumi.Input[str]] = None,
        name: Optional[pulumi.Input[str]] = None,
        description: Optional[pulumi.Input[str]] = None,
        sandbox: Optional[str] = None,
        adopt_id: Optional[pulumi.Input[str]] = None,
        verify: bool = False,
        force_delete: bool = False,
        opts: Optional[pulumi.ResourceOptions] = None,
    ) -> None:
        args = dict(server=server, port=port, database=database, username=username, password=password, ssl_mode=ssl_mode)
        super().__init__(
            resource_name, args, name=name, description=description, sandbox=sandbox, adopt_id=adopt_id,
            verify=verify, force_delete=force_delete, opts=opts,
        )
