"""Data Prep /mappingSets over real HTTP, every response checked against Adobe's Data Prep spec: create, get
(latest or ?version=), PUT as a new version, list with paging and name, refusals, isolation, no DELETE."""
from __future__ import annotations

import re

import pytest

from tests.emulator.conftest import FlowClient
from tests.emulator.pipeline import CONVERSION, SCHEMA, created, mapping_body, with_change
from tests.support.emulator import EmulatorControl

SETS = f"{CONVERSION}/mappingSets"
HEX32 = re.compile(r"^[0-9a-f]{32}$")


def _error(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["type"].endswith(f"-{status}") and "/CONV-" in body["type"]
    if field:
        assert body["report"]["additionalContext"]["field"] == field
    return body


def test_create_answers_a_simple_representation(flow, emulator):
    made = created(flow.post(SETS, json=mapping_body()), 200)
    assert set(made) == {"id", "version", "createdDate", "modifiedDate", "createdBy", "modifiedBy"}
    assert HEX32.match(made["id"]) and made["version"] == 0 and made["createdDate"] == made["modifiedDate"]
    assert made["createdBy"] == f"{emulator.client_id}@AdobeID"


def test_get_shows_the_schema_and_the_mappings_with_their_ids_and_names(flow):
    body = mapping_body()
    body["mappings"][1].update(name="Order total", description="gross")
    ident = created(flow.post(SETS, json=body), 200)["id"]
    doc = flow.get(f"{SETS}/{ident}/").json()
    assert doc["id"] == ident and doc["version"] == 0 and doc["xdmSchema"] == SCHEMA and doc["xdmVersion"] == "1.0"
    assert doc["outputSchema"] == {"schemaRef": {"id": SCHEMA,
                                                 "contentType": "application/vnd.adobe.xed-full+json;version=1"}}
    first, second = doc["mappings"]
    assert HEX32.match(first["id"]) and first["id"] != second["id"]
    assert {k: first[k] for k in ("sourceType", "source", "destination", "name")} == {
        "sourceType": "ATTRIBUTE", "source": "id", "destination": "_id", "name": "id"}
    assert second["name"] == "Order total" and second["description"] == "gross"


def test_the_schema_may_come_as_output_schema_and_source_type_defaults_to_attribute(flow):
    body = {"outputSchema": {"schemaRef": {"id": SCHEMA, "contentType": "application/vnd.adobe.xed+json"}},
            "mappings": [{"source": "a", "destination": "b"}, {"sourceType": "EXPRESSION", "source": "upper(a)",
                                                                "destination": "c"}]}
    doc = flow.get(f"{SETS}/{created(flow.post(SETS, json=body), 200)['id']}").json()
    assert doc["xdmSchema"] == SCHEMA and [m["sourceType"] for m in doc["mappings"]] == ["ATTRIBUTE", "EXPRESSION"]


def test_put_makes_a_new_version_and_keeps_the_old_ones(flow, emulator):
    ident = created(flow.post(SETS, json=mapping_body()), 200)["id"]
    put = flow.put(f"{SETS}/{ident}", json=mapping_body(pairs=(("code", "_id"),)))
    assert put.status_code == 200 and put.json()["version"] == 1 and put.json()["mappings"][0]["source"] == "code"
    assert flow.get(f"{SETS}/{ident}").json()["version"] == 1
    assert [m["source"] for m in flow.get(f"{SETS}/{ident}", params={"version": "0"}).json()["mappings"]] == [
        "id", "total"]
    assert emulator.mapping_set("prod", ident, version=0)["version"] == 0
    assert emulator.mapping_set("prod", ident)["version"] == 1
    again = flow.put(f"{SETS}/{ident}", json={**put.json(), "version": 1})
    assert again.status_code == 200 and again.json()["version"] == 2


@pytest.mark.parametrize("dotted, value, field", [
    ("xdmSchema", KeyError, "xdmSchema"),
    ("xdmSchema", "", "xdmSchema"),
    ("xdmVersion", 1, "xdmVersion"),
    ("version", 3, "version"),
    ("mappings", [], "mappings"),
    ("mappings", KeyError, "mappings"),
    ("mappings.0", "id:_id", "mappings[0]"),
    ("mappings.0.source", "", "mappings[0].source"),
    ("mappings.1.destination", KeyError, "mappings[1].destination"),
    ("mappings.0.sourceType", "CONSTANT", "mappings[0].sourceType"),
    ("mappings.0.name", 5, "mappings[0].name"),
    ("mappings.0.identity", "yes", "mappings[0].identity"),  # true or false, as in Adobe's example
    ("mappings.0.matchScore", 1, "mappings[0].matchScore"),
    ("outputSchema", {"schemaRef": {"id": "https://ns.adobe.com/other"}}, "outputSchema.schemaRef.id"),
    ("id", "0" * 32, "id"),
    ("owner", "me", "owner"),
])
def test_invalid_bodies_are_400_naming_the_field(flow, dotted, value, field):
    _error(flow.post(SETS, json=with_change(mapping_body(), dotted, value)), 400, field)
    assert flow.get(SETS).json()["data"] == []


def test_put_refusals(flow):
    ident = created(flow.post(SETS, json=mapping_body()), 200)["id"]
    _error(flow.put(f"{SETS}/{ident}", json={**mapping_body(), "id": "f" * 32}), 400, "id")
    _error(flow.put(f"{SETS}/{ident}", json={**mapping_body(), "mappings": []}), 400, "mappings")
    _error(flow.put(f"{SETS}/{'f' * 32}", json=mapping_body()), 404)
    assert flow.get(f"{SETS}/{ident}").json()["version"] == 0


@pytest.mark.parametrize("version, status", [("1", 404), ("x", 400), ("-1", 400)])
def test_unknown_ids_and_versions(flow, version, status):
    ident = created(flow.post(SETS, json=mapping_body()), 200)["id"]
    _error(flow.get(f"{SETS}/{ident}", params={"version": version}), status)
    assert _error(flow.get(f"{SETS}/{'f' * 32}"), 404)["type"].endswith("CONV-1101-404")


def test_list_pages_with_limit_and_start_and_filters_by_name(flow):
    ids = [created(flow.post(SETS, json={**mapping_body(), "name": f"set {i}"}), 200)["id"] for i in range(3)]
    page = flow.get(SETS, params={"limit": "2", "start": "0"}).json()
    assert [m["id"] for m in page["data"]] == ids[:2] and page["_page"] == {"count": 2, "limit": 2}
    assert flow.get(page["_links"]["next"]["href"].replace("/mappingSets", SETS)).json()["data"][0]["id"] == ids[2]
    assert [m["id"] for m in flow.get(SETS, params={"name": "set 1"}).json()["data"]] == [ids[1]]
    for bad in ({"limit": "0"}, {"limit": "x"}, {"start": "-1"}):
        _error(flow.get(SETS, params=bad), 400, next(iter(bad)))


def test_there_is_no_delete(flow):
    ident = created(flow.post(SETS, json=mapping_body()), 200)["id"]
    response = flow.delete(f"{SETS}/{ident}")
    assert response.status_code == 405 and response.headers["Allow"] == "GET, HEAD, PUT, OPTIONS"


def test_sandboxes_orgs_and_the_gateway(flow, emulator):
    ident = created(flow.post(SETS, json=mapping_body()), 200)["id"]
    _error(flow.get(f"{SETS}/{ident}", sandbox="dev"), 404)
    assert flow.get(SETS, sandbox="dev").json()["data"] == []
    emulator.add_client("other-client", "other-secret", "other@AdobeOrg")
    other = FlowClient(EmulatorControl(emulator.url, "other@AdobeOrg", "other-client", "other-secret"))
    _error(other.get(f"{SETS}/{ident}"), 404)
    response = flow.post(SETS, json=mapping_body(), headers={"x-api-key": None})
    assert response.status_code == 403 and response.json()["error_code"] == "403000"
    assert _error(flow.get(SETS, sandbox="qa"), 404)["type"].endswith("CONV-1101-404")


def test_requests_are_logged_and_faulted_like_the_others(flow, emulator):
    emulator.token()
    emulator.clear_log()
    emulator.set_faults(script=[{"method": "POST", "template": SETS, "fault": "503"}])
    assert _error(flow.post(SETS, json=mapping_body()), 503)["type"].endswith("CONV-1103-503")
    ident = created(flow.post(SETS, json=mapping_body()), 200)["id"]
    flow.get(f"{SETS}/{ident}")
    assert emulator.counts() == {f"POST {SETS}": 2, f"GET {SETS}/{{id}}": 1}
