"""A connection in use is never deleted by accident, through the real plugin: Delete lists the source
connections on the connection (and the dataflows reading them), refuses naming each one, and sends no DELETE;
``force_delete=True``, recorded by an update that makes no API call, deletes it with one call."""

from __future__ import annotations

import pytest

from tests.harness.plugin import PluginError
from tests.provider.conftest import pg_registration
from tests.provider.lifecycle import api_calls
from tests.support.dataflows import Dataflows

FLOW = "/data/foundation/flowservice"


@pytest.fixture
def dataflows(emulator):
    made = Dataflows(emulator)
    yield made
    made.close()


def _refused(engine, name: str) -> str:
    with pytest.raises(PluginError) as refused:
        engine.destroy(name)
    assert refused.value.method == "Delete" and "ConnectionInUseError" in refused.value.details
    return refused.value.details


def test_a_connection_with_a_dataflow_is_not_deleted_and_the_error_names_everything(emulator, engine, dataflows):
    conn = engine.up("pg", pg_registration(sandbox="dev"))
    source_id, flow_id = dataflows.add(conn.id, "dev")
    emulator.clear_log()
    text = _refused(engine, "pg")
    assert api_calls(emulator) == {"GET /sourceConnections": 1, "GET /flows": 1}
    assert [r["path"] for r in emulator.requests()] == [f"{FLOW}/sourceConnections", f"{FLOW}/flows"]
    assert f"base connection 'pg-sales' ({conn.id}) in sandbox dev is still used by 1 source connection(s) and " \
           "1 dataflow(s)" in text
    assert f"source connection 'Orders table' ({source_id})" in text and f"dataflow 'Orders to AEP' ({flow_id})" in text
    assert "Nothing was deleted" in text and "repoint them" in text and "force_delete=True" in text
    assert [c["id"] for c in emulator.connections()] == [conn.id] and engine.urn("pg") in engine.state


def test_a_source_connection_alone_is_enough_to_refuse(emulator, engine, dataflows):
    conn = engine.up("pg", pg_registration())
    source_id = dataflows.source_connection(conn.id, "prod", "Spare table")
    emulator.clear_log()
    text = _refused(engine, "pg")
    assert api_calls(emulator) == {"GET /sourceConnections": 1, "GET /flows": 1}
    assert f"used by 1 source connection(s): source connection 'Spare table' ({source_id})." in text


def test_once_the_dataflow_and_source_connection_are_gone_the_delete_goes_through(emulator, engine, dataflows):
    conn = engine.up("pg", pg_registration())
    source_id, flow_id = dataflows.add(conn.id, "prod")
    _refused(engine, "pg")
    dataflows.delete("flows", flow_id, "prod")
    _refused(engine, "pg")  # the source connection still reads through it
    dataflows.delete("sourceConnections", source_id, "prod")
    emulator.clear_log()
    engine.destroy("pg")
    assert api_calls(emulator) == {"GET /sourceConnections": 1, "DELETE /connections/{id}": 1}
    assert emulator.connections() == []


def test_force_delete_is_recorded_without_a_call_then_deletes_with_one(emulator, engine, dataflows):
    conn = engine.up("pg", pg_registration())
    source_id = dataflows.source_connection(conn.id, "prod")  # no flow: Flow Service itself refuses that (1418)
    emulator.clear_log()
    step = engine.up("pg", pg_registration(force_delete=True))
    assert step.op == "update" and step.outputs["force_delete"] is True and api_calls(emulator) == {}
    assert engine.refresh("pg").outputs["force_delete"] is True
    emulator.clear_log()
    engine.destroy("pg")
    assert api_calls(emulator) == {"DELETE /connections/{id}": 1}
    assert emulator.connections() == []
    assert dataflows.session.get(  # left broken, as the user asked
        f"{emulator.flow_url}/sourceConnections/{source_id}", headers=emulator.headers("prod")).status_code == 200


def test_force_delete_cannot_lift_the_services_own_refusal_while_a_flow_reads_through_it(emulator, engine,
                                                                                         dataflows):
    conn = engine.up("pg", pg_registration(force_delete=True))
    _, flow_id = dataflows.add(conn.id, "prod")
    emulator.clear_log()
    with pytest.raises(PluginError, match="ConnectionInUseError.*FLOW-1418.*force_delete or not"):
        engine.destroy("pg")
    assert api_calls(emulator) == {"DELETE /connections/{id}": 1} and len(emulator.connections()) == 1


def test_the_delete_half_of_a_replacement_is_refused_after_the_new_connection_exists(emulator, engine, dataflows):
    old = engine.up("pg", pg_registration())
    dataflows.add(old.id, "prod")
    emulator.clear_log()
    with pytest.raises(PluginError, match="ConnectionInUseError"):
        engine.up("pg", pg_registration(sandbox="dev"))
    assert [(r["method"], r["template"]) for r in emulator.requests() if r["method"] != "GET"] == [
        ("POST", f"{FLOW}/connections")]
    assert sorted(c["sandbox"] for c in emulator.connections()) == ["dev", "prod"]


def test_every_dependent_is_named_across_flow_queries(emulator, engine, dataflows):
    conn = engine.up("pg", pg_registration())
    made = [dataflows.add(conn.id, "prod", f"Table {i:02d}") for i in range(12)]
    emulator.clear_log()
    text = _refused(engine, "pg")
    assert api_calls(emulator) == {"GET /sourceConnections": 1, "GET /flows": 2}  # ten source ids per query
    assert "12 source connection(s) and 12 dataflow(s)" in text
    for i, (source_id, flow_id) in enumerate(made):
        assert f"'Table {i:02d} table' ({source_id})" in text and f"'Table {i:02d} to AEP' ({flow_id})" in text


def test_listing_faults_are_retried_and_a_listing_that_keeps_failing_deletes_nothing(emulator, engine):
    engine.up("a", pg_registration(name="a"))
    engine.up("b", pg_registration(name="b"))
    emulator.set_faults(script=[{"method": "GET", "template": f"{FLOW}/sourceConnections", "fault": "503"},
                                {"method": "GET", "template": f"{FLOW}/sourceConnections", "fault": "drop"}])
    emulator.clear_log()
    engine.destroy("a")
    assert api_calls(emulator) == {"GET /sourceConnections": 3, "DELETE /connections/{id}": 1}
    emulator.set_faults(rates={"500": 1.0}, methods=["GET"])
    with pytest.raises(PluginError, match="listing the source connections of base connection"):
        engine.destroy("b")
    assert [c["name"] for c in emulator.connections()] == ["b"]
    assert not any(r["method"] == "DELETE" for r in emulator.requests()[4:])
