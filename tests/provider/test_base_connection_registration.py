"""What the SDK registers for FlowServiceBaseConnection (run under pulumi.runtime.set_mocks): type token, input
names, secrets, additional_secret_outputs, sandbox resolution, and a tiny secret-free ``__provider``. Also proves
that tests/harness/engine.py's ``base_connection_registration`` builds exactly the same registration."""

from __future__ import annotations

import pickle
import re

import pulumi
import pytest
from pulumi.runtime import rpc
from pulumi.runtime.mocks import MockMonitor

from provider import FlowServiceBaseConnection
from provider.base_connection import TYPE, BaseConnectionProvider
from provider.create_key import create_key
from tests.harness.engine import base_connection_registration
from tests.harness.plugin import decode_provider_property, is_secret
from tests.provider.conftest import PG_CONNECTION_STRING_AUTH, POSTGRESQL_SPEC_ID, pg_connection_string

PASSWORD = "Reg1stration-PW-5eb1"


class EchoMocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args):
        return {}


class RecordingMonitor(MockMonitor):
    def __init__(self, mocks):
        super().__init__(mocks)
        self.registrations = []

    def RegisterResource(self, request):
        if request.type != "pulumi:pulumi:Stack":
            self.registrations.append(request)
        return super().RegisterResource(request)


def register(stack="dev", config=None, **kwargs):
    """Construct one FlowServiceBaseConnection in a mocked program and return the RegisterResource request."""
    mocks = EchoMocks()
    monitor = RecordingMonitor(mocks)
    pulumi.runtime.set_all_config({**(config or {})})
    pulumi.runtime.set_mocks(mocks, project="aep-flow-connections", stack=stack, preview=False, monitor=monitor)
    props = dict(name="pg-sales", connection_spec_id=POSTGRESQL_SPEC_ID, auth_spec_name=PG_CONNECTION_STRING_AUTH,
                 auth_params={"connectionString": pg_connection_string(PASSWORD)})
    props.update(kwargs)

    @pulumi.runtime.test
    def program():
        res = FlowServiceBaseConnection("pg", **props)
        return pulumi.Output.all(res.urn, res.id)

    program()
    provider, resource = monitor.registrations
    assert (provider.type, provider.name) == ("pulumi:providers:pulumi-python", "aep")
    assert "pulumi:providers:pulumi-python::aep::" in resource.provider
    return resource


@pytest.fixture(autouse=True)
def _no_aep_env(monkeypatch):
    monkeypatch.delenv("AEP_SANDBOX", raising=False)
    yield
    pulumi.runtime.set_all_config({})


def test_type_token_input_names_and_secrets():
    request = register(sandbox="prod", description="sales")
    assert request.type == "pulumi-python:dynamic/aep:BaseConnection"
    inputs = rpc.deserialize_properties(request.object)
    assert set(inputs) == {"name", "description", "connection_spec_id", "auth_spec_name", "auth_params", "sandbox",
                           "create_key", "__provider"}  # verify, force_delete, connection_spec_version: defaults
    assert re.fullmatch(r"[0-9a-f]{10}\.[0-9a-f]{12}", inputs["create_key"])
    assert is_secret(inputs["auth_params"]) and not is_secret(inputs["__provider"])
    assert not is_secret(inputs["name"]) and not is_secret(inputs["sandbox"])
    given = rpc.deserialize_properties(register(sandbox="prod", verify=True, force_delete=True,
                                                connection_spec_version="2.0").object)
    assert (given["verify"], given["force_delete"], given["connection_spec_version"]) == (True, True, "2.0")
    assert list(request.additionalSecretOutputs) == ["auth_params"]


def test_pickled_provider_is_tiny_by_reference_and_secret_free():
    request = register(sandbox="prod")
    blob = decode_provider_property(rpc.deserialize_properties(request.object)["__provider"])
    assert len(blob) <= 200
    assert b"provider.base_connection" in blob and b"BaseConnectionProvider" in blob
    assert PASSWORD.encode() not in blob and b"local-secret" not in blob
    provider = pickle.loads(blob)
    assert type(provider) is BaseConnectionProvider and vars(provider) == {}


def test_configured_provider_still_pickles_to_nothing(emulator):
    """Even after configure() stored settings and a client on it, pickling keeps none of it."""
    from pulumi.dynamic import ConfigureRequest
    from pulumi.dynamic.config import Config

    from tests.harness.plugin import provider_property
    from tests.provider.conftest import stack_config

    provider = BaseConnectionProvider()
    provider.configure(ConfigureRequest(Config(stack_config(emulator), "aep-flow-connections")))
    assert vars(provider)
    blob = decode_provider_property(provider_property(provider))
    assert emulator.client_secret.encode() not in blob and len(blob) <= 200


@pytest.mark.parametrize(
    ("explicit", "config", "env", "stack", "expected"),
    [
        ("stage", {"aep:sandbox": "dev"}, "prod", "local", "stage"),
        (None, {"aep:sandbox": "dev"}, "prod", "local", "dev"),
        (None, {}, "prod", "local", "prod"),
        (None, {}, None, "local", "local"),
    ],
)
def test_sandbox_resolution_is_recorded_as_an_input(monkeypatch, explicit, config, env, stack, expected):
    if env:
        monkeypatch.setenv("AEP_SANDBOX", env)
    request = register(stack=stack, config=config, sandbox=explicit)
    assert rpc.deserialize_properties(request.object)["sandbox"] == expected


def test_harness_registration_matches_the_sdk():
    request = register(sandbox="prod", description="sales", auth_type=None, verify=True)
    sdk = rpc.deserialize_properties(request.object)
    harness = base_connection_registration(
        name="pg-sales", description="sales", connection_spec_id=POSTGRESQL_SPEC_ID,
        auth_spec_name=PG_CONNECTION_STRING_AUTH, auth_params={"connectionString": pg_connection_string(PASSWORD)},
        sandbox="prod", verify=True, create_key=create_key(TYPE, "pg", None))
    assert harness.inputs == sdk
    assert harness.type == request.type
    assert list(harness.additional_secret_outputs) == list(request.additionalSecretOutputs)


def test_create_key_names_the_stack_and_the_resource_and_nothing_else():
    """provider/client/create_marker.py: the same resource in the same stack gets the same key on every run; another
    stack, name or parent another one. Its first part names the stack alone (the listing filters on it)."""
    keys = {(stack, kwargs.get("name", "pg-sales")): rpc.deserialize_properties(
        register(stack=stack, sandbox="prod", **kwargs).object)["create_key"]
        for stack in ("dev", "prod") for kwargs in ({}, {"name": "renamed display name"})}
    assert keys[("dev", "pg-sales")] == keys[("dev", "renamed display name")]  # the display name is not the URN
    assert keys[("dev", "pg-sales")] != keys[("prod", "pg-sales")]
    assert keys[("dev", "pg-sales")].split(".")[0] != keys[("prod", "pg-sales")].split(".")[0]
    assert register(stack="dev", sandbox="prod").object == register(stack="dev", sandbox="prod").object


def test_two_stacks_of_one_name_on_two_backends_get_different_keys(tmp_path, monkeypatch):
    """`pulumi stack init dev` on a laptop's backend and on CI's writes two random salts: their markers differ,
    so neither takes over what the other's interrupted run made (provider/create_key.py)."""
    keys = []
    for salt in ("v1:laptop-salt", "v1:ci-salt"):
        root = tmp_path / salt.split(":")[1]
        (root / "stacks").mkdir(parents=True)
        (root / "Pulumi.yaml").write_text("name: aep\nruntime: python\nstackConfigDir: stacks\n")
        (root / "stacks" / "Pulumi.dev.yaml").write_text(f"encryptionsalt: {salt}\n")
        monkeypatch.chdir(root)
        keys.append(rpc.deserialize_properties(register(stack="dev", sandbox="prod").object)["create_key"])
    assert keys[0].split(".")[0] != keys[1].split(".")[0]
