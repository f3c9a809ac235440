"""Provider overhead: 200 creates through the real plugin against 200 plain ``requests`` POSTs, both serial.

A figure, not a test. Same emulator (its own process, no injected latency), same bodies, one keep-alive
session in both. The plugin side sends each Create straight to the plugin's gRPC stub with the inputs its
Check returned, as the engine does, so what is timed is the plugin: gRPC, the SDK's (de)serialization and
provider lookup, our provider and client, then the same HTTP call. Both sides warm up first (provider loaded,
IMS token fetched, connection open) and run ``--runs`` times alternately; the ratio is of the medians
(target <= 1.10x). With no latency the ratio is the plugin's fixed cost per call over one loopback HTTP call,
so it is measured again with 50 ms on every Flow Service call (both sides), closer to a real network.

Also printed: a bare gRPC round trip to the plugin (GetPluginInfo) and the CPU each side burns per create
(plugin process vs the requests loop, and the emulator's share).

    .venv/bin/python bench/bench_overhead.py [--creates 200] [--runs 3] [--latency-ms 50] [--latency-creates 40]
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import requests
from google.protobuf import empty_pb2

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import (  # noqa: E402
    PG_SPEC,
    EmulatorProcess,
    check_request,
    cpu_seconds,
    create_request,
    emulator_process,
    int_options,
    pg_create_body,
    pg_registration,
    plugin_config,
    print_table,
    verdict,
)
from tests.harness.plugin import PluginProcess  # noqa: E402

TARGET = 1.10


class Timed:
    """Wall seconds and CPU seconds of the driving side and of the emulator, for one batch."""

    def __init__(self, emu: EmulatorProcess, driver_pid: int) -> None:
        self.emu, self.driver_pid = emu, driver_pid

    def __enter__(self) -> "Timed":
        self.cpu0, self.emu0 = cpu_seconds(self.driver_pid), cpu_seconds(self.emu.pid)
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self.started
        self.cpu = cpu_seconds(self.driver_pid) - self.cpu0
        self.emu_cpu = cpu_seconds(self.emu.pid) - self.emu0


def plugin_batch(plugin: PluginProcess, emu: EmulatorProcess, batch: str, creates: int) -> Timed:
    checks = [check_request(f"pg{batch}-{i}", pg_registration(name=f"pg-{batch}-{i}")) for i in range(creates)]
    ready = [create_request(c, plugin.stub.Check(c, timeout=60)) for c in checks]
    with Timed(emu, plugin.pid) as timed:
        for request in ready:
            plugin.stub.Create(request, timeout=60)
    return timed


def raw_batch(session: requests.Session, headers: dict, emu: EmulatorProcess, batch: str, creates: int) -> Timed:
    bodies = [pg_create_body(f"raw-{batch}-{i}") for i in range(creates)]
    url = emu.flow_url + "/connections"
    with Timed(emu, os.getpid()) as timed:
        for body in bodies:
            response = session.post(url, json=body, headers=headers, timeout=60)
            if response.status_code != 201:
                raise SystemExit(f"plain POST failed: {response.status_code} {response.text[:200]}")
    return timed


def raw_session(emu: EmulatorProcess) -> tuple[requests.Session, dict]:
    """A session with a token and the headers the provider sends (provider/client/flow_service.py)."""
    session = requests.Session()
    token = session.post(emu.ims_url, timeout=60, data={
        "grant_type": "client_credentials", "client_id": emu.client_id, "client_secret": emu.client_secret,
        "scope": "openid,AdobeID,read_organizations"}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}", "x-api-key": emu.client_id, "x-gw-ims-org-id": emu.org_id,
               "x-sandbox-name": "prod", "Accept": "application/json", "Content-Type": "application/json"}
    return session, headers


def same_bodies(emu: EmulatorProcess) -> None:
    """What the plugin stored must equal what the plain loop stored, but for the name."""
    def key(conn: dict) -> tuple:
        return (conn.get("description"), conn["connectionSpec"]["id"], conn["auth"]["specName"],
                tuple(sorted(conn["auth"]["params"].items())))

    kinds = {key(c) for c in emu.connections() if c["connectionSpec"]["id"] == PG_SPEC}
    if len(kinds) != 1:
        raise SystemExit(f"the plugin and the plain loop stored different bodies: {kinds}")


def grpc_floor(plugin: PluginProcess, calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        plugin.stub.GetPluginInfo(empty_pb2.Empty(), timeout=60)
    return (time.perf_counter() - started) / calls


def measure(plugin: PluginProcess, emu: EmulatorProcess, raw: tuple[requests.Session, dict], latency_ms: int,
            creates: int, runs: int) -> list[tuple[Timed, Timed]]:
    """``runs`` pairs of batches, plugin then plain loop, with ``latency_ms`` on every Flow Service call."""
    emu.set_faults(latency_ms=latency_ms)
    try:
        return [(plugin_batch(plugin, emu, f"{latency_ms}-{run}", creates),
                 raw_batch(*raw, emu, f"{latency_ms}-{run}", creates)) for run in range(runs)]
    finally:
        emu.clear_faults()


def rows(label: str, pairs: list[tuple[Timed, Timed]], creates: int) -> list[tuple[str, str]]:
    def median(pick) -> float:
        return statistics.median(pick(pair) for pair in pairs)

    via_plugin, plain, per = median(lambda r: r[0].wall), median(lambda r: r[1].wall), 1000 / creates
    return [
        (f"{label}: plugin, wall (median of {len(pairs)})",
         f"{via_plugin:.3f} s = {via_plugin * per:.2f} ms per create"),
        (f"{label}: plain requests, wall", f"{plain:.3f} s = {plain * per:.2f} ms per create"),
        (f"{label}: plugin / plain", verdict(via_plugin / plain, TARGET)),
        (f"{label}: overhead per create", f"{(via_plugin - plain) * per:.2f} ms"),
        (f"{label}: CPU per create, plugin process", f"{median(lambda r: r[0].cpu) * per:.2f} ms"),
        (f"{label}: CPU per create, requests loop", f"{median(lambda r: r[1].cpu) * per:.2f} ms"),
        (f"{label}: CPU per create, emulator", f"{median(lambda r: r[1].emu_cpu) * per:.2f} ms"),
    ]


def main() -> int:
    args = int_options(__doc__, creates=(200, "creates per batch without latency"),
                       runs=(3, "batches of each kind; the medians are compared"),
                       latency_ms=(50, "the second measurement's latency"),
                       latency_creates=(40, "creates per batch with latency"))
    with emulator_process() as emu, PluginProcess() as plugin:
        emu.reset()
        plugin.configure(plugin_config(emu), secret_keys={"aep:clientSecret"})
        plugin_batch(plugin, emu, "warm", 1)  # provider loaded, token fetched, connection open
        raw = raw_session(emu)
        raw_batch(*raw, emu, "warm", 1)
        no_latency = measure(plugin, emu, raw, 0, args.creates, args.runs)
        with_latency = measure(plugin, emu, raw, args.latency_ms, args.latency_creates, args.runs)
        same_bodies(emu)
        floor = grpc_floor(plugin, args.creates)
    print_table(f"provider overhead: serial creates through the plugin vs plain requests, same emulator and bodies",
                [*rows(f"{args.creates} creates, no latency", no_latency, args.creates),
                 ("bare gRPC round trip to the plugin", f"{floor * 1000:.2f} ms (GetPluginInfo)"),
                 *rows(f"{args.latency_creates} creates, {args.latency_ms} ms latency", with_latency,
                       args.latency_creates)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
