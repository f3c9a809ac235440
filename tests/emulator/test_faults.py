"""Fault injection (emulator/faults.py + middleware): statuses, drops, commit-then-drop, latency, seeds."""
from __future__ import annotations

import time

import pytest
import requests

from tests.emulator.seeds import POSTGRESQL

CONNECTIONS = "/data/foundation/flowservice/connections"
ONE = CONNECTIONS + "/{id}"


@pytest.mark.parametrize("kind,shape", [("429", "error_code"), ("500", "type"), ("502", "error_code"),
                                        ("503", "type")])
def test_scripted_status_faults_use_adobe_shapes(flow, emulator, kind, shape):
    emulator.set_faults(script=[{"method": "POST", "template": CONNECTIONS, "fault": kind}], retry_after=3)
    response = flow.post("/connections", json=POSTGRESQL)
    assert response.status_code == int(kind) and shape in response.json()
    if kind in ("429", "503"):
        assert response.headers["Retry-After"] == "3"
    assert emulator.connections() == []
    assert flow.post("/connections", json=POSTGRESQL).status_code == 201
    assert emulator.fault_stats()[kind] == 1


def test_drop_closes_the_connection_before_doing_anything(flow, emulator):
    emulator.set_faults(script=[{"method": "POST", "fault": "drop"}])
    with pytest.raises(requests.ConnectionError):
        flow.post("/connections", json=POSTGRESQL)
    assert emulator.connections() == []
    assert emulator.requests()[-1] | {"path": None} == {
        "method": "POST", "path": None, "template": CONNECTIONS, "status": None, "sandbox": "prod", "fault": "drop"}


def test_commit_drop_performs_the_write_then_closes(flow, emulator):
    created = flow.create()
    emulator.set_faults(script=[{"method": "POST", "fault": "commit_drop"},
                                {"method": "PATCH", "template": ONE, "fault": "commit_drop"},
                                {"method": "DELETE", "template": ONE, "fault": "commit_drop"}])
    with pytest.raises(requests.ConnectionError):
        flow.post("/connections", json=POSTGRESQL)
    assert len(emulator.connections()) == 2
    with pytest.raises(requests.ConnectionError):
        flow.patch(f"/connections/{created['id']}", headers={"If-Match": created["etag"]},
                   json=[{"op": "replace", "path": "/name", "value": "committed"}])
    assert {c["name"] for c in emulator.connections()} == {"committed", POSTGRESQL["name"]}
    with pytest.raises(requests.ConnectionError):
        flow.delete(f"/connections/{created['id']}")
    assert created["id"] not in {c["id"] for c in emulator.connections()}
    logged = [(e["method"], e["status"], e["fault"]) for e in emulator.requests()[-3:]]
    assert logged == [("POST", 201, "commit_drop"), ("PATCH", 200, "commit_drop"), ("DELETE", 204, "commit_drop")]
    assert emulator.fault_stats()["commit_drop"] == 3


def test_script_is_consumed_in_order_and_only_by_matching_requests(flow, emulator):
    created = flow.create()
    emulator.set_faults(script=[{"method": "GET", "template": ONE, "fault": "500"}, {"fault": "503"}])
    assert flow.get("/connections").status_code == 200
    assert flow.post("/connections", json=POSTGRESQL).status_code == 201
    assert flow.get(f"/connections/{created['id']}").status_code == 500
    assert flow.get("/connections").status_code == 503
    assert flow.get("/connections").status_code == 200
    assert emulator.fault_config()["script"] == []


def _sequence(flow, emulator, seed: int) -> list[int]:
    emulator.set_faults(seed=seed, rates={"429": 0.3, "500": 0.2})
    return [flow.get("/connections").status_code for _ in range(40)]


def test_rates_are_seeded_and_reproducible(flow, emulator):
    first, again, other = _sequence(flow, emulator, 7), _sequence(flow, emulator, 7), _sequence(flow, emulator, 8)
    assert first == again and first != other
    assert set(first) == {200, 429, 500}
    stats = emulator.fault_stats()
    assert stats["429"] == other.count(429) and stats["500"] == other.count(500)


def test_rate_one_faults_everything_in_scope_only(flow, emulator):
    emulator.set_faults(rates={"503": 1.0}, methods=["POST"])
    assert flow.get("/connections").status_code == 200
    assert flow.post("/connections", json=POSTGRESQL).status_code == 503
    assert emulator.token(fresh=True), "IMS is outside the default path_regex, so its POST is not faulted"
    emulator.set_faults(rates={"502": 1.0}, path_regex="/connectionSpecs")
    assert flow.get("/connectionSpecs").status_code == 502
    assert flow.get("/connections").status_code == 200


def test_control_api_is_never_faulted(emulator):
    emulator.set_faults(rates={"drop": 1.0}, path_regex=".*")
    assert emulator.connections() == []
    assert emulator.fault_stats()["drop"] == 0


def test_latency_delays_requests_in_scope(flow, emulator):
    emulator.set_faults(latency_ms=300, methods=["GET"])
    started = time.monotonic()
    assert flow.get("/connections").status_code == 200
    assert time.monotonic() - started >= 0.3
    emulator.clear_faults()
    assert emulator.fault_config()["latency_ms"] == 0


@pytest.mark.parametrize("cfg,word", [
    ({"rates": {"418": 0.1}}, "rates.418"), ({"rates": {"429": 2}}, "rates.429"),
    ({"rates": {"429": 0.6, "500": 0.6}}, "more than 1"), ({"methods": ["FETCH"]}, "methods"),
    ({"path_regex": "("}, "path_regex"), ({"script": [{"fault": "explode"}]}, "script[0].fault"),
    ({"latency_ms": -1}, "latency_ms"), ({"seed": "x"}, "seed"), ({"colour": 1}, "colour"),
    ({"latency_ms": 10**30}, "latency_ms"), ({"retry_after": 10**12}, "retry_after"),
    ({"script": [{"method": 5, "fault": "429"}]}, "script[0].method"),
    ({"script": [{"template": ["x"], "fault": "429"}]}, "script[0].method and script[0].template"),
])
def test_invalid_fault_config_is_400_naming_the_field(emulator, cfg, word):
    """Regressions: an absurd latency hung every later request, a non-string script method made them 500."""
    response = requests.put(f"{emulator.url}/_emulator/faults", json=cfg, timeout=10)
    assert response.status_code == 400 and word in response.json()["message"]


def test_a_script_entry_with_a_template_can_target_ims(emulator):
    emulator.set_faults(script=[{"method": "POST", "template": "/ims/token/v3", "fault": "503"}])
    with pytest.raises(requests.HTTPError):
        emulator.token(fresh=True)
    assert emulator.token(fresh=True)
    assert [e["status"] for e in emulator.requests()] == [503, 200]
