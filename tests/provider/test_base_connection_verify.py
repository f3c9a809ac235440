"""verify=True: GET /connections/{id}/test after create/update. A false result fails the step with a message
naming the connection and sandbox (never a secret) and leaves AEP and state consistent."""

from __future__ import annotations

import pytest

from tests.harness.plugin import PluginError
from tests.provider.conftest import bigquery_registration, pg_connection_string, pg_registration
from tests.provider.lifecycle import api_calls, assert_emulator_matches_state

UNREACHABLE = {"connectionString": pg_connection_string("Verify-PW-31", host="127.0.0.1", port=9)}


def test_verified_create_calls_the_test_endpoint_once(emulator, engine):
    step = engine.up("bq", bigquery_registration(verify=True))
    assert step.op == "create"
    assert api_calls(emulator) == {"POST ims": 1, "POST /connections": 1, "GET /connections/{id}/test": 1}
    assert_emulator_matches_state(emulator, engine)


def test_failed_create_deletes_the_new_connection_and_records_nothing(emulator, engine):
    with pytest.raises(PluginError) as info:
        engine.up("pg", pg_registration(name="pg-unreachable", auth_params=UNREACHABLE, verify=True))
    details = info.value.details
    assert "VerificationError: connection test failed for base connection 'pg-unreachable'" in details
    assert "in sandbox prod" in details and "deleted again and nothing was recorded" in details
    assert "Verify-PW-31" not in details and "Verify-PW-31" not in engine.plugin.stderr()
    assert emulator.connections() == [] and engine.state == {}
    assert api_calls(emulator)["DELETE /connections/{id}"] == 1


def test_failed_update_restores_the_previous_settings(emulator, engine):
    good = {"connectionString": pg_connection_string("old-pw", host="127.0.0.1", port=9)}
    created = engine.up("pg", pg_registration(auth_params=good))
    emulator.clear_log()
    with pytest.raises(PluginError) as info:
        engine.up("pg", pg_registration(auth_params=UNREACHABLE, verify=True))
    assert "The previous settings were restored" in info.value.details
    assert "run `pulumi refresh`" in info.value.details and "Verify-PW-31" not in info.value.details
    stored = emulator.connections()[0]
    assert stored["id"] == created.id and "Password=old-pw" in stored["auth"]["params"]["connectionString"]
    assert api_calls(emulator) == {"PATCH /connections/{id}": 2, "GET /connections/{id}/test": 1}
    # state still holds the old values; after the advised refresh it matches AEP exactly
    assert engine.state[engine.urn("pg")].outputs["auth_params"] == good
    engine.refresh("pg")
    assert_emulator_matches_state(emulator, engine)


def test_turning_verify_on_tests_without_writing(emulator, engine):
    engine.up("bq", bigquery_registration())
    emulator.clear_log()
    step = engine.up("bq", bigquery_registration(verify=True))
    assert step.op == "update"
    assert api_calls(emulator) == {"GET /connections/{id}/test": 1}
    assert_emulator_matches_state(emulator, engine)


def test_verify_failure_with_nothing_changed_writes_nothing(emulator, engine):
    engine.up("pg", pg_registration(auth_params=UNREACHABLE))
    emulator.clear_log()
    with pytest.raises(PluginError, match="connection test failed"):
        engine.up("pg", pg_registration(auth_params=UNREACHABLE, verify=True))
    assert api_calls(emulator) == {"GET /connections/{id}/test": 1}
    assert_emulator_matches_state(emulator, engine)


def test_restoring_after_a_failed_test_removes_a_param_the_update_added(emulator, engine):
    basic = {"server": "127.0.0.1", "port": 9, "database": "sales", "username": "u", "password": "Verify-PW-32"}
    engine.up("pg", pg_registration(auth_spec_name="Basic Authentication", auth_params=basic))
    emulator.clear_log()
    with pytest.raises(PluginError) as info:
        engine.up("pg", pg_registration(auth_spec_name="Basic Authentication", verify=True,
                                        auth_params={**basic, "sslMode": "require"}))
    assert "The previous settings were restored" in info.value.details
    assert "sslMode" not in emulator.connections()[0]["auth"]["params"]
    assert api_calls(emulator) == {"PATCH /connections/{id}": 2, "GET /connections/{id}/test": 1}
