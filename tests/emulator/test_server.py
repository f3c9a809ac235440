"""emulator/server.py: ephemeral ports, addresses, start/stop, persistence across a restart."""
from __future__ import annotations

import socket

import pytest
import requests

from emulator.server import EmulatorServer
from tests.emulator.conftest import FlowClient
from tests.emulator.seeds import POSTGRESQL
from tests.support.emulator import EmulatorControl


def test_port_zero_gives_distinct_ports_and_urls():
    with EmulatorServer() as first, EmulatorServer() as second:
        assert first.port != second.port and first.port > 0
        assert first.url == f"http://127.0.0.1:{first.port}"
        assert first.flow_url == first.url + "/data/foundation/flowservice"
        assert first.ims_url == first.url + "/ims/token/v3"
        assert requests.get(first.url + "/_emulator/requests", timeout=5).status_code == 200


def test_stop_releases_the_port():
    server = EmulatorServer().start()
    port = server.port
    server.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/_emulator/requests", timeout=5)
    server.stop()


def test_ipv6_loopback_url_is_bracketed():
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    try:
        server = EmulatorServer(host="::1").start()
    except RuntimeError as exc:
        pytest.skip(f"IPv6 loopback unavailable: {exc}")
    try:
        assert server.url == f"http://[::1]:{server.port}"
        assert requests.get(server.url + "/_emulator/requests", timeout=5).status_code == 200
    finally:
        server.stop()


def test_url_before_start_is_a_clear_error():
    with pytest.raises(RuntimeError, match="not started"):
        EmulatorServer().url


def test_busy_port_is_a_clear_error():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(RuntimeError, match="cannot listen on 127.0.0.1"):
            EmulatorServer(port=taken.getsockname()[1]).start()


def test_bad_settings_are_rejected():
    with pytest.raises(ValueError, match="token_ttl"):
        EmulatorServer(token_ttl=0)
    with pytest.raises(ValueError, match="sandboxes"):
        EmulatorServer(sandboxes=())


def test_repr_hides_the_client_secret():
    with EmulatorServer(client_secret="very-secret-value") as server:
        assert "very-secret-value" not in repr(server) and str(server.port) in repr(server)


def test_file_database_survives_a_restart(tmp_path):
    db = str(tmp_path / "state" / "emulator.sqlite3")
    with EmulatorServer(db=db) as server:
        control = EmulatorControl.for_server(server)
        flow = FlowClient(control)
        created = flow.create(sandbox="dev")
        token = control.token()
        patched = flow.patch(f"/connections/{created['id']}", sandbox="dev", headers={"If-Match": created["etag"]},
                             json=[{"op": "replace", "path": "/name", "value": "kept"}]).json()
    with EmulatorServer(db=db) as server:
        control = EmulatorControl.for_server(server)
        flow = FlowClient(control)
        doc = flow.fetch(created["id"], sandbox="dev", headers={"Authorization": f"Bearer {token}"})
        assert doc["name"] == "kept" and doc["etag"] == patched["etag"]
        assert control.connections()[0]["auth"]["params"] == POSTGRESQL["auth"]["params"]
        assert flow.get(f"/connections/{created['id']}", sandbox="prod").status_code == 404


def test_memory_database_starts_empty_each_time():
    for _ in range(2):
        with EmulatorServer() as server:
            control = EmulatorControl.for_server(server)
            assert control.connections() == []
            FlowClient(control).create()
