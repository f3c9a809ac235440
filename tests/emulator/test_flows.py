"""POST/GET /flows and GET/DELETE /flows/{id} over real HTTP, every response checked against Adobe's spec: the
documented fields with ``inheritedAttributes``, every refusal of a create, filters, isolation, log and faults."""
from __future__ import annotations

import time

import pytest

from tests.emulator.conftest import FlowClient
from tests.emulator.pipeline import (CONVERSION, CRM_TO_AEP, DATA_LAKE, OTHER_SCHEMA, PG_SPEC, created, flow_body,
                                     make_dataset, make_pipeline, mapping_body, source_body, target_body,
                                     with_change)
from tests.emulator.seeds import BIGQUERY_FIXED, BIGQUERY_SPEC_ID
from tests.support.emulator import EmulatorControl

FLOW = "/data/foundation/flowservice"
CLOUD_STORAGE_TO_AEP = {"id": "9753525b-82c7-4dce-8a9b-5ccfce2b9876", "version": "1.0"}


def _error(response, field: str, code: int = 1100) -> dict:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["type"].endswith(f"FLOW-{code}-400") and body["report"]["additionalContext"]["field"] == field
    return body


def test_create_then_get_returns_the_documented_fields_and_inherited_attributes(flow, emulator):
    made = make_pipeline(flow)
    response = flow.get(f"/flows/{made.flow}")
    (doc,) = response.json()["items"]
    assert response.headers["ETag"] == doc["etag"] == doc["version"] == made.flow_etag
    assert doc["name"] == "Orders to AEP" and doc["state"] == "enabled" and doc["flowSpec"] == CRM_TO_AEP
    assert doc["sourceConnectionIds"] == [made.source] and doc["targetConnectionIds"] == [made.target]
    assert doc["inheritedAttributes"] == {
        "sourceConnections": [{"id": made.source, "connectionSpec": PG_SPEC,
                               "baseConnection": {"id": made.base, "connectionSpec": PG_SPEC}}],
        "targetConnections": [{"id": made.target, "connectionSpec": DATA_LAKE}],
    }
    assert doc["scheduleParams"]["frequency"] == "hour" and doc["scheduleParams"]["interval"] == "1"
    assert isinstance(doc["scheduleParams"]["startTime"], int)
    assert doc["transformations"] == [{"name": "Mapping", "params": {"mappingId": made.mapping,
                                                                     "mappingVersion": "0"}}]
    assert doc["runs"] == f"/runs?property=flowId=={made.flow}"
    assert doc["sandboxName"] == "prod" and doc["imsOrgId"] == emulator.org_id
    assert doc["createdClient"] == emulator.client_id and doc["createdAt"] == doc["updatedAt"]


def test_schedule_numbers_may_be_strings_and_come_back_typed(flow):
    made = make_pipeline(flow)
    body = flow_body(made.source, made.target, made.mapping, "typed")
    body["scheduleParams"] = {"startTime": "1900000000", "frequency": "minute", "interval": "15", "backfill": True}
    ident = created(flow.post("/flows", json=body))["id"]
    schedule = flow.get(f"/flows/{ident}").json()["items"][0]["scheduleParams"]
    assert schedule == {"startTime": 1900000000, "frequency": "minute", "interval": "15", "backfill": True}
    body["scheduleParams"] = {"startTime": 1900000000, "frequency": "once"}
    once = created(flow.post("/flows", json=body))["id"]
    assert flow.get(f"/flows/{once}").json()["items"][0]["scheduleParams"] == {"startTime": 1900000000,
                                                                               "frequency": "once"}


@pytest.mark.parametrize("dotted, value, field", [
    ("name", KeyError, "name"),
    ("owner", "me", "owner"),
    ("flowSpec", KeyError, "flowSpec.id"),
    ("flowSpec.id", "00000000-0000-0000-0000-000000000000", "flowSpec.id"),
    ("flowSpec.version", "2.0", "flowSpec.version"),
    ("sourceConnectionIds", [], "sourceConnectionIds"),
    ("sourceConnectionIds", ["00000000-0000-0000-0000-000000000000"], "sourceConnectionIds"),
    ("targetConnectionIds", ["00000000-0000-0000-0000-000000000000"], "targetConnectionIds"),
    ("targetConnectionIds", [7], "targetConnectionIds"),
    ("transformations", "Mapping", "transformations"),
    ("transformations.0.name", "Copy", "transformations[0].name"),
    ("transformations.0.params.mappingId", "0f2b9a7c", "transformations[0].params.mappingId"),
    ("transformations.0.params.mappingVersion", "7", "transformations[0].params.mappingVersion"),
    ("transformations.0.params.mappingVersion", True, "transformations[0].params.mappingVersion"),
    ("transformations.0.params.mappingVersion", KeyError, "transformations[0].params.mappingVersion"),
    ("transformations.0.params.deltaColumn", {"name": "updated"}, "transformations[0].params.deltaColumn"),
    ("scheduleParams", KeyError, "scheduleParams"),
    ("scheduleParams.startTime", KeyError, "scheduleParams.startTime"),
    ("scheduleParams.startTime", "soon", "scheduleParams.startTime"),
    ("scheduleParams.startTime", 1.5, "scheduleParams.startTime"),
    ("scheduleParams.frequency", KeyError, "scheduleParams.frequency"),
    ("scheduleParams.frequency", "fortnight", "scheduleParams.frequency"),
    ("scheduleParams.interval", KeyError, "scheduleParams.interval"),
    ("scheduleParams.interval", 0, "scheduleParams.interval"),
    ("scheduleParams.interval", "often", "scheduleParams.interval"),
    ("scheduleParams.backfill", "yes", "scheduleParams.backfill"),
    ("scheduleParams.every", 2, "scheduleParams.every"),
])
def test_invalid_bodies_are_400_naming_the_field(flow, dotted, value, field):
    made = make_pipeline(flow)
    body = with_change(flow_body(made.source, made.target, made.mapping), dotted, value)
    _error(flow.post("/flows", json=body), field)
    assert [f["id"] for f in flow.get("/flows").json()["items"]] == [made.flow]


@pytest.mark.parametrize("schedule, field", [
    ({"frequency": "minute", "interval": 14}, "scheduleParams.interval"),
    ({"frequency": "once", "interval": 1}, "scheduleParams.interval"),
    ({"frequency": "once", "backfill": False}, "scheduleParams.backfill"),
])
def test_schedule_rules_of_the_flow_spec(flow, schedule, field):
    made = make_pipeline(flow)
    body = flow_body(made.source, made.target, made.mapping)
    body["scheduleParams"] = {"startTime": 1900000000, **schedule}
    _error(flow.post("/flows", json=body), field)


def test_a_mapping_to_another_schema_than_the_datasets_is_1425(flow):
    made = make_pipeline(flow)
    other = created(flow.post(f"{CONVERSION}/mappingSets", json=mapping_body(OTHER_SCHEMA)), 200)["id"]
    body = _error(flow.post("/flows", json=flow_body(made.source, made.target, other)),
                  "transformations[0].params.mappingId", 1425)
    assert OTHER_SCHEMA in body["detail"] and made.dataset in body["detail"]


def test_a_source_the_flow_spec_does_not_take_is_refused(flow):
    made = make_pipeline(flow)
    body = flow_body(made.source, made.target, made.mapping)
    body["flowSpec"] = CLOUD_STORAGE_TO_AEP
    assert "CloudStorageToAEP" in _error(flow.post("/flows", json=body), "sourceConnectionIds")["detail"]
    bigquery = flow.create(BIGQUERY_FIXED)["id"]
    source = created(flow.post("/sourceConnections", json=source_body(bigquery, "bq", {"id": BIGQUERY_SPEC_ID,
                                                                                         "version": "1.0"})))["id"]
    assert created(flow.post("/flows", json=flow_body(source, made.target, made.mapping, "bq")))["id"]


def test_every_connection_and_the_mapping_must_be_in_the_same_sandbox(flow):
    prod, dev = make_pipeline(flow), make_pipeline(flow, "dev")
    for field, change in [("sourceConnectionIds", {"sourceConnectionIds": [dev.source]}),
                          ("targetConnectionIds", {"targetConnectionIds": [dev.target]}),
                          ("transformations[0].params.mappingId",
                           {"transformations": [{"name": "Mapping", "params": {"mappingId": dev.mapping,
                                                                               "mappingVersion": "0"}}]})]:
        body = {**flow_body(prod.source, prod.target, prod.mapping), **change}
        assert "sandbox 'prod'" in _error(flow.post("/flows", json=body), field)["detail"]


def test_list_filters_on_source_connection_ids(flow):
    made = make_pipeline(flow)
    other = created(flow.post("/sourceConnections", json=source_body(made.base, "other")))["id"]
    both = created(flow.post("/flows", json={**flow_body(made.source, made.target, made.mapping, "both"),
                                              "sourceConnectionIds": [made.source, other]}))["id"]
    using = flow.get("/flows", params={"property": f"sourceConnectionIds=={other}"}).json()["items"]
    assert [f["id"] for f in using] == [both]
    assert len(flow.get("/flows", params={"property": f"sourceConnectionIds=={made.source}"}).json()["items"]) == 2
    page = flow.get("/flows", params={"limit": "1"}).json()
    assert [f["id"] for f in page["items"]] == [made.flow] and "continuationToken=" in page["_links"]["next"]["href"]
    assert flow.get("/flows", params={"property": "state==enabled", "count": "true"}).json() == {"count": 2}


def test_delete_is_204_then_404_and_leaves_the_connections(flow):
    made = make_pipeline(flow)
    assert flow.delete(f"/flows/{made.flow}").status_code == 204
    assert flow.get(f"/flows/{made.flow}").status_code == 404
    assert flow.delete(f"/flows/{made.flow}/").status_code == 404
    assert flow.get(f"/sourceConnections/{made.source}").status_code == 200
    assert flow.get(f"/targetConnections/{made.target}").status_code == 200


def test_a_base_connection_a_flow_reads_through_cannot_be_deleted_1418(flow, emulator):
    made = make_pipeline(flow)
    body = _error(flow.delete(f"/connections/{made.base}"), "id", 1418)
    assert "Found active flows" in body["detail"] and made.flow in body["detail"]
    assert [c["id"] for c in emulator.connections()] == [made.base]
    flow.post(f"/flows/{made.flow}/action", params={"op": "disable"})
    _error(flow.delete(f"/connections/{made.base}"), "id", 1418)
    assert flow.delete(f"/sourceConnections/{made.source}").status_code == 204
    _error(flow.delete(f"/connections/{made.base}"), "id", 1418)
    assert flow.delete(f"/flows/{made.flow}").status_code == 204
    assert flow.delete(f"/connections/{made.base}").status_code == 204


def test_source_connections_alone_do_not_stop_a_base_connection_delete(flow):
    base = flow.create()["id"]
    created(flow.post("/sourceConnections", json=source_body(base)))
    assert flow.delete(f"/connections/{base}").status_code == 204


def test_sandboxes_and_orgs_are_isolated(flow, emulator):
    mine = make_pipeline(flow).flow
    assert flow.get(f"/flows/{mine}", sandbox="stage").status_code == 404
    assert flow.get("/flows", sandbox="stage").json() == {"items": []}
    emulator.add_client("other-client", "other-secret", "other@AdobeOrg")
    other = FlowClient(EmulatorControl(emulator.url, "other@AdobeOrg", "other-client", "other-secret"))
    assert other.get(f"/flows/{mine}").status_code == 404 and other.delete(f"/flows/{mine}").status_code == 404
    assert other.get("/flows").json() == {"items": []}
    assert flow.get(f"/flows/{mine}").status_code == 200


def test_gateway_checks_every_route(flow):
    mine = make_pipeline(flow).flow
    for method, path in [("POST", "/flows"), ("GET", "/flows"), ("GET", f"/flows/{mine}"),
                         ("PATCH", f"/flows/{mine}"), ("DELETE", f"/flows/{mine}"),
                         ("POST", f"/flows/{mine}/action?op=disable")]:
        response = flow.request(method, path, headers={"x-api-key": None}, json={})
        assert response.status_code == 403 and response.json()["error_code"] == "403000"
    assert flow.get(f"/flows/{mine}").json()["items"][0]["state"] == "enabled"


def test_requests_are_logged_by_template_and_can_be_faulted(flow, emulator):
    made = make_pipeline(flow, start=int(time.time()) + 60)
    emulator.clear_log()
    emulator.set_faults(script=[{"method": "GET", "template": f"{FLOW}/flows", "fault": "429"}], retry_after=0)
    assert flow.get("/flows").status_code == 429
    flow.get(f"/flows/{made.flow}")
    flow.post(f"/flows/{made.flow}/action", params={"op": "disable"})
    flow.delete(f"/flows/{made.flow}")
    assert emulator.counts() == {f"GET {FLOW}/flows": 1, f"GET {FLOW}/flows/{{id}}": 1,
                                 f"POST {FLOW}/flows/{{id}}/action": 1, f"DELETE {FLOW}/flows/{{id}}": 1}
    assert [r["status"] for r in emulator.requests()] == [429, 200, 200, 204]


def test_reset_forgets_every_pipeline_object(flow, emulator):
    made = make_pipeline(flow)
    emulator.reset()
    for path in (f"/flows/{made.flow}", f"/sourceConnections/{made.source}", f"/targetConnections/{made.target}",
                 f"{CONVERSION}/mappingSets/{made.mapping}", f"/data/foundation/catalog/dataSets/{made.dataset}"):
        assert flow.get(path).status_code == 404, path


def test_target_body_of_the_tutorial_makes_a_flow_of_its_own(flow):
    base = flow.create()["id"]
    dataset = make_dataset(flow, name="Second")
    source = created(flow.post("/sourceConnections", json=source_body(base)))["id"]
    target = created(flow.post("/targetConnections", json=target_body(dataset)))["id"]
    mapping = created(flow.post(f"{CONVERSION}/mappingSets", json=mapping_body()), 200)["id"]
    assert created(flow.post("/flows", json=flow_body(source, target, mapping)))["etag"]
