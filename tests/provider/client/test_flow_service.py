"""provider/client/flow_service.py: each API call against the emulator over real HTTP."""

from __future__ import annotations

import pytest

from provider.client import ConnectionCreate, FlowServiceClient
from provider.errors import NotFoundError, StaleEtagError, ValidationError
from tests.provider.conftest import BIGQUERY_SPEC_ID, POSTGRESQL_SPEC_ID, flow_counts, pg_connection_string

PASSWORD = "pw-Client-Test-77"


def pg(name: str = "pg", password: str = PASSWORD, host: str = "db.example.com", port: int = 5432):
    return ConnectionCreate.model_validate({
        "name": name, "description": "sales",
        "auth": {"specName": "Connection String Based Authentication",
                 "params": {"connectionString": pg_connection_string(password, host, port)}},
        "connectionSpec": {"id": POSTGRESQL_SPEC_ID, "version": "1.0"},
    })


def bigquery(name: str = "bq"):
    return ConnectionCreate.model_validate({
        "name": name,
        "auth": {"specName": "Basic Authentication", "params": {
            "project": "p", "clientId": "c", "clientSecret": "s-1", "refreshToken": "r-1"}},
        "connectionSpec": {"id": BIGQUERY_SPEC_ID, "version": "1.0"},
    })


def test_create_get_and_masking(emulator, client: FlowServiceClient):
    created, adopted = client.create_connection("prod", pg())
    assert not adopted and created.etag
    conn = client.get_connection("prod", created.id)
    assert (conn.name, conn.description, conn.connectionSpec.id) == ("pg", "sales", POSTGRESQL_SPEC_ID)
    assert conn.etag == created.etag and conn.state == "enabled" and conn.sandboxName == "prod"
    assert conn.auth.params == {"connectionString": "***"}  # the API masks secrets
    stored = emulator.connections()[0]
    assert stored["sandbox"] == "prod" and PASSWORD in stored["auth"]["params"]["connectionString"]
    assert flow_counts(emulator) == {"POST ims": 1, "POST /connections": 1, "GET /connections/{id}": 1}


def test_connections_are_scoped_to_the_sandbox(client):
    created, _ = client.create_connection("dev", pg())
    with pytest.raises(NotFoundError, match="in sandbox prod"):
        client.get_connection("prod", created.id)
    assert client.get_connection("dev", created.id).id == created.id


def test_create_rejected_by_the_api_is_a_validation_error_without_secrets(client):
    bad = pg()
    bad.auth.params["port"] = 5432  # not a param of this auth spec
    with pytest.raises(ValidationError, match="auth.params.port") as info:
        client.create_connection("prod", bad)
    assert PASSWORD not in str(info.value)


def test_find_by_name_and_spec_follows_continuation_tokens(client):
    ids = {client.create_connection("prod", pg("same"))[0].id for _ in range(5)}
    client.create_connection("prod", bigquery("same"))
    client.create_connection("prod", pg("other"))
    found = client.find_connections("prod", "same", POSTGRESQL_SPEC_ID, page_size=2)
    assert {c.id for c in found} == ids
    assert len(client.find_connections("prod", "same")) == 6


def test_find_names_with_commas(client):
    created, _ = client.create_connection("prod", pg("sales, eu"))
    client.create_connection("prod", pg("sales"))
    assert [c.id for c in client.find_connections("prod", "sales, eu", POSTGRESQL_SPEC_ID)] == [created.id]
    assert [c.id for c in client.find_connections("prod", "sales, eu")] == [created.id]


def test_update_with_if_match(emulator, client):
    created, _ = client.create_connection("prod", pg())
    ops = [{"op": "replace", "path": "/name", "value": "renamed"},
           {"op": "replace", "path": "/auth/params", "value": {"connectionString": pg_connection_string("pw-2")}}]
    result = client.update_connection("prod", created.id, created.etag, ops, applied=lambda c: False)
    assert result.id == created.id and result.etag not in (None, created.etag)
    stored = emulator.connections()[0]
    assert stored["name"] == "renamed" and "Password=pw-2" in stored["auth"]["params"]["connectionString"]


def test_stale_etag_reads_once_and_tells_the_user_to_refresh(emulator, client):
    created, _ = client.create_connection("prod", pg())
    # someone renames it in the UI
    client.update_connection("prod", created.id, created.etag, [{"op": "replace", "path": "/name", "value": "ui"}],
                             applied=lambda c: False)
    emulator.clear_log()
    with pytest.raises(StaleEtagError) as info:
        client.update_connection("prod", created.id, created.etag,
                                 [{"op": "replace", "path": "/name", "value": "pulumi"}], applied=lambda c: False)
    text = str(info.value)
    assert "connection 'ui'" in text and "sandbox prod" in text and "Run `pulumi refresh`" in text
    assert "Nothing was overwritten" in text
    assert flow_counts(emulator) == {"PATCH /connections/{id}": 1, "GET /connections/{id}": 1}
    assert emulator.connections()[0]["name"] == "ui"


def test_delete_and_delete_again(emulator, client):
    created, _ = client.create_connection("prod", pg())
    assert client.delete_connection("prod", created.id) is True
    assert client.delete_connection("prod", created.id) is False  # 404 counts as deleted
    assert emulator.connections() == []


def test_connection_test_endpoint(client):
    unreachable, _ = client.create_connection("prod", pg(host="127.0.0.1", port=9))
    assert client.test_connection("prod", unreachable.id) is False
    ok, _ = client.create_connection("prod", bigquery())
    assert client.test_connection("prod", ok.id) is True
