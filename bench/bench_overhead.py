"""Provider overhead: 200 creates through the real plugin against 200 plain ``requests`` POSTs, both serial.

A figure, not a test. Same emulator (its own process), same bodies, one keep-alive session on each side. The
plugin side sends each Create straight to the plugin's gRPC stub with the inputs its Check returned, as the
engine does, so what is timed is the plugin: gRPC, the SDK's (de)serialization and provider lookup, our
provider and client, then the same HTTP call. A third side calls our provider's ``create()`` in this process
(configured as the plugin configures it), which splits the overhead into ours and the plugin machinery's.
Every side warms up first (provider loaded, IMS token fetched, connection open); the sides run ``--runs``
times in turn and the ratio is of the medians (target <= 1.10x). With no latency the ratio is a fixed cost per
call over one loopback HTTP call, so it is measured again with 50 ms on every Flow Service call.

Also printed: a bare gRPC round trip to the plugin (GetPluginInfo) and, without latency, the CPU per create of
the plugin process, of the requests loop and of the emulator.

    .venv/bin/python bench/bench_overhead.py [--creates 200] [--runs 3] [--latency-ms 50] [--latency-creates 40]
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Callable

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
    plain_session,
    plugin_config,
    print_table,
    verdict,
)
from provider.base_connection import BaseConnectionProvider  # noqa: E402
from tests.harness.plugin import PluginProcess  # noqa: E402
from tests.harness.wire import from_struct  # noqa: E402

TARGET = 1.10
SIDES = ("plugin", "plain", "direct")


class Timed:
    """Wall seconds of one batch, and CPU seconds of the process doing the work and of the emulator."""

    def __init__(self, emu: EmulatorProcess, worker_pid: int) -> None:
        self.emu, self.worker_pid = emu, worker_pid

    def __enter__(self) -> "Timed":
        self.cpu0, self.emu0 = cpu_seconds(self.worker_pid), cpu_seconds(self.emu.pid)
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        self.wall = time.perf_counter() - self.started
        self.cpu = cpu_seconds(self.worker_pid) - self.cpu0
        self.emu_cpu = cpu_seconds(self.emu.pid) - self.emu0


class Sides:
    """The three ways to create a connection, each able to run a timed batch of serial creates."""

    def __init__(self, emu: EmulatorProcess, plugin: PluginProcess) -> None:
        self.emu, self.plugin = emu, plugin
        plugin.configure(plugin_config(emu), secret_keys={"aep:clientSecret"})
        self.session, self.headers = plain_session(emu)
        self.provider = BaseConnectionProvider()
        self.provider.configure(SimpleNamespace(config=plugin_config(emu)))
        checked = plugin.stub.Check(check_request("direct", pg_registration(name="pg-direct")), timeout=60)
        self.checked_inputs = from_struct(checked.inputs)
        for side in SIDES:  # warm-up
            self.batch(side, "warm", 1)

    def batch(self, side: str, label: str, creates: int) -> Timed:
        names = [f"pg-{side}-{label}-{i}" for i in range(creates)]
        if side == "plugin":
            ready = [create_request(c, self.plugin.stub.Check(c, timeout=60))
                     for c in (check_request(name, pg_registration(name=name)) for name in names)]
            return self._timed(self.plugin.pid, ready, lambda request: self.plugin.stub.Create(request, timeout=60))
        if side == "plain":
            url = self.emu.flow_url + "/connections"
            return self._timed(os.getpid(), [pg_create_body(name) for name in names],
                               lambda body: self._plain_post(url, body))
        return self._timed(os.getpid(), [{**self.checked_inputs, "name": name} for name in names],
                           self.provider.create)

    def _plain_post(self, url: str, body: dict) -> None:
        response = self.session.post(url, json=body, headers=self.headers, timeout=60)
        if response.status_code != 201:
            raise SystemExit(f"plain POST failed: {response.status_code} {response.text[:200]}")

    def _timed(self, pid: int, items: list, create: Callable) -> Timed:
        with Timed(self.emu, pid) as timed:
            for item in items:
                create(item)
        return timed


def measure(sides: Sides, latency_ms: int, creates: int, runs: int) -> dict[str, list[Timed]]:
    """``runs`` batches of each side, in turn, with ``latency_ms`` on every Flow Service call."""
    sides.emu.set_faults(latency_ms=latency_ms)
    try:
        rounds = [{side: sides.batch(side, f"{latency_ms}-{run}", creates) for side in SIDES} for run in range(runs)]
    finally:
        sides.emu.clear_faults()
    return {side: [r[side] for r in rounds] for side in SIDES}


def same_bodies(emu: EmulatorProcess) -> None:
    """What every side stored must be equal but for the name."""
    def key(conn: dict) -> tuple:
        return (conn.get("description"), conn["connectionSpec"]["id"], conn["auth"]["specName"],
                tuple(sorted(conn["auth"]["params"].items())))

    kinds = {key(c) for c in emu.connections() if c["connectionSpec"]["id"] == PG_SPEC}
    if len(kinds) != 1:
        raise SystemExit(f"the sides stored different bodies: {kinds}")


def rows(label: str, batches: dict[str, list[Timed]], creates: int, *, cpu: bool) -> list[tuple[str, str]]:
    """Wall figures; CPU figures too if ``cpu`` (only without latency: the kernel charges CPU time by clock
    ticks, which miscounts processes that mostly sleep)."""
    def median(side: str, pick: Callable[[Timed], float]) -> float:
        return statistics.median(pick(t) for t in batches[side]) * 1000 / creates

    ms = {side: median(side, lambda t: t.wall) for side in SIDES}
    out = [
        (f"{label}: through the plugin", f"{ms['plugin']:.2f} ms per create (median of {len(batches['plugin'])})"),
        (f"{label}: plain requests", f"{ms['plain']:.2f} ms per create"),
        (f"{label}: plugin / plain", verdict(ms["plugin"] / ms["plain"], TARGET)),
        (f"{label}: our provider in-process", f"{ms['direct']:.2f} ms per create = "
                                              f"{ms['direct'] / ms['plain']:.2f}x plain"),
        (f"{label}: overhead, ours / plugin machinery", f"{ms['direct'] - ms['plain']:.2f} ms / "
                                                        f"{ms['plugin'] - ms['direct']:.2f} ms per create"),
    ]
    if cpu:
        out += [
            (f"{label}: CPU per create, plugin process", f"{median('plugin', lambda t: t.cpu):.2f} ms"),
            (f"{label}: CPU per create, requests loop", f"{median('plain', lambda t: t.cpu):.2f} ms"),
            (f"{label}: CPU per create, emulator", f"{median('plain', lambda t: t.emu_cpu):.2f} ms"),
        ]
    return out


def grpc_round_trip(plugin: PluginProcess, calls: int) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        plugin.stub.GetPluginInfo(empty_pb2.Empty(), timeout=60)
    return (time.perf_counter() - started) / calls


def main() -> int:
    args = int_options(__doc__, creates=(200, "creates per batch without latency"),
                       runs=(3, "batches of each kind; the medians are compared"),
                       latency_ms=(50, "the second measurement's latency"),
                       latency_creates=(40, "creates per batch with latency"))
    with emulator_process() as emu, PluginProcess() as plugin:
        emu.reset()
        sides = Sides(emu, plugin)
        no_latency = measure(sides, 0, args.creates, args.runs)
        with_latency = measure(sides, args.latency_ms, args.latency_creates, args.runs)
        same_bodies(emu)
        round_trip = grpc_round_trip(plugin, args.creates)
    print_table("provider overhead: serial creates through the plugin vs plain requests, same emulator and bodies",
                [*rows(f"{args.creates} creates, no latency", no_latency, args.creates, cpu=True),
                 ("bare gRPC round trip to the plugin", f"{round_trip * 1000:.2f} ms (GetPluginInfo)"),
                 *rows(f"{args.latency_creates} creates, {args.latency_ms} ms latency", with_latency,
                       args.latency_creates, cpu=False)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
