"""The pipeline policies through the running pack (Analyze over gRPC), with dataflows and target connections
shaped as the engine sends them: inputs after Check, ids of not-yet-created objects unknown in a preview."""

import pytest
from pulumi.runtime.rpc import UNKNOWN

from tests.harness.analyzer import POLICY_DIR, PolicyPackServer, load_policy_config
from tests.policy.sample_pipelines import dataflow, flow_resource, schedule, target, target_resource

PROD_CONFIG = load_policy_config(POLICY_DIR / "config" / "prod.json")
PENDING_IDS = {"source_connection_id": UNKNOWN, "target_connection_id": UNKNOWN, "mapping_id": UNKNOWN,
               "mapping_version": UNKNOWN}


@pytest.fixture(scope="module")
def prod():
    with PolicyPackServer(stack="prod", policy_config={"approved-datasets": {"datasets": ["Orders"]}}) as pack:
        yield pack


@pytest.fixture(scope="module")
def dev():
    with PolicyPackServer(stack="dev", stack_config={"aep:sandbox": "dev"},
                          policy_config={"approved-datasets": {"datasets": ["Orders"]}}) as pack:
        yield pack


def test_a_good_prod_pipeline_has_no_violations(prod):
    resources = [flow_resource(dataflow(**PENDING_IDS)), target_resource(target())]
    assert prod.preview(resources).diagnostics == []


def test_a_quarter_hourly_prod_dataflow_is_mandatory_even_while_its_ids_are_unknown(prod):
    bad = flow_resource(dataflow(schedule=schedule("minute", 15), **PENDING_IDS))
    [diagnostic] = prod.analyze(bad).diagnostics
    assert (diagnostic.policy, diagnostic.level) == ("dataflow-min-interval", "mandatory")
    assert "dataflow 'orders-hourly' in sandbox 'prod' runs every 15 minutes" in diagnostic.message
    assert "Fix: schedule it less often, e.g. frequency: hour, interval: 1" in diagnostic.message


def test_the_same_dataflow_passes_in_dev(dev):
    quick = flow_resource(dataflow(sandbox="dev", schedule=schedule("minute", 15, backfill=True)), stack="dev")
    analysis = dev.analyze(quick)
    assert analysis.diagnostics == []
    assert analysis.not_applicable["dataflow-min-interval"] == "sandbox is not one of ['prod']"


def test_an_unknown_schedule_gives_an_advisory_note_not_a_verdict(prod):
    pending = flow_resource(dataflow(schedule=UNKNOWN, **PENDING_IDS))
    diagnostics = prod.analyze(pending).diagnostics
    assert {d.policy for d in diagnostics} == {"dataflow-min-interval", "dataflow-backfill-in-prod"}
    assert {d.level for d in diagnostics} == {"advisory"}
    assert all("can't run policy" in d.message and "during preview" in d.message for d in diagnostics)


def test_an_unknown_sandbox_in_the_prod_stack_is_still_judged(prod):
    pending = flow_resource(dataflow(sandbox=UNKNOWN, schedule=schedule("minute", 30)))
    [diagnostic] = prod.analyze(pending).diagnostics
    assert diagnostic.level == "mandatory" and "in sandbox 'prod' runs every 30 minutes" in diagnostic.message


def test_an_unapproved_dataset_is_mandatory_and_named(prod):
    [diagnostic] = prod.analyze(target_resource(target(dataset_name="Scratch"))).diagnostics
    assert (diagnostic.policy, diagnostic.level) == ("approved-datasets", "mandatory")
    assert "target connection 'orders-hourly' writes to dataset name 'Scratch'" in diagnostic.message


def test_an_unapproved_dataset_is_refused_in_any_stack_the_list_is_given_to(dev):
    [diagnostic] = dev.analyze(target_resource(target(sandbox="dev", dataset_name="Scratch"), stack="dev")).diagnostics
    assert diagnostic.policy == "approved-datasets"


def test_an_unknown_dataset_id_gives_an_advisory_note(prod):
    [diagnostic] = prod.analyze(target_resource(target(dataset_name=None, dataset_id=UNKNOWN))).diagnostics
    assert (diagnostic.policy, diagnostic.level) == ("approved-datasets", "advisory")
    assert "during preview" in diagnostic.message


def test_without_a_list_every_dataset_is_approved():
    with PolicyPackServer(stack="prod") as pack:
        analysis = pack.analyze(target_resource(target(dataset_name="Scratch")))
    assert analysis.diagnostics == []
    assert analysis.not_applicable["approved-datasets"].startswith("no approved datasets configured")


def test_backfill_in_prod_is_advisory(prod):
    [diagnostic] = prod.analyze(flow_resource(dataflow(schedule=schedule(backfill=True)))).diagnostics
    assert (diagnostic.policy, diagnostic.level) == ("dataflow-backfill-in-prod", "advisory")


def test_the_prod_config_file_makes_the_interval_mandatory_and_approves_any_dataset():
    with PolicyPackServer(stack="prod", policy_config=PROD_CONFIG) as pack:
        assert pack.config["dataflow-min-interval"] == ("mandatory", {"sandboxes": ["prod"], "minimumMinutes": 60})
        assert pack.config["approved-datasets"] == ("mandatory", {"datasets": []})
        quick = flow_resource(dataflow(schedule=schedule("minute", 45, backfill=True)))
        levels = {d.policy: d.level for d in pack.analyze(quick).diagnostics}
        assert levels == {"dataflow-min-interval": "mandatory", "dataflow-backfill-in-prod": "advisory"}
        assert pack.analyze(target_resource(target(dataset_name="Scratch"))).diagnostics == []


def test_levels_and_minimum_are_overridable():
    config = {"dataflow-min-interval": {"enforcementLevel": "advisory", "minimumMinutes": 15}}
    with PolicyPackServer(stack="prod", policy_config=config) as pack:
        assert pack.analyze(flow_resource(dataflow(schedule=schedule("minute", 15)))).diagnostics == []
        [diagnostic] = pack.analyze(flow_resource(dataflow(schedule=schedule("minute", 10)))).diagnostics
    assert diagnostic.level == "advisory" and "at most once every 15 minutes" in diagnostic.message
