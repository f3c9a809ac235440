"""`python -m provider.discover` round trip of a hand-made pipeline through the real CLI: a base connection,
source and target connections, a mapping set and a dataflow made over the API as the AEP UI makes them ->
discover prints `aep:connections` and `aep:dataflows` -> that config in the local stack -> `up` takes all five
over with reads only -> a second `up` calls nothing."""

from __future__ import annotations

import re

import requests
import yaml

from tests.e2e.project import E2EProject
from tests.e2e.test_discover import _discover, _use_in_stack

SANDBOX = "dev"
SCHEMA = "https://ns.adobe.com/acme/schemas/orders"
PG = "74a1c565-4e59-48d7-9d67-7c03b8a13137"
CONNECTION_STRING = "Server=orders-db.internal;Database=orders;Port=5432;UID=aep_reader;Password=hand-made-pw"


def _post(project: E2EProject, path: str, body: dict) -> dict:
    emulator = project.emulator
    response = requests.post(f"{emulator.url}/data/foundation/{path}", json=body,
                             headers=emulator.headers(SANDBOX), timeout=10)
    assert response.status_code in (200, 201), response.text
    return response.json()


def make_pipeline(project: E2EProject) -> dict[str, str]:
    """The objects Adobe's PostgreSQL tutorial makes, in its order; their ids."""
    spec = {"id": PG, "version": "1.0"}
    base = _post(project, "flowservice/connections", {
        "name": "Orders DB (PostgreSQL)", "connectionSpec": spec,
        "auth": {"specName": "Connection String Based Authentication",
                 "params": {"connectionString": CONNECTION_STRING}}})["id"]
    dataset = project.emulator.create_dataset(SANDBOX, "Orders", SCHEMA)
    source = _post(project, "flowservice/sourceConnections", {
        "name": "Orders table", "baseConnectionId": base, "connectionSpec": spec, "data": {"format": "tabular"},
        "params": {"tableName": "public.orders"}})["id"]
    target = _post(project, "flowservice/targetConnections", {
        "name": "Orders dataset", "connectionSpec": {"id": "c604ff05-7f1a-43c0-8e18-33bf874cb11c", "version": "1.0"},
        "data": {"format": "parquet_xdm", "schema": {"id": SCHEMA, "version":
                                                     "application/vnd.adobe.xed-full+json;version=1"}},
        "params": {"dataSetId": dataset}})["id"]
    mapping = _post(project, "conversion/mappingSets", {
        "version": 0, "xdmSchema": SCHEMA, "xdmVersion": "1.0",
        "mappings": [{"sourceType": "ATTRIBUTE", "source": "order_id", "destination": "_acme.orderId"},
                     {"sourceType": "ATTRIBUTE", "source": "total", "destination": "_acme.total"}]})
    flow = _post(project, "flowservice/flows", {
        "name": "Orders hourly", "flowSpec": {"id": "14518937-270c-4525-bdec-c2ba7cce3860", "version": "1.0"},
        "sourceConnectionIds": [source], "targetConnectionIds": [target],
        "transformations": [{"name": "Mapping", "params": {"mappingId": mapping["id"],
                                                          "mappingVersion": mapping["version"]}}],
        "scheduleParams": {"startTime": "1798761600", "frequency": "hour", "interval": "1"}})["id"]
    return {"base": base, "dataset": dataset, "source": source, "target": target, "mapping": mapping["id"],
            "flow": flow}


def test_a_hand_made_pipeline_round_trips_through_discover(project):
    made = make_pipeline(project)
    done = _discover(project, "--sandbox", SANDBOX)
    assert done.returncode == 0, done.stderr
    assert "hand-made-pw" not in done.stdout + done.stderr
    config = yaml.safe_load(done.stdout)["config"]
    (connection,) = config["aep:connections"]
    assert config["aep:dataflows"] == {"orders-hourly": {
        "connection": connection,
        "source": {"table": "public.orders"},
        "dataset": {"name": "Orders"},
        "mapping": {"order_id": "_acme.orderId", "total": "_acme.total"},
        "schedule": {"frequency": "hour", "interval": 1, "start": "2027-01-01T00:00:00Z"},
        "enabled": True,
        "name": "Orders hourly",
        "adopt_id": made["flow"],
    }}
    assert "# Dataflows: 1 found, 1 listed under aep:dataflows" in done.stdout

    _use_in_stack(project, config["aep:connections"], secrets={})
    project.stack()
    path = project.dir / "stacks" / "Pulumi.local.yaml"
    stack_file = yaml.safe_load(path.read_text())
    stack_file["config"]["aep:dataflows"] = config["aep:dataflows"]
    path.write_text(yaml.safe_dump(stack_file, sort_keys=False))
    for key in re.findall(r"^#   pulumi config set --secret aep:(\S+)$", done.stdout, re.M):
        project.set_secret(f"aep:{key}", CONNECTION_STRING)

    project.emulator.clear_log()
    result = project.up()
    assert project.writes() == []
    assert result.summary.resource_changes == {"create": 9}  # stack, aep provider, 2 components, 5 adopted objects
    state = {r["type"].rsplit(":", 1)[-1]: r.get("id") for r in project.export()["resources"]
             if r["type"].startswith("pulumi-python:dynamic/")}
    assert state == {"BaseConnection": made["base"], "SourceConnection": made["source"],
                     "TargetConnection": made["target"], "MappingSet": made["mapping"], "Dataflow": made["flow"]}

    project.emulator.clear_log()
    again = project.up()
    assert project.emulator.requests() == [] and again.summary.resource_changes == {"same": 9}
