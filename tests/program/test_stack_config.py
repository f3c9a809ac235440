"""The `aep:connections` config: mistakes are refused with the fix, before any resource is declared."""

from __future__ import annotations

import pytest

from provider.stack_config import env_name
from tests.harness.program import ProgramHarness
from tools.stack_secrets import PassphraseCrypter, load_stack_file


@pytest.fixture
def harness(emulator) -> ProgramHarness:
    return ProgramHarness.for_emulator(emulator)


def refused(harness: ProgramHarness, emulator) -> str:
    """Run `up`; assert it failed with nothing declared and nothing sent; return the error."""
    run = harness.up()
    assert run.error, "the run should have failed"
    assert run.resources == [] and run.steps == []
    assert emulator.connections() == []
    return run.error


def edit(harness: ProgramHarness, key: str, **changes) -> None:
    connections = harness.connections()
    connections[key].update(changes)
    harness.set_connections(connections)


def test_unknown_source_suggests_the_right_one(harness, emulator):
    edit(harness, "orders-db", source="postgres")
    assert "unknown source 'postgres'; did you mean postgresql?" in refused(harness, emulator)


def test_a_secret_written_under_params_is_refused(harness, emulator):
    connections = harness.connections()
    connections["orders-db"]["params"]["password"] = "hunter2-in-yaml"
    del connections["orders-db"]["secrets"]
    harness.set_connections(connections)
    error = refused(harness, emulator)
    assert "aep:connections.orders-db: password is secret; move it from params to secrets" in error
    assert "hunter2" not in error


def test_a_secret_stored_in_plain_text_is_refused(harness, emulator):
    harness.overrides["aep:ordersDbPassword"] = "hunter2-plain"
    error = refused(harness, emulator)
    assert "aep:ordersDbPassword (secret argument 'password') is stored in plain text" in error
    assert "pulumi config set --secret aep:ordersDbPassword" in error and "hunter2" not in error


def test_a_missing_secret_names_the_config_command_and_the_env_variable(harness, emulator):
    harness.unset("aep:ordersDbPassword")
    error = refused(harness, emulator)
    assert "secret argument 'password' is not set" in error
    assert "pulumi config set --secret aep:ordersDbPassword <value>` or export ORDERS_DB_PASSWORD" in error


def test_the_environment_can_supply_a_secret_for_ci(emulator):
    harness = ProgramHarness.for_emulator(emulator, env={"ORDERS_DB_PASSWORD": "from-env;pw"})
    harness.unset("aep:ordersDbPassword")
    run = harness.up().raise_for_error()
    assert run.ops() == {"create": 3}
    stored = next(c for c in emulator.connections() if c["name"].startswith("Orders"))
    assert "Password={from-env;pw}" in stored["auth"]["params"]["connectionString"]
    assert "auth_params" in run.resource("orders-db", "pulumi-python:dynamic/aep:BaseConnection").secret_paths


def test_unknown_argument_lists_what_the_component_takes(harness, emulator):
    connections = harness.connections()
    connections["orders-db"]["params"]["hostname"] = "x"
    harness.set_connections(connections)
    error = refused(harness, emulator)
    assert "PostgreSqlConnection has no argument(s) hostname; it takes host, port, database" in error


def test_invalid_value_in_a_later_entry_stops_every_entry(harness, emulator):
    connections = harness.connections()
    connections["events-bigquery"]["params"]["project_id"] = ""
    harness.set_connections(connections)
    assert "GoogleBigQueryServiceAccountConnection('events-bigquery'): argument 'project_id' is invalid" in (
        refused(harness, emulator))


@pytest.mark.parametrize(("change", "message"), [
    ({"sorce": "postgresql"}, "aep:connections.orders-db: sorce: Extra inputs are not permitted"),
    ({"secrets": {"password": 42}}, "aep:connections.orders-db: secrets.password: Input should be a valid string"),
    ({"auth": "Password Auth"}, "source 'postgresql' has no auth method 'Password Auth'"),
    ({"adopt_id": ""}, "aep:connections.orders-db: adopt_id: String should have at least 1 character"),
    ({"force_delete": "maybe"}, "aep:connections.orders-db: force_delete: Input should be a valid boolean"),
])
def test_malformed_entries_name_the_field(harness, emulator, change, message):
    edit(harness, "orders-db", **change)
    assert message in refused(harness, emulator)


def test_resource_names_must_be_stable_lowercase_keys(harness, emulator):
    connections = harness.connections()
    connections["Orders_DB"] = connections.pop("orders-db")
    harness.set_connections(connections)
    assert "aep:connections key 'Orders_DB' must be lowercase letters, digits and '-'" in refused(harness, emulator)


def test_without_aep_sandbox_the_stack_name_is_the_sandbox(harness, emulator):
    harness.unset("aep:sandbox")
    run = harness.preview().raise_for_error()
    assert {b.plain_inputs()["sandbox"] for b in run.base_connections()} == {"local"}


def test_no_connections_declares_nothing(harness, emulator):
    harness.unset("aep:connections")
    run = harness.up().raise_for_error()
    assert run.resources == [] and run.exports == {"connection_ids": {}}


def test_env_names_follow_the_config_key():
    assert env_name("ordersDbPassword") == "ORDERS_DB_PASSWORD"
    assert env_name("bq.key-file") == "BQ_KEY_FILE"


def test_verify_asks_flow_service_to_test_the_connection(harness, emulator):
    edit(harness, "marketing-bigquery", verify=True)
    run = harness.up().raise_for_error()
    assert run.resource("marketing-bigquery", "pulumi-python:dynamic/aep:BaseConnection").plain_inputs()["verify"]
    assert emulator.counts()["GET /data/foundation/flowservice/connections/{id}/test"] == 1


def test_adopt_id_reaches_the_base_connection(harness, emulator):
    edit(harness, "orders-db", adopt_id="0f2b7c1e-existing")
    run = harness.preview().raise_for_error()
    inputs = {b.plain_inputs()["name"]: b.plain_inputs().get("adopt_id") for b in run.base_connections()}
    assert inputs["Orders database (PostgreSQL)"] == "0f2b7c1e-existing" and list(inputs.values()).count(None) == 2


def test_force_delete_reaches_the_base_connection_as_a_recorded_input(harness, emulator):
    edit(harness, "orders-db", force_delete=True)
    run = harness.preview().raise_for_error()
    inputs = {b.plain_inputs()["name"]: b.plain_inputs()["force_delete"] for b in run.base_connections()}
    assert inputs["Orders database (PostgreSQL)"] is True and list(inputs.values()).count(False) == 2


def test_a_secure_value_inside_aep_connections_is_refused_without_echoing_it(harness, emulator):
    connections = harness.connections()
    crypter = PassphraseCrypter("local", load_stack_file("local")["encryptionsalt"])
    connections["orders-db"]["secrets"]["password"] = {"secure": crypter.encrypt("hunter2-nested")}
    harness.set_connections(connections)
    error = refused(harness, emulator)
    assert "aep:connections holds a secure value" in error and "hunter2" not in error
