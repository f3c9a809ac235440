"""Size limits (emulator/limits.py, docs/emulator.md "Limits and HTTP behaviour"): over-sized bodies, targets, query
strings and header fields get 413/414/431 in the caller's error shape before anything is parsed, and a request
that is not HTTP at all gets the gateway's JSON 400; the emulator keeps serving afterwards."""
from __future__ import annotations

import socket

import pytest
import requests

from emulator.limits import (MAX_BODY_BYTES, MAX_HEADER_BYTES, MAX_HEADER_FIELDS, MAX_HEADER_VALUE_BYTES,
                             MAX_QUERY_BYTES, MAX_QUERY_PARAMS, MAX_TARGET_BYTES)
from tests.support.conformance import check_response


def _gateway(response, status: int) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error_code"] == f"{status}000", body
    return body


def _raw(emulator, data: bytes) -> bytes:
    host, port = emulator.url.rsplit("/", 1)[1].rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(data)
        out = b""
        while chunk := sock.recv(65536):
            out += chunk
    return out


def test_body_over_the_limit_is_413_before_it_is_read(flow, emulator):
    response = flow.post("/connections", data=b"x" * (MAX_BODY_BYTES + 1))
    assert "1024 KiB" in _gateway(response, 413)["message"]
    assert response.headers["Connection"] == "close"
    assert emulator.connections() == [] and flow.get("/connections").status_code == 200


def test_chunked_body_over_the_limit_is_413_as_it_arrives(flow):
    chunks = (b"x" * 65536 for _ in range(MAX_BODY_BYTES // 65536 + 2))
    _gateway(flow.post("/connections", data=chunks), 413)


def test_body_at_the_limit_is_parsed(flow):
    body = b'{"name": "' + b"n" * (MAX_BODY_BYTES - 100) + b'"}'
    response = flow.post("/connections", data=body)
    assert response.status_code == 400 and "connectionSpec" in response.json()["detail"]


def test_ims_body_over_the_limit_is_an_oauth_error(emulator):
    response = requests.post(emulator.ims_url, data={"client_id": "x" * (MAX_BODY_BYTES + 1)}, timeout=10)
    check_response(response)
    assert response.status_code == 413 and response.json()["error"] == "invalid_request"


def test_long_target_is_414(flow):
    _gateway(flow.get("/connections/" + "x" * MAX_TARGET_BYTES), 414)


@pytest.mark.parametrize("params", [{"property": "name==" + "x" * MAX_QUERY_BYTES},
                                    [("orderby", "name")] * (MAX_QUERY_PARAMS + 1),
                                    {"continuationToken": "x" * (17 * 1024)}])
def test_query_over_the_limits_is_414(flow, params):
    _gateway(flow.get("/connections", params=params), 414)


def test_header_value_over_the_limit_is_431(flow):
    body = _gateway(flow.get("/connections", headers={"X-Big": "v" * (MAX_HEADER_VALUE_BYTES + 1)}), 431)
    assert "x-big" in body["message"]


def test_too_many_or_too_large_header_fields_are_431(flow):
    many = {f"X-{i}": "v" for i in range(MAX_HEADER_FIELDS)}
    _gateway(flow.get("/connections", headers=many), 431)
    large = {f"X-{i}": "v" * 8000 for i in range(MAX_HEADER_BYTES // 8000 + 1)}
    _gateway(flow.get("/connections", headers=large), 431)


@pytest.mark.parametrize("head", [
    b"POST /data/foundation/flowservice/connections HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    b"GET /data/foundation/flowservice/connections HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX: " + b"a" * 70_000
    + b"\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nBad Header Name: v\r\n\r\n",
    b"NOT HTTP AT ALL\r\n\r\n",
])
def test_malformed_http_gets_the_gateway_json_400_or_431(emulator, flow, head):
    reply = _raw(emulator, head)
    status = int(reply.split(b" ", 2)[1])
    assert status in (400, 431), reply[:200]
    assert b"application/json" in reply.split(b"\r\n\r\n")[0] and b'"error_code"' in reply
    assert flow.get("/connections").status_code == 200
