"""PATCH and DELETE /connections/{id}: JSON Patch, If-Match/etag rules, spec immutability, deletion."""
from __future__ import annotations

import pytest

from tests.emulator.seeds import BIGQUERY_FIXED, POSTGRESQL

BASIC_PG = {
    "name": "pg basic",
    "auth": {"specName": "Basic Authentication",
             "params": {"server": "db.local", "port": 5432, "database": "sales", "username": "u", "password": "p"}},
    "connectionSpec": {"id": "74a1c565-4e59-48d7-9d67-7c03b8a13137", "version": "1.0"},
}


@pytest.fixture
def basic(flow):
    return flow.create(BASIC_PG)


def _patch(flow, created, ops, *, slash=True, etag=None, **kwargs):
    path = f"/connections/{created['id']}" + ("/" if slash else "")
    return flow.patch(path, json=ops, headers={"If-Match": etag or created["etag"]}, **kwargs)


def _stored(emulator, ident):
    return next(c for c in emulator.connections() if c["id"] == ident)


def test_replace_name_returns_new_etag_and_updates(flow, emulator, basic):
    response = _patch(flow, basic, [{"op": "replace", "path": "/name", "value": "renamed"}])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["id"] == basic["id"] and body["etag"] != basic["etag"]
    doc = flow.fetch(basic["id"])
    assert doc["name"] == "renamed" and doc["etag"] == body["etag"] and doc["updatedAt"] >= doc["createdAt"]


def test_path_without_trailing_slash_and_the_specs_single_uppercase_instruction(flow, basic):
    response = _patch(flow, basic, {"op": "REPLACE", "path": "/description", "value": "as in the spec"}, slash=False)
    assert response.status_code == 200, response.text
    assert flow.fetch(basic["id"])["description"] == "as in the spec"


def test_description_add_and_remove(flow, basic):
    etag = _patch(flow, basic, [{"op": "add", "path": "/description", "value": "d"}]).json()["etag"]
    assert flow.fetch(basic["id"])["description"] == "d"
    assert _patch(flow, basic, [{"op": "remove", "path": "/description"}], etag=etag).status_code == 200
    assert "description" not in flow.fetch(basic["id"])


def test_replace_whole_params(flow, emulator):
    created = flow.create(POSTGRESQL)
    new = {"connectionString": "Server=h2;Database=d2;Port=5433;UID=u2;Password=rotated"}
    assert _patch(flow, created, [{"op": "replace", "path": "/auth/params", "value": new}]).status_code == 200
    assert _stored(emulator, created["id"])["auth"]["params"] == new
    assert flow.fetch(created["id"])["auth"]["params"] == {"connectionString": "***"}


def test_single_param_add_replace_remove(flow, emulator, basic):
    ops = [{"op": "replace", "path": "/auth/params/password", "value": "rotated"},
           {"op": "add", "path": "/auth/params/sslMode", "value": "Require"},
           {"op": "replace", "path": "/auth/params/port", "value": 6543}]
    etag = _patch(flow, basic, ops).json()["etag"]
    params = _stored(emulator, basic["id"])["auth"]["params"]
    assert params["password"] == "rotated" and params["sslMode"] == "Require" and params["port"] == 6543
    assert _patch(flow, basic, [{"op": "remove", "path": "/auth/params/sslMode"}], etag=etag).status_code == 200
    assert "sslMode" not in _stored(emulator, basic["id"])["auth"]["params"]


def test_ops_apply_atomically(flow, emulator, basic):
    ops = [{"op": "replace", "path": "/name", "value": "half"}, {"op": "replace", "path": "/auth/params/port",
                                                                  "value": "not-an-int"}]
    assert _patch(flow, basic, ops).status_code == 400
    stored = _stored(emulator, basic["id"])
    assert stored["name"] == "pg basic" and stored["etag"] == basic["etag"]


def test_missing_if_match_is_1403(flow, basic):
    response = flow.patch(f"/connections/{basic['id']}", json=[{"op": "replace", "path": "/name", "value": "x"}])
    assert response.status_code == 400
    assert response.json()["type"].endswith("FLOW-1403-400")


def test_stale_if_match_is_412_and_changes_nothing(flow, emulator, basic):
    fresh = _patch(flow, basic, [{"op": "replace", "path": "/name", "value": "first"}]).json()["etag"]
    response = _patch(flow, basic, [{"op": "replace", "path": "/name", "value": "lost update"}])
    assert response.status_code == 412
    assert response.json()["type"].endswith("FLOW-1404-412")
    stored = _stored(emulator, basic["id"])
    assert stored["name"] == "first" and stored["etag"] == fresh


def test_if_match_without_quotes_is_accepted(flow, basic):
    ops = [{"op": "replace", "path": "/name", "value": "x"}]
    assert _patch(flow, basic, ops, etag=basic["etag"].strip('"')).status_code == 200


@pytest.mark.parametrize("path", ["/connectionSpec", "/connectionSpec/id"])
def test_changing_the_connection_spec_is_1414(flow, basic, path):
    response = _patch(flow, basic, [{"op": "replace", "path": path, "value": "3c9b37f8-13a6-43d8-bad3-b863b941fedd"}])
    assert response.status_code == 400
    assert response.json()["type"].endswith("FLOW-1414-400")


@pytest.mark.parametrize("ops,field", [
    ([{"op": "move", "path": "/name", "value": "x"}], "[0].op"),
    ([{"op": "replace", "path": "name", "value": "x"}], "[0].path"),
    ([{"op": "replace", "path": "/name"}], "[0].value"),
    ([{"op": "remove", "path": "/name"}], "/name"),
    ([{"op": "replace", "path": "/name", "value": ""}], "/name"),
    ([{"op": "replace", "path": "/state", "value": "disabled"}], "/state"),
    ([{"op": "replace", "path": "/auth/specName", "value": "x"}], "/auth/specName"),
    ([{"op": "replace", "path": "/owner", "value": "x"}], "/owner"),
    ([{"op": "add", "path": "/auth/params/unknown", "value": "x"}], "auth.params.unknown"),
    ([{"op": "remove", "path": "/auth/params/password"}], "auth.params.password"),
    ([{"op": "replace", "path": "/auth/params/sslMode", "value": "x"}], "/auth/params/sslMode"),
    ([{"op": "remove", "path": "/auth/params/sslMode"}], "/auth/params/sslMode"),
    ([{"op": "replace", "path": "/auth/params", "value": {"server": "only"}}], "auth.params.port"),
    ([{"op": "remove", "path": "/auth/params"}], "/auth/params"),
    ([], "body"), ("text", "body"), ([1], "[0]"),
])
def test_invalid_patches_are_400_naming_the_field(flow, basic, ops, field):
    response = _patch(flow, basic, ops)
    assert response.status_code == 400, response.text
    assert response.json()["report"]["additionalContext"]["field"] == field


def test_patch_unknown_id_is_404(flow):
    response = flow.patch("/connections/missing/", json=[{"op": "replace", "path": "/name", "value": "x"}],
                          headers={"If-Match": '"x"'})
    assert response.status_code == 404


def test_patch_malformed_json_is_400(flow, basic):
    response = flow.patch(f"/connections/{basic['id']}/", data="[{", headers={"If-Match": basic["etag"]})
    assert response.status_code == 400


def test_delete_is_204_then_404(flow, emulator, basic):
    other = flow.create(BIGQUERY_FIXED)
    response = flow.delete(f"/connections/{basic['id']}/")
    assert response.status_code == 204 and response.content == b""
    assert flow.get(f"/connections/{basic['id']}").status_code == 404
    assert flow.delete(f"/connections/{basic['id']}").status_code == 404
    assert [c["id"] for c in emulator.connections()] == [other["id"]]


def test_delete_with_stale_if_match_is_412(flow, basic):
    _patch(flow, basic, [{"op": "replace", "path": "/name", "value": "changed"}])
    response = flow.delete(f"/connections/{basic['id']}", headers={"If-Match": basic["etag"]})
    assert response.status_code == 412
    assert flow.get(f"/connections/{basic['id']}").status_code == 200


PHOENIX = {"name": "phoenix", "connectionSpec": {"id": "102706fb-a5cd-42ee-afe0-bc42f017ff43", "version": "1.0"},
           "auth": {"specName": "Basic Authentication",
                    "params": {"host": "h", "port": "8765", "username": "u", "password": "p", "httpPath": "/",
                               "enableSsl": "true"}}}


def test_numbers_and_booleans_as_text_on_create_and_patch_are_stored_as_sent(flow, emulator):
    """Adobe's tutorials send numbers as strings (``"port": "{PORT}"``); booleans likewise."""
    created = flow.create(PHOENIX)
    assert _stored(emulator, created["id"])["auth"]["params"]["enableSsl"] == "true"
    ops = [{"op": "replace", "path": "/auth/params/port", "value": "9000"},
           {"op": "replace", "path": "/auth/params/enableSsl", "value": "FALSE"}]
    assert _patch(flow, created, ops).status_code == 200
    params = _stored(emulator, created["id"])["auth"]["params"]
    assert params["port"] == "9000" and params["enableSsl"] == "FALSE"
    wrong = _patch(flow, {**created, "etag": flow.fetch(created["id"])["etag"]},
                   [{"op": "replace", "path": "/auth/params/enableSsl", "value": "yes"}])
    assert wrong.status_code == 400 and wrong.json()["report"]["additionalContext"]["field"] == "auth.params.enableSsl"
