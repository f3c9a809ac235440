"""read (`pulumi refresh`, then Diff as the engine does) and changes made outside Pulumi: deletion seen, drift
reported and reverted by the next `up`, masked secrets kept from state, a stale etag that never overwrites someone
else's change, and adopted connections whose refresh Diff shows drift instead of failing."""

from __future__ import annotations

import pytest
import requests

from tests.harness.plugin import PluginError
from tests.provider.conftest import pg_registration
from tests.provider.test_base_connection_adopt import created_in_ui
from tests.provider.lifecycle import api_calls, assert_emulator_matches_state


def patch_outside_pulumi(emulator, ident: str, ops: list, sandbox: str = "prod") -> None:
    """A change made in the AEP UI / another tool, through the public API."""
    current = requests.get(f"{emulator.flow_url}/connections/{ident}", headers=emulator.headers(sandbox), timeout=10)
    response = requests.patch(f"{emulator.flow_url}/connections/{ident}", json=ops, timeout=10,
                              headers={**emulator.headers(sandbox), "If-Match": current.json()["items"][0]["etag"]})
    assert response.status_code == 200, response.text


def test_refresh_is_one_get_and_keeps_secrets_from_state(emulator, engine):
    created = engine.up("pg", pg_registration(password="kept-pw-9"))
    emulator.clear_log()
    step = engine.refresh("pg")
    assert step.op == "refresh" and step.id == created.id
    assert api_calls(emulator) == {"GET /connections/{id}": 1}
    # the API answers "***" for the connection string; state keeps the real one
    assert "Password=kept-pw-9" in step.outputs["auth_params"]["connectionString"]
    assert step.outputs["state"] == "enabled" and step.outputs["created_at"] > 0
    assert_emulator_matches_state(emulator, engine)
    assert engine.up("pg", pg_registration(password="kept-pw-9")).op == "same"


def test_deleted_outside_pulumi_is_gone_on_refresh_and_recreated_by_up(emulator, engine):
    created = engine.up("pg", pg_registration())
    requests.delete(f"{emulator.flow_url}/connections/{created.id}", headers=emulator.headers(), timeout=10)
    assert engine.refresh("pg").op == "gone"
    assert engine.state == {}
    again = engine.up("pg", pg_registration())
    assert again.op == "create" and again.id != created.id
    assert_emulator_matches_state(emulator, engine)


def test_drift_is_reported_and_the_next_up_puts_the_program_back(emulator, engine):
    created = engine.up("pg", pg_registration(name="pg-sales"))
    patch_outside_pulumi(emulator, created.id, [{"op": "replace", "path": "/name", "value": "renamed-in-ui"},
                                                {"op": "replace", "path": "/description", "value": "ui text"}])
    step = engine.refresh("pg")
    assert (step.outputs["name"], step.outputs["description"]) == ("renamed-in-ui", "ui text")
    state = engine.state[engine.urn("pg")]
    assert state.inputs["name"] == "renamed-in-ui"  # read returns inputs, so the next diff sees the drift
    fixed = engine.up("pg", pg_registration(name="pg-sales"))
    assert fixed.op == "update" and fixed.outputs["name"] == "pg-sales"
    assert emulator.connections()[0]["description"] == "PostgreSQL sales replica"
    assert_emulator_matches_state(emulator, engine)


def test_non_secret_param_drift_is_visible(emulator, engine):
    params = {"server": "db1", "port": 5432, "database": "sales", "username": "loader", "password": "pw"}
    created = engine.up("pg", pg_registration(auth_spec_name="Basic Authentication", auth_params=params))
    patch_outside_pulumi(emulator, created.id, [{"op": "replace", "path": "/auth/params/server", "value": "db2"}])
    outs = engine.refresh("pg").outputs
    assert outs["auth_params"]["server"] == "db2" and outs["auth_params"]["password"] == "pw"
    assert engine.up("pg", pg_registration(auth_spec_name="Basic Authentication", auth_params=params)).op == "update"
    assert emulator.connections()[0]["auth"]["params"]["server"] == "db1"


def test_stale_etag_never_overwrites_and_says_refresh(emulator, engine):
    created = engine.up("pg", pg_registration(name="pg-sales"))
    patch_outside_pulumi(emulator, created.id, [{"op": "replace", "path": "/name", "value": "ui-name"}])
    emulator.clear_log()
    with pytest.raises(PluginError) as info:
        engine.up("pg", pg_registration(name="pulumi-name"))
    details = info.value.details
    assert "StaleEtagError" in details and "changed outside Pulumi" in details
    assert "Run `pulumi refresh`" in details and "sandbox prod" in details
    assert api_calls(emulator) == {"PATCH /connections/{id}": 1, "GET /connections/{id}": 1}
    assert emulator.connections()[0]["name"] == "ui-name"  # nothing overwritten
    # the user follows the advice
    engine.refresh("pg")
    step = engine.up("pg", pg_registration(name="pulumi-name"))
    assert step.op == "update" and emulator.connections()[0]["name"] == "pulumi-name"
    assert_emulator_matches_state(emulator, engine)


def test_refresh_of_a_connection_in_another_sandbox_uses_that_sandbox(emulator, engine):
    engine.up("pg", pg_registration(sandbox="stage"))
    emulator.clear_log()
    engine.refresh("pg")
    assert [r["sandbox"] for r in emulator.requests()] == ["stage"]


def test_refresh_of_an_adopted_connection_shows_drift_without_error(emulator, engine):
    existing = created_in_ui(emulator)
    engine.up("pg", pg_registration(adopt_id=existing))
    assert engine.refresh("pg").diff.changes == "none"
    patch_outside_pulumi(emulator, existing, [{"op": "replace", "path": "/name", "value": "renamed-in-ui"}])
    step = engine.refresh("pg")
    assert step.diff.changes == "some" and step.diff.replaces == []
    assert engine.up("pg", pg_registration(adopt_id=existing)).op == "update"
    assert emulator.connections()[0]["name"] == "pg-sales"


def test_refresh_diff_of_an_adopted_connection_never_raises(emulator, engine):
    """The engine's refresh Diff compares what the API answers with what was recorded; an immutable field that
    reads back differently (here the spec version) is drift to show, not a replacement the user asked for."""
    existing = created_in_ui(emulator)
    engine.up("pg", pg_registration(adopt_id=existing))
    urn = engine.urn("pg")
    recorded = {**engine.state[urn].inputs, "connection_spec_version": "2.0"}
    live = engine.plugin.read(urn, existing, engine.state[urn].outputs)[1]
    outcome = engine.plugin.diff(urn, existing, live, recorded)
    assert outcome.replaces == ["connection_spec_version"]
    assert api_calls(emulator).get("DELETE /connections/{id}") is None and len(emulator.connections()) == 1
