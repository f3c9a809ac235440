"""Replacement under the real engine: create first, delete last, and a delete that fails is kept, not lost.

Two shapes of replacement, both create-before-delete:
- another auth method (here BigQuery OAuth -> service account) is another component class, so another URN
  (the parent's type is part of a child's URN): the engine creates the new connection and deletes the old
  resource at the end of the update, as a resource that left the program;
- another sandbox keeps the URN and the provider's diff asks for a replacement: the old connection becomes a
  pending delete (`delete: true` in state) once the new one exists.
When that last DELETE fails, the update fails but the state still holds the old connection (as a resource, or
as a pending delete), and the next `up` deletes it with no second POST.
"""

from __future__ import annotations

import json


POST, DELETE = "POST /data/foundation/flowservice/connections", "DELETE /data/foundation/flowservice/connections/{id}"
TYPE = "pulumi-python:dynamic/aep:BaseConnection"
KEY_FILE = json.dumps({"type": "service_account", "project_id": "acme-marketing", "private_key_id": "k1",
                       "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIB\\n-----END PRIVATE KEY-----\\n",
                       "client_email": "aep@acme-marketing.iam.gserviceaccount.com"})


def _switch_marketing_to_service_account(project) -> None:
    project.set_path("aep:connections.marketing-bigquery.auth", "Service Authentication")
    project.remove_path("aep:connections.marketing-bigquery.params")
    project.remove_path("aep:connections.marketing-bigquery.secrets")
    project.set_path("aep:connections.marketing-bigquery.params.project_id", "acme-marketing")
    project.set_path("aep:connections.marketing-bigquery.secrets.key_file_content", "marketingBqKeyFile")
    project.set_secret("aep:marketingBqKeyFile", KEY_FILE)


def _stored(project, name: str) -> list[dict]:
    """The connections named `name` in state: {id, delete, urn}."""
    resources = project.export()["resources"]
    return [{"id": r["id"], "delete": bool(r.get("delete")), "urn": r["urn"]}
            for r in resources if r["type"] == TYPE and r["urn"].endswith(f"::{name}")]


def _fail_the_last_delete(project, change) -> str:
    """`up` with `change` applied while every DELETE gets a 500; the old connection's id."""
    project.set_config("aep:maxRetries", "0")
    project.up()
    old_id = project.connections()["Marketing warehouse (BigQuery)"]["id"]
    change(project)
    project.emulator.set_faults(seed=1, rates={"500": 1.0}, methods=["DELETE"])
    project.emulator.clear_log()
    error = project.failing("up")
    assert project.writes() == [POST, DELETE], "created first, deleted last, nothing retried (maxRetries 0)"
    assert f"deleting connection {old_id}" in str(error) and "HTTP 500" in str(error)
    ids = {c["id"] for c in project.emulator.connections() if c["name"] == "Marketing warehouse (BigQuery)"}
    assert old_id in ids and len(ids) == 2
    project.emulator.clear_faults()
    return old_id


def _next_up_deletes_only(project, old_id: str) -> None:
    project.emulator.clear_log()
    project.up()
    assert project.writes() == [DELETE]
    (kept,) = [c for c in project.emulator.connections() if c["name"] == "Marketing warehouse (BigQuery)"]
    assert kept["id"] != old_id
    assert [r["id"] for r in _stored(project, "marketing-bigquery")] == [kept["id"]]


def test_another_auth_method_keeps_the_old_connection_in_state_when_its_delete_fails(project):
    old_id = _fail_the_last_delete(project, _switch_marketing_to_service_account)
    stored = {r["id"]: r for r in _stored(project, "marketing-bigquery")}
    assert len(stored) == 2 and "GoogleBigQueryConnection$" in stored[old_id]["urn"]
    assert not stored[old_id]["delete"]
    _next_up_deletes_only(project, old_id)


def test_another_sandbox_leaves_a_pending_delete_when_its_delete_fails(project):
    for other in ("orders-db", "events-bigquery"):  # aep:sandbox moves every connection of the stack
        project.remove_path(f"aep:connections.{other}")
    old_id = _fail_the_last_delete(
        project, lambda p: p.set_config("aep:sandbox", "stage"))
    stored = {r["id"]: r for r in _stored(project, "marketing-bigquery")}
    assert len(stored) == 2 and stored[old_id]["delete"] is True
    _next_up_deletes_only(project, old_id)
    assert {c["sandbox"] for c in project.emulator.connections()} == {"stage"}
