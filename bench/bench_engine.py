"""200 base connections through the real Pulumi engine: `preview`, `up`, a no-change `up`, `destroy`.

A figure, not a test. The CLI is the one `make pulumi` provides (driven by provider.automation), the program
is this project's `__main__.py` with a stack of N PostgreSQL entries, and the emulator (its own process) delays
every Flow Service request by 50 ms. The engine runs 8 steps at once (`--parallel` defaults to 4 x cores) and
the dynamic plugin serves 4 gRPC calls at a time, so no schedule can create N connections faster than
N x 50 ms / 4: the `up` figure is the wall time against that bound, and against plain `requests` making the
same N POSTs on 4 threads (the floor this emulator and machine allow).

Where the time goes: a no-change `up` makes 0 Flow Service calls, so its wall time is the engine's own share
(CLI start, program run, N registrations, plugin start, state writes); `up` minus that is the calls' share.

    .venv/bin/python bench/bench_engine.py [--connections 200] [--latency-ms 50] [--cli PATH]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import emulator_process, pg_create_body, plain_session, print_table  # noqa: E402
from provider.automation import OFFLINE, find_cli, open_stack  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PLUGIN_WORKERS = 4
FLOW = "/data/foundation/flowservice"


def stack_file(connections: int, emu) -> dict:
    entries = {f"pg-{i:03d}": {"source": "postgresql", "name": f"Bench database {i:03d}",
                               "params": {"host": f"db{i:03d}.bench.example", "database": "bench",
                                          "username": "aep_reader", "ssl_mode": "require"},
                               "secrets": {"password": "benchPassword"}} for i in range(connections)}
    return {"config": {"aep:orgId": emu.org_id, "aep:clientId": emu.client_id, "aep:endpoint": emu.flow_url,
                       "aep:imsEndpoint": emu.ims_url, "aep:sandbox": "prod", "aep:connections": entries}}


def flow_calls(emu) -> int:
    return sum(n for key, n in emu.counts().items() if FLOW in key)


def deletes(emu) -> int:
    return emu.counts().get(f"DELETE {FLOW}/connections/{{id}}", 0)


def plain_floor(emu, connections: int) -> float:
    session, headers = plain_session(emu)
    start = time.perf_counter()
    with ThreadPoolExecutor(PLUGIN_WORKERS) as pool:
        list(pool.map(lambda i: session.post(f"{emu.flow_url}/connections", json=pg_create_body(f"floor-{i}"),
                                             headers=headers, timeout=60).raise_for_status(), range(connections)))
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--skip-checkpoints", action="store_true",
                        help="PULUMI_SKIP_CHECKPOINTS=true: state written once at the end, not after every step")
    parser.add_argument("--cli", help="the `pulumi` to use (default: $PULUMI_CLI, else .pulumi-cli/bin, else PATH)")
    args = parser.parse_args()
    built = ROOT / ".pulumi-cli" / "bin" / "pulumi"
    cli = find_cli(args.cli or os.environ.get("PULUMI_CLI") or (str(built) if built.exists() else None))
    n, latency = args.connections, args.latency_ms / 1000
    with emulator_process() as emu, tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        (project / "stacks").mkdir(parents=True)
        for name in ("Pulumi.yaml", "__main__.py"):
            shutil.copy(ROOT / name, project / name)
        for name in ("provider", ".venv"):
            (project / name).symlink_to(ROOT / name)
        (project / "stacks" / "Pulumi.bench.yaml").write_text(yaml.safe_dump(stack_file(n, emu)))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AEP_", "PULUMI_"))}
        env.update(OFFLINE, PULUMI_BACKEND_URL=f"file://{tmp}/state", PULUMI_CONFIG_PASSPHRASE="bench",
                   PULUMI_HOME=f"{tmp}/home", AEP_CLIENT_SECRET=emu.client_secret, BENCH_PASSWORD="bench-pw-1")
        if args.skip_checkpoints:
            env["PULUMI_SKIP_CHECKPOINTS"] = "true"
        stack = open_stack("bench", project=project, cli=cli, env=env)
        emu.set_faults(latency_ms=args.latency_ms)

        def timed(operation, **kwargs) -> tuple[float, int]:
            emu.clear_log()
            start = time.perf_counter()
            getattr(stack, operation)(color="never", **kwargs)
            return time.perf_counter() - start, flow_calls(emu)

        def destroyed() -> tuple[float, int, int]:
            seconds, calls = timed("destroy")
            return seconds, calls, deletes(emu)

        preview, preview_calls = timed("preview")
        up, up_calls = timed("up")
        same, same_calls = timed("up")
        destroy, destroy_calls, destroy_deletes = destroyed()
        floor = plain_floor(emu, n)
    if (preview_calls, up_calls, same_calls, destroy_deletes) != (0, n, 0, n):
        sys.exit(f"unexpected Flow Service calls: preview {preview_calls}, up {up_calls} (expected {n}), "
                 f"no-change up {same_calls}, destroy {destroy_deletes} DELETEs (expected {n})")
    bound = n * latency / PLUGIN_WORKERS
    calls_share = max(up - same, 0.0)
    print_table(f"real engine: {n} connections, {args.latency_ms} ms per Flow Service call (CLI {cli})", [
        ("preview", f"{preview:.2f} s, {preview_calls} Flow Service calls"),
        ("up", f"{up:.2f} s, {up_calls} Flow Service calls"),
        ("no-change up", f"{same:.2f} s, {same_calls} Flow Service calls (the engine's own share)"),
        ("destroy", f"{destroy:.2f} s, {destroy_calls} Flow Service calls ({destroy_deletes} DELETEs)"),
        (f"bound {n} x {args.latency_ms} ms / {PLUGIN_WORKERS}", f"{bound:.2f} s"),
        (f"plain requests, {PLUGIN_WORKERS} threads", f"{floor:.2f} s"),
        ("up / bound", f"{up / bound:.2f}x"),
        ("up / plain requests", f"{up / floor:.2f}x"),
        ("up minus no-change up (calls' share)", f"{calls_share:.2f} s = {calls_share / bound:.2f}x the bound"),
    ])
    return 0


if __name__ == "__main__":
    sys.exit(main())
