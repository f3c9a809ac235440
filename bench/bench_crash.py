"""Crash recovery at size: `pulumi up` of N connections killed with SIGKILL at seeded moments, then a plain `up`.

A figure, not a test (tests/e2e/test_crash_recovery.py asserts the same at a small N in CI). For each checkpoint
mode and each kill point: the real CLI deploys the stack from scratch with every POST slowed, is killed after the
k-th POST plus a random delay, Pulumi's own recovery steps run (tests/support/crash.py), then a plain `pulumi up`.
Printed per point: connections in the sandbox after the kill and after the recovery, the POSTs the recovery made
(the rest it took over), duplicates, the writes of a further `up`, and how long the killed CLI's processes
outlived it. The run fails if any point ends with a duplicate, a missing connection or a write on the further up.

    .venv/bin/python bench/bench_crash.py [--connections 120] [--points 3] [--seed 20261203] [--cli PATH]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import emulator_process, print_table  # noqa: E402
from provider.automation import find_cli  # noqa: E402
from tests.e2e.cli import Cli, user_env  # noqa: E402
from tests.support.crash import POSTS, clear_after_kill, kill_points, killed_up, stack_config  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
STACK = "crash"
WRITES = ("POST ", "PATCH ", "PUT ", "DELETE ")


def one_mode(cli: Path, n: int, points: list[tuple[int, float]], skip: bool) -> list[tuple[str, str]]:
    rows = []
    with emulator_process() as emu, tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        (project / "stacks").mkdir(parents=True)
        (Path(tmp) / "state").mkdir()
        for name in ("Pulumi.yaml", "__main__.py"):
            shutil.copy(ROOT / name, project / name)
        for name in ("provider", ".venv"):
            (project / name).symlink_to(ROOT / name)
        (project / "stacks" / f"Pulumi.{STACK}.yaml").write_text(yaml.safe_dump(stack_config(emu, n)))
        env = user_env(PULUMI_BACKEND_URL=f"file://{tmp}/state", PULUMI_CONFIG_PASSPHRASE="bench",
                       PULUMI_HOME=f"{tmp}/home", AEP_CLIENT_SECRET=emu.client_secret, CRASH_DB_PASSWORD="crash-pw")
        if skip:
            env["PULUMI_SKIP_CHECKPOINTS"] = "true"
        pulumi = Cli(cli, project, env)
        pulumi.run("stack", "init", STACK)
        for after, delay in points:
            emu.clear_log()
            emu.set_faults(latency_ms=50, methods=["POST"])
            crash = killed_up(cli, project, env, STACK, emu, after, delay)
            emu.clear_faults()
            made = len(emu.connections())
            clear_after_kill(pulumi.run, Path(tmp) / "state", STACK, crash)
            emu.clear_log()
            pulumi.operation("up", STACK)
            posted, names = emu.counts().get(POSTS, 0), [c["name"] for c in emu.connections()]
            emu.clear_log()
            pulumi.operation("up", STACK)
            writes = sum(k for key, k in emu.counts().items() if key.startswith(WRITES))
            duplicates = len(names) - len(set(names))
            label = f"{'skip' if skip else 'per-step'} checkpoints, kill after POST {after} + {delay:.2f} s"
            rows.append((label, f"{made} made at the kill -> {len(names)} after up ({posted} POSTs, "
                                f"{made} taken over); {duplicates} duplicates; further up {writes} writes; "
                                f"processes gone {crash.lingering_s:.1f} s after the kill"
                                + ("; emptied sidecar removed" if crash.emptied else "")))
            if duplicates or len(set(names)) != n or writes or crash.leftovers:
                sys.exit(f"FAILED at {label}: {rows[-1][1]}; leftovers {crash.leftovers}")
            pulumi.operation("destroy", STACK)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=120)
    parser.add_argument("--points", type=int, default=3)
    parser.add_argument("--seed", type=int, default=20261203)
    parser.add_argument("--cli", help="the `pulumi` to use (default: $PULUMI_CLI, else .pulumi-cli/bin, else PATH)")
    args = parser.parse_args()
    built = ROOT / ".pulumi-cli" / "bin" / "pulumi"
    cli = find_cli(args.cli or os.environ.get("PULUMI_CLI") or (str(built) if built.exists() else None))
    points = kill_points(args.seed, args.points, args.connections * 3 // 4)
    rows = one_mode(cli, args.connections, points, False) + one_mode(cli, args.connections, points, True)
    print_table(f"crash recovery: {args.connections} connections, SIGKILL at {args.points} seeded points "
                f"(seed {args.seed}) per checkpoint mode (CLI {cli})", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
