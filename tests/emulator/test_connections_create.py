"""POST /connections: creation from the tutorials' seeds and every validation error, over real HTTP."""
from __future__ import annotations

import copy
import json
import re

import pytest

from tests.emulator.seeds import BIGQUERY_AS_PUBLISHED, BIGQUERY_FIXED, BIGQUERY_SPEC_ID, POSTGRESQL, POSTGRESQL_SPEC_ID

BASIC_PG = {
    "name": "pg basic",
    "auth": {"specName": "Basic Authentication",
             "params": {"server": "db.local", "port": 5432, "database": "sales", "username": "u", "password": "p"}},
    "connectionSpec": {"id": POSTGRESQL_SPEC_ID, "version": "1.0"},
}


def _with(body: dict, path: str, value) -> dict:
    out = copy.deepcopy(body)
    *parents, last = path.split(".")
    target = out
    for key in parents:
        target = target[key]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return out


def _flow_error(response, status: int, code: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["type"] == f"https://ns.adobe.com/aep/errors/FLOW-{code}-{status}"
    return body


def test_postgresql_seed_as_written_is_created(flow, emulator):
    response = flow.post("/connections", json=POSTGRESQL)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "etag"}
    assert re.fullmatch(r'"[0-9a-f-]{36}"', body["etag"])
    assert response.headers["Location"] == f"{emulator.flow_url}/connections/{body['id']}"
    stored = emulator.connections()
    assert [c["id"] for c in stored] == [body["id"]]
    assert stored[0]["auth"]["params"] == POSTGRESQL["auth"]["params"]
    assert stored[0]["org"] == emulator.org_id and stored[0]["sandbox"] == "prod"


def test_bigquery_seed_as_published_is_rejected_then_accepted_once_fixed(flow, emulator):
    broken = flow.post("/connections", data=BIGQUERY_AS_PUBLISHED)
    body = _flow_error(broken, 400, 1100)
    assert "not valid JSON" in body["detail"] and "line 11" in body["detail"]
    assert emulator.connections() == []

    fixed = flow.post("/connections", json=BIGQUERY_FIXED)
    assert fixed.status_code == 201, fixed.text
    stored = emulator.connections()[0]
    assert stored["connectionSpec"] == {"id": BIGQUERY_SPEC_ID, "version": "1.0"}
    assert stored["auth"]["params"]["largeResultsDataSetId"] == "{LARGE_RESULTS_DATASET_ID}"


def test_each_create_gets_a_new_id_and_etag(flow):
    first, second = flow.create(), flow.create()
    assert first["id"] != second["id"] and first["etag"] != second["etag"]


def test_version_defaults_to_the_spec_version(flow):
    created = flow.create(_with(POSTGRESQL, "connectionSpec.version", KeyError))
    assert flow.fetch(created["id"])["connectionSpec"]["version"] == "1.0"


def test_integer_param_is_accepted_as_integer(flow):
    created = flow.create(BASIC_PG)
    assert flow.fetch(created["id"])["auth"]["params"]["port"] == 5432


def test_unknown_connection_spec_is_1413(flow):
    body = _flow_error(flow.post("/connections", json=_with(POSTGRESQL, "connectionSpec.id", "nope")), 400, 1413)
    assert "nope" in body["detail"] and body["report"]["additionalContext"]["field"] == "connectionSpec.id"


def test_unknown_connection_spec_version_is_1413(flow):
    body = _flow_error(flow.post("/connections", json=_with(POSTGRESQL, "connectionSpec.version", "9.9")), 400, 1413)
    assert "'1.0'" in body["detail"]


def test_auth_spec_not_in_connection_spec_is_1415(flow):
    response = flow.post("/connections", json=_with(POSTGRESQL, "auth.specName", "OAuth 2 Refresh Code"))
    body = _flow_error(response, 400, 1415)
    assert "Connection String Based Authentication" in body["detail"] and "Basic Authentication" in body["detail"]


def test_missing_required_param_is_1304_and_named(flow):
    body = _flow_error(flow.post("/connections", json=_with(BASIC_PG, "auth.params.password", KeyError)), 400, 1304)
    assert "auth.params.password" in body["detail"]


def test_empty_required_param_is_1304(flow):
    body = _flow_error(flow.post("/connections", json=_with(POSTGRESQL, "auth.params.connectionString", " ")),
                       400, 1304)
    assert "auth.params.connectionString" in body["detail"]


def test_unknown_param_is_rejected_by_name(flow):
    body = _flow_error(flow.post("/connections", json=_with(POSTGRESQL, "auth.params.hostName", "x")), 400, 1304)
    assert "auth.params.hostName" in body["detail"] and "connectionString" in body["detail"]


@pytest.mark.parametrize("param,value,expected", [("port", "54x32", "integer"), ("server", 7, "string"),
                                                  ("port", True, "integer"), ("port", "{PORT}", "integer"),
                                                  ("port", "9" * 20, "integer"), ("port", 1.5, "integer")])
def test_wrong_param_type_is_rejected_by_name(flow, param, value, expected):
    body = _flow_error(flow.post("/connections", json=_with(BASIC_PG, f"auth.params.{param}", value)), 400, 1304)
    assert f"auth.params.{param}" in body["detail"] and expected in body["detail"]


@pytest.mark.parametrize("port", ["5432", "-1", "0"])
def test_an_integer_param_may_come_as_its_digits_and_is_stored_as_sent(flow, emulator, port):
    """Adobe's tutorials send ``"port": "{PORT}"``: numbers as strings."""
    ident = flow.create(_with(BASIC_PG, "auth.params.port", port))["id"]
    assert next(c for c in emulator.connections() if c["id"] == ident)["auth"]["params"]["port"] == port


@pytest.mark.parametrize("path,value,field", [
    ("name", KeyError, "name"), ("name", "", "name"), ("name", 3, "name"), ("description", 5, "description"),
    ("connectionSpec", KeyError, "connectionSpec.id"), ("auth", KeyError, "auth.specName"),
    ("auth.params", KeyError, "auth.params"), ("auth.params", "x", "auth.params"),
    ("extra", 1, "extra"), ("auth.encrypted", True, "auth.encrypted"),
])
def test_malformed_fields_are_400_naming_the_field(flow, path, value, field):
    response = flow.post("/connections", json=_with(POSTGRESQL, path, value))
    assert response.status_code == 400, response.text
    assert response.json()["report"]["additionalContext"]["field"] == field


@pytest.mark.parametrize("raw", ["", "   ", "[1, 2]", '"text"', "{", '{"name": "x",}'])
def test_empty_or_malformed_or_non_object_json_is_400(flow, raw, emulator):
    assert flow.post("/connections", data=raw).status_code == 400
    assert emulator.connections() == []


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_wrong_content_type_is_415(flow, content_type):
    response = flow.post("/connections", data=json.dumps(POSTGRESQL), headers={"Content-Type": content_type})
    body = _flow_error(response, 415, 1100)
    assert "application/json" in body["detail"]


def test_json_with_charset_is_accepted(flow):
    response = flow.post("/connections", data=json.dumps(POSTGRESQL).encode(),
                         headers={"Content-Type": "application/json; charset=utf-8"})
    assert response.status_code == 201


def test_trailing_slash_path_is_served(flow):
    assert flow.post("/connections/", json=POSTGRESQL).status_code == 201
