"""The connection view the rules read: lazy fields, secret unwrapping, unknowns, message scrubbing."""

import pytest
from pulumi_policy import Secret
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy
from pulumi.runtime.rpc import UNKNOWN

from policy.rules.model import StackContext, is_base_connection, listed_sandbox, redact
from tests.policy.sample_connections import PG_PASSWORD, connection, postgres


def test_fields_read_registered_inputs_and_unwrap_secrets():
    conn = connection(postgres(auth_params=Secret({"connectionString": Secret("Server=h;Password=x")})))
    assert conn.spec_id == "74a1c565-4e59-48d7-9d67-7c03b8a13137"
    assert conn.sandbox == "prod"
    assert conn.auth_param("connectionString") == "Server=h;Password=x"
    assert conn.auth_param("missing") is None
    assert conn.label == "connection 'orders'"


def test_missing_fields_read_as_none_and_auth_params_as_empty():
    conn = connection({})
    assert (conn.name, conn.description, conn.sandbox, conn.verify, conn.spec_id) == (None,) * 5
    assert dict(conn.auth_params) == {}


def test_an_unknown_field_stops_only_whoever_reads_it():
    conn = connection(unknown_checking_proxy(postgres(sandbox=UNKNOWN)))
    assert conn.name == "orders-db"
    with pytest.raises(UnknownValueError):
        _ = conn.sandbox


def test_known_auth_strings_skip_unknown_values_and_walk_nested_ones():
    props = postgres(auth_params={"connectionString": UNKNOWN, "password": "p4ss", "nested": {"k": ["deep-one", 5]}})
    found = dict(connection(unknown_checking_proxy(props)).known_auth_strings())
    assert found == {"password": "p4ss", "nested": "deep-one"}


def test_known_auth_strings_when_all_auth_params_are_unknown():
    assert list(connection(unknown_checking_proxy(postgres(auth_params=UNKNOWN))).known_auth_strings()) == []


def test_redact_replaces_longest_secret_first_and_ignores_tiny_values():
    message = f"a {PG_PASSWORD} b {PG_PASSWORD[:6]} c x"
    assert redact(message, [PG_PASSWORD[:6], PG_PASSWORD, "x"]) == "a *** b *** c x"


def test_stack_sandboxes_and_listed_sandbox():
    stack = StackContext(stack="local", configured_sandbox="prod")
    assert stack.sandboxes == ("local", "prod")
    assert StackContext(stack="dev", configured_sandbox="dev").sandboxes == ("dev",)
    assert listed_sandbox(connection(postgres(sandbox="dev")), ["prod"], stack) == "prod"
    assert listed_sandbox(connection(postgres(sandbox="dev")), ["prod"], StackContext("dev")) is None
    assert listed_sandbox(connection(postgres(sandbox="prod")), ["prod"], None) == "prod"


def test_only_the_dynamic_resource_type_is_a_base_connection():
    assert is_base_connection("pulumi-python:dynamic/aep:BaseConnection")
    assert not is_base_connection("aep:sources:PostgreSqlConnection")
    assert not is_base_connection("pulumi-python:dynamic:Resource")
