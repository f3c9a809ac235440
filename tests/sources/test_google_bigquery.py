"""Google BigQuery: the seed's OAuth body, and a service-account key given as JSON or base64, validated."""

from __future__ import annotations

import base64
import json

import pytest

from provider.sources import InvalidSourceArgument
from provider.sources.google_bigquery import GoogleBigQueryServiceAccountConnection, service_account_key_base64
from tests.sources.samples import SERVICE_ACCOUNT_KEY, SERVICE_ACCOUNT_KEY_JSON

OAUTH = dict(project="acme-marketing", client_id="1234.apps.googleusercontent.com", client_secret="gcp-secret",
             refresh_token="refresh-1", large_results_dataset_id="aep_large")


def test_oauth_connection_sends_the_seed_body(run_component, emulator):
    run_component("GoogleBigQueryConnection", OAUTH).raise_for_error()
    (stored,) = emulator.connections()
    assert stored["connectionSpec"] == {"id": "3c9b37f8-13a6-43d8-bad3-b863b941fedd", "version": "1.0"}
    assert stored["auth"]["specName"] == "Basic Authentication"
    assert stored["auth"]["params"] == {
        "project": "acme-marketing", "clientId": "1234.apps.googleusercontent.com", "clientSecret": "gcp-secret",
        "refreshToken": "refresh-1", "largeResultsDataSetId": "aep_large",
    }


@pytest.mark.parametrize("form", ["json", "base64", "base64 with line breaks"])
def test_service_account_key_is_accepted_as_json_or_base64_and_sent_base64(form, run_component, emulator):
    encoded = base64.b64encode(SERVICE_ACCOUNT_KEY_JSON.encode()).decode()
    given = {"json": SERVICE_ACCOUNT_KEY_JSON, "base64": encoded,
             "base64 with line breaks": "\n".join(encoded[i:i + 60] for i in range(0, len(encoded), 60))}[form]
    run = run_component("GoogleBigQueryServiceAccountConnection", {"project_id": "acme-events",
                                                                    "key_file_content": given}).raise_for_error()
    params = emulator.connections()[0]["auth"]["params"]
    assert json.loads(base64.b64decode(params["keyFileContent"])) == SERVICE_ACCOUNT_KEY
    assert params["projectId"] == "acme-events"
    assert "auth_params" in run.resource("subject", "pulumi-python:dynamic/aep:BaseConnection").secret_paths


@pytest.mark.parametrize(("content", "reason"), [
    ("not a key: at all!", "got neither"),
    (base64.b64encode(b"\xff\xfe not json").decode(), "not valid JSON"),
    (json.dumps({**SERVICE_ACCOUNT_KEY, "type": "authorized_user"}), '"type": "service_account"'),
    (json.dumps({k: v for k, v in SERVICE_ACCOUNT_KEY.items() if k != "client_email"}), "lacks client_email"),
    (json.dumps({**SERVICE_ACCOUNT_KEY, "private_key": "hunter2"}), "not a PEM private key"),
    ("[1, 2]", "got neither"),
])
def test_invalid_keys_are_rejected_without_echoing_them(content, reason):
    with pytest.raises(InvalidSourceArgument) as err:
        GoogleBigQueryServiceAccountConnection("bq", project_id="p", key_file_content=content)
    assert "argument 'key_file_content' is invalid" in str(err.value)
    assert reason in str(err.value)
    assert "hunter2" not in str(err.value) and "PRIVATE KEY-----\n" not in str(err.value)


def test_base64_form_is_canonical():
    assert base64.b64decode(service_account_key_base64(SERVICE_ACCOUNT_KEY_JSON)) == SERVICE_ACCOUNT_KEY_JSON.encode()
