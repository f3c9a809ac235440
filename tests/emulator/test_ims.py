"""POST /ims/token/v3 (routes/ims.py, backend/tokens.py): client-credentials grant, errors, expiry."""
from __future__ import annotations

import time

import pytest

from emulator.server import EmulatorServer
from tests.emulator.conftest import FlowClient
from tests.support.conformance import conforming_session
from tests.support.emulator import EmulatorControl


def _grant(emulator, **overrides):
    form = {"grant_type": "client_credentials", "client_id": emulator.client_id,
            "client_secret": emulator.client_secret, "scope": "openid,AdobeID"} | overrides
    form = {k: v for k, v in form.items() if v is not None}
    return conforming_session().post(emulator.ims_url, data=form, timeout=10)


def test_issues_a_bearer_token(emulator):
    response = _grant(emulator)
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 86400
    assert response.headers["Cache-Control"] == "no-store"
    assert emulator.counts() == {"POST /ims/token/v3": 1}


def test_issued_token_works_and_each_grant_is_new(emulator):
    first, second = _grant(emulator).json()["access_token"], _grant(emulator).json()["access_token"]
    assert first != second
    flow = FlowClient(emulator)
    for token in (first, second):
        assert flow.get("/connections", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_wrong_secret_is_401_invalid_client(emulator):
    response = _grant(emulator, client_secret="wrong")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert "wrong" not in response.text


@pytest.mark.parametrize("overrides,status,error", [
    ({"client_id": "unknown"}, 400, "invalid_client"),
    ({"grant_type": "password"}, 400, "unsupported_grant_type"),
    ({"grant_type": None}, 400, "unsupported_grant_type"),
    ({"client_id": None}, 400, "invalid_request"),
    ({"client_secret": None}, 400, "invalid_request"),
])
def test_bad_grants(emulator, overrides, status, error):
    response = _grant(emulator, **overrides)
    assert response.status_code == status and response.json()["error"] == error


def test_json_body_is_refused(emulator):
    response = conforming_session().post(emulator.ims_url, json={"grant_type": "client_credentials"}, timeout=10)
    assert response.status_code == 400 and response.json()["error"] == "invalid_request"


def test_expire_tokens_invalidates_every_issued_token(emulator):
    flow = FlowClient(emulator)
    old = emulator.token()
    assert flow.get("/connections").status_code == 200
    emulator.expire_tokens()
    stale = flow.get("/connections", headers={"Authorization": f"Bearer {old}"})
    assert stale.status_code == 401 and stale.json()["error_code"] == "401013"
    assert emulator.token() != old
    assert flow.get("/connections").status_code == 200


def test_token_ttl_is_configurable_and_enforced():
    with EmulatorServer(token_ttl=1) as server:
        control = EmulatorControl.for_server(server)
        assert _grant(control).json()["expires_in"] == 1
        flow = FlowClient(control)
        assert flow.get("/connections").status_code == 200
        time.sleep(1.2)
        response = flow.get("/connections")
        assert response.status_code == 401 and response.json()["error_code"] == "401013"


def test_custom_client_credentials():
    with EmulatorServer(org_id="ACME@AdobeOrg", client_id="acme", client_secret="acme-secret") as server:
        control = EmulatorControl.for_server(server)
        assert _grant(control).status_code == 200
        assert _grant(control, client_secret="local-secret").status_code == 401
        assert FlowClient(control).create()["id"]
        assert control.connections()[0]["org"] == "ACME@AdobeOrg"
