"""dataflow-backfill-in-prod: a prod dataflow whose schedule sets backfill: true is reported; nothing else is."""

import pytest
from pulumi.runtime.rpc import UNKNOWN
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from policy.rules.dataflow_backfill_in_prod import applies, check, parse_settings
from policy.rules.model import StackContext
from tests.policy.sample_pipelines import dataflow, flow_view, schedule

DEFAULTS = parse_settings(None)


def test_prod_dataflow_with_backfill_is_reported_with_the_fix():
    [message] = check(flow_view(dataflow(schedule=schedule(backfill=True))), DEFAULTS)
    assert message.startswith("[dataflow-backfill-in-prod] dataflow 'orders-hourly' in sandbox 'prod' sets "
                              "backfill: true")
    assert "ingests everything already in the source" in message and "Fix:" in message


@pytest.mark.parametrize("backfill", [False, None, "true", 1])
def test_anything_but_true_passes(backfill):
    assert check(flow_view(dataflow(schedule=schedule(backfill=backfill))), DEFAULTS) == []


@pytest.mark.parametrize("value", [schedule(), "hourly", None])
def test_no_backfill_or_no_schedule_passes(value):
    assert check(flow_view(dataflow(schedule=value)), DEFAULTS) == []


def test_other_sandboxes_are_out_of_scope_unless_listed():
    dev = flow_view(dataflow(sandbox="dev", schedule=schedule(backfill=True)))
    assert applies(dev, DEFAULTS) is not None and check(dev, DEFAULTS) == []
    assert check(dev, parse_settings({"sandboxes": ["dev"]}))


def test_stack_sandbox_counts_too():
    dev_claim = flow_view(dataflow(sandbox="dev", schedule=schedule(backfill=True)))
    assert check(dev_claim, DEFAULTS, StackContext("prod"))
    assert check(dev_claim, DEFAULTS, StackContext("dev")) == []


def test_an_unknown_backfill_cannot_be_judged_yet():
    pending = flow_view(unknown_checking_proxy(dataflow(schedule=schedule(backfill=UNKNOWN))))
    with pytest.raises(UnknownValueError):
        check(pending, DEFAULTS)


def test_unknown_ids_do_not_stop_the_rule():
    pending = flow_view(unknown_checking_proxy(dataflow(source_connection_id=UNKNOWN, mapping_id=UNKNOWN,
                                                        schedule=schedule(backfill=True))))
    assert check(pending, DEFAULTS)
