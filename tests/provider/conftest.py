"""Fixtures for the provider suite: client settings for the emulator, a configured real plugin, an Engine, and
seed resources from Adobe's tutorials (PostgreSQL connection string, BigQuery basic auth)."""

from __future__ import annotations

from typing import Any, Iterator

import pytest

from provider.client import FlowServiceClient, clear_token_cache
from provider.settings import Settings, load_settings
from tests.harness.engine import Engine, Registration, base_connection_registration
from tests.harness.plugin import PluginProcess

POSTGRESQL_SPEC_ID = "74a1c565-4e59-48d7-9d67-7c03b8a13137"
BIGQUERY_SPEC_ID = "3c9b37f8-13a6-43d8-bad3-b863b941fedd"
PG_CONNECTION_STRING_AUTH = "Connection String Based Authentication"
# Retry-After from the emulator is 1 s by default; the provider caps each wait at this many seconds in tests.
TEST_MAX_RETRY_WAIT = "0.2"


def pg_connection_string(password: str = "pw-1", host: str = "db.example.com", port: int = 5432) -> str:
    return f"Server={host};Database=sales;Port={port};UID=loader;Password={password}"


def pg_registration(
    name: str = "pg-sales", password: str = "pw-1", sandbox: str = "prod", **overrides: Any
) -> Registration:
    """FlowServiceBaseConnection(name=..., connection string auth) as the program registers it."""
    props: dict[str, Any] = dict(
        name=name,
        description="PostgreSQL sales replica",
        connection_spec_id=POSTGRESQL_SPEC_ID,
        auth_spec_name=PG_CONNECTION_STRING_AUTH,
        auth_params={"connectionString": pg_connection_string(password)},
        sandbox=sandbox,
    )
    props.update(overrides)
    return base_connection_registration(**props)


def bigquery_registration(name: str = "bq-marketing", refresh_token: str = "rt-1", **overrides: Any) -> Registration:
    props: dict[str, Any] = dict(
        name=name,
        connection_spec_id=BIGQUERY_SPEC_ID,
        auth_spec_name="Basic Authentication",
        auth_params={
            "project": "acme-marketing",
            "clientId": "1234.apps.googleusercontent.com",
            "clientSecret": "gcp-client-secret",
            "refreshToken": refresh_token,
        },
        sandbox="prod",
    )
    props.update(overrides)
    return base_connection_registration(**props)


def stack_config(emulator: Any, **extra: str) -> dict[str, str]:
    """Stack config keys as `pulumi config` holds them for a stack that targets the emulator."""
    config = {
        "aep:orgId": emulator.org_id,
        "aep:clientId": emulator.client_id,
        "aep:clientSecret": emulator.client_secret,
        "aep:endpoint": emulator.flow_url,
        "aep:imsEndpoint": emulator.ims_url,
        "aep:maxRetryWait": TEST_MAX_RETRY_WAIT,
    }
    config.update(extra)
    return config


@pytest.fixture
def settings(emulator) -> Settings:
    clear_token_cache()
    return load_settings(stack_config(emulator), env={})


@pytest.fixture
def client(settings) -> FlowServiceClient:
    return FlowServiceClient(settings)


@pytest.fixture
def plugin(emulator) -> Iterator[PluginProcess]:
    """A fresh real plugin process (so its token cache and counts start empty), configured for the emulator."""
    with PluginProcess() as process:
        process.configure(stack_config(emulator), secret_keys={"aep:clientSecret"})
        yield process


@pytest.fixture
def engine(plugin) -> Engine:
    return Engine(plugin)


def flow_counts(emulator: Any) -> dict[str, int]:
    """Request counts with the Flow Service prefix removed: {"POST /connections": 1, "POST ims": 1, ...}."""
    out: dict[str, int] = {}
    for key, n in emulator.counts().items():
        method, template = key.split(" ", 1)
        short = "ims" if template.startswith("/ims/") else template.replace("/data/foundation/flowservice", "")
        out[f"{method} {short}"] = out.get(f"{method} {short}", 0) + n
    return out
