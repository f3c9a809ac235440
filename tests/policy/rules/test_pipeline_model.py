"""The pipeline views the rules read: lazy fields, secrets unwrapped, unknowns, and which sandbox is in scope."""

import pytest
from pulumi.runtime.rpc import UNKNOWN
from pulumi_policy import Secret
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from policy.rules.model import StackContext
from policy.rules.pipeline_model import Dataflow, TargetConnection, out_of_scope, scoped_sandbox
from tests.policy.sample_pipelines import dataflow, flow_view, schedule, target, target_view


def test_fields_read_registered_inputs():
    flow = flow_view(dataflow(schedule=schedule("minute", 30, backfill=True)))
    assert flow.label == "dataflow 'orders-hourly'" and flow.sandbox == "prod"
    assert flow.schedule_field("frequency") == "minute" and flow.schedule_field("interval") == 30
    assert flow.schedule_field("backfill") is True and flow.schedule_field("missing") is None
    tc = target_view(target(dataset_name=Secret("Orders")))
    assert (tc.label, tc.dataset_name, tc.dataset_id) == ("target connection 'orders-hourly'", "Orders", None)


def test_missing_or_malformed_fields_read_as_none():
    assert flow_view({}).schedule is None and flow_view({}).schedule_field("frequency") is None
    assert flow_view(dataflow(schedule="hourly")).schedule_field("frequency") is None
    assert (target_view({}).dataset_name, target_view({}).sandbox) == (None, None)


def test_type_names():
    assert (Dataflow.type_name(), TargetConnection.type_name()) == ("aep:Dataflow", "aep:TargetConnection")


def test_an_unknown_field_stops_only_whoever_reads_it():
    flow = flow_view(unknown_checking_proxy(dataflow(source_connection_id=UNKNOWN,
                                                     schedule=schedule(interval=UNKNOWN))))
    assert flow.schedule_field("frequency") == "hour"
    with pytest.raises(UnknownValueError):
        flow.schedule_field("interval")
    with pytest.raises(UnknownValueError):
        flow_view(unknown_checking_proxy(dataflow(schedule=UNKNOWN))).schedule_field("frequency")


@pytest.mark.parametrize("own, stack, expected", [
    ("prod", None, "prod"),
    ("prod", StackContext("dev"), "prod"),
    ("dev", StackContext("prod"), "prod"),
    ("dev", StackContext("local", configured_sandbox="prod"), "prod"),
    ("dev", StackContext("dev"), None),
    (None, StackContext("dev"), None),
    (5, StackContext("prod"), "prod"),
])
def test_scoped_sandbox_takes_the_objects_or_the_stacks(own, stack, expected):
    assert scoped_sandbox(flow_view(dataflow(sandbox=own)), ["prod"], stack) == expected


def test_an_unknown_own_sandbox_is_in_scope_when_the_stack_is():
    pending = flow_view(unknown_checking_proxy(dataflow(sandbox=UNKNOWN)))
    assert scoped_sandbox(pending, ["prod"], StackContext("prod")) == "prod"
    assert out_of_scope(pending, ["prod"], StackContext("prod")) is None


def test_an_unknown_own_sandbox_cannot_be_judged_when_the_stack_is_not_listed():
    pending = flow_view(unknown_checking_proxy(dataflow(sandbox=UNKNOWN)))
    with pytest.raises(UnknownValueError):
        scoped_sandbox(pending, ["prod"], StackContext("dev"))


def test_out_of_scope_says_why():
    assert out_of_scope(flow_view(dataflow(sandbox="dev")), ["prod", "stage"], None) == \
        "sandbox is not one of ['prod', 'stage']"
