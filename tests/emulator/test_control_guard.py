"""Cross-site and DNS-rebinding requests to the test controls (/_emulator/*) are refused and change nothing;
the Flow Service API itself ignores Origin and Sec-Fetch-Site (emulator/control_guard.py)."""
from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest
import requests

from tests.emulator.seeds import POSTGRESQL

TIMEOUT = 10
SECRET = POSTGRESQL["auth"]["params"]
CREATE = "POST /data/foundation/flowservice/connections"


def control(emulator, method: str, path: str, **headers: str) -> requests.Response:
    return requests.request(method, f"{emulator.url}/_emulator/{path}", headers=headers, timeout=TIMEOUT)


def port(emulator) -> int:
    return urlsplit(emulator.url).port


def assert_refused(response: requests.Response) -> None:
    assert response.status_code == 403, response.text
    body = response.json()
    assert set(body) == {"error_code", "message"} and body["error_code"] == "403000"
    assert "Cross-site requests to the emulator's test controls (/_emulator/) are refused" in body["message"]


@pytest.fixture
def two(flow, emulator) -> list[str]:
    """Two stored connections; the request log holds the token request and the two creates."""
    ids = [flow.create()["id"], flow.create(sandbox="dev")["id"]]
    assert len(emulator.connections()) == 2 and emulator.counts()[CREATE] == 2
    return ids


def assert_untouched(emulator, ids: list[str]) -> None:
    assert sorted(c["id"] for c in emulator.connections()) == sorted(ids)
    assert emulator.counts()[CREATE] == 2


def test_cross_site_reset_is_refused_and_deletes_nothing(emulator, two):
    assert_refused(control(emulator, "POST", "reset", Origin="http://attacker.example"))
    assert_untouched(emulator, two)


def test_cross_site_dump_returns_no_data(emulator, two):
    response = control(emulator, "GET", "connections", Origin="https://attacker.example")
    assert_refused(response)
    assert "items" not in response.json()
    assert not any(i in response.text for i in two) and not any(str(v) in response.text for v in SECRET.values())


def test_null_origin_is_refused(emulator, two):
    assert_refused(control(emulator, "POST", "reset", Origin="null"))
    assert_refused(control(emulator, "GET", "requests", Origin="null"))
    assert_untouched(emulator, two)


@pytest.mark.parametrize("origin", ["http://localhost:{port}", "https://127.0.0.1:{port}", "http://127.0.0.1:1",
                                    "http://127.0.0.1", "http://127.0.0.1:{port}/", ""])
def test_an_origin_other_than_the_emulators_own_is_refused(emulator, two, origin):
    assert_refused(control(emulator, "POST", "reset", Origin=origin.format(port=port(emulator))))
    assert_untouched(emulator, two)


@pytest.mark.parametrize("site", ["cross-site", "same-site", "Cross-Site", "bogus"])
def test_sec_fetch_site_from_another_site_is_refused(emulator, two, site):
    assert_refused(control(emulator, "POST", "reset", **{"Sec-Fetch-Site": site}))
    assert_refused(control(emulator, "PUT", "faults", **{"Sec-Fetch-Site": site}))
    assert emulator.fault_config()["rates"] == {}
    assert_untouched(emulator, two)


def test_same_origin_is_accepted(emulator, two):
    origin = f"http://127.0.0.1:{port(emulator)}"
    dumped = control(emulator, "GET", "connections", Origin=origin, **{"Sec-Fetch-Site": "same-origin"})
    assert dumped.status_code == 200 and sorted(c["id"] for c in dumped.json()["items"]) == sorted(two)
    assert control(emulator, "POST", "reset", Origin=origin).status_code == 204
    assert emulator.connections() == [] and emulator.request_log()["total"] == 0


@pytest.mark.parametrize("site", ["same-origin", "none"])
def test_sec_fetch_site_same_origin_or_none_is_accepted(emulator, two, site):
    assert control(emulator, "POST", "reset", **{"Sec-Fetch-Site": site}).status_code == 204
    assert emulator.connections() == []


def test_a_foreign_host_is_refused_even_with_its_own_origin(emulator, two):
    """DNS rebinding: the page's own name resolves to 127.0.0.1, so Host and Origin agree with each other."""
    rebound = f"attacker.example:{port(emulator)}"
    assert_refused(control(emulator, "POST", "reset", Host=rebound))
    assert_refused(control(emulator, "POST", "reset", Host=rebound, Origin=f"http://{rebound}"))
    assert_refused(control(emulator, "GET", "connections", Host=rebound, **{"Sec-Fetch-Site": "same-origin"}))
    for malformed in (f"127.0.0.1:{port(emulator)}/x", "user@127.0.0.1", "127.0.0.1:port", "10.1.2.3"):
        assert_refused(control(emulator, "POST", "reset", Host=malformed))
    assert_untouched(emulator, two)


@pytest.mark.parametrize("host", ["localhost", "LOCALHOST:{port}", "127.9.8.7:{port}", "[::1]:{port}"])
def test_loopback_hosts_are_accepted(emulator, two, host):
    host = host.format(port=port(emulator))
    assert control(emulator, "GET", "connections", Host=host).status_code == 200
    assert control(emulator, "POST", "reset", Host=host, Origin=f"http://{host.lower()}").status_code == 204
    assert emulator.connections() == []


def test_clients_without_browser_headers_keep_working(emulator, two):
    assert control(emulator, "GET", "connections").json()["items"]
    assert control(emulator, "POST", "reset").status_code == 204
    assert emulator.connections() == []


def test_http_1_0_without_host_is_judged_by_its_origin_alone(emulator, two):
    def status(extra: str) -> int:
        with socket.create_connection(("127.0.0.1", port(emulator)), timeout=TIMEOUT) as sock:
            sock.sendall(f"GET /_emulator/connections HTTP/1.0\r\n{extra}\r\n".encode())
            return int(sock.makefile("rb").readline().split()[1])

    assert status("") == 200
    assert status("Origin: http://attacker.example\r\n") == 403
    assert status(f"Origin: http://127.0.0.1:{port(emulator)}\r\n") == 403


def test_flow_service_ignores_origin_and_fetch_metadata(flow, emulator):
    browser = {"Origin": "http://attacker.example", "Sec-Fetch-Site": "cross-site"}
    created = flow.post("/connections", json=POSTGRESQL, headers=browser)
    assert created.status_code == 201, created.text
    listed = flow.get("/connections", headers={**browser, "Origin": "null"})
    assert listed.status_code == 200 and [c["id"] for c in listed.json()["items"]] == [created.json()["id"]]
    assert [c["id"] for c in emulator.connections()] == [created.json()["id"]]
    flow_calls = [r for r in emulator.requests() if r["path"].startswith("/data/")]
    assert [(r["method"], r["status"], r["sandbox"]) for r in flow_calls] == [("POST", 201, "prod"),
                                                                               ("GET", 200, "prod")]
