"""The test-only control API (routes/control.py) and the EmulatorControl helper around it."""
from __future__ import annotations

import requests

from tests.emulator.seeds import POSTGRESQL


def test_reset_clears_connections_log_faults_and_extra_clients(flow, emulator):
    flow.create(sandbox="dev")
    emulator.add_client("c2", "s2", "o2@AdobeOrg")
    emulator.set_faults(seed=3, rates={"500": 0.5})
    emulator.reset()
    assert emulator.connections() == []
    assert emulator.request_log()["total"] == 0
    assert emulator.fault_config()["rates"] == {}
    response = requests.post(emulator.ims_url, timeout=10, data={
        "grant_type": "client_credentials", "client_id": "c2", "client_secret": "s2"})
    assert response.status_code == 400
    assert flow.get("/connections").status_code == 200


def test_connections_dump_is_unmasked_with_org_and_sandbox(flow, emulator):
    created = flow.create(sandbox="stage")
    (dumped,) = emulator.connections()
    assert dumped["id"] == created["id"] and dumped["org"] == emulator.org_id and dumped["sandbox"] == "stage"
    assert dumped["auth"]["params"] == POSTGRESQL["auth"]["params"]


def test_add_client_rejects_bad_input(emulator):
    for body in ({"client_id": "x"}, {"client_id": emulator.client_id, "client_secret": "s", "org_id": "o"}):
        response = requests.post(f"{emulator.url}/_emulator/clients", json=body, timeout=10)
        assert response.status_code == 400


def test_helper_repr_has_no_secret(emulator):
    assert emulator.client_secret not in repr(emulator)


def test_rotate_secret_refuses_the_old_one_and_revokes_its_tokens(flow, emulator):
    old_headers = emulator.headers()
    emulator.rotate_secret("rotated-secret")

    def ims(secret: str) -> int:
        return requests.post(emulator.ims_url, timeout=10, data={
            "grant_type": "client_credentials", "client_id": emulator.client_id, "client_secret": secret}).status_code

    assert ims(emulator.client_secret) == 401 and ims("rotated-secret") == 200
    revoked = requests.get(f"{emulator.flow_url}/connections", timeout=10, headers=old_headers)
    assert revoked.status_code == 401
    emulator.reset()
    assert ims(emulator.client_secret) == 200


def test_rotate_secret_of_an_unknown_client_is_404(emulator):
    response = requests.post(f"{emulator.url}/_emulator/clients/nobody/secret", json={"client_secret": "x"},
                             timeout=10)
    assert response.status_code == 404
