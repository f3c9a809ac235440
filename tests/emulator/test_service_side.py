"""What the emulated service does by itself (emulator/backend/service_side.py), over real HTTP, every response
checked against Adobe's OpenAPI spec by the ``flow`` client."""
from __future__ import annotations

import time

import requests

from emulator.backend.service_side import HTTP_API, SALESFORCE_JWT

HTTP_API_BODY = {"name": "Clickstream inlet", "auth": {"specName": HTTP_API[1], "params": {"dataType": "xdm"}},
                 "connectionSpec": {"id": HTTP_API[0], "version": "1.0"}}
JWT_SECRET = "jwt-client-secret-4471"
SALESFORCE_JWT_BODY = {
    "name": "CRM on AWS", "connectionSpec": {"id": SALESFORCE_JWT[0], "version": "1.0"},
    "auth": {"specName": SALESFORCE_JWT[1], "params": {
        "jwtToken": "eyJhbGciOi.payload.sig", "clientId": "3MVG9-consumer", "clientSecret": JWT_SECRET,
        "instanceUrl": "https://acme.my.salesforce.com"}},
}


def test_http_api_get_shows_the_params_the_service_adds(flow):
    created = flow.create(HTTP_API_BODY)
    params = flow.fetch(created["id"])["auth"]["params"]
    inlet = params["inletId"]
    assert params == {"dataType": "xdm", "sourceId": "Clickstream inlet", "name": "Clickstream inlet",
                      "authenticationRequired": False, "inletId": inlet,
                      "inletUrl": f"https://dcs.adobedc.net/collection/{inlet}"}
    assert len(inlet) == 64 and inlet != flow.fetch(flow.create(HTTP_API_BODY)["id"])["auth"]["params"]["inletId"]


def test_http_api_keeps_what_the_client_sent(flow):
    body = {**HTTP_API_BODY, "auth": {"specName": HTTP_API[1], "params": {
        "dataType": "xdm", "sourceId": "web", "name": "Web events", "authenticationRequired": True}}}
    params = flow.fetch(flow.create(body)["id"])["auth"]["params"]
    assert (params["sourceId"], params["name"], params["authenticationRequired"]) == ("web", "Web events", True)


def test_service_owned_params_cannot_be_sent_or_patched(flow):
    body = {**HTTP_API_BODY, "auth": {"specName": HTTP_API[1], "params": {"dataType": "xdm", "inletId": "x"}}}
    refused = flow.post("/connections", json=body)
    assert refused.status_code == 400 and "auth.params.inletId" in refused.json()["detail"]
    conn = flow.fetch(flow.create(HTTP_API_BODY)["id"])
    for op in ("replace", "remove", "add"):
        patch = flow.patch(f"/connections/{conn['id']}", headers={"If-Match": conn["etag"]},
                           json=[{"op": op, "path": "/auth/params/inletUrl", "value": "https://elsewhere"}])
        assert patch.status_code == 400, patch.text
        assert "set by Flow Service" in patch.json()["detail"]
    assert flow.fetch(conn["id"])["etag"] == conn["etag"]


def test_patching_one_param_or_the_name_keeps_service_params(flow):
    conn = flow.fetch(flow.create(HTTP_API_BODY)["id"])
    before = conn["auth"]["params"]
    patched = flow.patch(f"/connections/{conn['id']}", headers={"If-Match": conn["etag"]}, json=[
        {"op": "replace", "path": "/name", "value": "Renamed inlet"},
        {"op": "replace", "path": "/auth/params/sourceId", "value": "web"}])
    assert patched.status_code == 200, patched.text
    after = flow.fetch(conn["id"])["auth"]["params"]
    assert after == {**before, "sourceId": "web"}


def test_replacing_the_whole_params_object_drops_service_params(flow):
    """Adobe's update tutorial: the object is replaced; the emulator's pessimistic reading for inletUrl/inletId."""
    conn = flow.fetch(flow.create(HTTP_API_BODY)["id"])
    patched = flow.patch(f"/connections/{conn['id']}", headers={"If-Match": conn["etag"]},
                         json=[{"op": "replace", "path": "/auth/params", "value": {"dataType": "xdm"}}])
    assert patched.status_code == 200, patched.text
    assert flow.fetch(conn["id"])["auth"]["params"] == {"dataType": "xdm"}


def test_salesforce_jwt_is_initializing_then_updated_by_the_service(flow, emulator):
    emulator.set_service_delay(0.4)
    created = flow.create(SALESFORCE_JWT_BODY)
    first = flow.fetch(created["id"])
    assert first["state"] == "initializing" and first["etag"] == created["etag"]
    assert "orgId" not in first["auth"]["params"]
    time.sleep(0.5)
    later = flow.fetch(created["id"])
    assert later["state"] == "enabled" and later["etag"] != created["etag"]
    assert later["updatedBy"] == "acp_foundation_connectors@AdobeID"
    assert later["updatedClient"] == "acp_foundation_connectors" and later["updatedAt"] > first["updatedAt"]
    org_id = later["auth"]["params"]["orgId"]
    assert org_id.startswith("00D") and len(org_id) == 18
    assert flow.get("/connections").json()["items"][0]["etag"] == later["etag"]  # listed the same way


def test_the_stale_etag_after_a_service_update_is_refused(flow, emulator):
    emulator.set_service_delay(3600)
    created = flow.create(SALESFORCE_JWT_BODY)
    assert emulator.run_service_updates() == 1 and emulator.run_service_updates() == 0
    stale = flow.patch(f"/connections/{created['id']}", headers={"If-Match": created["etag"]},
                       json=[{"op": "replace", "path": "/name", "value": "x"}])
    assert stale.status_code == 412


def test_salesforce_jwt_secrets_are_masked_as_secrets_manager_references(flow):
    response = flow.get(f"/connections/{flow.create(SALESFORCE_JWT_BODY)['id']}")
    params = response.json()["items"][0]["auth"]["params"]
    assert JWT_SECRET not in response.text
    for key in ("jwtToken", "clientSecret"):
        assert params[key].startswith("arn:aws:secretsmanager:us-east-1:") and key in params[key]
    assert params["clientId"] == "3MVG9-consumer"


def test_service_edit_and_mask_forms(flow, emulator):
    conn = flow.fetch(flow.create()["id"])
    etag = emulator.service_edit(conn["id"], params={"port": "5432"}, mask="omit")
    now = flow.fetch(conn["id"])
    assert now["etag"] == etag != conn["etag"] and now["updatedBy"] == "acp_foundation_connectors@AdobeID"
    assert "connectionString" not in now["auth"]["params"] and now["auth"]["params"]["port"] == "5432"
    emulator.service_edit(conn["id"], remove=["port"], mask="stars")
    assert flow.fetch(conn["id"])["auth"]["params"] == {"connectionString": "***"}


def test_reset_restores_the_service_delay(emulator, flow):
    emulator.set_service_delay(0)
    emulator.reset()
    created = flow.create(SALESFORCE_JWT_BODY)
    assert flow.fetch(created["id"])["state"] == "initializing"


def test_odd_control_input_is_a_400_never_a_500(flow, emulator):
    conn = flow.create()
    base = f"{emulator.url}/_emulator"
    for body in ({"delay": 1e306}, {"delay": -1}, {"delay": True}, {"delay": "5"}, [], {"delay": None}):
        assert requests.put(f"{base}/service-updates", json=body, timeout=10).status_code == 400, body
    for body in ({"remove": [[1]]}, {"remove": [{}]}, {"params": []}, {"mask": "rot13"}, {"other": 1}, []):
        response = requests.post(f"{base}/connections/{conn['id']}/service-edit", json=body, timeout=10)
        assert response.status_code == 400, (body, response.text)
    assert requests.post(f"{base}/connections/nope/service-edit", json={}, timeout=10).status_code == 404
    flow.create()  # creating still works: no bad delay was taken
