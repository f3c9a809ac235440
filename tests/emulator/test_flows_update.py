"""PATCH /flows/{id} and POST /flows/{id}/action over real HTTP, every response checked against Adobe's spec: the
paths Adobe's "Update dataflows" guide changes, If-Match, re-validation of the result, the refusals, and
enable/disable."""
from __future__ import annotations

import time

import pytest

from tests.emulator.pipeline import CONVERSION, OTHER_SCHEMA, created, make_pipeline, mapping_body


def _patch(flow, made, ops, etag: str | None = "current", **kwargs):
    if etag == "current":
        etag = flow.get(f"/flows/{made.flow}").json()["items"][0]["etag"]
    headers = {} if etag is None else {"If-Match": etag}
    return flow.patch(f"/flows/{made.flow}", json=ops, headers=headers, **kwargs)


def _doc(flow, made) -> dict:
    return flow.get(f"/flows/{made.flow}").json()["items"][0]


def _error(response, status: int, field: str, code: int = 1100) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["type"].endswith(f"FLOW-{code}-{status}") and body["report"]["additionalContext"]["field"] == field
    return body


def test_name_description_and_schedule_change_with_a_new_etag(flow):
    made = make_pipeline(flow)
    before = _doc(flow, made)
    ops = [{"op": "replace", "path": "/name", "value": "Orders hourly"},
           {"op": "add", "path": "/description", "value": "changed"},
           {"op": "replace", "path": "/scheduleParams/frequency", "value": "minute"},
           {"op": "replace", "path": "/scheduleParams/interval", "value": 30},
           {"op": "replace", "path": "/scheduleParams/startTime", "value": "1900000000"}]
    response = _patch(flow, made, ops)
    assert response.status_code == 200 and set(response.json()) == {"id", "etag"}
    assert response.headers["ETag"] == response.json()["etag"] != before["etag"]
    doc = _doc(flow, made)
    assert doc["name"] == "Orders hourly" and doc["description"] == "changed" and doc["etag"] == response.json()["etag"]
    assert doc["scheduleParams"] == {"startTime": 1900000000, "frequency": "minute", "interval": "30"}
    assert doc["updatedAt"] >= before["updatedAt"] and doc["createdAt"] == before["createdAt"]


def test_switching_to_once_removes_the_interval(flow):
    made = make_pipeline(flow)
    ops = [{"op": "replace", "path": "/scheduleParams/frequency", "value": "once"},
           {"op": "remove", "path": "/scheduleParams/interval"}]
    assert _patch(flow, made, ops).status_code == 200
    assert _doc(flow, made)["scheduleParams"]["frequency"] == "once"


def test_a_new_mapping_version_or_mapping_set(flow):
    made = make_pipeline(flow)
    put = flow.put(f"{CONVERSION}/mappingSets/{made.mapping}", json=mapping_body(pairs=(("id", "_id"),)))
    assert put.status_code == 200 and put.json()["version"] == 1
    assert _patch(flow, made, [{"op": "replace", "path": "/transformations/0/params/mappingVersion",
                                "value": "1"}]).status_code == 200
    other = created(flow.post(f"{CONVERSION}/mappingSets", json=mapping_body()), 200)["id"]
    item = {"name": "Mapping", "params": {"mappingId": other, "mappingVersion": "0"}}
    assert _patch(flow, made, [{"op": "replace", "path": "/transformations/0", "value": item}]).status_code == 200
    assert _doc(flow, made)["transformations"] == [item]


@pytest.mark.parametrize("ops, field, code", [
    ([{"op": "replace", "path": "/sourceConnectionIds", "value": []}], "/sourceConnectionIds", 1100),
    ([{"op": "replace", "path": "/targetConnectionIds/0", "value": "x"}], "/targetConnectionIds/0", 1100),
    ([{"op": "replace", "path": "/flowSpec/id", "value": "x"}], "/flowSpec/id", 1100),
    ([{"op": "replace", "path": "/state", "value": "disabled"}], "/state", 1100),
    ([{"op": "replace", "path": "/scheduleParams", "value": {}}], "/scheduleParams", 1100),
    ([{"op": "add", "path": "/scheduleParams/backfill", "value": True}], "/scheduleParams/backfill", 1100),
    ([{"op": "remove", "path": "/name"}], "/name", 1100),
    ([{"op": "replace", "path": "/scheduleParams/interval", "value": 10},
      {"op": "replace", "path": "/scheduleParams/frequency", "value": "minute"}], "scheduleParams.interval", 1100),
    ([{"op": "add", "path": "/scheduleParams/interval", "value": 2},
      {"op": "replace", "path": "/scheduleParams/frequency", "value": "once"}], "scheduleParams.interval", 1100),
    ([{"op": "remove", "path": "/scheduleParams/frequency"}], "scheduleParams.frequency", 1100),
    ([{"op": "replace", "path": "/transformations/0/params/mappingVersion", "value": "5"}],
     "transformations[0].params.mappingVersion", 1100),
    ([{"op": "replace", "path": "/transformations/3", "value": {}}], "/transformations/3", 1100),
    ([{"op": "replace", "path": "/transformations/0/name", "value": "Copy"}], "/transformations/0/name", 1100),
    ([{"op": "add", "path": "/transformations/-", "value": {"name": "Copy", "params": {}}}],
     "transformations[1].name", 1100),
])
def test_refused_patches_name_the_field_and_change_nothing(flow, ops, field, code):
    made = make_pipeline(flow)
    _error(_patch(flow, made, ops), 400, field, code)
    assert _doc(flow, made)["etag"] == made.flow_etag


def test_a_mapping_to_another_schema_is_1425_on_patch_too(flow):
    made = make_pipeline(flow)
    other = created(flow.post(f"{CONVERSION}/mappingSets", json=mapping_body(OTHER_SCHEMA)), 200)["id"]
    ops = [{"op": "replace", "path": "/transformations/0/params/mappingId", "value": other}]
    _error(_patch(flow, made, ops), 400, "transformations[0].params.mappingId", 1425)


def test_a_passed_start_time_cannot_change(flow):
    made = make_pipeline(flow, start=int(time.time()) - 60)
    ops = [{"op": "replace", "path": "/scheduleParams/startTime", "value": int(time.time()) + 3600}]
    body = _error(_patch(flow, made, ops), 400, "/scheduleParams/startTime")
    assert "a passed startTime cannot change" in body["detail"]
    assert _patch(flow, made, [{"op": "replace", "path": "/scheduleParams/interval", "value": "2"}]).ok


def test_if_match_is_required_and_a_stale_one_is_412(flow):
    made = make_pipeline(flow)
    ops = [{"op": "replace", "path": "/name", "value": "x"}]
    _error(_patch(flow, made, ops, etag=None), 400, "If-Match", 1403)
    assert _patch(flow, made, ops, etag=made.flow_etag).status_code == 200
    _error(_patch(flow, made, [{"op": "replace", "path": "/name", "value": "lost"}], etag=made.flow_etag), 412,
           "If-Match", 1404)
    assert _doc(flow, made)["name"] == "x"
    assert _patch(flow, made, ops, sandbox="dev").status_code == 404


def test_enable_and_disable_switch_the_state_with_a_new_etag_each_time(flow):
    made = make_pipeline(flow)
    etags = {made.flow_etag}
    for op, state in [("disable", "disabled"), ("disable", "disabled"), ("enable", "enabled")]:
        response = flow.post(f"/flows/{made.flow}/action", params={"op": op})
        assert response.status_code == 200 and set(response.json()) == {"id", "etag"}
        assert response.json()["etag"] not in etags and _doc(flow, made)["state"] == state
        etags.add(response.json()["etag"])


@pytest.mark.parametrize("query", [{"op": "pause"}, {}, {"op": ""}])
def test_any_other_action_is_400(flow, query):
    made = make_pipeline(flow)
    _error(flow.post(f"/flows/{made.flow}/action", params=query), 400, "op")


def test_action_checks_if_match_when_sent_and_404s_unknown_flows(flow):
    made = make_pipeline(flow)
    stale = flow.post(f"/flows/{made.flow}/action", params={"op": "disable"}, headers={"If-Match": '"old"'})
    _error(stale, 412, "If-Match", 1404)
    assert flow.post("/flows/missing/action", params={"op": "disable"}).status_code == 404


def test_an_edit_in_the_ui_gives_a_new_etag_the_provider_did_not_make(flow, emulator):
    made = make_pipeline(flow)
    edited = emulator.patch_flow("prod", made.flow, [{"op": "replace", "path": "/scheduleParams/interval",
                                                      "value": 6}])
    assert edited["updatedClient"] == "exc_app" and edited["scheduleParams"]["interval"] == "6"
    assert edited["etag"] != made.flow_etag and emulator.get_flow("prod", made.flow) == edited
    assert [f["id"] for f in emulator.flows("prod")] == [made.flow]
    _error(_patch(flow, made, [{"op": "replace", "path": "/name", "value": "x"}], etag=made.flow_etag), 412,
           "If-Match", 1404)
