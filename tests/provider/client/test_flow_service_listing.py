"""FlowServiceClient.list_connections: every connection of one sandbox, oldest first, over every page."""

from __future__ import annotations

from typing import Any

import pytest

from provider.client import FlowServiceClient
from provider.errors import TransportError
from tests.provider.client.test_flow_service import bigquery, pg
from tests.provider.conftest import flow_counts


def test_lists_every_page_oldest_first_in_one_sandbox(emulator, client: FlowServiceClient):
    made = [client.create_connection("dev", pg(f"pg-{i}") if i % 2 else bigquery(f"bq-{i}"))[0].id for i in range(7)]
    client.create_connection("prod", pg("elsewhere"))
    emulator.clear_log()
    listed = client.list_connections("dev", page_size=3)
    assert [c.id for c in listed] == made
    assert listed[1].auth.params == {"connectionString": "***"}
    assert flow_counts(emulator) == {"GET /connections": 3}
    assert [c.id for c in client.list_connections("dev")] == made  # one page of 100


def test_an_empty_sandbox_is_an_empty_list(client):
    assert client.list_connections("stage") == []


class _Reply:
    def __init__(self, body: dict[str, Any]) -> None:
        self.body = body

    def json(self) -> dict[str, Any]:
        return self.body


def test_pages_that_never_end_fail_rather_than_return_part(client, monkeypatch):
    item = {"id": "c", "name": "n", "connectionSpec": {"id": "s"}}
    loop = {"items": [item], "_links": {"next": {"href": "/connections?limit=1&continuationToken=same"}}}
    monkeypatch.setattr(client, "call", lambda *args, **kwargs: _Reply(loop))
    with pytest.raises(TransportError, match="stopped rather than return part of the list"):
        client.list_connections("dev", page_size=1)
    assert [c.id for c in client.find_connections("dev", "n")] == ["c", "c"]  # lookups keep what they found
