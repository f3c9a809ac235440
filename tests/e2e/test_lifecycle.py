"""The local stack's whole life through the real CLI: preview, up, no-change runs, secret rotation, rename,
removal, replacement and destroy, each asserted on the Flow Service calls the emulator logged."""

from __future__ import annotations

import json

from tests.e2e.project import E2EProject

POST, PATCH = "POST /data/foundation/flowservice/connections", "PATCH /data/foundation/flowservice/connections/{id}"
DELETE = "DELETE /data/foundation/flowservice/connections/{id}"
LIST_SOURCES = "GET /data/foundation/flowservice/sourceConnections"  # what uses a connection, before its DELETE
LIST_MARKED = "GET /data/foundation/flowservice/connections"  # a run's first create: provider/client/create_marker.py
NAMES = {"Orders database (PostgreSQL)", "Marketing warehouse (BigQuery)",
         "Event stream exports (BigQuery, service account)"}


def _up_and_count(project: E2EProject) -> list[str]:
    """Every Flow Service call of one `pulumi up --yes` (reads included)."""
    project.emulator.clear_log()
    project.up()
    return project.flow_calls()


def test_preview_then_up_then_no_changes(project):
    project.emulator.clear_log()
    preview = project.preview()
    assert project.flow_calls() == []
    assert preview.change_summary.get("create") == 8  # stack, aep provider, 3 components, 3 base connections

    result = project.up()
    assert project.writes() == [POST] * 3
    assert set(project.connections("dev")) == NAMES
    ids = result.outputs["connection_ids"].value
    assert sorted(ids.values()) == sorted(c["id"] for c in project.connections().values())

    project.emulator.clear_log()
    again = project.up()
    assert again.summary.resource_changes == {"same": 8}
    project.preview(expect_no_changes=True)
    assert project.emulator.requests() == []  # zero API calls, not even a token


def test_secret_rotation_rename_removal_and_replacement(project):
    project.up()
    orders = project.connections()["Orders database (PostgreSQL)"]

    project.set_secret("aep:ordersDbPassword", "rotated-orders-pw")
    assert _up_and_count(project) == [PATCH]
    stored = project.connections()["Orders database (PostgreSQL)"]
    assert stored["id"] == orders["id"] and "rotated-orders-pw" in str(stored["auth"]["params"])

    project.set_path("aep:connections.orders-db.name", "Orders replica (PostgreSQL)")
    assert _up_and_count(project) == [PATCH]
    assert project.connections()["Orders replica (PostgreSQL)"]["id"] == orders["id"]

    project.remove_path("aep:connections.events-bigquery")
    assert _up_and_count(project) == [LIST_SOURCES, DELETE]  # one listing (nothing uses it), one DELETE
    assert "Event stream exports (BigQuery, service account)" not in project.connections()

    # Another auth method of the same source is a new connection: created first, the old one deleted last.
    before = project.connections()["Marketing warehouse (BigQuery)"]["id"]
    project.set_path("aep:connections.marketing-bigquery.auth", "Service Authentication")
    project.remove_path("aep:connections.marketing-bigquery.params")
    project.remove_path("aep:connections.marketing-bigquery.secrets")
    project.set_path("aep:connections.marketing-bigquery.params.project_id", "acme-marketing")
    project.set_path("aep:connections.marketing-bigquery.secrets.key_file_content", "marketingBqKeyFile")
    project.set_secret("aep:marketingBqKeyFile", json.dumps({
        "type": "service_account", "project_id": "acme-marketing", "private_key_id": "k1",
        "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIB\\n-----END PRIVATE KEY-----\\n",
        "client_email": "aep@acme-marketing.iam.gserviceaccount.com"}))
    assert _up_and_count(project) == [LIST_MARKED, POST, LIST_SOURCES, DELETE]
    after = project.connections()["Marketing warehouse (BigQuery)"]
    assert after["id"] != before and after["auth"]["specName"] == "Service Authentication"

    project.emulator.clear_log()
    project.destroy()
    assert sorted(project.flow_calls()) == [DELETE, DELETE, LIST_SOURCES, LIST_SOURCES]
    assert project.emulator.connections() == []
