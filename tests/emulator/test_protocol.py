"""emulator/protocol.py: a dropped request gets no HTTP bytes at all - the socket just closes."""
from __future__ import annotations

import socket
from urllib.parse import urlsplit


def _raw_exchange(emulator, request: bytes) -> bytes:
    parts = urlsplit(emulator.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(request)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received


def _get(emulator) -> bytes:
    headers = emulator.headers()
    lines = [f"GET /data/foundation/flowservice/connections HTTP/1.1", "Host: emulator", "Connection: close",
             *[f"{k}: {v}" for k, v in headers.items()], "", ""]
    return "\r\n".join(lines).encode()


def test_drop_sends_nothing_then_closes(emulator):
    request = _get(emulator)
    emulator.set_faults(script=[{"method": "GET", "fault": "drop"}])
    assert _raw_exchange(emulator, request) == b""
    assert _raw_exchange(emulator, request).startswith(b"HTTP/1.1 200 ")


def test_commit_drop_sends_nothing_either(emulator):
    request = _get(emulator)
    emulator.set_faults(script=[{"method": "GET", "fault": "commit_drop"}])
    assert _raw_exchange(emulator, request) == b""
    assert emulator.requests()[-1]["status"] == 200
