"""Crash-safe creates for the pipeline objects through the real plugin (provider/client/create_marker.py): source
and target connections and dataflows an unrecorded run created are taken over by the next run, never created
twice; a replacement or a forced one never takes over the object it replaces. Mapping sets have no description
to mark (Data Prep has no field for it), so an unrecorded one is created again: an unused version, never a second
flow."""

from __future__ import annotations

import pytest

from tests.harness.engine import Engine
from tests.harness.plugin import PluginProcess
from tests.provider.conftest import POSTGRESQL_SPEC_ID, pg_registration, stack_config
from tests.provider.lifecycle import api_calls
from tests.provider.pipeline.registrations import DATAFLOW, dataflow, make_dataset, mapping, source, target

KEYS = {"source": "0123456789.000000000001", "target": "0123456789.000000000002", "flow": "0123456789.000000000003"}


@pytest.fixture
def runs(emulator):
    started: list[PluginProcess] = []

    def run() -> Engine:  # one run: a plugin process of its own, and a state of its own
        process = PluginProcess()
        process.start()
        process.configure(stack_config(emulator), secret_keys={"aep:clientSecret"})
        started.append(process)
        return Engine(process)

    yield run
    for process in started:
        process.stop()


def _up_pipeline(engine, base_id, **flow_extra):
    src = engine.up("orders", source(base_id, POSTGRESQL_SPEC_ID, create_key=KEYS["source"]))
    tgt = engine.up("orders", target(create_key=KEYS["target"]))
    mset = engine.up("orders", mapping(tgt.outputs["schema_id"]))
    flow = engine.up("orders", dataflow(src.id, tgt.id, mset.id, int(mset.outputs["version"]),
                                        create_key=KEYS["flow"], **flow_extra))
    return src, tgt, mset, flow


def test_an_unrecorded_pipeline_is_taken_over_not_created_again(emulator, runs):
    make_dataset(emulator)
    first = runs()
    base = first.up("pg", pg_registration())
    src, tgt, _mset, flow = _up_pipeline(first, base.id, description="hourly")
    assert emulator.flows("prod")[0]["description"].startswith("hourly [pulumi:0123456789.")
    emulator.clear_log()

    second = runs()  # the first run's state of the four objects is lost, as after a kill before its checkpoint
    second.up("pg", pg_registration(adopt_id=base.id))
    again = _up_pipeline(second, base.id, description="hourly")
    assert [s.id for s in again if s is not again[2]] == [src.id, tgt.id, flow.id]
    calls = api_calls(emulator)
    assert "POST /sourceConnections" not in calls and "POST /targetConnections" not in calls
    assert "POST /flows" not in calls
    assert calls["GET /sourceConnections"] == calls["GET /targetConnections"] == calls["GET /flows"] == 1
    assert len(emulator.flows("prod")) == 1 and len(emulator.source_connections("prod")) == 1
    assert len(emulator.target_connections("prod")) == 1
    assert again[3].outputs["description"] == "hourly"


def test_a_replaced_flow_never_takes_over_the_one_it_replaces(emulator, runs):
    make_dataset(emulator)
    engine = runs()
    base = engine.up("pg", pg_registration())
    passed = {"frequency": "hour", "interval": 1, "startTime": 1704067200}
    src, tgt, mset, flow = _up_pipeline(engine, base.id, schedule=passed)
    engine.plugin = runs().plugin  # the next run: its listing holds the recorded flow, marker and all
    schedule = {**passed, "startTime": 1704153600}  # a start already passed cannot change: a new flow
    step = engine.up("orders", dataflow(src.id, tgt.id, mset.id, int(mset.outputs["version"]),
                                        create_key=KEYS["flow"], schedule=schedule))
    assert step.op == "replace" and step.id != flow.id
    assert [f["id"] for f in emulator.flows("prod")] == [step.id]


def test_a_forced_replacement_keeps_the_object_it_took_over(emulator, runs):
    """`pulumi up --replace` creates without asking Diff: the create takes the recorded object over (same marker)
    and the delete that follows leaves it alone, so the flow survives under the new resource."""
    make_dataset(emulator)
    engine = runs()
    base = engine.up("pg", pg_registration())
    src, tgt, mset, flow = _up_pipeline(engine, base.id)
    plugin = runs().plugin
    urn = engine.urn("orders", DATAFLOW)
    old = engine.state[urn]
    new_id, _outs = plugin.create(urn, old.inputs)
    plugin.delete(urn, old.id, old.outputs, old_inputs=old.inputs)
    assert new_id == flow.id and [f["id"] for f in emulator.flows("prod")] == [flow.id]


def test_a_killed_replacement_is_finished_by_the_next_run_with_one_flow(emulator, runs):
    """A flow replaced for its passed start time keeps its marker: a run killed after the new flow's POST leaves
    two flows with one marker. The next run skips the recorded one and takes over the new: one flow in the end."""
    make_dataset(emulator)
    engine = runs()
    base = engine.up("pg", pg_registration())
    passed = {"frequency": "hour", "interval": 1, "startTime": 1704067200}
    src, tgt, mset, flow = _up_pipeline(engine, base.id, schedule=passed)
    wanted = dataflow(src.id, tgt.id, mset.id, int(mset.outputs["version"]), create_key=KEYS["flow"],
                      schedule={**passed, "startTime": 1704153600})
    urn, old = engine.urn("orders", DATAFLOW), engine.state[engine.urn("orders", DATAFLOW)]
    killed = runs().plugin  # diffs, creates the new flow, and dies before recording or deleting anything
    checked, _ = killed.check(urn, old.inputs, {**wanted.inputs})
    assert killed.diff(urn, old.id, old.outputs, checked, old_inputs=old.inputs).replace
    orphan, _ = killed.create(urn, checked)
    assert {f["id"] for f in emulator.flows("prod")} == {flow.id, orphan}

    engine.plugin = runs().plugin
    emulator.clear_log()
    step = engine.up("orders", wanted)
    assert step.op == "replace" and step.id == orphan
    assert "POST /flows" not in api_calls(emulator)
    assert [f["id"] for f in emulator.flows("prod")] == [orphan]


def test_an_unrecorded_flow_only_a_new_one_could_match_is_deleted_and_made_again(emulator, runs):
    """The killed run's flow started at a time now passed, and the next run declares another start: only a new
    flow can have it. The orphan is deleted (it is this resource's, by its marker) and a new flow created."""
    make_dataset(emulator)
    engine = runs()
    base = engine.up("pg", pg_registration())
    src = engine.up("orders", source(base.id, POSTGRESQL_SPEC_ID, create_key=KEYS["source"]))
    tgt = engine.up("orders", target(create_key=KEYS["target"]))
    mset = engine.up("orders", mapping(tgt.outputs["schema_id"]))
    passed = {"frequency": "hour", "interval": 1, "startTime": 1704067200}
    declared = dict(source_id=src.id, target_id=tgt.id, mapping_id=mset.id, version=int(mset.outputs["version"]))
    urn = engine.urn("orders", DATAFLOW)
    killed = runs().plugin
    checked, _ = killed.check(urn, {}, dict(dataflow(**declared, create_key=KEYS["flow"], schedule=passed).inputs))
    orphan, _ = killed.create(urn, checked)

    engine.plugin = runs().plugin
    step = engine.up("orders", dataflow(**declared, create_key=KEYS["flow"],
                                        schedule={**passed, "startTime": 1704153600}))
    assert step.op == "create" and step.id != orphan
    assert [f["id"] for f in emulator.flows("prod")] == [step.id]
