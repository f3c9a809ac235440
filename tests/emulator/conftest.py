"""Fixtures for the emulator suite: a Flow Service client whose every response is checked against Adobe's
OpenAPI spec, and a real PostgreSQL server for the connection test."""
from __future__ import annotations

import copy
from typing import Any

import pytest
import requests

from tests.emulator.postgres import PostgresServer, find_postgres_bin
from tests.emulator.seeds import POSTGRESQL
from tests.emulator.service_conformance import checked_session

TIMEOUT = 10


class FlowClient:
    """Calls Flow Service on the emulator with valid gateway headers; ``headers=`` entries override them and a
    ``None`` value removes one. A path under ``/data/`` names another service (Data Prep, Catalog); others are
    Flow Service's. Every response goes through the conformance check (a failure raises)."""

    def __init__(self, emulator: Any):
        self.emulator = emulator
        self.session = checked_session()

    def request(self, method: str, path: str, *, sandbox: str | None = "prod", headers: dict | None = None,
                **kwargs: Any) -> requests.Response:
        merged = {**self.emulator.headers(sandbox), **(headers or {})}
        url = (self.emulator.url if path.startswith("/data/") else self.emulator.flow_url) + path
        return self.session.request(method, url, headers=merged, timeout=TIMEOUT, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PUT", path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.request("DELETE", path, **kwargs)

    def create(self, body: dict | None = None, **kwargs: Any) -> dict[str, Any]:
        response = self.post("/connections", json=copy.deepcopy(body or POSTGRESQL), **kwargs)
        assert response.status_code == 201, response.text
        return response.json()

    def fetch(self, ident: str, **kwargs: Any) -> dict[str, Any]:
        response = self.get(f"/connections/{ident}", **kwargs)
        assert response.status_code == 200, response.text
        return response.json()["items"][0]


@pytest.fixture
def flow(emulator) -> FlowClient:
    client = FlowClient(emulator)
    yield client
    client.session.close()


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL cluster on 127.0.0.1 with password (SCRAM) auth, from Debian's binaries."""
    bin_dir = find_postgres_bin()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries (initdb/pg_ctl) on this machine; .ci/run installs Debian's "
                    "postgresql package")
    server = PostgresServer(bin_dir)
    server.start()
    try:
        yield server
    finally:
        server.stop()
