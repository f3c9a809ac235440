"""Base connections as the program registers them, for feeding the rules and the running pack.

Properties follow `FlowServiceBaseConnection`'s registered inputs (the constructor keyword names), with
`auth_params` a secret as the resource records it. Every credential here is a distinctive made-up string, so a
test can search any output for it.
"""

from __future__ import annotations

from typing import Any

from policy.rules.model import BASE_CONNECTION_TYPE, POSTGRESQL_SPEC_ID, Connection
from tests.harness.analyzer import AnalyzedResource, Secret, urn_for

BIGQUERY_SPEC_ID = "3c9b37f8-13a6-43d8-bad3-b863b941fedd"
LINKEDIN_OR_SUGARCRM_SPEC_ID = "59a4b493-a615-40f9-bd38-f823d0909a2b"  # unverified: two sources share it
PG_PASSWORD = "Pg-Pa55word-7731"
BQ_CLIENT_SECRET = "bq-client-secret-5521"
BQ_REFRESH_TOKEN = "1//refresh-token-8890"
CREDENTIALS = (PG_PASSWORD, BQ_CLIENT_SECRET, BQ_REFRESH_TOKEN)


def pg_connection_string(tls: str = "EncryptionMethod=1;ValidateServerCertificate=1") -> str:
    base = f"Server=db.example.com;Database=orders;Port=5432;UID=reader;Password={PG_PASSWORD}"
    return f"{base};{tls}" if tls else base


def postgres(**overrides: Any) -> dict[str, Any]:
    props = {
        "name": "orders-db",
        "connection_spec_id": POSTGRESQL_SPEC_ID,
        "connection_spec_version": "1.0",
        "auth_spec_name": "Connection String Based Authentication",
        "auth_params": {"connectionString": pg_connection_string()},
        "sandbox": "prod",
        "description": "Orders replica",
        "verify": True,
    }
    props.update(overrides)
    return props


def bigquery(**overrides: Any) -> dict[str, Any]:
    props = {
        "name": "marketing-bq",
        "connection_spec_id": BIGQUERY_SPEC_ID,
        "connection_spec_version": "1.0",
        "auth_spec_name": "Basic Authentication",
        "auth_params": {"project": "acme-marketing", "clientId": "1234.apps.googleusercontent.com",
                        "clientSecret": BQ_CLIENT_SECRET, "refreshToken": BQ_REFRESH_TOKEN},
        "sandbox": "prod",
        "description": "Marketing warehouse",
        "verify": True,
    }
    props.update(overrides)
    return props


def connection(props: dict[str, Any], resource_name: str = "orders", stack: str = "prod") -> Connection:
    return Connection(urn=urn_for(stack, BASE_CONNECTION_TYPE, resource_name), resource_name=resource_name, props=props)


def resource(props: dict[str, Any], resource_name: str = "orders", stack: str = "prod") -> AnalyzedResource:
    """The resource as the engine sends it: auth_params secret, plus the dynamic provider's `__provider` input."""
    properties = {**props, "__provider": Secret("pickled-provider")}
    if "auth_params" in properties:
        properties["auth_params"] = Secret(properties["auth_params"])
    return AnalyzedResource(type=BASE_CONNECTION_TYPE, name=resource_name,
                            urn=urn_for(stack, BASE_CONNECTION_TYPE, resource_name), properties=properties)
