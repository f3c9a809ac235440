"""The `aep:connections` config: mistakes are refused with the fix, before any resource is declared; every
problem of the stack at once, one line each, under its config path, control characters escaped."""

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
    assert emulator.connections() == [] and emulator.request_log()["total"] == 0
    return run.error


def problems(error: str) -> list[str]:
    """The problem lines of a refusal, checked against its "stack config has N problem(s):" header."""
    header, *lines = error.splitlines()
    count = len(lines)
    assert header == f"ProgramConfigError: stack config has {count} problem{'' if count == 1 else 's'}:", error
    assert all(line.startswith("  ") for line in lines) and len(set(lines)) == count
    return [line.strip() for line in lines]


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
    assert problems(error) == [
        "aep:connections.orders-db.params.password: password is a secret argument; move it from params to secrets "
        "(secrets: {password: <configKey>}) and set that key with `pulumi config set --secret`"]
    assert "hunter2" not in error


def test_a_secret_stored_in_plain_text_is_refused(harness, emulator):
    harness.overrides["aep:ordersDbPassword"] = "hunter2-plain"
    error = refused(harness, emulator)
    assert "aep:ordersDbPassword (secret argument 'password' of aep:connections.orders-db) is stored in plain text" in (
        error)
    assert "pulumi config set --secret aep:ordersDbPassword" in error and "hunter2" not in error


def test_a_missing_secret_names_the_config_command_and_the_env_variable(harness, emulator):
    harness.unset("aep:ordersDbPassword")
    error = refused(harness, emulator)
    assert "aep:ordersDbPassword is not set (secret argument 'password' of aep:connections.orders-db)" in error
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
    assert problems(error) == ["aep:connections.orders-db.params.hostname: PostgreSqlConnection has no argument "
                               "'hostname'; did you mean host? it takes host, port, database, username, password, "
                               "ssl_mode, connection_string"]


def test_invalid_value_in_a_later_entry_stops_every_entry(harness, emulator):
    connections = harness.connections()
    connections["events-bigquery"]["params"]["project_id"] = ""
    harness.set_connections(connections)
    assert "GoogleBigQueryServiceAccountConnection('events-bigquery'): argument 'project_id' is invalid" in (
        refused(harness, emulator))


@pytest.mark.parametrize(("change", "message"), [
    ({"sorce": "postgresql"}, "aep:connections.orders-db.sorce: unknown field; an entry takes source, auth, name"),
    ({"secrets": {"password": 42}}, "aep:connections.orders-db.secrets.password: Input should be a valid string"),
    ({"auth": "Password Auth"},
     "aep:connections.orders-db.auth: source 'postgresql' has no auth method 'Password Auth'"),
    ({"adopt_id": ""}, "aep:connections.orders-db.adopt_id: String should have at least 1 character"),
    ({"force_delete": "maybe"}, "aep:connections.orders-db.force_delete: Input should be a valid boolean"),
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
    assert run.resources == [] and run.exports == {"connection_ids": {}, "service_params": {}}


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
    inputs = {b.plain_inputs()["name"]: b.plain_inputs().get("force_delete") for b in run.base_connections()}
    assert inputs["Orders database (PostgreSQL)"] is True
    assert list(inputs.values()).count(None) == 2  # the default (False) is not recorded


def test_a_secure_value_inside_aep_connections_is_refused_without_echoing_it(harness, emulator):
    connections = harness.connections()
    crypter = PassphraseCrypter("local", load_stack_file("local")["encryptionsalt"])
    connections["orders-db"]["secrets"]["password"] = {"secure": crypter.encrypt("hunter2-nested")}
    harness.set_connections(connections)
    error = refused(harness, emulator)
    assert "aep:connections holds a secure value" in error and "hunter2" not in error


def test_every_problem_of_the_stack_is_reported_at_once_under_its_path(harness, emulator):
    connections = harness.connections()
    connections["orders-db"]["params"]["port"] = 70000
    connections["marketing-bigquery"]["source"] = "bigquery"
    connections["events-bigquery"]["name"] = "Events\nexport"
    harness.set_connections(connections)
    harness.overrides["aep:ordersDbPassword"] = "hunter2-plain"
    harness.overrides["aep:imsEndpoint"] = "http://ims.example/ims/token/v3"
    harness.overrides["aep:clientSecret"] = emulator.client_secret
    found = problems(refused(harness, emulator))
    assert [line.split(" ")[0] for line in found] == [
        "aep:clientSecret", "aep:imsEndpoint:", "aep:connections.orders-db.params.port:",
        "aep:connections.marketing-bigquery.source:", "aep:connections.events-bigquery.name:", "aep:ordersDbPassword",
    ]
    assert "PostgreSqlConnection('orders-db'): argument 'port' is invalid" in found[2] and "pass port=" in found[2]
    assert "unknown source 'bigquery'; did you mean google-bigquery?" in found[3]
    assert "hunter2" not in "\n".join(found) and emulator.client_secret not in "\n".join(found)


def test_a_line_break_in_a_display_name_is_shown_escaped_under_the_name_key(harness, emulator):
    edit(harness, "orders-db", name="Orders\ndatabase\u2028x")
    (line,) = problems(refused(harness, emulator))
    assert line.startswith("aep:connections.orders-db.name: PostgreSqlConnection('orders-db'): argument 'name' is "
                           "invalid (must not contain control characters such as line breaks (found U+000A)")
    assert line.endswith('(got "Orders\\ndatabase\\u2028x")')


def test_a_control_character_in_an_entry_key_is_shown_escaped(harness, emulator):
    connections = harness.connections()
    connections["orders\ndb"] = connections.pop("orders-db")
    harness.set_connections(connections)
    (line,) = problems(refused(harness, emulator))
    assert line == ("aep:connections key 'orders\\ndb' must be lowercase letters, digits and '-' "
                    "(it is the resource name)")


def test_a_secret_argument_without_a_secrets_entry_says_how_to_add_one(harness, emulator):
    edit(harness, "orders-db", secrets={})
    assert problems(refused(harness, emulator)) == [
        "aep:connections.orders-db: secret argument 'password' is not set: add `secrets: {password: <configKey>}` "
        "to the entry and run `pulumi config set --secret aep:<configKey> <value>`"]


def test_a_missing_plain_argument_names_its_params_key(harness, emulator):
    connections = harness.connections()
    del connections["orders-db"]["params"]["database"]
    harness.set_connections(connections)
    assert problems(refused(harness, emulator)) == [
        "aep:connections.orders-db.params.database: argument 'database' is not set: add `database: <the database "
        "to read>` to params"]


def test_a_plain_text_key_shared_by_two_entries_is_reported_once(harness, emulator):
    connections = harness.connections()
    connections["orders-db"]["secrets"]["password"] = "sharedKey"
    connections["marketing-bigquery"]["secrets"]["client_secret"] = "sharedKey"
    harness.set_connections(connections)
    harness.overrides["aep:sharedKey"] = "shared-plain-9d"
    assert problems(refused(harness, emulator)) == [
        "aep:sharedKey (secret argument 'password' of aep:connections.orders-db, secret argument 'client_secret' of "
        "aep:connections.marketing-bigquery) is stored in plain text; run `pulumi config set --secret aep:sharedKey "
        "<value>`"]


def test_a_bad_scalar_field_does_not_hide_the_other_problems_of_its_entry(harness, emulator):
    connections = harness.connections()
    connections["orders-db"]["verify"] = "sometimes"
    connections["orders-db"]["params"]["port"] = 0
    harness.set_connections(connections)
    found = problems(refused(harness, emulator))
    paths = [line.split(": ")[0] for line in found]
    assert paths == ["aep:connections.orders-db.verify", "aep:connections.orders-db.params.port"]
