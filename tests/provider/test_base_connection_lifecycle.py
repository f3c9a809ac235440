"""A resource's life through the real plugin, as `pulumi up` runs it: create, no-op, rename, credential
rotation, replacement on spec or sandbox change, delete — each with its exact API calls."""

from __future__ import annotations

import threading

import requests

from tests.harness.engine import Registration
from tests.provider.conftest import BIGQUERY_SPEC_ID, bigquery_registration, pg_registration
from tests.provider.lifecycle import api_calls, assert_emulator_matches_state


def test_create_records_inputs_and_api_fields(emulator, engine):
    reg = pg_registration()
    step = engine.up("pg", reg)
    assert step.op == "create" and step.id
    outs = step.outputs
    assert {k: outs[k] for k in ("name", "description", "sandbox", "connection_spec_id")} == {
        "name": "pg-sales", "description": "PostgreSQL sales replica", "sandbox": "prod",
        "connection_spec_id": reg.inputs["connection_spec_id"]}
    assert not {"verify", "force_delete", "connection_spec_version"} & set(outs)  # defaults: not recorded
    assert outs["etag"].startswith('"')
    assert api_calls(emulator) == {"POST ims": 1, "POST /connections": 1}
    assert_emulator_matches_state(emulator, engine)


def test_second_up_is_a_no_op(emulator, engine):
    engine.up("pg", pg_registration())
    emulator.clear_log()
    step = engine.up("pg", pg_registration())
    assert step.op == "same" and step.diff.changes == "none"
    assert api_calls(emulator) == {}


def test_preview_of_a_new_resource_calls_nothing(emulator, engine):
    step = engine.up("pg", pg_registration(), preview=True)
    assert step.op == "create" and step.preview
    assert emulator.request_log()["total"] == 0 and engine.state == {}


def test_rename_is_one_patch_with_if_match(emulator, engine):
    first = engine.up("pg", pg_registration())
    emulator.clear_log()
    assert engine.up("pg", pg_registration(), preview=True).op == "same"
    step = engine.up("pg", pg_registration(name="pg-sales-eu"))
    assert step.op == "update" and step.id == first.id
    assert step.outputs["name"] == "pg-sales-eu" and step.outputs["etag"] != first.outputs["etag"]
    assert api_calls(emulator) == {"PATCH /connections/{id}": 1}
    assert_emulator_matches_state(emulator, engine)


def test_password_rotation_updates_in_place(emulator, engine):
    first = engine.up("pg", pg_registration(password="old-pw-1"))
    emulator.clear_log()
    step = engine.up("pg", pg_registration(password="new-pw-2"))
    assert step.op == "update" and step.id == first.id
    assert "Password=new-pw-2" in step.outputs["auth_params"]["connectionString"]
    assert "Password=new-pw-2" in emulator.connections()[0]["auth"]["params"]["connectionString"]
    assert api_calls(emulator) == {"PATCH /connections/{id}": 1}
    assert_emulator_matches_state(emulator, engine)


def test_description_removed(emulator, engine):
    engine.up("pg", pg_registration())
    step = engine.up("pg", pg_registration(description=None))
    assert step.op == "update" and "description" not in step.outputs
    assert "description" not in emulator.connections()[0]
    assert_emulator_matches_state(emulator, engine)


def test_spec_change_replaces_new_first_then_deletes_old(emulator, engine):
    old = engine.up("conn", pg_registration(name="sales"))
    emulator.clear_log()
    assert engine.up("conn", bigquery_registration(name="sales"), preview=True).op == "replace"
    assert api_calls(emulator) == {}
    step = engine.up("conn", bigquery_registration(name="sales"))
    assert step.op == "replace" and step.id != old.id
    assert step.diff.replaces == ["connection_spec_id", "auth_spec_name"]
    writes = [(r["method"], r["status"]) for r in emulator.requests() if r["method"] in ("POST", "DELETE")
              and not r["template"].startswith("/ims")]
    assert writes == [("POST", 201), ("DELETE", 204)]  # create before delete
    assert [c["connectionSpec"]["id"] for c in emulator.connections()] == [BIGQUERY_SPEC_ID]
    assert_emulator_matches_state(emulator, engine)


def test_sandbox_change_moves_the_connection(emulator, engine):
    old = engine.up("pg", pg_registration(sandbox="prod"))
    step = engine.up("pg", pg_registration(sandbox="dev"))
    assert step.op == "replace" and step.diff.replaces == ["sandbox"]
    assert [(c["sandbox"], c["id"]) for c in emulator.connections()] == [("dev", step.id)]
    assert step.id != old.id
    assert_emulator_matches_state(emulator, engine)


def test_delete_then_delete_of_an_already_gone_connection(emulator, engine):
    engine.up("a", pg_registration(name="a"))
    engine.up("b", pg_registration(name="b"))
    emulator.clear_log()
    engine.destroy("a")
    assert api_calls(emulator) == {"GET /sourceConnections": 1, "DELETE /connections/{id}": 1}
    # b is removed outside Pulumi; destroy still succeeds (404 counts as deleted)
    b = engine.state[engine.urn("b")].id
    gone = requests.delete(f"{emulator.flow_url}/connections/{b}", headers=emulator.headers("prod"), timeout=10)
    assert gone.status_code == 204
    emulator.clear_log()
    engine.destroy("b")
    assert [r["status"] for r in emulator.requests() if r["method"] == "DELETE"] == [404]
    assert emulator.connections() == [] and engine.state == {}


def test_one_token_for_many_resources_in_one_plugin_process(emulator, engine):
    for i in range(4):
        engine.up(f"pg{i}", pg_registration(name=f"pg{i}"))
    engine.up("pg0", pg_registration(name="pg0-renamed"))
    engine.refresh("pg1")
    engine.destroy_all()
    calls = api_calls(emulator)
    assert calls["POST ims"] == 1
    assert calls == {"POST ims": 1, "POST /connections": 4, "PATCH /connections/{id}": 1,
                     "GET /connections/{id}": 1, "GET /sourceConnections": 4, "DELETE /connections/{id}": 4}


def test_registration_type_and_secret_bookkeeping(engine):
    reg: Registration = pg_registration()
    engine.up("pg", reg)
    state = engine.state[engine.urn("pg")]
    assert state.type == "pulumi-python:dynamic/aep:BaseConnection"
    assert "auth_params" in state.secret_outputs and "__provider" not in state.secret_outputs
    assert "auth_params" in state.secret_inputs and "name" not in state.secret_outputs


def test_concurrent_calls_in_the_plugin_share_one_token(emulator, plugin):
    """The plugin serves four calls at once (its gRPC thread pool); they still ask IMS once."""
    registrations = {f"pg{i}": pg_registration(name=f"pg{i}") for i in range(4)}
    checked = {n: plugin.check(f"urn:pulumi:dev::p::t::{n}", {}, r.inputs)[0] for n, r in registrations.items()}
    barrier = threading.Barrier(4)
    results: dict[str, str] = {}

    def create(name: str) -> None:
        barrier.wait(timeout=10)
        results[name] = plugin.create(f"urn:pulumi:dev::p::t::{name}", checked[name])[0]

    threads = [threading.Thread(target=create, args=(n,)) for n in checked]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(results) == sorted(checked)
    assert api_calls(emulator) == {"POST ims": 1, "POST /connections": 4}
    assert sorted(c["id"] for c in emulator.connections()) == sorted(results.values())


def test_token_revoked_mid_run_is_renewed_once(emulator, engine):
    engine.up("pg", pg_registration())
    emulator.expire_tokens()
    emulator.clear_log()
    assert engine.up("pg", pg_registration(name="renamed")).op == "update"
    calls = [(r["method"], r["status"]) for r in emulator.requests()]
    assert calls == [("PATCH", 401), ("POST", 200), ("PATCH", 200)]
    assert_emulator_matches_state(emulator, engine)
