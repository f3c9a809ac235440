"""What the gateway checks on every Flow Service call, and isolation per (org, sandbox)."""
from __future__ import annotations

import pytest

from emulator.server import EmulatorServer
from tests.emulator.conftest import FlowClient
from tests.emulator.seeds import POSTGRESQL
from tests.support.emulator import EmulatorControl


def _gateway_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["error_code"] == code


def test_missing_token_is_403010(flow):
    _gateway_error(flow.get("/connections", headers={"Authorization": None}), 403, "403010")


@pytest.mark.parametrize("value", ["Bearer not-a-token", "Basic abc", "Bearer ", "token-without-scheme"])
def test_invalid_token_is_401013(flow, value):
    _gateway_error(flow.get("/connections", headers={"Authorization": value}), 401, "401013")


def test_missing_api_key_is_403000(flow):
    _gateway_error(flow.get("/connections", headers={"x-api-key": None}), 403, "403000")


def test_api_key_of_another_client_is_403003(flow):
    _gateway_error(flow.get("/connections", headers={"x-api-key": "someone-else"}), 403, "403003")


def test_missing_org_header_is_400003(flow):
    _gateway_error(flow.get("/connections", headers={"x-gw-ims-org-id": None}), 400, "400003")


def test_org_header_not_matching_the_token_is_403(flow):
    _gateway_error(flow.get("/connections", headers={"x-gw-ims-org-id": "other@AdobeOrg"}), 403, "403025")


def test_unknown_sandbox_is_404(flow):
    response = flow.get("/connections", sandbox="nope")
    assert response.status_code == 404
    assert "nope" in response.json()["detail"]


def test_missing_sandbox_defaults_to_prod(flow, emulator):
    created = flow.create(sandbox=None)
    assert flow.fetch(created["id"], sandbox="prod")["sandboxName"] == "prod"
    assert emulator.requests()[-1]["sandbox"] == "prod"


def test_strict_sandbox_requires_the_header():
    with EmulatorServer(strict_sandbox=True) as server:
        flow = FlowClient(EmulatorControl.for_server(server))
        response = flow.get("/connections", sandbox=None)
        assert response.status_code == 400
        assert response.json()["report"]["additionalContext"]["field"] == "x-sandbox-name"
        assert flow.get("/connections", sandbox="dev").status_code == 200


def test_gateway_checks_every_route(flow):
    created = flow.create()
    for method, path in [("GET", f"/connections/{created['id']}"), ("PATCH", f"/connections/{created['id']}"),
                         ("DELETE", f"/connections/{created['id']}"), ("GET", f"/connections/{created['id']}/test"),
                         ("GET", "/connectionSpecs"), ("POST", "/connections")]:
        response = flow.request(method, path, headers={"Authorization": None}, json=POSTGRESQL)
        _gateway_error(response, 403, "403010")
    assert flow.get(f"/connections/{created['id']}").status_code == 200


def test_sandboxes_are_isolated(flow, emulator):
    in_dev = flow.create(sandbox="dev")["id"]
    assert flow.get(f"/connections/{in_dev}", sandbox="prod").status_code == 404
    assert flow.delete(f"/connections/{in_dev}", sandbox="prod").status_code == 404
    assert flow.get("/connections", sandbox="prod").json()["items"] == []
    assert [c["id"] for c in flow.get("/connections", sandbox="dev").json()["items"]] == [in_dev]
    assert flow.fetch(in_dev, sandbox="dev")["sandboxName"] == "dev"


def test_orgs_are_isolated(flow, emulator):
    emulator.add_client("other-client", "other-secret", "other@AdobeOrg")
    other = FlowClient(EmulatorControl(emulator.url, "other@AdobeOrg", "other-client", "other-secret"))
    mine = flow.create()["id"]
    theirs = other.create()["id"]
    assert other.get(f"/connections/{mine}").status_code == 404
    assert flow.get(f"/connections/{theirs}").status_code == 404
    assert [c["id"] for c in other.get("/connections").json()["items"]] == [theirs]
    assert other.fetch(theirs)["imsOrgId"] == "other@AdobeOrg"
    _gateway_error(flow.get("/connections", headers={"x-gw-ims-org-id": "other@AdobeOrg"}), 403, "403025")
    owners = {c["id"]: c["org"] for c in emulator.connections()}
    assert owners == {mine: emulator.org_id, theirs: "other@AdobeOrg"}
