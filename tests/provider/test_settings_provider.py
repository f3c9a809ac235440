"""provider/settings_provider.py: our dynamic resources are registered with one explicit ``pulumi-python`` provider
per program run, configured with the ``aep:*`` provider settings set in config and nothing else (run under
pulumi.runtime.set_mocks, which sees the RegisterResource requests the engine would record)."""

from __future__ import annotations

import asyncio

import pulumi
import pytest
from pulumi.runtime import rpc

from provider import PostgreSqlConnection
from provider.settings_provider import provider_inputs
from tests.harness.plugin import is_secret
from tests.provider.test_base_connection_registration import EchoMocks, RecordingMonitor

CONFIG = {
    "aep:orgId": "org@AdobeOrg", "aep:clientId": "client-1", "aep:clientSecret": "s3cret-value",
    "aep:sandbox": "dev", "aep:endpoint": "http://127.0.0.1:9/flow",
    "aep:connections": '{"pg": {"source": "postgresql"}}', "other:token": "not-ours",
}


def run_program(program_body, config=CONFIG, secret_keys=("aep:clientSecret", "other:token")):
    mocks = EchoMocks()
    monitor = RecordingMonitor(mocks)
    pulumi.runtime.set_all_config(dict(config), list(secret_keys))
    pulumi.runtime.set_mocks(mocks, project="aep", stack="dev", preview=False, monitor=monitor)

    @pulumi.runtime.test
    def program():
        return program_body()

    try:
        program()
    finally:
        pulumi.runtime.set_all_config({}, [])
    return monitor.registrations


def two_connections():
    first = PostgreSqlConnection("a", host="a.example", database="d", username="u", password="pw-a")
    second = PostgreSqlConnection("b", host="b.example", database="d", username="u", password="pw-b")
    return pulumi.Output.all(first.connection_id, second.connection_id)


def test_one_provider_carries_the_aep_settings_only_and_keeps_the_secret_secret():
    registrations = run_program(two_connections)
    providers = [r for r in registrations if r.type == "pulumi:providers:pulumi-python"]
    assert [p.name for p in providers] == ["aep"]
    inputs = rpc.deserialize_properties(providers[0].object, keep_unknowns=True)
    assert set(inputs) == {"aep:orgId", "aep:clientId", "aep:clientSecret", "aep:sandbox", "aep:endpoint"}
    assert is_secret(inputs["aep:clientSecret"]) and not is_secret(inputs["aep:orgId"])
    dynamic = [r for r in registrations if r.type.startswith("pulumi-python:dynamic/")]
    assert len(dynamic) == 2 and all(r.provider.split("::")[-2] == "aep" for r in dynamic)


def test_keys_left_to_the_environment_are_not_recorded(monkeypatch):
    monkeypatch.setenv("AEP_CLIENT_SECRET", "from-env")
    config = {k: v for k, v in CONFIG.items() if k != "aep:clientSecret"}
    registrations = run_program(two_connections, config=config, secret_keys=())
    provider = next(r for r in registrations if r.type == "pulumi:providers:pulumi-python")
    assert "aep:clientSecret" not in rpc.deserialize_properties(provider.object)


def test_a_provider_the_caller_chose_is_kept():
    def with_own_provider():
        own = pulumi.ProviderResource("pulumi-python", "mine", {})
        from provider import FlowServiceBaseConnection
        connection = FlowServiceBaseConnection("raw", name="raw", connection_spec_id="spec", auth_spec_name="Basic",
                                               auth_params={"password": "pw"},
                                               opts=pulumi.ResourceOptions(provider=own))
        return connection.id

    registrations = run_program(with_own_provider)
    assert [r.name for r in registrations if r.type == "pulumi:providers:pulumi-python"] == ["mine"]
    raw = next(r for r in registrations if r.name == "raw")
    assert raw.provider.split("::")[-2] == "mine"


def test_a_plain_text_config_value_is_not_made_secret_unless_it_is_the_client_secret():
    pulumi.runtime.set_all_config({"aep:sandbox": "dev", "aep:clientSecret": "x"}, [])
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        inputs = provider_inputs()
        assert loop.run_until_complete(inputs["aep:clientSecret"].is_secret()) is True
    finally:
        pulumi.runtime.set_all_config({}, [])
        asyncio.set_event_loop(None)
        loop.close()
    assert inputs["aep:sandbox"] == "dev"


def test_a_provider_given_to_a_component_through_providers_is_used_by_its_connection():
    def with_providers():
        own = pulumi.ProviderResource("pulumi-python", "team", {})
        other = pulumi.ProviderResource("aws", "aws-east", {})
        first = PostgreSqlConnection("a", host="a.example", database="d", username="u", password="pw-a",
                                     opts=pulumi.ResourceOptions(providers=[own, other]))
        second = PostgreSqlConnection("b", host="b.example", database="d", username="u", password="pw-b",
                                      opts=pulumi.ResourceOptions(provider=other))
        return pulumi.Output.all(first.connection_id, second.connection_id)

    registrations = run_program(with_providers)
    by_name = {r.name: r for r in registrations if r.type.startswith("pulumi-python:dynamic/")}
    assert by_name["a"].provider.split("::")[-2] == "team"
    assert by_name["b"].provider.split("::")[-2] == "aep"  # an aws provider is no provider for these
    assert sorted(r.name for r in registrations if r.type == "pulumi:providers:pulumi-python") == ["aep", "team"]


@pytest.fixture(autouse=True)
def _no_aep_env(monkeypatch):
    for name in ("AEP_SANDBOX", "AEP_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
