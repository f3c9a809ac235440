"""`pulumi refresh` through the real engine against changes made outside Pulumi: an edit is shown as drift and
reverted by the next `up` (one PATCH), a deletion drops the resource from state and `up` recreates it (one
POST), and a connection taken over with `adopt_id` (no POST) refreshes cleanly and is then managed like any other.

On refresh the engine (v3.274) calls the provider's Read, then its Diff with the refreshed outputs as the old side
and the recorded inputs as the new one, and shows the inverted result: Diff must never fail there."""

from __future__ import annotations

from typing import Any

import requests

from provider.client.create_marker import split
from tests.e2e.project import E2EProject

CONNECTIONS = "/data/foundation/flowservice/connections"
POST, PATCH, GET = f"POST {CONNECTIONS}", f"PATCH {CONNECTIONS}/{{id}}", f"GET {CONNECTIONS}/{{id}}"
SANDBOX = "dev"  # aep:sandbox of the local stack
ORDERS = "Orders database (PostgreSQL)"
BASE = "pulumi-python:dynamic/aep:BaseConnection"


def _flow(project: E2EProject, method: str, path: str, **kwargs: Any) -> requests.Response:
    """A Flow Service call made outside Pulumi (as the AEP UI or another tool would), with the emulator's headers."""
    headers = {**project.emulator.headers(SANDBOX), **kwargs.pop("headers", {})}
    return requests.request(method, f"{project.emulator.flow_url}{path}", headers=headers, timeout=10, **kwargs)


def _edit(project: E2EProject, ident: str, ops: list[dict[str, Any]]) -> None:
    etag = _flow(project, "GET", f"/connections/{ident}").json()["items"][0]["etag"]
    response = _flow(project, "PATCH", f"/connections/{ident}", json=ops, headers={"If-Match": etag})
    assert response.status_code == 200, response.text


def _state_ids(project: E2EProject) -> dict[str, str]:
    """Base connections in the stack's state: resource name -> Flow Service id."""
    resources = project.export()["resources"]
    return {r["urn"].rsplit("::", 1)[1]: r["id"] for r in resources if r["type"] == BASE}


def test_edit_outside_pulumi_is_shown_by_refresh_and_reverted_by_up(project):
    project.up()
    orders = project.connections()[ORDERS]
    _edit(project, orders["id"], [{"op": "replace", "path": "/name", "value": "Edited in the AEP UI"},
                                  {"op": "replace", "path": "/description", "value": "not ours"}])

    project.emulator.clear_log()
    refreshed = project.refresh()  # `pulumi refresh --yes` previews first: each pass reads each connection once
    assert sorted(project.flow_calls()) == [GET] * 6 and project.writes() == []
    assert refreshed.summary.resource_changes == {"same": 7, "update": 1}
    assert "BaseConnection orders-db updated" in refreshed.stdout
    assert "[diff: ~description,name]" in refreshed.stdout

    project.emulator.clear_log()
    fixed = project.up()
    assert project.writes() == [PATCH]
    assert fixed.summary.resource_changes == {"same": 7, "update": 1}
    stored = project.connections()[ORDERS]
    assert stored["id"] == orders["id"] and stored["etag"] != orders["etag"]
    # the declared text back, with the same create marker as before the edit (provider/client/create_marker.py)
    assert stored["description"] == orders["description"]
    assert split(stored["description"])[0] == "Order history replica, read by the nightly export"
    assert stored["auth"]["params"] == orders["auth"]["params"]

    project.emulator.clear_log()
    project.preview(expect_no_changes=True)
    assert project.flow_calls() == []


def test_delete_outside_pulumi_leaves_state_on_refresh_and_up_recreates_it(project):
    project.up()
    gone = project.connections()[ORDERS]["id"]
    assert _flow(project, "DELETE", f"/connections/{gone}").status_code == 204

    refreshed = project.refresh()
    assert refreshed.summary.resource_changes == {"same": 7, "delete": 1}
    assert "orders-db" not in _state_ids(project) and len(_state_ids(project)) == 2

    project.emulator.clear_log()
    result = project.up()
    assert project.writes() == [POST]
    recreated = project.connections()[ORDERS]
    assert recreated["id"] != gone and _state_ids(project)["orders-db"] == recreated["id"]
    assert result.outputs["connection_ids"].value["orders-db"] == recreated["id"]


def _create_outside_pulumi(project: E2EProject) -> dict[str, Any]:
    """The orders database made by hand in the AEP UI: same login, an older name."""
    body = {"name": "orders (made by hand)",
            "auth": {"specName": "Connection String Based Authentication",
                     "params": {"connectionString": "Server=orders-db.internal;Database=orders;Port=5432;"
                                                    "UID=aep_reader;Password=by-hand"}},
            "connectionSpec": {"id": "74a1c565-4e59-48d7-9d67-7c03b8a13137", "version": "1.0"}}
    response = _flow(project, "POST", "/connections", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def test_adopted_connection_is_taken_over_refreshed_and_then_left_alone(project):
    existing = _create_outside_pulumi(project)["id"]
    project.remove_path("aep:connections.marketing-bigquery")
    project.remove_path("aep:connections.events-bigquery")
    project.set_path("aep:connections.orders-db.adopt_id", existing)

    project.emulator.clear_log()
    project.up()
    assert project.writes() == [PATCH]  # no POST, no DELETE: the declared name, description and login are set
    assert [c["id"] for c in project.emulator.connections()] == [existing]
    assert _state_ids(project) == {"orders-db": existing}
    stored = project.connections()[ORDERS]
    assert "Password=by-hand" not in stored["auth"]["params"]["connectionString"]

    project.emulator.clear_log()
    refreshed = project.refresh()
    assert project.flow_calls() == [GET] * 2  # the refresh's preview and the refresh
    assert refreshed.summary.resource_changes == {"same": 4}
    project.emulator.clear_log()
    again = project.up()
    assert project.writes() == [] and again.summary.resource_changes == {"same": 4}

    _edit(project, existing, [{"op": "replace", "path": "/name", "value": "renamed by hand"}])
    drift = project.refresh()
    assert drift.summary.resource_changes == {"same": 3, "update": 1}
    project.emulator.clear_log()
    project.up()
    assert project.writes() == [PATCH] and project.connections()[ORDERS]["id"] == existing
