"""Emulator throughput on loopback: requests/second for POST /connections and GET /connections/{id}.

A figure, not a test. One keep-alive client, sequential requests (how the provider talks to Flow Service),
measured twice: against ``python -m emulator`` in its own process, and against an in-process EmulatorServer
(the test fixtures' setup, where client and server share one interpreter).

    .venv/bin/python bench/bench_emulator.py [--requests 1000]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import CLIENT, ORG, SECRET, emulator_process, machine_line, pg_create_body  # noqa: E402
from emulator.server import EmulatorServer  # noqa: E402

BODY = pg_create_body("bench")


def _headers(session: requests.Session, url: str) -> dict[str, str]:
    token = session.post(f"{url}/ims/token/v3", timeout=10, data={
        "grant_type": "client_credentials", "client_id": CLIENT, "client_secret": SECRET}).json()["access_token"]
    return {"Authorization": f"Bearer {token}", "x-api-key": CLIENT, "x-gw-ims-org-id": ORG,
            "x-sandbox-name": "prod", "Content-Type": "application/json"}


def measure(url: str, n: int) -> dict[str, float]:
    session = requests.Session()
    headers = _headers(session, url)
    flow = f"{url}/data/foundation/flowservice/connections"
    for _ in range(20):  # warm-up
        session.post(flow, json=BODY, headers=headers, timeout=10)
    ids = []
    started = time.perf_counter()
    for _ in range(n):
        response = session.post(flow, json=BODY, headers=headers, timeout=10)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    post = n / (time.perf_counter() - started)
    started = time.perf_counter()
    for ident in ids:
        assert session.get(f"{flow}/{ident}", headers=headers, timeout=10).status_code == 200
    get = n / (time.perf_counter() - started)
    return {"POST": post, "GET": get}


def separate_process(n: int) -> dict[str, float]:
    with emulator_process() as emu:
        return measure(emu.url, n)


def in_process(n: int) -> dict[str, float]:
    with EmulatorServer(port=0, db=":memory:") as server:
        return measure(server.url, n)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=1000, help="requests per method (default 1000)")
    n = parser.parse_args().requests
    print(f"\n== emulator throughput, {n} sequential requests per method, one keep-alive connection ==")
    print(machine_line())
    print(f"{'setup':<34}{'POST req/s':>12}{'GET req/s':>12}{'GET/POST':>10}")
    for label, run in (("python -m emulator (own process)", separate_process),
                       ("in-process EmulatorServer", in_process)):
        figures = run(n)
        print(f"{label:<34}{figures['POST']:>12.0f}{figures['GET']:>12.0f}{figures['GET'] / figures['POST']:>10.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
