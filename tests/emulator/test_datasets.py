"""Catalog /dataSets over real HTTP, every response checked against Adobe's Catalog spec: create, the id map
shape of get and list, name/limit/start/properties, delete, refusals, isolation."""
from __future__ import annotations

import re

import pytest

from tests.emulator.pipeline import CATALOG, SCHEMA, created, dataset_body, make_dataset, make_pipeline, with_change

SETS = f"{CATALOG}/dataSets"


def _error(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert "/CAT-" in body["type"] and body["type"].endswith(f"-{status}")
    if field:
        assert body["report"]["additionalContext"]["field"] == field
    return body


def test_create_answers_its_reference_and_get_the_id_map(flow, emulator):
    response = flow.post(SETS, json={**dataset_body(), "tags": {"team": ["orders"]}})
    (ref,) = created(response)
    ident = ref.split("/")[-1]
    assert ref == f"@/dataSets/{ident}" and re.fullmatch(r"[0-9a-f]{24}", ident)
    assert response.headers["Location"] == f"{emulator.url}{SETS}/{ident}"
    doc = flow.get(f"{SETS}/{ident}").json()[ident]
    assert doc["name"] == "Orders" and doc["schemaRef"]["id"] == SCHEMA and doc["tags"] == {"team": ["orders"]}
    assert doc["created"] == doc["updated"] and doc["createdClient"] == emulator.client_id
    assert doc["imsOrg"] == emulator.org_id
    assert flow.get(f"{SETS}/{ident}", params={"properties": "name,schemaRef"}).json() == {
        ident: {"name": "Orders", "schemaRef": doc["schemaRef"]}}


@pytest.mark.parametrize("dotted, value, field", [
    ("name", KeyError, "name"), ("name", "", "name"), ("schemaRef", KeyError, "schemaRef.id"),
    ("schemaRef.id", 5, "schemaRef.id"), ("schemaRef.contentType", 1, "schemaRef.contentType"),
    ("tags", {"a": "b"}, "tags"), ("description", 1, "description"), ("fileDescription", [], "fileDescription"),
    ("owner", "me", "owner"),
])
def test_invalid_bodies_are_400_naming_the_field(flow, dotted, value, field):
    _error(flow.post(SETS, json=with_change(dataset_body(), dotted, value)), 400, field)
    assert flow.get(SETS).json() == {}


def test_list_filters_by_name_and_pages(flow):
    ids = [make_dataset(flow, name=name) for name in ("a", "b", "a")]
    assert list(flow.get(SETS).json()) == ids
    assert list(flow.get(SETS, params={"name": "a"}).json()) == [ids[0], ids[2]]
    assert list(flow.get(SETS, params={"limit": "1", "start": "1"}).json()) == [ids[1]]
    assert flow.get(SETS, params={"properties": "name", "limit": "1"}).json() == {ids[0]: {"name": "a"}}
    for bad in ({"limit": "0"}, {"limit": "101"}, {"start": "x"}):
        _error(flow.get(SETS, params=bad), 400, next(iter(bad)))


def test_delete_answers_its_reference_then_404(flow):
    ident = make_dataset(flow)
    response = flow.delete(f"{SETS}/{ident}")
    assert response.status_code == 200 and response.json() == [f"@/dataSets/{ident}"]
    assert _error(flow.get(f"{SETS}/{ident}"), 404)["type"].endswith("CAT-1101-404")
    _error(flow.delete(f"{SETS}/{ident}"), 404)


def test_a_flow_whose_dataset_is_gone_cannot_be_changed(flow):
    made = make_pipeline(flow)
    assert flow.delete(f"{SETS}/{made.dataset}").status_code == 200
    etag = flow.get(f"/flows/{made.flow}").json()["items"][0]["etag"]
    response = flow.patch(f"/flows/{made.flow}", json=[{"op": "replace", "path": "/name", "value": "x"}],
                          headers={"If-Match": etag})
    assert response.status_code == 400 and response.json()["report"]["additionalContext"]["field"] == \
        "targetConnectionIds"


def test_sandboxes_are_isolated_and_the_control_api_sees_each(flow, emulator):
    ident = make_dataset(flow, "dev")
    _error(flow.get(f"{SETS}/{ident}"), 404)
    assert list(flow.get(SETS, sandbox="dev").json()) == [ident]
    by_hand = emulator.create_dataset("prod", "Made by hand", SCHEMA)
    assert [d["id"] for d in emulator.datasets("prod")] == [by_hand]
    assert emulator.datasets("prod")[0]["createdClient"] == "exc_app"
    assert [d["id"] for d in emulator.datasets("dev")] == [ident]


def test_requests_are_logged_by_template(flow, emulator):
    emulator.token()
    emulator.clear_log()
    ident = make_dataset(flow)
    flow.get(f"{SETS}/{ident}")
    flow.delete(f"{SETS}/{ident}")
    assert emulator.counts() == {f"POST {SETS}": 1, f"GET {SETS}/{{id}}": 1, f"DELETE {SETS}/{{id}}": 1}
