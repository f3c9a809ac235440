"""A whole pipeline's life through the real plugin and the emulator over HTTP, as `pulumi up` runs it: each
object created once, a no-change run with no call, each kind of change with exactly its calls, drift and
out-of-band deletes seen by refresh, and deletes that leave only what Data Prep cannot delete."""

from __future__ import annotations

import pytest
import requests

from tests.harness.plugin import PluginError
from tests.provider.conftest import POSTGRESQL_SPEC_ID, pg_registration
from tests.provider.lifecycle import api_calls
from tests.provider.pipeline.registrations import (
    CRM_TO_AEP,
    START,
    DATAFLOW,
    MAPPING,
    SOURCE,
    TARGET,
    dataflow,
    make_dataset,
    mapping,
    source,
    target,
)

FLOW_PATCH = "PATCH /flows/{id}"


def _pipeline(emulator, engine, **flow_extra):
    """Up the base connection and the four objects; their step results by type."""
    base = engine.up("pg", pg_registration())
    src = engine.up("orders", source(base.id, POSTGRESQL_SPEC_ID))
    tgt = engine.up("orders", target())
    mset = engine.up("orders", mapping(tgt.outputs["schema_id"]))
    flow = engine.up("orders", dataflow(src.id, tgt.id, mset.id, int(mset.outputs["version"]), **flow_extra))
    return {"base": base, SOURCE: src, TARGET: tgt, MAPPING: mset, DATAFLOW: flow}


def _again(engine, steps, **flow_extra):
    """The same registrations again (as a second `up` makes them), the flow with ``flow_extra``."""
    src, tgt, mset = steps[SOURCE], steps[TARGET], steps[MAPPING]
    return engine.up("orders", dataflow(src.id, tgt.id, mset.id, int(mset.outputs["version"]), **flow_extra))


def _flow(emulator, flow_id):
    response = requests.get(f"{emulator.url}/data/foundation/flowservice/flows/{flow_id}",
                            headers=emulator.headers("prod"), timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["items"][0]


def test_up_creates_each_object_once_and_a_second_up_calls_nothing(emulator, engine):
    dataset_id = make_dataset(emulator)
    emulator.clear_log()
    steps = _pipeline(emulator, engine)
    counts = api_calls(emulator)
    assert {k: v for k, v in counts.items() if not k.startswith("POST ims")} == {
        "POST /connections": 1, "POST /sourceConnections": 1, "POST /targetConnections": 1, "POST /flows": 1,
        "POST /data/foundation/conversion/mappingSets": 1,
        "GET /data/foundation/catalog/dataSets": 1,  # the dataset looked up by name
    }
    assert steps[TARGET].outputs["resolved_dataset_id"] == dataset_id
    live = _flow(emulator, steps[DATAFLOW].id)
    assert live["sourceConnectionIds"] == [steps[SOURCE].id] and live["targetConnectionIds"] == [steps[TARGET].id]
    assert live["scheduleParams"]["frequency"] == "hour" and live["state"] == "enabled"
    assert steps[DATAFLOW].outputs["etag"] == live["etag"]

    emulator.clear_log()
    for type_, reg in ((SOURCE, source(steps["base"].id, POSTGRESQL_SPEC_ID)), (TARGET, target()),
                       (MAPPING, mapping(steps[TARGET].outputs["schema_id"]))):
        assert engine.up("orders", reg).op == "same"
    assert _again(engine, steps).op == "same"
    assert api_calls(emulator) == {}


def test_schedule_name_enabled_and_mapping_changes_make_exactly_their_calls(emulator, engine):
    make_dataset(emulator)
    steps = _pipeline(emulator, engine)
    flow_id = steps[DATAFLOW].id

    emulator.clear_log()
    step = _again(engine, steps, schedule={"frequency": "day", "interval": 2, "startTime": 1798761600})
    assert step.op == "update" and step.id == flow_id
    assert api_calls(emulator) == {FLOW_PATCH: 1}
    assert _flow(emulator, flow_id)["scheduleParams"]["frequency"] == "day"

    emulator.clear_log()
    step = _again(engine, steps, name="Orders, hourly", schedule={"frequency": "day", "interval": 2,
                                                                    "startTime": 1798761600})
    assert step.op == "update" and api_calls(emulator) == {FLOW_PATCH: 1}

    emulator.clear_log()
    step = _again(engine, steps, name="Orders, hourly", enabled=False,
                  schedule={"frequency": "day", "interval": 2, "startTime": 1798761600})
    assert api_calls(emulator) == {"POST /flows/{id}/action": 1}
    assert _flow(emulator, flow_id)["state"] == "disabled" and step.outputs["state"] == "disabled"

    emulator.clear_log()
    new_map = engine.up("orders", mapping(steps[TARGET].outputs["schema_id"], {"order_id": "_acme.orderId"}))
    assert new_map.op == "update" and int(new_map.outputs["version"]) == 1
    steps[MAPPING] = new_map
    step = _again(engine, steps, name="Orders, hourly", enabled=False,
                  schedule={"frequency": "day", "interval": 2, "startTime": 1798761600})
    assert step.op == "update" and step.id == flow_id
    assert api_calls(emulator) == {"PUT /data/foundation/conversion/mappingSets/{id}": 1, FLOW_PATCH: 1}
    assert _flow(emulator, flow_id)["transformations"][0]["params"]["mappingVersion"] in (1, "1")


def test_new_table_is_a_new_source_connection_and_a_new_flow(emulator, engine):
    """Planned only: the engine runs the old flow's and source connection's deletes last (tests/e2e/test_pipeline.py
    runs it whole); this harness would delete the old source connection while the old flow still uses it."""
    make_dataset(emulator)
    steps = _pipeline(emulator, engine)
    emulator.clear_log()
    src = engine.up("orders", source(steps["base"].id, POSTGRESQL_SPEC_ID, table="public.orders_v2"), preview=True)
    assert src.op == "replace" and src.diff.replaces == ["params"]
    flow = engine.up("orders", dataflow("new-source-id", steps[TARGET].id, steps[MAPPING].id, 0), preview=True)
    assert flow.op == "replace" and flow.diff.replaces == ["source_connection_id"]
    assert api_calls(emulator) == {}


def test_refresh_shows_an_out_of_band_schedule_edit_and_a_delete(emulator, engine):
    make_dataset(emulator)
    steps = _pipeline(emulator, engine)
    flow_id = steps[DATAFLOW].id
    live = _flow(emulator, flow_id)
    edit = requests.patch(f"{emulator.url}/data/foundation/flowservice/flows/{flow_id}",
                          headers={**emulator.headers("prod"), "If-Match": live["etag"]},
                          json=[{"op": "replace", "path": "/scheduleParams/interval", "value": 6}], timeout=10)
    assert edit.status_code == 200, edit.text
    step = engine.refresh("orders", DATAFLOW)
    assert step.diff.changed and step.outputs["schedule"]["interval"] == 6

    requests.delete(f"{emulator.url}/data/foundation/flowservice/flows/{flow_id}", headers=emulator.headers("prod"),
                    timeout=10)
    assert engine.refresh("orders", DATAFLOW).op == "gone"


def test_deletes_leave_only_the_mapping_set(emulator, engine):
    make_dataset(emulator)
    _pipeline(emulator, engine)
    emulator.clear_log()
    for type_ in (DATAFLOW, SOURCE, TARGET, MAPPING):
        engine.destroy("orders", type_)
    assert api_calls(emulator) == {"DELETE /flows/{id}": 1, "DELETE /sourceConnections/{id}": 1,
                                   "DELETE /targetConnections/{id}": 1,
                                   "GET /flows": 2}  # before each connection's DELETE: does a flow still use it?


def test_a_connection_a_hand_made_flow_uses_is_never_deleted(emulator, engine):
    make_dataset(emulator)
    steps = _pipeline(emulator, engine)
    src, tgt, mset = steps[SOURCE], steps[TARGET], steps[MAPPING]
    theirs = requests.post(f"{emulator.url}/data/foundation/flowservice/flows", headers=emulator.headers("prod"),
                           json={"name": "Made in the UI", "flowSpec": {"id": CRM_TO_AEP, "version": "1.0"},
                                 "sourceConnectionIds": [src.id], "targetConnectionIds": [tgt.id],
                                 "transformations": [{"name": "Mapping", "params": {
                                     "mappingId": mset.id, "mappingVersion": 0}}],
                                 "scheduleParams": {"startTime": START, "frequency": "day", "interval": 1}},
                           timeout=10)
    assert theirs.status_code == 201, theirs.text
    engine.destroy("orders", DATAFLOW)
    emulator.clear_log()
    for type_ in (SOURCE, TARGET):
        with pytest.raises(PluginError, match="still used by 1 dataflow.*'Made in the UI'"):
            engine.destroy("orders", type_)
    assert api_calls(emulator) == {"GET /flows": 2}
