"""Fields Flow Service owns, through the real CLI: the emulator does what Adobe documents the service doing by
itself (emulator/backend/service_side.py) and plain `pulumi` commands neither diff, fail nor undo it.

* HTTP API streaming: the service adds `inletUrl`/`inletId` (and defaults `sourceId`, `name`,
  `authenticationRequired`); refresh is clean, a no-change `up` writes nothing, a rename is one PATCH that keeps
  the inlet; a connection made outside Pulumi is adopted with no write at all.
* Salesforce on AWS (JWT): the service updates a new connection by itself (new etag, `orgId`); the next change
  costs one refused PATCH and one GET, never an error, and refresh is clean afterwards.
"""

from __future__ import annotations

import requests

from tests.e2e.project import E2EProject

CONNECTIONS = "/data/foundation/flowservice/connections"
POST, PATCH, GET = f"POST {CONNECTIONS}", f"PATCH {CONNECTIONS}/{{id}}", f"GET {CONNECTIONS}/{{id}}"
SANDBOX = "dev"  # aep:sandbox of the local stack
INLET = "Clickstream inlet"
CRM = "CRM on AWS"
JWT_SECRET = "sf-jwt-client-secret-5150"


def _add_http_api(project: E2EProject, name: str = INLET, adopt_id: str | None = None) -> None:
    project.set_path("aep:connections.inlet.source", "http-api")
    project.set_path("aep:connections.inlet.name", name)
    project.set_path("aep:connections.inlet.params.data_type", "xdm")
    if adopt_id:
        project.set_path("aep:connections.inlet.adopt_id", adopt_id)


def _calls(project: E2EProject) -> list[tuple[str, int]]:
    """Flow Service requests since the last clear_log, with their status."""
    return [(f"{r['method']} {r['template']}", r["status"]) for r in project.emulator.requests()
            if r["path"].startswith("/data/foundation/flowservice")]


def _service_params(project: E2EProject, resource: str) -> dict:
    for res in project.export()["resources"]:
        if res["urn"].endswith(f"::{resource}") and res["type"].endswith("aep:BaseConnection"):
            return res["outputs"].get("service_params") or {}
    raise AssertionError(f"{resource} is not in the state")


def test_http_api_inlet_survives_refresh_noop_and_rename(project):
    _add_http_api(project)
    project.emulator.clear_log()
    created = project.up()
    inlet = project.connections()[INLET]
    params = inlet["auth"]["params"]
    assert params["inletUrl"] == f"https://dcs.adobedc.net/collection/{params['inletId']}"
    assert params["sourceId"] == INLET and params["authenticationRequired"] is False
    # the inlet is read back once after the POST, so `pulumi up` already shows it
    assert project.flow_calls().count(POST) == 4 and project.flow_calls().count(GET) == 1
    assert created.outputs["service_params"].value["inlet"]["inletUrl"] == params["inletUrl"]

    project.refresh(expect_no_changes=True)
    assert _service_params(project, "inlet")["inletUrl"] == params["inletUrl"]

    project.emulator.clear_log()
    project.up(expect_no_changes=True)
    assert project.writes() == []

    project.set_path("aep:connections.inlet.name", "Clickstream inlet (web)")
    project.emulator.clear_log()
    project.up()
    assert project.writes() == [PATCH]
    renamed = project.connections()["Clickstream inlet (web)"]
    assert renamed["id"] == inlet["id"] and renamed["auth"]["params"] == params  # inlet kept, nothing removed
    project.refresh(expect_no_changes=True)


def test_adopting_an_http_api_connection_made_outside_pulumi_writes_nothing(project):
    made = requests.post(f"{project.emulator.flow_url}/connections", headers=project.emulator.headers(SANDBOX),
                         timeout=10, json={"name": INLET, "connectionSpec": {
                             "id": "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb", "version": "1.0"},
                             "auth": {"specName": "Streaming Connection", "params": {"dataType": "xdm"}}})
    assert made.status_code == 201, made.text
    before = project.connections()[INLET]
    _add_http_api(project, adopt_id=made.json()["id"])
    project.emulator.clear_log()
    project.up()
    assert project.writes().count(POST) == 3  # the stack's other three connections; the inlet is adopted
    assert PATCH not in project.writes()
    assert project.connections()[INLET] == before
    assert _service_params(project, "inlet")["inletId"] == before["auth"]["params"]["inletId"]
    project.refresh(expect_no_changes=True)


def test_salesforce_jwt_service_update_then_rename_is_no_error(project):
    project.emulator.set_service_delay(3600)  # released below, at a moment the test chooses
    project.set_path("aep:connections.crm.source", "salesforce")
    project.set_path("aep:connections.crm.auth", "OAuth2 JWT Token Credential")
    project.set_path("aep:connections.crm.name", CRM)
    project.set_path("aep:connections.crm.params.client_id", "3MVG9-consumer-key")
    project.set_path("aep:connections.crm.params.instance_url", "https://acme.my.salesforce.com")
    for argument, key in (("jwt_token", "crmJwtToken"), ("client_secret", "crmClientSecret")):
        # the value names a config key; the CLI guesses "secret" from the path and wants it said plainly
        project.cli_run("config", "set", "--stack", "local", "--path", f"aep:connections.crm.secrets.{argument}",
                        "--plaintext", "--", key)
    project.set_secret("aep:crmJwtToken", "eyJhbGciOiJSUzI1NiJ9.payload.signature")
    project.set_secret("aep:crmClientSecret", JWT_SECRET)
    project.up()
    created = project.connections()[CRM]
    assert created["state"] == "initializing"

    assert project.emulator.run_service_updates() == 1
    updated = project.connections()[CRM]
    assert updated["state"] == "enabled" and updated["etag"] != created["etag"]
    assert updated["updatedBy"] == "acp_foundation_connectors@AdobeID" and "orgId" in updated["auth"]["params"]

    project.set_path("aep:connections.crm.name", f"{CRM} (renamed)")
    project.emulator.clear_log()
    result = project.up()
    assert result.summary.resource_changes.get("update") == 1
    ours = [call for call in _calls(project) if call[0] in (PATCH, GET)]
    assert ours == [(PATCH, 412), (GET, 200), (PATCH, 200)]  # one GET more than a plain rename, no error
    renamed = project.connections()[f"{CRM} (renamed)"]
    assert renamed["id"] == created["id"] and renamed["auth"]["params"] == updated["auth"]["params"]

    project.refresh(expect_no_changes=True)
    assert _service_params(project, "crm")["orgId"] == updated["auth"]["params"]["orgId"]
    assert JWT_SECRET not in "\n".join(project.transcript)
