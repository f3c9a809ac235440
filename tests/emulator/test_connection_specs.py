"""GET /connectionSpecs and /connectionSpecs/{id}, built from the emulator's catalog."""
from __future__ import annotations

import jsonschema

from tests.emulator.seeds import BIGQUERY_SPEC_ID, POSTGRESQL_SPEC_ID


def test_lists_every_verified_spec(flow):
    items = flow.get("/connectionSpecs").json()["items"]
    assert len(items) == 61
    assert len({s["id"] for s in items}) == 61
    assert {"PostgreSQL", "Google BigQuery"} <= {s["name"] for s in items}


def test_get_one_has_auth_specs_with_json_schema_and_secrets_flagged(flow):
    response = flow.get(f"/connectionSpecs/{POSTGRESQL_SPEC_ID}")
    (spec,) = response.json()["items"]
    assert spec["id"] == POSTGRESQL_SPEC_ID and spec["version"] == "1.0"
    auth = {a["name"]: a["spec"] for a in spec["authSpec"]}
    assert set(auth) == {"Connection String Based Authentication", "Basic Authentication"}
    basic = auth["Basic Authentication"]
    assert basic["properties"]["password"]["format"] == "password"
    assert "format" not in basic["properties"]["server"]
    assert basic["properties"]["port"]["type"] == "integer"
    assert set(basic["required"]) == {"server", "port", "database", "username", "password"}
    jsonschema.Draft7Validator.check_schema(basic)
    jsonschema.validate({"server": "h", "port": 1, "database": "d", "username": "u", "password": "p"}, basic)


def test_auth_schema_matches_what_create_accepts(flow):
    """A params object valid under the published schema is accepted by POST /connections, and vice versa."""
    (spec,) = flow.get(f"/connectionSpecs/{BIGQUERY_SPEC_ID}").json()["items"]
    for auth in spec["authSpec"]:
        schema = auth["spec"]
        params = {name: "x" for name in schema["required"]}
        jsonschema.validate(params, schema)
        body = {"name": auth["name"], "auth": {"specName": auth["name"], "params": params},
                "connectionSpec": {"id": BIGQUERY_SPEC_ID}}
        assert flow.post("/connections", json=body).status_code == 201
        params["notInSchema"] = "x"
        assert not jsonschema.Draft7Validator(schema).is_valid(params)
        assert flow.post("/connections", json=body | {"auth": {"specName": auth["name"], "params": params}}
                         ).status_code == 400


def test_filter_by_name(flow):
    items = flow.get("/connectionSpecs", params={"property": "name==PostgreSQL"}).json()["items"]
    assert [s["id"] for s in items] == [POSTGRESQL_SPEC_ID]


def test_unknown_spec_is_404(flow):
    response = flow.get("/connectionSpecs/not-a-spec")
    assert response.status_code == 404
    assert response.json()["type"].endswith("FLOW-1101-404")


def test_unknown_flow_service_path_is_404_in_adobes_shape(flow):
    response = flow.get("/no-such-collection")
    assert response.status_code == 404
    assert response.json()["type"].endswith("FLOW-1101-404")


def test_unsupported_method_is_405(flow):
    response = flow.request("PUT", "/connections", json={})
    assert response.status_code == 405
    assert response.json()["error_code"] == "405000"
