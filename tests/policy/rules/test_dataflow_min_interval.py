"""dataflow-min-interval: in listed sandboxes a dataflow's period (frequency x interval) is at least the minimum."""

import pytest
from pulumi.runtime.rpc import UNKNOWN
from pulumi_policy.proxy import UnknownValueError, unknown_checking_proxy

from policy.rules.config import PolicyConfigError
from policy.rules.dataflow_min_interval import (SCHEMA, applies, check, parse_settings, period_minutes, suggestion,
                                                whole_number)
from policy.rules.model import StackContext
from tests.policy.sample_pipelines import dataflow, flow_view, schedule

DEFAULTS = parse_settings(None)


def flow(frequency="hour", interval=1, **overrides):
    return flow_view(dataflow(schedule=schedule(frequency, interval), **overrides))


def test_defaults():
    assert DEFAULTS.sandboxes == ("prod",) and DEFAULTS.minimum_minutes == 60
    assert SCHEMA["minimumMinutes"]["default"] == 60 and SCHEMA["sandboxes"]["default"] == ["prod"]


@pytest.mark.parametrize("frequency, interval, minutes", [
    ("minute", 15, 15), ("minute", 60, 60), ("hour", 1, 60), ("hour", 3, 180), ("day", 1, 1440),
    ("day", 2, 2880), ("week", 1, 10080), ("minute", 15.0, 15), ("hour", "2", 120),
])
def test_period_in_minutes(frequency, interval, minutes):
    assert period_minutes(frequency, interval) == minutes


@pytest.mark.parametrize("frequency, interval", [
    ("month", 1), ("once", None), (None, 1), ("hour", None), ("hour", 0), ("hour", -1), ("hour", 1.5),
    ("hour", True), ("hour", "often"), ("Hour", 1),
])
def test_unreadable_schedules_have_no_period(frequency, interval):
    assert period_minutes(frequency, interval) is None


@pytest.mark.parametrize("value, expected", [(3, 3), (3.0, 3), (" 4 ", 4), (2.5, None), (False, None), ([], None)])
def test_whole_number(value, expected):
    assert whole_number(value) == expected


@pytest.mark.parametrize("frequency, interval", [
    ("minute", 60), ("minute", 90), ("hour", 1), ("hour", 24), ("day", 1), ("week", 2), ("hour", 1.0),
])
def test_schedules_at_least_an_hour_apart_pass(frequency, interval):
    assert check(flow(frequency, interval), DEFAULTS) == []


def test_once_always_passes_even_without_an_interval():
    assert check(flow("once", None), DEFAULTS) == []
    assert check(flow("once", None), parse_settings({"minimumMinutes": 100000})) == []


@pytest.mark.parametrize("frequency, interval, minutes", [("minute", 15, 15), ("minute", 59, 59), ("minute", 30.0, 30)])
def test_too_frequent_flows_fail_naming_resource_schedule_and_fix(frequency, interval, minutes):
    [message] = check(flow(frequency, interval), DEFAULTS)
    assert message.startswith(f"[dataflow-min-interval] dataflow 'orders-hourly' in sandbox 'prod' runs every "
                              f"{minutes} minutes (schedule frequency {frequency}, interval {int(interval)})")
    assert "at most once every 60 minutes" in message
    assert "Fix: schedule it less often, e.g. frequency: hour, interval: 1" in message
    assert "dataflow-min-interval.minimumMinutes" in message


def test_the_minimum_is_configurable():
    daily = parse_settings({"minimumMinutes": 1440})
    [message] = check(flow("hour", 6), daily)
    assert "runs every 360 minutes" in message and "e.g. frequency: day, interval: 1" in message
    assert check(flow("day", 1), daily) == []
    assert check(flow("minute", 15), parse_settings({"minimumMinutes": 15})) == []


@pytest.mark.parametrize("minimum, suggested", [
    (60, "frequency: hour, interval: 1"), (120, "frequency: hour, interval: 2"), (1440, "frequency: day, interval: 1"),
    (20160, "frequency: week, interval: 2"), (90, "frequency: minute, interval: 90"),
    (5, "frequency: minute, interval: 15"),
])
def test_suggestion_is_the_most_frequent_allowed_schedule(minimum, suggested):
    assert suggestion(minimum) == suggested


@pytest.mark.parametrize("value", [schedule("fortnight", 1), schedule("hour", None), schedule("hour", 0), "hourly",
                                   None, {"interval": 1}])
def test_an_unreadable_schedule_fails_closed(value):
    [message] = check(flow_view(dataflow(schedule=value)), DEFAULTS)
    assert "has a schedule this rule cannot read" in message and "Fix: give the schedule a frequency" in message


def test_other_sandboxes_are_out_of_scope_unless_listed():
    dev = flow("minute", 15, sandbox="dev")
    assert applies(dev, DEFAULTS) == "sandbox is not one of ['prod']" and check(dev, DEFAULTS) == []
    assert check(dev, parse_settings({"sandboxes": ["dev", "prod"]}))


def test_stack_sandbox_counts_too():
    dev_claim = flow("minute", 15, sandbox="dev")
    assert "in sandbox 'prod'" in check(dev_claim, DEFAULTS, StackContext("prod"))[0]
    assert check(dev_claim, DEFAULTS, StackContext("local", configured_sandbox="prod"))
    assert check(dev_claim, DEFAULTS, StackContext("local", configured_sandbox="dev")) == []


def test_enabled_does_not_matter():
    assert check(flow("minute", 15, enabled=False), DEFAULTS)


def test_unknown_ids_do_not_stop_the_rule():
    pending = flow_view(unknown_checking_proxy(dataflow(
        schedule=schedule("minute", 15), source_connection_id=UNKNOWN, target_connection_id=UNKNOWN,
        mapping_id=UNKNOWN, mapping_version=UNKNOWN)))
    assert len(check(pending, DEFAULTS, StackContext("prod"))) == 1


def test_an_unknown_sandbox_in_a_prod_stack_is_still_judged():
    pending = flow_view(unknown_checking_proxy(dataflow(sandbox=UNKNOWN, schedule=schedule("minute", 15))))
    assert applies(pending, DEFAULTS, StackContext("prod")) is None
    assert "in sandbox 'prod'" in check(pending, DEFAULTS, StackContext("prod"))[0]


@pytest.mark.parametrize("props", [
    dataflow(schedule=UNKNOWN), dataflow(schedule=schedule("minute", UNKNOWN)),
    dataflow(schedule={"frequency": UNKNOWN, "interval": 15, "startTime": 0}),
])
def test_an_unknown_schedule_cannot_be_judged_yet(props):
    with pytest.raises(UnknownValueError):
        check(flow_view(unknown_checking_proxy(props)), DEFAULTS, StackContext("prod"))


def test_an_unknown_sandbox_outside_a_listed_stack_cannot_be_judged_yet():
    pending = flow_view(unknown_checking_proxy(dataflow(sandbox=UNKNOWN, schedule=schedule("minute", 15))))
    with pytest.raises(UnknownValueError):
        applies(pending, DEFAULTS, StackContext("dev"))


@pytest.mark.parametrize("config", [{"minimumMinutes": 0}, {"minimumMinutes": 1.5}, {"minimumMinutes": "60"},
                                    {"sandboxes": "prod"}])
def test_bad_config_names_the_rule_and_property(config):
    with pytest.raises(PolicyConfigError, match=r"dataflow-min-interval: config property '(minimumMinutes|sandboxes)'"):
        parse_settings(config)
