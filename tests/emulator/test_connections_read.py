"""GET /connections/{id} and GET /connections: document shape, masking, filters, order, paging, count."""
from __future__ import annotations

import copy
import json
import time

import pytest

from emulator.backend.catalog import load_catalog
from emulator.backend.service_side import SALESFORCE_JWT
from tests.emulator.seeds import POSTGRESQL, POSTGRESQL_SPEC_ID, postgresql_body

SECRET_PASSWORD = "s3cr3t-Pa55w0rd!"


def _named(name: str, **kwargs) -> dict:
    return postgresql_body(name=name, password=SECRET_PASSWORD, **kwargs)


def test_get_returns_the_documented_fields(flow, emulator):
    before = int(time.time() * 1000)
    created = flow.create(_named("orders db"))
    doc = flow.fetch(created["id"])
    assert doc["id"] == created["id"] and doc["etag"] == created["etag"] and doc["version"] == created["etag"]
    assert doc["name"] == "orders db" and doc["description"] == POSTGRESQL["description"]
    assert doc["auth"]["specName"] == "Connection String Based Authentication"
    assert doc["connectionSpec"] == {"id": POSTGRESQL_SPEC_ID, "version": "1.0"}
    assert doc["state"] == "enabled"
    assert before <= doc["createdAt"] == doc["updatedAt"] <= int(time.time() * 1000)
    assert doc["createdBy"] == doc["updatedBy"] == f"{emulator.client_id}@AdobeID"
    assert doc["sandboxName"] == "prod" and doc["imsOrgId"] == emulator.org_id


def test_secret_params_are_masked_and_never_echoed(flow, emulator):
    created = flow.create(_named("masked"))
    single = flow.get(f"/connections/{created['id']}")
    listed = flow.get("/connections")
    for response in (single, listed):
        assert SECRET_PASSWORD not in response.text
    assert single.json()["items"][0]["auth"]["params"] == {"connectionString": "***"}
    assert SECRET_PASSWORD not in json.dumps(emulator.request_log())
    assert SECRET_PASSWORD in emulator.connections()[0]["auth"]["params"]["connectionString"]


def _sample(param) -> object:
    return {"integer": 1234, "boolean": True}.get(param.type, f"value-of-{param.name}-xyz")


def test_every_secret_param_of_every_spec_is_masked(flow):
    """Creates one connection per (spec, auth spec) of the catalog and checks no secret value comes back, in the
    mask form Adobe documents for it (emulator/backend/service_side.py)."""
    checked = 0
    for spec in load_catalog().all():
        for auth in spec.auth_specs:
            params = {p.name: _sample(p) for p in auth.params}
            body = {"name": f"{spec.source} {auth.name}", "auth": {"specName": auth.name, "params": params},
                    "connectionSpec": {"id": spec.id, "version": spec.version}}
            created = flow.create(body)
            response = flow.get(f"/connections/{created['id']}")
            returned = response.json()["items"][0]["auth"]["params"]
            aws_hosted = (spec.id, auth.name) == SALESFORCE_JWT  # masks as Secrets Manager references
            for p in auth.params:
                if p.secret:
                    assert str(params[p.name]) not in response.text
                    if aws_hosted:
                        assert returned[p.name].startswith("arn:aws:secretsmanager:us-east-1:")
                    else:
                        assert returned[p.name] == "***"
                else:
                    assert returned[p.name] == params[p.name]
            checked += 1
    assert checked == sum(len(s.auth_specs) for s in load_catalog().all())


def test_unknown_id_is_404(flow):
    response = flow.get("/connections/00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404
    assert response.json()["type"].endswith("FLOW-1101-404")


def test_list_returns_connections_in_creation_order(flow):
    ids = [flow.create(_named(n))["id"] for n in ("b", "a", "c")]
    assert [c["id"] for c in flow.get("/connections").json()["items"]] == ids


def test_list_empty(flow):
    assert flow.get("/connections").json() == {"items": []}


@pytest.fixture
def three(flow):
    bigquery = {"name": "bq", "auth": {"specName": "Service Authentication", "params": {
        "projectId": "p", "keyFileContent": "a2V5"}}, "connectionSpec": {"id": "3c9b37f8-13a6-43d8-bad3-b863b941fedd"}}
    return {"alpha": flow.create(_named("alpha"))["id"], "beta": flow.create(_named("beta"))["id"],
            "bq": flow.create(bigquery)["id"]}


def _names(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [c["name"] for c in response.json()["items"]]


def test_property_equality_filter(flow, three):
    assert _names(flow.get("/connections", params={"property": "name==beta"})) == ["beta"]
    assert _names(flow.get("/connections", params={"property": f"connectionSpec.id=={POSTGRESQL_SPEC_ID}"})) == [
        "alpha", "beta"]


def test_comma_is_or_and_repeated_property_is_and(flow, three):
    assert _names(flow.get("/connections", params={"property": "name==alpha,name==bq"})) == ["alpha", "bq"]
    both = [("property", "name==alpha,name==bq"), ("property", f"connectionSpec.id=={POSTGRESQL_SPEC_ID}")]
    assert _names(flow.get("/connections", params=both)) == ["alpha"]


def test_other_operators_and_existence(flow, three):
    assert _names(flow.get("/connections", params={"property": "name!=alpha"})) == ["beta", "bq"]
    assert _names(flow.get("/connections", params={"property": "name~ph"})) == ["alpha"]
    assert _names(flow.get("/connections", params={"property": "description"})) == ["alpha", "beta"]
    created = flow.fetch(three["beta"])["createdAt"]
    assert _names(flow.get("/connections", params={"property": f"createdAt>={created}"})) == ["beta", "bq"]


def test_filter_cannot_probe_secret_values(flow, three):
    probe = {"property": f"auth.params.connectionString~{SECRET_PASSWORD}"}
    assert _names(flow.get("/connections", params=probe)) == []


def test_orderby_ascending_and_descending(flow, three):
    assert _names(flow.get("/connections", params={"orderby": "-name"})) == ["bq", "beta", "alpha"]
    assert _names(flow.get("/connections", params={"orderby": "name"})) == ["alpha", "beta", "bq"]


def test_orderby_on_an_object_or_missing_field_still_lists_everything(flow, three):
    assert sorted(_names(flow.get("/connections", params={"orderby": "auth"}))) == ["alpha", "beta", "bq"]
    assert _names(flow.get("/connections", params={"orderby": "description,-name"})) == ["bq", "beta", "alpha"]


def test_limit_and_continuation_token_page_through_everything(flow, three):
    seen, params = [], {"limit": 2, "orderby": "name"}
    for _ in range(5):
        response = flow.get("/connections", params=params)
        body = response.json()
        seen += [c["name"] for c in body["items"]]
        link = body.get("_links", {}).get("next")
        if link is None:
            break
        assert link["href"].startswith("/connections?")
        params = {**params, "continuationToken": link["href"].split("continuationToken=")[1]}
    assert seen == ["alpha", "beta", "bq"]


def test_count(flow, three):
    assert flow.get("/connections", params={"count": "true"}).json() == {"count": 3}
    filtered = {"count": "true", "property": "name==alpha"}
    assert flow.get("/connections", params=filtered).json() == {"count": 1}


def test_limit_with_count_is_1401(flow, three):
    response = flow.get("/connections", params={"count": "true", "limit": 1})
    assert response.status_code == 400
    assert response.json()["type"].endswith("FLOW-1401-400")


@pytest.mark.parametrize("params,field", [
    ({"limit": "0"}, "limit"), ({"limit": "x"}, "limit"), ({"count": "maybe"}, "count"),
    ({"continuationToken": "garbage!"}, "continuationToken"), ({"property": "name=="}, None),
    ({"property": "=oops"}, "property"),
])
def test_bad_list_parameters_are_400(flow, three, params, field):
    response = flow.get("/connections", params=params)
    if field is None:
        assert response.status_code == 200 and response.json()["items"] == []
        return
    assert response.status_code == 400
    assert response.json()["report"]["additionalContext"]["field"] == field


def test_list_items_are_masked_copies(flow):
    body = copy.deepcopy(POSTGRESQL)
    flow.create(body)
    item = flow.get("/connections").json()["items"][0]
    assert item["auth"]["params"] == {"connectionString": "***"}
