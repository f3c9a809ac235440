"""Check and Diff of the pipeline objects through the real plugin, with no network (they work in preview): every
bad input refused naming the property and the fix, and each kind of change an update or a replacement as the
module docstrings say."""

from __future__ import annotations

import time

import pytest

from tests.harness.wire import PROVIDER_KEY, UNKNOWN
from tests.provider.pipeline.registrations import (
    DATAFLOW,
    MAPPING,
    SOURCE,
    START,
    TARGET,
    dataflow,
    mapping,
    source,
    target,
)


def urn(type_: str, name: str = "orders") -> str:
    return f"urn:pulumi:test::aep::{type_}::{name}"


def check(plugin, type_: str, news: dict, olds: dict | None = None):
    return plugin.check(urn(type_), olds or {}, news)


def test_every_bad_input_is_refused_with_its_property(plugin):
    flow = dataflow("s", "t", "m", 0, name="", mapping_version=-1, enabled="yes", sandbox="Prod!",
                    schedule={"frequency": "minute", "interval": 5, "startTime": START, "color": "red"}).inputs
    _, failures = check(plugin, DATAFLOW, flow)
    props = {prop for prop, _ in failures}
    assert props == {"name", "mapping_version", "enabled", "sandbox", "schedule.interval", "schedule.color"}
    assert ("schedule.interval", "required with frequency minute: a whole number, at least 15") in failures

    _, failures = check(plugin, TARGET, target(dataset_name=None).inputs)
    assert failures == [("dataset_id", "give exactly one of dataset_id (a Catalog dataset id) and dataset_name "
                                       "(looked up in the sandbox)")]
    _, failures = check(plugin, MAPPING, mapping("schema", {"a": "not a path"}).inputs)
    assert failures == [("mappings", "mappings[0].destination: 'not a path' is not an XDM path such as "
                                     "_tenant.orderId")]
    _, failures = check(plugin, SOURCE, source("b", "spec", data_format="csv").inputs)
    assert [p for p, _ in failures] == ["data_format"]


def test_unknown_values_pass_check_in_preview(plugin):
    inputs, failures = check(plugin, DATAFLOW, dataflow(UNKNOWN, UNKNOWN, UNKNOWN, UNKNOWN).inputs)
    assert failures == []
    inputs, failures = check(plugin, MAPPING, mapping(UNKNOWN).inputs)
    assert failures == []


def _diff(plugin, type_, old_reg, new_reg):
    old, _ = check(plugin, type_, old_reg.inputs)
    new, failures = check(plugin, type_, new_reg.inputs, old)
    assert failures == []
    return plugin.diff(urn(type_), "id-1", {k: v for k, v in old.items() if k != PROVIDER_KEY}, new)


@pytest.mark.parametrize("change, outcome", [
    ({"name": "Orders, hourly"}, "update"),
    ({"enabled": False}, "update"),
    ({"mapping_version": 3}, "update"),
    ({"schedule": {"frequency": "day", "interval": 1, "startTime": START}}, "update"),
    ({"schedule": {"frequency": "hour", "interval": "1", "startTime": START}}, "none"),  # "1" is 1
    ({"schedule": {"frequency": "hour", "interval": 1, "startTime": START + 3600}}, "update"),  # not started yet
    ({"schedule": {"frequency": "hour", "interval": 1, "startTime": START, "backfill": True}}, "none"),  # default
    ({"schedule": {"frequency": "hour", "interval": 1, "startTime": START, "backfill": False}}, "replace"),
    ({"schedule": {"frequency": "once", "startTime": START}}, "update"),
    ({"source_connection_id": "s2"}, "replace"),
    ({"target_connection_id": "t2"}, "replace"),
    ({"sandbox": "dev"}, "replace"),
])
def test_dataflow_changes(plugin, change, outcome):
    diff = _diff(plugin, DATAFLOW, dataflow("s", "t", "m", 0), dataflow("s", "t", "m", 0, **change))
    assert ("none" if not diff.changed else "replace" if diff.replace else "update") == outcome


def test_a_passed_start_time_makes_a_new_dataflow(plugin):
    past = int(time.time()) - 86400
    old = dataflow("s", "t", "m", 0, schedule={"frequency": "hour", "interval": 1, "startTime": past})
    new = dataflow("s", "t", "m", 0, schedule={"frequency": "hour", "interval": 1, "startTime": past + 60})
    assert _diff(plugin, DATAFLOW, old, new).replaces == ["schedule"]


def test_mapping_order_does_not_matter_and_a_new_schema_is_a_new_mapping_set(plugin):
    old = mapping("schema", {"a": "_x.a", "b": "_x.b"})
    assert not _diff(plugin, MAPPING, old, mapping("schema", {"b": "_x.b", "a": "_x.a"})).changed
    assert _diff(plugin, MAPPING, old, mapping("schema", {"a": "_x.c", "b": "_x.b"})).replaces == []
    assert _diff(plugin, MAPPING, old, mapping("schema-2", {"a": "_x.a", "b": "_x.b"})).replaces == ["schema_id"]


def test_source_and_target_replace_on_what_they_read_or_write(plugin):
    assert _diff(plugin, SOURCE, source("b", "spec"), source("b", "spec", table="public.v2")).replaces == ["params"]
    assert _diff(plugin, SOURCE, source("b", "spec"), source("b", "spec", name="Renamed")).replaces == []
    assert _diff(plugin, TARGET, target(), target(dataset_name="Orders v2")).replaces == ["dataset_name"]


def test_a_replacement_is_refused_while_adopting(plugin):
    old, _ = check(plugin, SOURCE, source("b", "spec", adopt_from_flow="flow-1").inputs)
    _, failures = check(plugin, SOURCE, source("b", "spec", table="public.v2", adopt_from_flow="flow-1").inputs, old)
    assert [p for p, _ in failures] == ["adopt_id"] and "remove adopt_from_flow" in failures[0][1]
