"""POST/GET /targetConnections and GET/PATCH/DELETE /targetConnections/{id} over real HTTP, every response
checked against Adobe's spec: the data lake target on a Catalog dataset of the same sandbox, filters, paging,
PATCH with If-Match, isolation, log."""
from __future__ import annotations

import pytest

from tests.emulator.conftest import FlowClient
from tests.emulator.pipeline import DATA_LAKE, SCHEMA, created, make_dataset, make_pipeline, target_body, with_change
from tests.support.emulator import EmulatorControl

FLOW = "/data/foundation/flowservice"


def _error(response, status: int, field: str, code: int = 1100) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["type"].endswith(f"FLOW-{code}-{status}") and body["report"]["additionalContext"]["field"] == field
    return body


def _target(flow, sandbox: str = "prod", name: str = "Orders dataset") -> dict:
    return created(flow.post("/targetConnections", json=target_body(make_dataset(flow, sandbox), name),
                             sandbox=sandbox))


def test_create_then_get_returns_the_documented_fields(flow, emulator):
    dataset = make_dataset(flow)
    response = flow.post("/targetConnections", json=target_body(dataset))
    made = created(response)
    assert set(made) == {"id", "etag"} and response.headers["ETag"] == made["etag"]
    assert response.headers["Location"] == f"{emulator.flow_url}/targetConnections/{made['id']}"
    got = flow.get(f"/targetConnections/{made['id']}/")
    (doc,) = got.json()["items"]
    assert got.headers["ETag"] == doc["etag"] == doc["version"] == made["etag"]
    assert doc["name"] == "Orders dataset" and doc["state"] == "enabled" and doc["connectionSpec"] == DATA_LAKE
    assert doc["params"] == {"dataSetId": dataset} and doc["data"]["schema"]["id"] == SCHEMA
    assert doc["data"]["format"] == "parquet_xdm" and doc["sandboxName"] == "prod"
    assert doc["createdClient"] == emulator.client_id and doc["imsOrgId"] == emulator.org_id


@pytest.mark.parametrize("dotted, value, field, code", [
    ("params.dataSetId", "5f0123456789abcdef012345", "params.dataSetId", 1100),
    ("params.dataSetId", KeyError, "params.dataSetId", 1100),
    ("params", KeyError, "params", 1100),
    ("connectionSpec.id", "74a1c565-4e59-48d7-9d67-7c03b8a13137", "connectionSpec.id", 1413),
    ("connectionSpec.version", "2.0", "connectionSpec.version", 1413),
    ("data.schema", KeyError, "data.schema.id", 1100),
    ("data.format", 7, "data.format", 1100),
    ("name", "", "name", 1100),
    ("owner", "me", "owner", 1100),
])
def test_invalid_bodies_are_400_naming_the_field(flow, dotted, value, field, code):
    body = with_change(target_body(make_dataset(flow)), dotted, value)
    _error(flow.post("/targetConnections", json=body), 400, field, code)
    assert flow.get("/targetConnections").json() == {"items": []}


def test_the_dataset_must_be_in_the_callers_sandbox(flow):
    in_dev = make_dataset(flow, "dev")
    body = _error(flow.post("/targetConnections", json=target_body(in_dev)), 400, "params.dataSetId")
    assert f"'{in_dev}'" in body["detail"] and "sandbox 'prod'" in body["detail"]
    assert created(flow.post("/targetConnections", json=target_body(in_dev), sandbox="dev"))["id"]


def test_list_filters_and_pages(flow):
    a, b = _target(flow, name="a")["id"], _target(flow, name="b")["id"]
    assert [t["id"] for t in flow.get("/targetConnections").json()["items"]] == [a, b]
    assert [t["id"] for t in flow.get("/targetConnections", params={"property": "name==b"}).json()["items"]] == [b]
    page = flow.get("/targetConnections", params={"limit": "1"}).json()
    assert [t["id"] for t in page["items"]] == [a]
    assert [t["id"] for t in flow.get(page["_links"]["next"]["href"]).json()["items"]] == [b]
    assert flow.get("/targetConnections", params={"count": "true"}).json() == {"count": 2}


def test_patch_name_and_params_with_if_match(flow):
    made, other = _target(flow), make_dataset(flow, name="Other")
    ops = [{"op": "replace", "path": "/name", "value": "renamed"},
           {"op": "replace", "path": "/params/dataSetId", "value": other}]
    response = flow.patch(f"/targetConnections/{made['id']}", json=ops, headers={"If-Match": made["etag"]})
    assert response.status_code == 200 and response.json()["etag"] != made["etag"]
    (doc,) = flow.get(f"/targetConnections/{made['id']}").json()["items"]
    assert doc["name"] == "renamed" and doc["params"]["dataSetId"] == other


@pytest.mark.parametrize("ops, status, field, code", [
    ([{"op": "replace", "path": "/params/dataSetId", "value": "nope"}], 400, "params.dataSetId", 1100),
    ([{"op": "remove", "path": "/params/dataSetId"}], 400, "params.dataSetId", 1100),
    ([{"op": "replace", "path": "/connectionSpec/id", "value": "x"}], 400, "/connectionSpec/id", 1414),
    ([{"op": "replace", "path": "/data/schema/id", "value": "x"}], 400, "/data/schema/id", 1100),
])
def test_refused_patches(flow, ops, status, field, code):
    made = _target(flow)
    _error(flow.patch(f"/targetConnections/{made['id']}", json=ops, headers={"If-Match": made["etag"]}), status,
           field, code)
    assert flow.get(f"/targetConnections/{made['id']}").json()["items"][0]["etag"] == made["etag"]


def test_patch_needs_if_match_and_a_stale_one_is_412(flow):
    made = _target(flow)
    ops = [{"op": "replace", "path": "/name", "value": "x"}]
    _error(flow.patch(f"/targetConnections/{made['id']}", json=ops), 400, "If-Match", 1403)
    assert flow.patch(f"/targetConnections/{made['id']}", json=ops, headers={"If-Match": made["etag"]}).ok
    _error(flow.patch(f"/targetConnections/{made['id']}", json=ops, headers={"If-Match": made["etag"]}), 412,
           "If-Match", 1404)


def test_delete_is_204_then_404_and_is_never_refused(flow):
    made = make_pipeline(flow)
    assert flow.delete(f"/targetConnections/{made.target}").status_code == 204
    assert flow.get(f"/targetConnections/{made.target}").status_code == 404
    assert flow.delete(f"/targetConnections/{made.target}").status_code == 404
    assert flow.get(f"/flows/{made.flow}").status_code == 200


def test_sandboxes_and_orgs_are_isolated(flow, emulator):
    mine = _target(flow)["id"]
    assert flow.get(f"/targetConnections/{mine}", sandbox="dev").status_code == 404
    assert flow.get("/targetConnections", sandbox="dev").json() == {"items": []}
    emulator.add_client("other-client", "other-secret", "other@AdobeOrg")
    other = FlowClient(EmulatorControl(emulator.url, "other@AdobeOrg", "other-client", "other-secret"))
    assert other.get(f"/targetConnections/{mine}").status_code == 404
    assert other.delete(f"/targetConnections/{mine}").status_code == 404


def test_requests_are_logged_by_template(flow, emulator):
    dataset = make_dataset(flow)
    emulator.clear_log()
    ident = created(flow.post("/targetConnections", json=target_body(dataset)))["id"]
    flow.get(f"/targetConnections/{ident}")
    flow.get("/targetConnections")
    flow.delete(f"/targetConnections/{ident}")
    assert emulator.counts() == {f"POST {FLOW}/targetConnections": 1, f"GET {FLOW}/targetConnections/{{id}}": 1,
                                 f"GET {FLOW}/targetConnections": 1, f"DELETE {FLOW}/targetConnections/{{id}}": 1}
    assert emulator.target_connections("prod") == []
