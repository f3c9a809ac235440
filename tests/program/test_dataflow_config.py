"""The `aep:dataflows` config: a good entry declares one ingestion component with its four objects (preview: no
call); every mistake of `aep:connections` and `aep:dataflows` is refused at once, each line under its config
path with the fix, before anything is declared or sent."""

from __future__ import annotations

import copy

import pytest

from tests.harness.program import ProgramHarness
from tests.program.test_stack_config import problems, refused

ENTRY = {
    "connection": "orders-db",
    "source": {"table": "public.orders"},
    "dataset": {"name": "Orders"},
    "mapping": {"order_id": "_acme.orderId", "total": "_acme.total"},
    "schedule": {"frequency": "hour", "interval": 1, "start": "2027-01-01T00:00:00Z"},
}
CHILDREN = {"pulumi-python:dynamic/aep:SourceConnection", "pulumi-python:dynamic/aep:TargetConnection",
            "pulumi-python:dynamic/aep:MappingSet", "pulumi-python:dynamic/aep:Dataflow"}


@pytest.fixture
def harness(emulator) -> ProgramHarness:
    return ProgramHarness.for_emulator(emulator)


def with_entries(harness: ProgramHarness, **entries) -> None:
    harness.overrides["aep:dataflows"] = copy.deepcopy(entries)


def test_an_entry_declares_the_component_and_its_four_objects_with_no_call(harness, emulator):
    with_entries(harness, **{"orders-hourly": ENTRY})
    run = harness.preview().raise_for_error()
    component = run.resource("orders-hourly", "aep:pipelines:TableIngestion")
    children = {r.type: r for r in run.children_of(component)}
    assert set(children) == CHILDREN
    flow = children["pulumi-python:dynamic/aep:Dataflow"].plain_inputs()
    assert flow["schedule"] == {"frequency": "hour", "interval": 1, "startTime": 1798761600}
    assert flow["flow_spec_id"] == "14518937-270c-4525-bdec-c2ba7cce3860" and flow["enabled"] is True
    assert flow["sandbox"] == "dev" and flow["name"] == "orders-hourly"
    target = children["pulumi-python:dynamic/aep:TargetConnection"].plain_inputs()
    assert target["dataset_name"] == "Orders" and "dataset_id" not in target
    mappings = children["pulumi-python:dynamic/aep:MappingSet"].plain_inputs()["mappings"]
    assert {(m["source"], m["destination"]) for m in mappings} == {("order_id", "_acme.orderId"),
                                                                    ("total", "_acme.total")}
    source = children["pulumi-python:dynamic/aep:SourceConnection"].plain_inputs()
    assert source["params"] == {"tableName": "public.orders"} and source["data_format"] == "tabular"
    assert emulator.request_log()["total"] == 0


def test_every_problem_of_both_sections_at_once(harness, emulator):
    connections = harness.connections()
    connections["orders-db"]["source"] = "postgres"
    harness.set_connections(connections)
    bad = {
        "connection": "orders-bd",
        "source": {"table": ""},
        "dataset": {"title": "Orders"},
        "mapping": {"order_id": "_acme.orderId", "total": "not an xdm path"},
        "schedule": {"frequency": "minute", "interval": 5, "start": "2027-01-01T00:00:00"},
        "enable": True,
    }
    s3 = dict(ENTRY, connection="marketing-bigquery", source={"path": "/exports/", "format": "csv"})
    with_entries(harness, **{"Orders": ENTRY, "broken": bad, "files": s3})
    lines = problems(refused(harness, emulator))
    assert "aep:connections.orders-db.source: unknown source 'postgres'; did you mean postgresql?" in " ".join(lines)
    expected = [
        "aep:dataflows key 'Orders' must be lowercase letters, digits and '-' (it is the resource name)",
        "aep:dataflows.broken.enable: unknown field; an entry takes connection, source, dataset, mapping, schedule, "
        "enabled, name, description, adopt_id",
        "aep:dataflows.files.connection: marketing-bigquery: Google BigQuery is a database source: use a table "
        "ingestion (table:)",
        "aep:dataflows.files.source.format: must be one of delimited, json, parquet",
    ]
    for line in expected:
        assert line in lines, (line, lines)
    with_entries(harness, broken={k: v for k, v in bad.items() if k != "enable"})
    lines = problems(refused(harness, emulator))
    assert [line for line in lines if line.startswith("aep:dataflows")] == [
        "aep:dataflows.broken.connection: no connection entry 'orders-bd'; did you mean orders-db? entries: "
        "events-bigquery, marketing-bigquery, orders-db",
        "aep:dataflows.broken.source.table: required: the table to read, e.g. public.orders",
        "aep:dataflows.broken.dataset: must be a dataset id, or {name: <dataset name>} looked up in the stack's "
        "sandbox",
        "aep:dataflows.broken.mapping.total: 'not an xdm path' is not an XDM path such as _tenant.orderId",
        "aep:dataflows.broken.schedule.start: start needs a time zone: end it with Z (UTC) or an offset such as "
        "+02:00",
    ]


def test_a_minute_schedule_under_fifteen_is_refused_with_the_rule(harness, emulator):
    entry = dict(ENTRY, schedule={"frequency": "minute", "interval": 5, "start": "2027-01-01T00:00:00Z"})
    with_entries(harness, **{"orders-hourly": entry})
    assert problems(refused(harness, emulator)) == [
        "aep:dataflows.orders-hourly.schedule.interval: required with frequency minute: a whole number, at least 15"]
