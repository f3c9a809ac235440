"""A connection + dataflow stack through the real CLI, as a user types it: `pulumi config set-all --path` adds an
`aep:dataflows` entry to the local stack, then plain `up`, `preview`, `refresh` and `destroy`. Each step is
asserted on the platform calls the emulator logged (Flow Service, Data Prep, Catalog)."""

from __future__ import annotations

from collections import Counter

import pytest
import requests

from tests.e2e.project import E2EProject

FLOWS = "/data/foundation/flowservice"
MAPPING_SETS = "/data/foundation/conversion/mappingSets"
ENTRY = "aep:dataflows.orders-hourly"
SCHEMA = "https://ns.adobe.com/acme/schemas/orders"
FLOW_PATCH = f"PATCH {FLOWS}/flows/{{id}}"


def dataflow_entry(project: E2EProject, name: str = "local", **changes: str) -> None:
    values = {
        f"{ENTRY}.connection": "orders-db",
        f"{ENTRY}.source.table": "public.orders",
        f"{ENTRY}.dataset.name": "Orders",
        f"{ENTRY}.mapping.order_id": "_acme.orderId",
        f"{ENTRY}.mapping.total": "_acme.total",
        f"{ENTRY}.schedule.frequency": "hour",
        f"{ENTRY}.schedule.interval": "1",
        f"{ENTRY}.schedule.start": "2027-01-01T00:00:00Z",
    }
    values.update({f"{ENTRY}.{k.replace('__', '.')}": v for k, v in changes.items()})
    project.set_paths(values, name)


def make_dataset(project: E2EProject, sandbox: str, name: str = "Orders") -> str:
    emulator = project.emulator
    response = requests.post(f"{emulator.url}/data/foundation/catalog/dataSets", headers=emulator.headers(sandbox),
                             json={"name": name, "schemaRef": {
                                 "id": SCHEMA, "contentType": "application/vnd.adobe.xed-full+json;version=1"}},
                             timeout=10)
    assert response.status_code == 201, response.text
    return response.json()[0].rsplit("/", 1)[-1]


def live(project: E2EProject, collection: str, sandbox: str = "dev") -> list[dict]:
    emulator = project.emulator
    response = requests.get(f"{emulator.url}{FLOWS}/{collection}", headers=emulator.headers(sandbox), timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["items"]


def writes_of(project: E2EProject, action) -> list[str]:
    project.emulator.clear_log()
    action()
    return project.writes()


@pytest.fixture
def pipeline(project):
    make_dataset(project, "dev")
    dataflow_entry(project)
    project.emulator.clear_log()
    result = project.up()
    return project, result


def test_up_creates_each_object_once_and_no_change_runs_call_nothing(pipeline):
    project, result = pipeline
    assert Counter(project.writes()) == Counter({
        f"POST {FLOWS}/connections": 3, f"POST {FLOWS}/sourceConnections": 1, f"POST {FLOWS}/targetConnections": 1,
        f"POST {MAPPING_SETS}": 1, f"POST {FLOWS}/flows": 1})
    (flow,) = live(project, "flows")
    assert result.outputs["dataflow_ids"].value == {"orders-hourly": flow["id"]}
    assert flow["scheduleParams"]["frequency"] == "hour" and flow["state"] == "enabled"

    project.emulator.clear_log()
    again = project.up()
    assert again.summary.resource_changes == {"same": 13}  # stack, provider, 3+3 connections, 1+4 pipeline
    project.preview(expect_no_changes=True)
    assert project.emulator.requests() == []


def test_each_change_makes_exactly_its_calls(pipeline):
    project, _ = pipeline
    (flow,) = live(project, "flows")
    assert writes_of(project, lambda: (dataflow_entry(project, schedule__interval="3"), project.up())) == [
        FLOW_PATCH]
    assert writes_of(project, lambda: (project.set_path(f"{ENTRY}.name", "Orders, hourly"), project.up())) == [
        FLOW_PATCH]
    assert writes_of(project, lambda: (project.set_path(f"{ENTRY}.enabled", "false"), project.up())) == [
        f"POST {FLOWS}/flows/{{id}}/action"]
    assert writes_of(project, lambda: (project.set_path(f"{ENTRY}.mapping.total", "_acme.orderTotal"),
                                       project.up())) == [f"PUT {MAPPING_SETS}/{{id}}", FLOW_PATCH]
    (now,) = live(project, "flows")
    assert now["id"] == flow["id"] and now["name"] == "Orders, hourly" and now["state"] == "disabled"
    assert str(now["scheduleParams"]["interval"]) == "3"
    assert str(now["transformations"][0]["params"]["mappingVersion"]) == "1"

    old_source = live(project, "sourceConnections")[0]["id"]
    assert writes_of(project, lambda: (project.set_path(f"{ENTRY}.source.table", "public.orders_v2"),
                                       project.up())) == [
        f"POST {FLOWS}/sourceConnections", f"POST {FLOWS}/flows",
        f"POST {FLOWS}/flows/{{id}}/action",  # the new flow is declared disabled, as the old one was
        f"DELETE {FLOWS}/flows/{{id}}", f"DELETE {FLOWS}/sourceConnections/{{id}}"]
    (replaced,) = live(project, "flows")
    assert replaced["id"] != flow["id"] and old_source not in replaced["sourceConnectionIds"]

    other = make_dataset(project, "dev", "Orders v2")  # the same schema: the mapping set stays
    old_target = live(project, "targetConnections")[0]["id"]
    assert writes_of(project, lambda: (project.set_path(f"{ENTRY}.dataset.name", "Orders v2"), project.up())) == [
        f"POST {FLOWS}/targetConnections", f"POST {FLOWS}/flows", f"POST {FLOWS}/flows/{{id}}/action",
        f"DELETE {FLOWS}/flows/{{id}}", f"DELETE {FLOWS}/targetConnections/{{id}}"]
    (target,) = live(project, "targetConnections")
    assert target["id"] != old_target and target["params"]["dataSetId"] == other


def test_refresh_shows_an_out_of_band_schedule_edit(pipeline):
    project, _ = pipeline
    (flow,) = live(project, "flows")
    emulator = project.emulator
    edit = requests.patch(f"{emulator.url}{FLOWS}/flows/{flow['id']}",
                          headers={**emulator.headers("dev"), "If-Match": flow["etag"]},
                          json=[{"op": "replace", "path": "/scheduleParams/interval", "value": 12}], timeout=10)
    assert edit.status_code == 200, edit.text
    refreshed = project.refresh()
    assert "schedule" in refreshed.stdout and refreshed.summary.resource_changes.get("update") == 1
    assert writes_of(project, project.up) == [FLOW_PATCH]
    assert str(live(project, "flows")[0]["scheduleParams"]["interval"]) == "1"
    project.refresh(expect_no_changes=True)


def test_removal_and_destroy_leave_only_what_they_must(pipeline):
    project, _ = pipeline
    removed = writes_of(project, lambda: (project.remove_path(ENTRY), project.up()))
    assert removed[0] == f"DELETE {FLOWS}/flows/{{id}}" and sorted(removed[1:]) == [
        f"DELETE {FLOWS}/sourceConnections/{{id}}", f"DELETE {FLOWS}/targetConnections/{{id}}"]
    assert len(project.connections("dev")) == 3
    assert live(project, "flows") == [] and live(project, "sourceConnections") == []

    dataflow_entry(project)
    project.up()
    project.emulator.clear_log()
    project.destroy()
    writes = project.writes()
    assert writes.index(f"DELETE {FLOWS}/flows/{{id}}") < writes.index(f"DELETE {FLOWS}/sourceConnections/{{id}}")
    assert Counter(w.split(" ")[1].split("/")[4] for w in writes) == Counter(
        {"connections": 3, "flows": 1, "sourceConnections": 1, "targetConnections": 1})
    assert project.connections() == {} and live(project, "targetConnections") == []


def test_the_same_entry_deploys_unchanged_to_a_second_sandbox(pipeline):
    project, _ = pipeline
    prod_dataset = make_dataset(project, "prod")
    project.point_at_emulator("prod", sandbox="prod")  # a fresh stack: endpoints and credentials only
    # The README's promotion recipe, as printed (dev there, the local stack here):
    project.cli_run("config", "cp", "--path", "aep:dataflows.orders-hourly", "--stack", "local", "--dest", "prod")
    project.cli_run("config", "cp", "--path", "aep:connections.orders-db", "--stack", "local", "--dest", "prod")
    project.set_secret("aep:ordersDbPassword", "prod-orders-pw", "prod")
    project.emulator.clear_log()
    project.up("prod")
    assert {r["sandbox"] for r in project.emulator.requests() if r["path"].startswith("/data/foundation/")} == {
        "prod"}
    (target,) = live(project, "targetConnections", "prod")
    assert target["params"]["dataSetId"] == prod_dataset
    assert len(live(project, "flows", "prod")) == 1 and len(live(project, "flows", "dev")) == 1
    assert len(project.connections("prod")) == 1  # only what was promoted
