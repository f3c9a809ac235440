"""The pipeline policies judge what the real program registers for an `aep:dataflows` entry.

The local stack plus one dataflow entry, previewed by tests/harness/program.py (pipeline objects through the real
dynamic-provider plugin; ids of objects not created yet are unknown, numbers arrive as doubles), then given to the
pack with `policy/config/local.json` and the pipeline rules scoped to `dev`, the sandbox the local stack writes to.
"""

from collections import Counter

import pytest

from tests.harness.analyzer import POLICY_DIR, PolicyPackServer, from_registered, load_policy_config
from tests.harness.program import ProgramHarness
from tests.support.emulator import EmulatorControl

DATAFLOW = "pulumi-python:dynamic/aep:Dataflow"
TARGET = "pulumi-python:dynamic/aep:TargetConnection"
PIPELINE_RULES_IN_DEV = {
    **load_policy_config(POLICY_DIR / "config" / "local.json"),
    "dataflow-min-interval": {"sandboxes": ["dev"]},
    "dataflow-backfill-in-prod": {"sandboxes": ["dev"]},
    "approved-datasets": {"datasets": ["Orders"]},
}


def entry(frequency: str, interval: int, dataset: str = "Orders", **schedule) -> dict:
    return {"connection": "orders-db", "source": {"table": "public.orders"}, "dataset": {"name": dataset},
            "mapping": {"order_id": "_acme.orderId", "total": "_acme.total"},
            "schedule": {"frequency": frequency, "interval": interval, "start": "2027-01-01T00:00:00Z", **schedule}}


@pytest.fixture(scope="module")
def harness(emulator_server):
    control = EmulatorControl.for_server(emulator_server)
    control.reset()
    yield ProgramHarness.for_emulator(control)
    control.reset()


def preview(harness: ProgramHarness, dataflows: dict):
    harness.overrides["aep:dataflows"] = dataflows
    run = harness.preview().raise_for_error()
    resources = from_registered(run.resources, stack=harness.stack, project=harness.config().project)
    config = harness.config()
    with PolicyPackServer(stack=harness.stack, project=config.project, stack_config=config.values,
                          secret_keys=sorted(config.secret_keys), policy_config=PIPELINE_RULES_IN_DEV) as pack:
        return resources, pack.preview(resources)


def test_a_quarter_hourly_flow_to_an_unapproved_dataset_is_refused(harness):
    resources, analysis = preview(harness, {"orders-quick": entry("minute", 15, dataset="Scratch", backfill=True)})
    assert Counter(r.type for r in resources)[DATAFLOW] == 1
    assert Counter((d.policy, d.level) for d in analysis.diagnostics) == {
        ("dataflow-min-interval", "mandatory"): 1, ("approved-datasets", "mandatory"): 1,
        ("dataflow-backfill-in-prod", "advisory"): 1}
    [interval] = analysis.by_policy("dataflow-min-interval")
    assert ("dataflow 'orders-quick' in sandbox 'dev' runs every 15 minutes (schedule frequency minute, interval 15)"
            in interval.message)
    [dataset] = analysis.by_policy("approved-datasets")
    assert "target connection 'orders-quick' writes to dataset name 'Scratch'" in dataset.message


def test_an_hourly_flow_to_an_approved_dataset_passes(harness):
    resources, analysis = preview(harness, {"orders-hourly": entry("hour", 1)})
    assert Counter(r.type for r in resources)[TARGET] == 1
    assert analysis.diagnostics == []
