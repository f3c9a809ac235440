"""Request bodies from Adobe's source tutorials (PostgreSQL and Google BigQuery), used as test seeds.

The BigQuery tutorial's body is not valid JSON (a comma is missing between two params); it is kept as raw text
so the tests send exactly that, and ``BIGQUERY_FIXED`` is the same body with the comma restored.
"""
from __future__ import annotations

import json

POSTGRESQL_SPEC_ID = "74a1c565-4e59-48d7-9d67-7c03b8a13137"
BIGQUERY_SPEC_ID = "3c9b37f8-13a6-43d8-bad3-b863b941fedd"


def postgresql_body(host="{HOST}", db="{DB}", port="{PORT}", user="{USER}", password="{PW}", name="PostgreSQL"):
    return {
        "name": name,
        "description": "Base connection for PostgreSQL",
        "auth": {
            "specName": "Connection String Based Authentication",
            "params": {"connectionString": f"Server={host};Database={db};Port={port};UID={user};Password={password}"},
        },
        "connectionSpec": {"id": POSTGRESQL_SPEC_ID, "version": "1.0"},
    }


POSTGRESQL = postgresql_body()

BIGQUERY_AS_PUBLISHED = """{
    "name": "Google BigQuery connection",
    "description": "Base connection for Google BigQuery",
    "auth": {
        "specName": "Basic Authentication",
        "params": {
            "project": "{PROJECT}",
            "clientId": "{CLIENT_ID}",
            "clientSecret": "{CLIENT_SECRET}",
            "refreshToken": "{REFRESH_TOKEN}"
            "largeResultsDataSetId": "{LARGE_RESULTS_DATASET_ID}"
        }
    },
    "connectionSpec": {
        "id": "3c9b37f8-13a6-43d8-bad3-b863b941fedd",
        "version": "1.0"
    }
}"""

BIGQUERY_FIXED = json.loads(BIGQUERY_AS_PUBLISHED.replace('"{REFRESH_TOKEN}"\n', '"{REFRESH_TOKEN}",\n'))
