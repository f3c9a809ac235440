"""POST/GET /flows and GET/DELETE /flows/{id} over real HTTP, every response checked against Adobe's spec: the
documented fields with ``inheritedAttributes``, the source connection rule, filters, isolation, log and faults."""
from __future__ import annotations

import pytest

from tests.emulator.conftest import FlowClient
from tests.emulator.seeds import POSTGRESQL_SPEC_ID
from tests.support.dataflows import FLOW_SPEC, TARGET_ID, flow_body, source_connection_body
from tests.support.emulator import EmulatorControl

PG_SPEC = {"id": POSTGRESQL_SPEC_ID, "version": "1.0"}
FLOW = "/data/foundation/flowservice"


def _source(flow: FlowClient, base_id: str, name: str = "Orders table", sandbox: str = "prod") -> str:
    response = flow.post("/sourceConnections", json=source_connection_body(base_id, PG_SPEC, name), sandbox=sandbox)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _flow(flow: FlowClient, source_ids: list[str], name: str = "Orders to AEP", sandbox: str = "prod") -> dict:
    response = flow.post("/flows", json=flow_body(source_ids, name), sandbox=sandbox)
    assert response.status_code == 201, response.text
    return response.json()


def test_create_then_get_returns_the_documented_fields_and_inherited_attributes(flow, emulator):
    base = flow.create()["id"]
    source = _source(flow, base)
    response = flow.post("/flows", json=flow_body([source]))
    assert response.status_code == 201 and set(response.json()) == {"id", "etag"}
    created = response.json()
    assert response.headers["Location"] == f"{emulator.flow_url}/flows/{created['id']}"
    (doc,) = flow.get(f"/flows/{created['id']}").json()["items"]
    assert doc["id"] == created["id"] and doc["etag"] == doc["version"] == created["etag"]
    assert doc["name"] == "Orders to AEP" and doc["state"] == "enabled" and doc["flowSpec"] == FLOW_SPEC
    assert doc["sourceConnectionIds"] == [source] and doc["targetConnectionIds"] == [TARGET_ID]
    assert doc["inheritedAttributes"] == {
        "sourceConnections": [{"id": source, "connectionSpec": PG_SPEC,
                               "baseConnection": {"id": base, "connectionSpec": PG_SPEC}}],
        "targetConnections": [{"id": TARGET_ID}],
    }
    assert doc["scheduleParams"] == {"startTime": 1700000000, "frequency": "hour", "interval": "1"}
    assert doc["transformations"][0]["name"] == "Mapping"
    assert doc["runs"] == f"/runs?property=flowId=={created['id']}"
    assert doc["sandboxName"] == "prod" and doc["imsOrgId"] == emulator.org_id


def test_list_carries_inherited_attributes_and_filters_on_source_connection_ids(flow):
    base = flow.create()["id"]
    a, b = _source(flow, base, "a"), _source(flow, base, "b")
    only_a, both = _flow(flow, [a], "only a")["id"], _flow(flow, [a, b], "a and b")["id"]
    only_b = _flow(flow, [b], "only b")["id"]
    listed = flow.get("/flows").json()["items"]
    assert [f["id"] for f in listed] == [only_a, both, only_b]
    assert all(f["inheritedAttributes"]["sourceConnections"][0]["baseConnection"]["id"] == base for f in listed)
    using_a = flow.get("/flows", params={"property": f"sourceConnectionIds=={a}"}).json()["items"]
    assert [f["id"] for f in using_a] == [only_a, both]
    either = flow.get("/flows", params={"property": f"sourceConnectionIds=={a},sourceConnectionIds=={b}"})
    assert len(either.json()["items"]) == 3
    not_a = flow.get("/flows", params={"property": f"sourceConnectionIds!={a}"}).json()["items"]
    assert [f["id"] for f in not_a] == [only_b]
    assert flow.get("/flows", params={"property": "sourceConnectionIds==nope", "count": "true"}).json() == {"count": 0}


@pytest.mark.parametrize("change, field", [
    ({"sourceConnectionIds": ["00000000-0000-0000-0000-000000000000"]}, "sourceConnectionIds"),
    ({"sourceConnectionIds": []}, "sourceConnectionIds"),
    ({"sourceConnectionIds": None}, "sourceConnectionIds"),
    ({"targetConnectionIds": [7]}, "targetConnectionIds"),
    ({"flowSpec": {"version": "1.0"}}, "flowSpec.id"),
    ({"flowSpec": {"id": FLOW_SPEC["id"], "version": 1}}, "flowSpec.version"),
    ({"name": None}, "name"),
    ({"scheduleParams": {"frequency": "fortnight"}}, "scheduleParams.frequency"),
    ({"scheduleParams": {"interval": "often"}}, "scheduleParams.interval"),
    ({"scheduleParams": "hourly"}, "scheduleParams"),
    ({"transformations": [{"name": "Mapping"}]}, "transformations"),
    ({"owner": "me"}, "owner"),
])
def test_invalid_bodies_are_400_naming_the_field(flow, change, field):
    body = flow_body([_source(flow, flow.create()["id"])])
    body.update(change)
    body = {k: v for k, v in body.items() if v is not None}
    response = flow.post("/flows", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["report"]["additionalContext"]["field"] == field
    assert flow.get("/flows").json() == {"items": []}


def test_source_connections_must_be_in_the_same_sandbox(flow):
    in_dev = _source(flow, flow.create(sandbox="dev")["id"], sandbox="dev")
    response = flow.post("/flows", json=flow_body([in_dev]))
    assert response.status_code == 400 and f"'{in_dev}' does not exist in sandbox 'prod'" in response.json()["detail"]
    assert _flow(flow, [in_dev], sandbox="dev")["id"]


def test_delete_is_204_then_404_and_leaves_the_source_connection(flow):
    source = _source(flow, flow.create()["id"])
    created = _flow(flow, [source])
    assert flow.delete(f"/flows/{created['id']}").status_code == 204
    assert flow.get(f"/flows/{created['id']}").status_code == 404
    assert flow.delete(f"/flows/{created['id']}/").status_code == 404
    assert flow.get(f"/sourceConnections/{source}").status_code == 200


def test_sandboxes_and_orgs_are_isolated(flow, emulator):
    mine = _flow(flow, [_source(flow, flow.create()["id"])])["id"]
    assert flow.get(f"/flows/{mine}", sandbox="stage").status_code == 404
    assert flow.get("/flows", sandbox="stage").json() == {"items": []}
    emulator.add_client("other-client", "other-secret", "other@AdobeOrg")
    other = FlowClient(EmulatorControl(emulator.url, "other@AdobeOrg", "other-client", "other-secret"))
    assert other.get(f"/flows/{mine}").status_code == 404 and other.delete(f"/flows/{mine}").status_code == 404
    assert other.get("/flows").json() == {"items": []}
    assert flow.get(f"/flows/{mine}").status_code == 200


def test_gateway_checks_every_route(flow):
    mine = _flow(flow, [_source(flow, flow.create()["id"])])["id"]
    for method, path in [("POST", "/flows"), ("GET", "/flows"), ("GET", f"/flows/{mine}"),
                         ("DELETE", f"/flows/{mine}")]:
        response = flow.request(method, path, headers={"x-api-key": None}, json={})
        assert response.status_code == 403 and response.json()["error_code"] == "403000"
    assert flow.get(f"/flows/{mine}").status_code == 200


def test_requests_are_logged_by_template_and_can_be_faulted(flow, emulator):
    source = _source(flow, flow.create()["id"])
    emulator.clear_log()
    emulator.set_faults(script=[{"method": "GET", "template": f"{FLOW}/flows", "fault": "429"}], retry_after=0)
    assert flow.get("/flows", params={"property": f"sourceConnectionIds=={source}"}).status_code == 429
    ident = _flow(flow, [source])["id"]
    flow.get(f"/flows/{ident}")
    flow.delete(f"/flows/{ident}")
    assert emulator.counts() == {f"GET {FLOW}/flows": 1, f"POST {FLOW}/flows": 1, f"GET {FLOW}/flows/{{id}}": 1,
                                 f"DELETE {FLOW}/flows/{{id}}": 1}
    assert [r["status"] for r in emulator.requests()] == [429, 201, 200, 204]
