"""N base connections through the real Pulumi engine: `preview`, `up`, a no-change `up`, `destroy`.

A figure, not a test. The CLI is the one `make pulumi` provides (driven by provider.automation), the program
is this project's `__main__.py` with a stack of N PostgreSQL entries, and the emulator (its own process) delays
every Flow Service request by 50 ms. The engine runs 8 steps at once (`--parallel` defaults to 4 x cores) and
the dynamic plugin serves 4 gRPC calls at a time, so no schedule can create N connections faster than
N x 50 ms / 4: the `up` figure is the wall time against that bound, and against plain `requests` making the
same N POSTs on 4 threads (the floor this emulator and machine allow).

Where the time goes: a no-change `up` makes 0 Flow Service calls, so its wall time is the engine's own share
(CLI start, program run, N registrations, plugin start, state writes); `up` minus that is the calls' share.

Each N, checkpoint mode and backend starts from an empty stack and sandbox. `--backend s3` keeps the state in
a local S3-compatible server (tests/support/s3_server.py) as a team would in a bucket.

    .venv/bin/python bench/bench_engine.py [--connections 200 | 100,200,400,800] [--modes default|skip|both]
        [--backend file|s3|file,s3] [--program config|file|code] [--latency-ms 50] [--cli PATH]
"""

from __future__ import annotations

import argparse
import contextlib
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
from tests.support.s3_server import KEYS as S3_KEYS, s3_server  # noqa: E402

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


CODE_PROGRAM = """import os

import pulumi

from provider import PostgreSqlConnection

password = pulumi.Output.secret(os.environ["BENCH_PASSWORD"])
for i in range(pulumi.Config("bench").require_int("connections")):
    PostgreSqlConnection(f"pg-{i:03d}", name=f"Bench database {i:03d}", host=f"db{i:03d}.bench.example",
                         database="bench", username="aep_reader", password=password, ssl_mode="require")
"""


def code_stack_file(connections: int, emu) -> dict:
    """The same connections declared by a loop in the program (CODE_PROGRAM), not one config entry each."""
    settings = stack_file(0, emu)["config"]
    del settings["aep:connections"]
    return {"config": {**settings, "bench:connections": connections}}


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


def measure(cli: Path, n: int, latency_ms: int, skip: bool, backend: str, program: str) -> dict[str, float]:
    """preview, up, no-change up and destroy of ``n`` connections from scratch; seconds, and the floor."""
    latency = latency_ms / 1000
    with contextlib.ExitStack() as stack_of:
        emu = stack_of.enter_context(emulator_process())
        tmp = stack_of.enter_context(tempfile.TemporaryDirectory())
        project = Path(tmp) / "project"
        (project / "stacks").mkdir(parents=True)
        for name in ("Pulumi.yaml", "__main__.py"):
            shutil.copy(ROOT / name, project / name)
        for name in ("provider", ".venv"):
            (project / name).symlink_to(ROOT / name)
        if program == "code":
            (project / "__main__.py").write_text(CODE_PROGRAM)
        declared = stack_file(n, emu) if program != "code" else code_stack_file(n, emu)
        if program == "file":
            (project / "connections.yaml").write_text(yaml.safe_dump(declared["config"].pop("aep:connections")))
            declared["config"]["aep:connectionsFile"] = "connections.yaml"
        (project / "stacks" / "Pulumi.bench.yaml").write_text(yaml.safe_dump(declared))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AEP_", "PULUMI_"))}
        env.update(OFFLINE, PULUMI_BACKEND_URL=f"file://{tmp}/state", PULUMI_CONFIG_PASSPHRASE="bench",
                   PULUMI_HOME=f"{tmp}/home", AEP_CLIENT_SECRET=emu.client_secret, BENCH_PASSWORD="bench-pw-1")
        if backend == "s3":
            url, _client = stack_of.enter_context(s3_server("bench"))
            env.update(S3_KEYS, PULUMI_BACKEND_URL=url)
        if skip:
            env["PULUMI_SKIP_CHECKPOINTS"] = "true"
        stack = open_stack("bench", project=project, cli=cli, env=env)
        emu.set_faults(latency_ms=latency_ms)

        def timed(operation: str) -> tuple[float, int]:
            emu.clear_log()
            start = time.perf_counter()
            getattr(stack, operation)(color="never")
            return time.perf_counter() - start, flow_calls(emu)

        preview, preview_calls = timed("preview")
        up, up_calls = timed("up")
        same, same_calls = timed("up")
        destroy, _destroy_calls = timed("destroy")
        destroyed = deletes(emu)
        floor = plain_floor(emu, n)
    # up: n POSTs, plus one listing for connections an interrupted run made (provider/client/create_marker.py)
    if (preview_calls, up_calls, same_calls, destroyed) != (0, n + 1, 0, n):
        sys.exit(f"unexpected Flow Service calls at {n}: preview {preview_calls}, up {up_calls} (expected {n + 1}), "
                 f"no-change up {same_calls}, destroy {destroyed} DELETEs (expected {n})")
    return {"preview": preview, "up": up, "same": same, "destroy": destroy, "floor": floor,
            "bound": n * latency / PLUGIN_WORKERS}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", default="200", help="N, or several: 100,200,400,800")
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--modes", default="default", help="default, skip (PULUMI_SKIP_CHECKPOINTS=true) or both")
    parser.add_argument("--skip-checkpoints", action="store_true", help="the same as --modes skip")
    parser.add_argument("--backend", default="file", help="file, s3 (a local S3 server), or file,s3")
    parser.add_argument("--program", default="config", choices=("config", "file", "code"),
                        help="config: this project's __main__.py, one aep:connections entry each (up to ~600: the "
                             "stack config reaches the program in one environment variable, 128 KiB on Linux); "
                             "file: the same entries in aep:connectionsFile; code: a loop declaring the components")
    parser.add_argument("--cli", help="the `pulumi` to use (default: $PULUMI_CLI, else .pulumi-cli/bin, else PATH)")
    args = parser.parse_args()
    built = ROOT / ".pulumi-cli" / "bin" / "pulumi"
    cli = find_cli(args.cli or os.environ.get("PULUMI_CLI") or (str(built) if built.exists() else None))
    sizes = [int(n) for n in args.connections.split(",")]
    modes = {"default": [False], "skip": [True], "both": [False, True]}["skip" if args.skip_checkpoints
                                                                         else args.modes]
    rows, ups = [], {}
    for backend in args.backend.split(","):
        start_up = measure(cli, 1, args.latency_ms, True, backend, args.program)["up"]
        rows.append((f"{backend}: start-up (up of 1 connection, checkpoints skipped)", f"{start_up:.2f} s"))
        for skip in modes:
            for n in sizes:
                m = measure(cli, n, args.latency_ms, skip, backend, args.program)
                ups[(backend, skip, n)] = m["up"]
                print(f"measured {backend} skip={skip} N={n}: {m}", file=sys.stderr, flush=True)
                label = f"{backend}, {'skip-checkpoints' if skip else 'per-step checkpoints'}, N={n}" + {
                    "code": ", declared in code", "file": ", entries in aep:connectionsFile"}.get(args.program, "")
                rows.append((label, f"up {m['up']:.2f} s ({m['up'] / m['bound']:.2f}x the bound "
                                    f"{m['bound']:.2f} s; plain requests {m['floor']:.2f} s); preview "
                                    f"{m['preview']:.2f} s; no-change up {m['same']:.2f} s; destroy "
                                    f"{m['destroy']:.2f} s"))
            for n in sizes:
                if n != sizes[0]:
                    rows.append((f"{backend}, {'skip' if skip else 'per-step'}: up({n}) / up({sizes[0]})",
                                 f"{ups[(backend, skip, n)] / ups[(backend, skip, sizes[0])]:.2f}"))
                limit = 4 * n * args.latency_ms / 1000 / PLUGIN_WORKERS + start_up
                rows.append((f"{backend}, {'skip' if skip else 'per-step'}: up({n}) against 4 x bound + start-up",
                             f"{ups[(backend, skip, n)]:.2f} s vs {limit:.2f} s: "
                             f"{'within' if ups[(backend, skip, n)] <= limit else 'OVER'}"))
    print_table(f"real engine: {args.latency_ms} ms per Flow Service call, bound = N x latency / "
                f"{PLUGIN_WORKERS} plugin workers (CLI {cli})", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
