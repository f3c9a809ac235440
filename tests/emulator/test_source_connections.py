"""POST/GET /sourceConnections and GET/DELETE /sourceConnections/{id} over real HTTP, every response checked
against Adobe's spec: the documented fields, the base connection rule, filters, isolation, log and faults."""
from __future__ import annotations

import time

import pytest

from emulator.server import EmulatorServer
from tests.emulator.conftest import FlowClient
from tests.emulator.seeds import BIGQUERY_FIXED, BIGQUERY_SPEC_ID, POSTGRESQL_SPEC_ID
from tests.support.dataflows import source_connection_body
from tests.support.emulator import EmulatorControl

PG_SPEC = {"id": POSTGRESQL_SPEC_ID, "version": "1.0"}
FLOW = "/data/foundation/flowservice"


def _source(flow: FlowClient, base_id: str, name: str = "Orders table", **kwargs) -> dict:
    response = flow.post("/sourceConnections", json=source_connection_body(base_id, PG_SPEC, name), **kwargs)
    assert response.status_code == 201, response.text
    return response.json()


def _error(response, status: int, field: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["type"].endswith(f"-{status}") and body["report"]["additionalContext"]["field"] == field
    return body


def test_create_then_get_returns_the_documented_fields(flow, emulator):
    base = flow.create()["id"]
    before = int(time.time() * 1000)
    response = flow.post("/sourceConnections", json=source_connection_body(base, PG_SPEC))
    assert response.status_code == 201 and set(response.json()) == {"id", "etag"}
    created = response.json()
    assert response.headers["Location"] == f"{emulator.flow_url}/sourceConnections/{created['id']}"
    got = flow.get(f"/sourceConnections/{created['id']}")
    assert got.headers["ETag"] == created["etag"]
    (doc,) = got.json()["items"]
    assert doc["id"] == created["id"] and doc["etag"] == doc["version"] == created["etag"]
    assert doc["name"] == "Orders table" and doc["baseConnectionId"] == base and doc["state"] == "enabled"
    assert doc["connectionSpec"] == PG_SPEC and doc["data"] == {"format": "tabular"}
    assert doc["params"] == {"tableName": "public.orders"}
    assert doc["inheritedAttributes"] == {"baseConnection": {"id": base, "connectionSpec": PG_SPEC}}
    assert before <= doc["createdAt"] == doc["updatedAt"] <= int(time.time() * 1000)
    assert doc["createdBy"] == f"{emulator.client_id}@AdobeID" and doc["createdClient"] == emulator.client_id
    assert doc["sandboxName"] == "prod" and doc["imsOrgId"] == emulator.org_id


@pytest.mark.parametrize("change, field", [
    ({"baseConnectionId": None}, "baseConnectionId"),
    ({"baseConnectionId": "00000000-0000-0000-0000-000000000000"}, "baseConnectionId"),
    ({"connectionSpec": {"id": BIGQUERY_SPEC_ID, "version": "1.0"}}, "connectionSpec"),
    ({"connectionSpec": None}, "connectionSpec"),
    ({"data": None}, "data"),
    ({"data": {"format": 7}}, "data.format"),
    ({"params": "public.orders"}, "params"),
    ({"name": ""}, "name"),
    ({"description": 3}, "description"),
    ({"schedule": "hourly"}, "schedule"),
])
def test_invalid_bodies_are_400_naming_the_field(flow, emulator, change, field):
    body = source_connection_body(flow.create()["id"], PG_SPEC)
    body.update(change)
    body = {k: v for k, v in body.items() if v is not None}
    _error(flow.post("/sourceConnections", json=body), 400, field)
    assert flow.get("/sourceConnections").json()["items"] == []


def test_base_connection_must_be_in_the_same_sandbox(flow):
    in_dev = flow.create(sandbox="dev")["id"]
    body = _error(flow.post("/sourceConnections", json=source_connection_body(in_dev, PG_SPEC)), 400,
                  "baseConnectionId")
    assert f"'{in_dev}' does not exist in sandbox 'prod'" in body["detail"]
    assert _source(flow, in_dev, sandbox="dev")["id"]


def test_property_filters_find_the_source_connections_of_a_base_connection(flow):
    orders, events = flow.create()["id"], flow.create(BIGQUERY_FIXED)["id"]
    a, b = _source(flow, orders, "a")["id"], _source(flow, orders, "b")["id"]
    bq = flow.post("/sourceConnections", json=source_connection_body(events, {"id": BIGQUERY_SPEC_ID,
                                                                              "version": "1.0"}, "c"))
    assert bq.status_code == 201
    listed = flow.get("/sourceConnections", params={"property": f"baseConnectionId=={orders}"}).json()["items"]
    assert [s["id"] for s in listed] == [a, b]
    assert flow.get("/sourceConnections", params={"property": f"baseConnectionId=={orders}",
                                                   "count": "true"}).json() == {"count": 2}
    page = flow.get("/sourceConnections", params={"property": f"baseConnectionId=={orders}", "limit": "1"}).json()
    assert [s["id"] for s in page["items"]] == [a] and "continuationToken=" in page["_links"]["next"]["href"]
    assert flow.get("/sourceConnections", params={"property": "baseConnectionId==nope"}).json() == {"items": []}
    assert len(flow.get("/sourceConnections").json()["items"]) == 3


def test_delete_is_204_then_404_and_leaves_the_base_connection(flow, emulator):
    base = flow.create()["id"]
    created = _source(flow, base)
    assert flow.delete(f"/sourceConnections/{created['id']}").status_code == 204
    assert flow.get(f"/sourceConnections/{created['id']}").status_code == 404
    assert flow.delete(f"/sourceConnections/{created['id']}").status_code == 404
    assert [c["id"] for c in emulator.connections()] == [base]


def test_sandboxes_and_orgs_are_isolated(flow, emulator):
    mine = _source(flow, flow.create()["id"])["id"]
    assert flow.get(f"/sourceConnections/{mine}", sandbox="dev").status_code == 404
    assert flow.delete(f"/sourceConnections/{mine}", sandbox="dev").status_code == 404
    assert flow.get("/sourceConnections", sandbox="dev").json() == {"items": []}
    emulator.add_client("other-client", "other-secret", "other@AdobeOrg")
    other = FlowClient(EmulatorControl(emulator.url, "other@AdobeOrg", "other-client", "other-secret"))
    assert other.get(f"/sourceConnections/{mine}").status_code == 404
    assert other.get("/sourceConnections").json() == {"items": []}
    assert flow.get(f"/sourceConnections/{mine}").status_code == 200


def test_gateway_checks_every_route(flow):
    mine = _source(flow, flow.create()["id"])["id"]
    for method, path in [("POST", "/sourceConnections"), ("GET", "/sourceConnections"),
                         ("GET", f"/sourceConnections/{mine}"), ("DELETE", f"/sourceConnections/{mine}")]:
        response = flow.request(method, path, headers={"Authorization": None}, json={})
        assert response.status_code == 403 and response.json()["error_code"] == "403010"
        assert flow.request(method, path, sandbox="qa", json={}).status_code == 404
    assert flow.get(f"/sourceConnections/{mine}/").status_code == 200  # trailing slash served too


def test_requests_are_logged_by_template_and_can_be_faulted(flow, emulator):
    base = flow.create()["id"]
    emulator.clear_log()
    emulator.set_faults(script=[{"method": "GET", "template": f"{FLOW}/sourceConnections", "fault": "503"}])
    assert flow.get("/sourceConnections").status_code == 503
    assert flow.get("/sourceConnections").status_code == 200
    ident = _source(flow, base)["id"]
    flow.delete(f"/sourceConnections/{ident}")
    log = [(r["method"], r["template"], r["status"], r["fault"]) for r in emulator.requests()]
    assert log == [("GET", f"{FLOW}/sourceConnections", 503, "503"), ("GET", f"{FLOW}/sourceConnections", 200, None),
                   ("POST", f"{FLOW}/sourceConnections", 201, None),
                   ("DELETE", f"{FLOW}/sourceConnections/{{id}}", 204, None)]


def test_reset_forgets_source_connections(flow, emulator):
    mine = _source(flow, flow.create()["id"])["id"]
    emulator.reset()
    assert flow.get(f"/sourceConnections/{mine}").status_code == 404


def test_a_file_database_keeps_them_across_a_restart(tmp_path):
    db = str(tmp_path / "emulator.sqlite3")
    with EmulatorServer(db=db) as server:
        flow = FlowClient(EmulatorControl.for_server(server))
        mine = _source(flow, flow.create(sandbox="dev")["id"], sandbox="dev")["id"]
    with EmulatorServer(db=db) as server:
        flow = FlowClient(EmulatorControl.for_server(server))
        assert flow.get(f"/sourceConnections/{mine}", sandbox="dev").json()["items"][0]["name"] == "Orders table"


def _patch(flow: FlowClient, ident: str, ops, etag: str | None, **kwargs):
    headers = {"If-Match": etag} if etag is not None else {}
    return flow.patch(f"/sourceConnections/{ident}", json=ops, headers=headers, **kwargs)


def test_provider_id_of_the_tutorials_is_accepted_and_not_stored(flow):
    body = {**source_connection_body(flow.create()["id"], PG_SPEC), "providerId": "0ed90a81-07f4-4586-8190-b40eccef1c5a"}
    created = flow.post("/sourceConnections", json=body)
    assert created.status_code == 201, created.text
    assert "providerId" not in flow.get(f"/sourceConnections/{created.json()['id']}").json()["items"][0]
    _error(flow.post("/sourceConnections", json={**body, "providerId": 7}), 400, "providerId")


def test_patch_name_description_and_params_gives_a_new_etag(flow):
    created = _source(flow, flow.create()["id"])
    ops = [{"op": "replace", "path": "/name", "value": "Orders v2"},
           {"op": "remove", "path": "/description"},
           {"op": "replace", "path": "/params/tableName", "value": "public.orders_v2"},
           {"op": "add", "path": "/params/columns", "value": [{"name": "id"}]}]
    response = _patch(flow, created["id"], ops, created["etag"])
    assert response.status_code == 200 and response.headers["ETag"] == response.json()["etag"] != created["etag"]
    (doc,) = flow.get(f"/sourceConnections/{created['id']}").json()["items"]
    assert doc["name"] == "Orders v2" and "description" not in doc and doc["etag"] == response.json()["etag"]
    assert doc["params"] == {"tableName": "public.orders_v2", "columns": [{"name": "id"}]}
    assert doc["updatedAt"] >= doc["createdAt"] and doc["state"] == "enabled"
    replaced = _patch(flow, created["id"], [{"op": "replace", "path": "/params", "value": {"tableName": "t"}}],
                      doc["etag"])
    assert replaced.status_code == 200
    assert flow.get(f"/sourceConnections/{created['id']}").json()["items"][0]["params"] == {"tableName": "t"}


def test_patch_needs_if_match_and_a_stale_one_is_412(flow):
    created = _source(flow, flow.create()["id"])
    ops = [{"op": "replace", "path": "/name", "value": "x"}]
    assert _error(_patch(flow, created["id"], ops, None), 400, "If-Match")["type"].endswith("FLOW-1403-400")
    assert _patch(flow, created["id"], ops, created["etag"]).status_code == 200
    stale = _error(_patch(flow, created["id"], [{"op": "replace", "path": "/name", "value": "lost"}],
                          created["etag"]), 412, "If-Match")
    assert stale["type"].endswith("FLOW-1404-412")
    assert flow.get(f"/sourceConnections/{created['id']}").json()["items"][0]["name"] == "x"


@pytest.mark.parametrize("ops, field, code", [
    ([{"op": "replace", "path": "/connectionSpec", "value": PG_SPEC}], "/connectionSpec", 1414),
    ([{"op": "replace", "path": "/connectionSpec/id", "value": BIGQUERY_SPEC_ID}], "/connectionSpec/id", 1414),
    ([{"op": "replace", "path": "/baseConnectionId", "value": "x"}], "/baseConnectionId", 1414),
    ([{"op": "remove", "path": "/name"}], "/name", 1100),
    ([{"op": "replace", "path": "/data/format", "value": "json"}], "/data/format", 1100),
    ([{"op": "remove", "path": "/params/nothing"}], "/params/nothing", 1100),
    ([{"op": "replace", "path": "/params", "value": "t"}], "/params", 1100),
    ([{"op": "move", "path": "/name", "value": "x"}], "[0].op", 1100),
])
def test_refused_patches_name_the_path_and_change_nothing(flow, ops, field, code):
    created = _source(flow, flow.create()["id"])
    body = _error(_patch(flow, created["id"], ops, created["etag"]), 400, field)
    assert body["type"].endswith(f"FLOW-{code}-400")
    assert flow.get(f"/sourceConnections/{created['id']}").json()["items"][0]["etag"] == created["etag"]


def test_patch_of_an_unknown_or_other_sandbox_id_is_404(flow):
    created = _source(flow, flow.create()["id"])
    ops = [{"op": "replace", "path": "/name", "value": "x"}]
    assert _patch(flow, created["id"], ops, created["etag"], sandbox="dev").status_code == 404
    assert _patch(flow, "missing", ops, created["etag"]).status_code == 404
