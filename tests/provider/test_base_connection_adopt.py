"""adopt_id: take over a connection made elsewhere (our answer to `pulumi import`, which dynamic resources lack,
pulumi#16175): one GET, then a PATCH only if the visible values differ."""

from __future__ import annotations

import pytest
import requests

from tests.harness.engine import CheckFailed
from tests.harness.plugin import PluginError
from tests.provider.conftest import (
    BIGQUERY_SPEC_ID,
    PG_CONNECTION_STRING_AUTH,
    POSTGRESQL_SPEC_ID,
    pg_connection_string,
    pg_registration,
)
from tests.provider.lifecycle import api_calls, assert_emulator_matches_state


def created_in_ui(emulator, name="pg-sales", description="PostgreSQL sales replica", sandbox="prod") -> str:
    body = {"name": name, "description": description,
            "auth": {"specName": PG_CONNECTION_STRING_AUTH, "params": {"connectionString": pg_connection_string()}},
            "connectionSpec": {"id": POSTGRESQL_SPEC_ID, "version": "1.0"}}
    response = requests.post(f"{emulator.flow_url}/connections", json=body, headers=emulator.headers(sandbox),
                             timeout=10)
    assert response.status_code == 201
    return response.json()["id"]


def test_adopt_with_matching_values_is_one_get(emulator, engine):
    existing = created_in_ui(emulator)
    emulator.clear_log()
    step = engine.up("pg", pg_registration(adopt_id=existing))
    assert step.op == "create" and step.id == existing
    assert api_calls(emulator) == {"POST ims": 1, "GET /connections/{id}": 1}
    assert step.outputs["adopt_id"] == existing and step.outputs["state"] == "enabled"
    assert_emulator_matches_state(emulator, engine)
    emulator.clear_log()
    assert engine.up("pg", pg_registration(adopt_id=existing)).op == "same"
    assert api_calls(emulator) == {}


def test_adopt_with_different_values_patches_them(emulator, engine):
    existing = created_in_ui(emulator, name="legacy name", description="old")
    emulator.clear_log()
    step = engine.up("pg", pg_registration(adopt_id=existing, password="pulumi-pw"))
    assert step.id == existing
    assert api_calls(emulator) == {"POST ims": 1, "GET /connections/{id}": 1, "PATCH /connections/{id}": 1}
    stored = emulator.connections()[0]
    assert stored["name"] == "pg-sales" and stored["description"] == "PostgreSQL sales replica"
    assert "Password=pulumi-pw" in stored["auth"]["params"]["connectionString"]
    assert_emulator_matches_state(emulator, engine)


def test_adopted_connection_is_then_managed_normally(emulator, engine):
    existing = created_in_ui(emulator)
    engine.up("pg", pg_registration(adopt_id=existing))
    assert engine.up("pg", pg_registration(adopt_id=existing, name="renamed")).op == "update"
    engine.destroy("pg")
    assert emulator.connections() == []


def test_adopt_of_a_missing_id_names_id_and_sandbox(emulator, engine):
    with pytest.raises(PluginError) as info:
        engine.up("pg", pg_registration(adopt_id="does-not-exist", sandbox="dev"))
    assert "adopt_id does-not-exist: no base connection with that id in sandbox dev" in info.value.details
    assert engine.state == {} and emulator.connections() == []


def test_adopt_of_another_spec_is_refused(emulator, engine):
    existing = created_in_ui(emulator)
    reg = pg_registration(adopt_id=existing, connection_spec_id=BIGQUERY_SPEC_ID, auth_spec_name="Basic Authentication",
                          auth_params={"project": "p", "clientId": "c", "clientSecret": "s", "refreshToken": "r"})
    with pytest.raises(PluginError) as info:
        engine.up("pg", reg)
    assert "adopt it with matching connection_spec_id and auth_spec_name" in info.value.details
    assert emulator.connections()[0]["connectionSpec"]["id"] == POSTGRESQL_SPEC_ID


def test_replacing_an_adopted_connection_requires_dropping_adopt_id(emulator, engine):
    """Otherwise the replacement would adopt the same connection and the engine would delete it afterwards."""
    existing = created_in_ui(emulator)
    engine.up("pg", pg_registration(adopt_id=existing))
    with pytest.raises(CheckFailed) as info:
        engine.up("pg", pg_registration(adopt_id=existing, sandbox="dev"), preview=True)
    [(prop, reason)] = info.value.failures
    assert prop == "adopt_id" and "remove adopt_id" in reason and existing in reason
    assert [c["id"] for c in emulator.connections()] == [existing]
    step = engine.up("pg", pg_registration(sandbox="dev"))
    assert step.op == "replace" and step.id != existing
    assert [(c["sandbox"], c["id"]) for c in emulator.connections()] == [("dev", step.id)]
