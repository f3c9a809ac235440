"""200 base connections `up` through the real plugin at the engine's concurrency, with 50 ms per API call.

A figure, not a test. The emulator runs in its own process and delays every Flow Service request by 50 ms
(fault config ``latency_ms: 50``, nothing else; IMS is not delayed). The Pulumi engine issues many resource
steps at once and the dynamic plugin serves four gRPC calls at a time, so the driver keeps 16 resources in
flight, each one Check then Create sent straight to the plugin's gRPC stub as the engine sends them. One
create is one POST, so no schedule can beat 200 x 50 ms / 4 = 2.5 s; the figure is the wall time from the
first Check to the last Create against that bound (target <= 1.25x), measured two ways on a fresh plugin:

  cold  right after Configure, as `pulumi up` runs: the first Check loads the provider (imports it, reads
        the config) and the first Create fetches the IMS token.
  warm  one resource `up` first (not timed), so only the 200 steps themselves count.

The same 200 POSTs from plain ``requests`` on four threads give the floor this emulator and machine allow
(request handling, timer overshoot and wake-ups add to every 50 ms), which splits the gap to the bound into the
machine's share and the plugin's.

    .venv/bin/python bench/bench_scale.py [--connections 200] [--latency-ms 50] [--in-flight 16] [--runs 3]
"""

from __future__ import annotations

import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import (  # noqa: E402
    EmulatorProcess,
    check_request,
    check_then_create,
    emulator_process,
    int_options,
    pg_create_body,
    median_of,
    pg_registration,
    plain_session,
    plugin_config,
    print_table,
    verdict,
)
from tests.harness.plugin import PluginProcess  # noqa: E402

PLUGIN_WORKERS = 4  # grpc.server(ThreadPoolExecutor(max_workers=4)) in pulumi/dynamic/__main__.py
TARGET = 1.25
POSTS = "POST /data/foundation/flowservice/connections"


def one_up(emu: EmulatorProcess, connections: int, latency_ms: int, in_flight: int, *, warm: bool) -> float:
    """Seconds for ``connections`` Check+Create pairs on a fresh plugin; every one must reach the emulator."""
    emu.reset()
    checks = [check_request(f"pg{i:03d}", pg_registration(name=f"pg-scale-{i:03d}", password=f"pw-{i}"))
              for i in range(connections)]
    with PluginProcess() as plugin:
        plugin.configure(plugin_config(emu), secret_keys={"aep:clientSecret"})
        if warm:
            check_then_create(plugin.stub, check_request("warm", pg_registration(name="pg-scale-warm")))
        emu.set_faults(latency_ms=latency_ms)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=in_flight) as pool:
            ids = list(pool.map(lambda check: check_then_create(plugin.stub, check), checks))
        elapsed = time.perf_counter() - started
        emu.clear_faults()
    posts = emu.counts().get(POSTS, 0) - warm
    stored = len(emu.connections()) - warm
    if len(set(ids)) != connections or posts != connections or stored != connections:
        raise SystemExit(f"expected {connections} creates: got {len(set(ids))} ids, {posts} POSTs, {stored} stored")
    return elapsed


def plain_floor(emu: EmulatorProcess, connections: int, latency_ms: int) -> float:
    """Seconds for the same POSTs from plain ``requests``, one session per thread, four threads: what
    any client reaches against this emulator on this machine (its processing, timers and wake-ups included)."""
    emu.reset()
    local = threading.local()
    _, headers = plain_session(emu)
    bodies = [pg_create_body(f"pg-plain-{i:03d}", f"pw-{i}") for i in range(connections)]

    def post(body: dict) -> int:
        if not hasattr(local, "session"):
            local.session = plain_session(emu)[0]
        return local.session.post(emu.flow_url + "/connections", json=body, headers=headers, timeout=60).status_code

    with ThreadPoolExecutor(max_workers=PLUGIN_WORKERS) as pool:
        list(pool.map(post, bodies[:PLUGIN_WORKERS]))  # one open connection per thread, as the plugin has
        emu.set_faults(latency_ms=latency_ms)
        started = time.perf_counter()
        statuses = list(pool.map(post, bodies))
        elapsed = time.perf_counter() - started
        emu.clear_faults()
    if statuses != [201] * connections:
        raise SystemExit(f"plain POSTs failed: {sorted(set(statuses))}")
    return elapsed


def main() -> int:
    args = int_options(__doc__, connections=(200, "connections to create"),
                       latency_ms=(50, "latency of every Flow Service call"),
                       in_flight=(16, "resources the driver keeps in flight"),
                       runs=(3, "runs of each kind; the median is reported"))
    bound = args.connections * args.latency_ms / 1000 / PLUGIN_WORKERS
    with emulator_process() as emu:
        figures = {
            kind: median_of(args.runs, lambda: one_up(emu, args.connections, args.latency_ms, args.in_flight,
                                                      warm=kind == "warm"))
            for kind in ("cold", "warm")
        }
        floor, floor_runs = median_of(args.runs, lambda: plain_floor(emu, args.connections, args.latency_ms))
    rows = [(f"bound {args.connections} x {args.latency_ms} ms / {PLUGIN_WORKERS} workers", f"{bound:.2f} s")]
    for kind, (wall, runs) in figures.items():
        rows += [
            (f"{kind}: wall time (median of {len(runs)})",
             f"{wall:.2f} s  (runs: {', '.join(f'{r:.2f}' for r in runs)})"),
            (f"{kind}: wall / bound", verdict(wall / bound, TARGET)),
            (f"{kind}: connections per second", f"{args.connections / wall:.1f}"),
        ]
    rows += [
        (f"plain requests, {PLUGIN_WORKERS} sessions (median of {len(floor_runs)})",
         f"{floor:.2f} s  (runs: {', '.join(f'{r:.2f}' for r in floor_runs)})"),
        ("plain requests / bound: this emulator and machine", f"{floor / bound:.2f}x"),
        ("warm plugin / plain requests: the plugin's share", f"{figures['warm'][0] / floor:.2f}x"),
    ]
    print_table(f"scale: {args.connections} connections up, {args.latency_ms} ms per Flow Service call, "
                f"{args.in_flight} in flight, plugin serves {PLUGIN_WORKERS}", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
