"""The test-only pipeline controls under /_emulator/sandboxes/{sandbox}/ (EmulatorControl helpers): they act as a
person in the UI, follow the API's rules, are never logged, and refuse what they cannot do with a 4xx."""
from __future__ import annotations

import pytest
import requests

from tests.emulator.pipeline import SCHEMA, make_pipeline


def _control(emulator, method: str, path: str, **kwargs) -> requests.Response:
    return requests.request(method, f"{emulator.url}/_emulator/sandboxes/{path}", timeout=10, **kwargs)


def test_helpers_see_each_sandbox_and_are_not_logged(flow, emulator):
    made = make_pipeline(flow, "dev")
    emulator.clear_log()
    assert [s["id"] for s in emulator.source_connections("dev")] == [made.source]
    assert [t["id"] for t in emulator.target_connections("dev")] == [made.target]
    assert [f["id"] for f in emulator.flows("dev")] == [made.flow] and emulator.flows("prod") == []
    assert emulator.get_flow("dev", made.flow)["etag"] == made.flow_etag
    assert emulator.mapping_set("dev", made.mapping)["id"] == made.mapping
    assert [d["id"] for d in emulator.datasets("dev")] == [made.dataset]
    assert emulator.request_log()["total"] == 0


@pytest.mark.parametrize("method, path, body, status", [
    ("GET", "qa/flows", None, 404),
    ("GET", "prod/widgets", None, 404),
    ("GET", "prod/flows/missing", None, 404),
    ("GET", "prod/mappingSets/missing", None, 404),
    ("POST", "prod/datasets", {"name": "x"}, 400),
    ("POST", "prod/datasets", {"name": "x", "schemaId": SCHEMA, "owner": "me"}, 400),
    ("POST", "prod/datasets", ["x"], 400),
    ("PATCH", "prod/flows/missing", [{"op": "replace", "path": "/name", "value": "x"}], 404),
])
def test_refusals_are_4xx_with_a_message(emulator, method, path, body, status):
    response = _control(emulator, method, path, json=body)
    assert response.status_code == status and response.json()["message"], response.text


def test_an_edit_the_api_refuses_is_refused_here_too(flow, emulator):
    made = make_pipeline(flow)
    response = _control(emulator, "PATCH", f"prod/flows/{made.flow}",
                        json=[{"op": "replace", "path": "/flowSpec/id", "value": "x"}])
    assert response.status_code == 400 and "new dataflow" in response.json()["message"]
    assert emulator.get_flow("prod", made.flow)["etag"] == made.flow_etag
