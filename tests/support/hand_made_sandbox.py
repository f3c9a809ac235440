"""A sandbox filled by hand, as the AEP UI or another tool leaves it, for the `provider.discover` round trips
(tests/e2e/test_discover.py through the CLI, tests/program/test_discover_round_trip.py through the harness).

Five connections over real HTTP (a PostgreSQL connection string, BigQuery OAuth and service account, two generated
SFTP ones with the same display name), created a few milliseconds apart so their order is known, plus one whose
connection spec the catalog lacks (a source newer than the catalog). The emulator refuses to create those, so that
one is written into its store directly, as it would exist in AEP. `expected_entries` is what discover must print
for it, `CURRENT_SECRETS` the credentials the connections hold, by the config key discover suggests.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

import requests

from tests.support.emulator import EmulatorControl

SANDBOX = "dev"  # aep:sandbox of the local stack
UNKNOWN_SPEC_ID = "0c5a7f2e-9d41-4c8b-a6f3-2e1d0b9c8a77"
SERVICE_ACCOUNT_KEY = base64.b64encode(json.dumps({
    "type": "service_account", "project_id": "acme-events", "private_key_id": "k-discover-1",
    "private_key": "-----BEGIN PRIVATE KEY-----\nZGlzY292ZXItdGVzdA==\n-----END PRIVATE KEY-----\n",
    "client_email": "aep-reader@acme-events.iam.gserviceaccount.com"}).encode()).decode()

# display name -> (spec id, auth spec, description, params); secret params hold distinctive values.
CONNECTIONS: list[tuple[str, str, str, str | None, dict[str, Any]]] = [
    ("Orders DB (PostgreSQL)", "74a1c565-4e59-48d7-9d67-7c03b8a13137", "Connection String Based Authentication",
     None, {"connectionString": "Server=orders-db.internal;Database=orders;Port=5432;UID=aep_reader;"
                                "Password={hand;made}}pw}"}),
    ("Marketing warehouse (BigQuery)", "3c9b37f8-13a6-43d8-bad3-b863b941fedd", "Basic Authentication",
     "Campaign tables; owner: #marketing-data", {
         "project": "acme-marketing", "clientId": "1234567890-hand.apps.googleusercontent.com",
         "clientSecret": "hand-made-gcp-client-secret", "refreshToken": "hand-made-refresh-token",
         "largeResultsDataSetId": "aep_large_results"}),
    ("Event exports (BigQuery, service account)", "3c9b37f8-13a6-43d8-bad3-b863b941fedd", "Service Authentication",
     None, {"projectId": "acme-events", "keyFileContent": SERVICE_ACCOUNT_KEY}),
    ("Partner drop (SFTP)", "b7bf2577-4520-42c9-bae9-cad01560f7bc", "Basic Authentication for sftp",
     "EU partner", {"host": "sftp.eu.partner.example", "port": 2222, "userName": "acme",
                    "password": "hand-made-sftp-eu-pw"}),
    ("Partner drop (SFTP)", "b7bf2577-4520-42c9-bae9-cad01560f7bc", "Basic Authentication for sftp",
     None, {"host": "sftp.us.partner.example", "userName": "acme", "password": "hand-made-sftp-us-pw",
            "folderPath": "/outbox"}),
]
UNKNOWN_NAME = "Legacy feed (retired source)"


@dataclass(frozen=True)
class Made:
    ids: list[str]            # in CONNECTIONS order
    unknown_id: str
    secret_values: list[str]  # every secret param value, for the leak checks


def make_sandbox(emulator: EmulatorControl, server: Any) -> Made:
    ids, secrets = [], []
    for name, spec_id, auth, description, params in CONNECTIONS:
        body: dict[str, Any] = {"name": name, "auth": {"specName": auth, "params": params},
                                "connectionSpec": {"id": spec_id, "version": "1.0"}}
        if description:
            body["description"] = description
        response = requests.post(f"{emulator.flow_url}/connections", json=body, headers=emulator.headers(SANDBOX),
                                 timeout=10)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
        secrets += [v for k, v in params.items() if k in ("connectionString", "clientSecret", "refreshToken",
                                                          "keyFileContent", "password")]
        time.sleep(0.005)  # distinct createdAt: the names of the two SFTP connections follow creation order
    unknown_id = str(uuid.uuid4())
    now = int(time.time() * 1000)
    server.backend.store.insert_connection(emulator.org_id, SANDBOX, {
        "id": unknown_id, "name": UNKNOWN_NAME, "createdAt": now, "updatedAt": now, "state": "enabled",
        "etag": '"legacy-1"', "version": '"legacy-1"', "sandboxName": SANDBOX,
        "auth": {"specName": "Basic Authentication", "params": {"apiKey": "hand-made-legacy-api-key"}},
        "connectionSpec": {"id": UNKNOWN_SPEC_ID, "version": "1.0"},
    })
    return Made(ids, unknown_id, secrets + ["hand-made-legacy-api-key"])


def expected_entries(ids: list[str]) -> dict[str, Any]:
    """The `aep:connections` that discover must print for this sandbox, given the ids of CONNECTIONS."""
    orders, marketing, events, sftp_eu, sftp_us = ids
    return {
        "orders-db-postgresql": {
            "source": "postgresql", "auth": "Connection String Based Authentication",
            "name": "Orders DB (PostgreSQL)", "adopt_id": orders,
            "secrets": {"connection_string": "ordersDbPostgresqlConnectionString"}},
        "marketing-warehouse-bigquery": {
            "source": "google-bigquery", "auth": "Basic Authentication", "name": "Marketing warehouse (BigQuery)",
            "description": "Campaign tables; owner: #marketing-data", "adopt_id": marketing,
            "params": {"project": "acme-marketing", "client_id": "1234567890-hand.apps.googleusercontent.com",
                       "large_results_dataset_id": "aep_large_results"},
            "secrets": {"client_secret": "marketingWarehouseBigqueryClientSecret",
                        "refresh_token": "marketingWarehouseBigqueryRefreshToken"}},
        "event-exports-bigquery-service-account": {
            "source": "google-bigquery", "auth": "Service Authentication",
            "name": "Event exports (BigQuery, service account)", "adopt_id": events,
            "params": {"project_id": "acme-events"},
            "secrets": {"key_file_content": "eventExportsBigqueryServiceAccountKeyFileContent"}},
        "partner-drop-sftp": {
            "source": "sftp", "auth": "Basic Authentication for sftp", "name": "Partner drop (SFTP)",
            "description": "EU partner", "adopt_id": sftp_eu,
            "params": {"host": "sftp.eu.partner.example", "port": 2222, "user_name": "acme"},
            "secrets": {"password": "partnerDropSftpPassword"}},
        "partner-drop-sftp-2": {
            "source": "sftp", "auth": "Basic Authentication for sftp", "name": "Partner drop (SFTP)",
            "adopt_id": sftp_us,
            "params": {"host": "sftp.us.partner.example", "user_name": "acme", "folder_path": "/outbox"},
            "secrets": {"password": "partnerDropSftp2Password"}},
    }


# The current credentials, by the config key discover suggests for them.
CURRENT_SECRETS = {
    "ordersDbPostgresqlConnectionString": CONNECTIONS[0][4]["connectionString"],
    "marketingWarehouseBigqueryClientSecret": "hand-made-gcp-client-secret",
    "marketingWarehouseBigqueryRefreshToken": "hand-made-refresh-token",
    "eventExportsBigqueryServiceAccountKeyFileContent": SERVICE_ACCOUNT_KEY,
    "partnerDropSftpPassword": "hand-made-sftp-eu-pw",
    "partnerDropSftp2Password": "hand-made-sftp-us-pw",
}
