"""__main__.py on the local stack, through the real plugin against the emulator, across runs:
up creates every declared connection; a rotated password is one PATCH; a removed entry is deleted; an
identical run makes no API call; destroy removes everything. API calls are counted from the emulator's log."""

from __future__ import annotations

import json

import pytest

from provider.sources.connection_string import parse_connection_string
from tests.harness.program import ProgramHarness

FLOW = "/data/foundation/flowservice"
IMS = "POST /ims/token/v3"


def flow_calls(emulator) -> dict[str, int]:
    """Flow Service calls in the log (IMS token requests left out: one per run, as each run is a new plugin)."""
    return {k: v for k, v in emulator.counts().items() if k != IMS}


@pytest.fixture
def harness(emulator) -> ProgramHarness:
    return ProgramHarness.for_emulator(emulator)


def test_up_creates_every_declared_connection(harness, emulator):
    run = harness.up().raise_for_error()
    declared = harness.connections()
    assert run.ops() == {"create": len(declared)} == {"create": 3}
    # one listing for connections an interrupted run made (provider/client/create_marker.py), then the creates
    assert flow_calls(emulator) == {f"GET {FLOW}/connections": 1, f"POST {FLOW}/connections": 3}
    stored = {c["name"]: c for c in emulator.connections()}
    assert set(stored) == {entry["name"] for entry in declared.values()}
    assert {c["sandboxName"] for c in stored.values()} == {"dev"}
    ids = run.exports["connection_ids"]
    assert ids == {key: stored[entry["name"]]["id"] for key, entry in declared.items()}
    orders = dict(parse_connection_string(stored["Orders database (PostgreSQL)"]["auth"]["params"]["connectionString"]))
    assert orders["Password"] == "local-orders-pw;{1}"  # decrypted from the stack file, quoted, intact
    assert orders["Server"] == "orders-db.internal" and orders["EncryptionMethod"] == "1"


def test_identical_second_run_makes_no_api_call(harness, emulator):
    harness.up().raise_for_error()
    emulator.clear_log()
    run = harness.up().raise_for_error()
    assert run.ops() == {"same": 3}
    assert emulator.counts() == {}


def test_rotating_a_password_is_exactly_one_patch(harness, emulator):
    harness.up().raise_for_error()
    before = {c["id"]: c for c in emulator.connections()}
    emulator.clear_log()
    harness.set_secret("aep:ordersDbPassword", "rotated;pw}2")
    run = harness.up().raise_for_error()
    assert run.ops() == {"same": 2, "update": 1}
    assert flow_calls(emulator) == {f"PATCH {FLOW}/connections/{{id}}": 1}
    after = {c["id"]: c for c in emulator.connections()}
    assert set(after) == set(before)  # updated in place, same ids
    (changed,) = [i for i in after if after[i]["auth"] != before[i]["auth"]]
    text = after[changed]["auth"]["params"]["connectionString"]
    assert dict(parse_connection_string(text))["Password"] == "rotated;pw}2"
    assert after[changed]["etag"] != before[changed]["etag"]


def test_removing_an_entry_deletes_its_connection_only(harness, emulator):
    first = harness.up().raise_for_error()
    removed_id = first.exports["connection_ids"]["events-bigquery"]
    emulator.clear_log()
    harness.remove_connection("events-bigquery")
    run = harness.up().raise_for_error()
    assert run.ops() == {"same": 2, "delete": 1}
    assert flow_calls(emulator) == {f"GET {FLOW}/sourceConnections": 1, f"DELETE {FLOW}/connections/{{id}}": 1}
    assert removed_id not in {c["id"] for c in emulator.connections()}
    assert set(run.exports["connection_ids"]) == {"orders-db", "marketing-bigquery"}


def test_preview_shows_the_plan_and_sends_nothing(harness, emulator):
    run = harness.preview().raise_for_error()
    assert run.ops() == {"create": 3}
    assert emulator.connections() == [] and flow_calls(emulator) == {}


def test_destroy_deletes_everything_and_leaves_no_state(harness, emulator):
    harness.up().raise_for_error()
    emulator.clear_log()
    run = harness.destroy().raise_for_error()
    assert run.ops() == {"delete": 3}
    assert flow_calls(emulator) == {f"GET {FLOW}/sourceConnections": 3, f"DELETE {FLOW}/connections/{{id}}": 3}
    assert emulator.connections() == [] and harness.state == {}


def test_secrets_stay_secret_in_inputs_and_checkpoint(harness):
    run = harness.up().raise_for_error()
    secrets = ["local-orders-pw;{1}", "local-gcp-client-secret", "local-refresh-token", "-----BEGIN PRIVATE KEY"]
    for base in run.base_connections():
        assert base.secret_paths[0] == "auth_params"
        readable = {k: v for k, v in base.inputs.items() if k not in ("auth_params", "__provider")}
        assert not any(s in json.dumps(readable) for s in secrets)
    assert not any(s in json.dumps(run.checkpoint) for s in secrets)
    assert not any(s in json.dumps(run.exports) for s in secrets)
    assert not any(s in run.stderr for s in secrets)


def test_a_failed_delete_keeps_the_connection_in_state_for_the_next_run(harness, emulator):
    harness.overrides["aep:maxRetryWait"] = "0.05"
    harness.up().raise_for_error()
    harness.remove_connection("events-bigquery")
    emulator.set_faults(rates={"500": 1.0}, methods=["DELETE"])
    failed = harness.up()
    assert "Delete failed" in failed.error and "500" in failed.error
    assert len(emulator.connections()) == 3 and len(harness.state) == 3
    emulator.clear_faults()
    run = harness.up().raise_for_error()
    assert run.ops() == {"same": 2, "delete": 1}
    assert len(emulator.connections()) == 2 and len(harness.state) == 2
