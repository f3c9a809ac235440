"""The pipeline's edges through the real plugin and the emulator: a schedule that becomes `once` loses its
interval, a removed description never shows as drift, a flow declared disabled that cannot be disabled is not left
behind, lost replies of a flow PATCH and a mapping PUT, and adoptions that would change what only a new object can
(another dataset, a passed start time) refused by name."""

from __future__ import annotations

import time

import pytest

from tests.harness.plugin import PluginError
from tests.provider.conftest import POSTGRESQL_SPEC_ID, pg_registration
from tests.provider.lifecycle import api_calls
from tests.provider.pipeline.registrations import (
    DATAFLOW,
    START,
    dataflow,
    make_dataset,
    mapping,
    source,
    target,
)

FLOWS = "/data/foundation/flowservice/flows"


def _pipeline(emulator, engine, **flow_extra):
    make_dataset(emulator)
    base = engine.up("pg", pg_registration())
    src = engine.up("orders", source(base.id, POSTGRESQL_SPEC_ID))
    tgt = engine.up("orders", target())
    mset = engine.up("orders", mapping(tgt.outputs["schema_id"]))
    flow = dataflow(src.id, tgt.id, mset.id, 0, **flow_extra)
    return src, tgt, mset, engine.up("orders", flow), flow


def test_a_schedule_that_becomes_once_loses_its_interval(emulator, engine):
    src, tgt, mset, flow, _ = _pipeline(emulator, engine)
    emulator.clear_log()
    once = {"frequency": "once", "startTime": START}
    assert engine.up("orders", dataflow(src.id, tgt.id, mset.id, 0, schedule=once)).op == "update"
    assert api_calls(emulator) == {"PATCH /flows/{id}": 1}
    live = emulator.get_flow("prod", flow.id)["scheduleParams"]
    assert live["frequency"] == "once" and "interval" not in live
    assert not engine.refresh("orders", DATAFLOW).diff.changed


def test_a_removed_description_is_not_drift(emulator, engine):
    src, tgt, mset, flow, _ = _pipeline(emulator, engine, description="Hourly orders")
    engine.up("orders", dataflow(src.id, tgt.id, mset.id, 0))
    assert not engine.refresh("orders", DATAFLOW).diff.changed


def test_a_flow_that_cannot_be_disabled_is_deleted_again(emulator, engine):
    make_dataset(emulator)
    base = engine.up("pg", pg_registration())
    src = engine.up("orders", source(base.id, POSTGRESQL_SPEC_ID))
    tgt = engine.up("orders", target())
    mset = engine.up("orders", mapping(tgt.outputs["schema_id"]))
    emulator.set_faults(script=[{"method": "POST", "template": f"{FLOWS}/{{id}}/action", "fault": "503"}] * 8)
    with pytest.raises(PluginError, match="The new dataflow was deleted again and nothing was recorded"):
        engine.up("orders", dataflow(src.id, tgt.id, mset.id, 0, enabled=False))
    emulator.clear_faults()
    assert emulator.flows("prod") == []


@pytest.mark.parametrize("fault", ["drop", "commit_drop"])
def test_a_lost_flow_patch_and_mapping_put_are_settled_by_a_read(emulator, engine, fault):
    src, tgt, mset, flow, _ = _pipeline(emulator, engine)
    emulator.set_faults(script=[{"method": "PATCH", "template": f"{FLOWS}/{{id}}", "fault": fault}])
    step = engine.up("orders", dataflow(src.id, tgt.id, mset.id, 0, name="Orders, hourly"))
    assert step.op == "update" and emulator.get_flow("prod", flow.id)["name"] == "Orders, hourly"
    emulator.set_faults(script=[{"method": "PUT", "template": "/data/foundation/conversion/mappingSets/{id}",
                                 "fault": fault}])
    new = engine.up("orders", mapping(tgt.outputs["schema_id"], {"order_id": "_acme.orderId"}))
    assert int(new.outputs["version"]) == 1
    assert emulator.mapping_set("prod", mset.id)["version"] == 1  # the latest: no extra version was made


def test_adopting_through_a_flow_refuses_another_dataset_and_a_passed_start(emulator, engine):
    started = int(time.time()) - 3600
    src, tgt, mset, flow, reg = _pipeline(emulator, engine,
                                          schedule={"frequency": "hour", "interval": 1, "startTime": started})
    make_dataset(emulator, name="Customers")
    with pytest.raises(PluginError, match=r"dataset_name is '\(the dataset with id [0-9a-f]+\)', not 'Customers'"):
        engine.up("adopted", target(dataset_name="Customers", adopt_from_flow=flow.id))
    adopted = engine.up("adopted", target(adopt_from_flow=flow.id))
    assert adopted.id == tgt.id
    with pytest.raises(PluginError, match="only a new one could change it .schedule is"):
        engine.up("adopted", dataflow(src.id, tgt.id, mset.id, 0, adopt_id=flow.id,
                                      schedule={"frequency": "hour", "interval": 1, "startTime": started + 60}))
