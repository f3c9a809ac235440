"""A `pulumi up` killed at random moments never leads to a duplicate or a lost connection.

The real CLI deploys N connections from the stack config and is killed with SIGKILL at seeded moments (after
the k-th POST, plus a random delay), in both checkpoint modes. Then, as a user recovers: Pulumi's own steps
after a killed update (tests/support/crash.py: `pulumi cancel`, and on the file backend an emptied sidecar) and a
plain `pulumi up`. Asserted: the sandbox holds exactly the declared connections, each once; the state's ids are
the emulator's; the recovery `up` posted only the connections the killed run had not made (it took the others
over: provider/client/create_marker.py); a further `up` makes no write; no process the killed CLI started
outlives it by more than a few seconds (provider/engine_watch.py). `bench/bench_crash.py` runs the same at 120.
"""

from __future__ import annotations

import pytest
import yaml

from tests.e2e.project import E2EProject
from tests.support.crash import POSTS, clear_after_kill, kill_points, killed_up, stack_config

CONNECTIONS = 16
STACK = "crash"
TYPE = "pulumi-python:dynamic/aep:BaseConnection"


@pytest.fixture
def crash_project(tmp_path, emulator, pulumi_cli) -> E2EProject:
    project = E2EProject(tmp_path, emulator, pulumi_cli, stacks=())
    (project.dir / "stacks" / f"Pulumi.{STACK}.yaml").write_text(yaml.safe_dump(stack_config(emulator, CONNECTIONS)))
    project.env["CRASH_DB_PASSWORD"] = "crash-pw-1"
    project.set_secret("aep:clientSecret", emulator.client_secret, STACK)
    yield project
    emulator.clear_faults()
    if emulator.connections():
        project.destroy(STACK)


@pytest.mark.parametrize("skip_checkpoints", [False, True], ids=["per-step-checkpoints", "skip-checkpoints"])
def test_kill_at_random_moments_then_plain_up_leaves_exactly_the_declared_connections(
    crash_project, emulator, pulumi_cli, skip_checkpoints
):
    project = crash_project
    if skip_checkpoints:
        project.env["PULUMI_SKIP_CHECKPOINTS"] = "true"
    declared = {f"Crash database {i:03d}" for i in range(CONNECTIONS)}
    for after, delay in kill_points(seed=20261203 + skip_checkpoints, count=2, connections=CONNECTIONS * 3 // 4):
        emulator.clear_log()
        emulator.set_faults(latency_ms=300, methods=["POST"])  # the update still runs at the kill
        crash = killed_up(pulumi_cli, project.dir, project.env, STACK, emulator, after, delay)
        emulator.clear_faults()
        assert not crash.leftovers and crash.lingering_s < 10, crash
        made = len(emulator.connections())
        assert not crash.exited_first and 0 < made < CONNECTIONS, (crash, made)

        clear_after_kill(project.pulumi.run, project.state, STACK, crash)
        emulator.clear_log()
        project.up(STACK)
        stored = emulator.connections()
        assert sorted(c["name"] for c in stored) == sorted(declared)  # each declared connection, once
        assert emulator.counts().get(POSTS, 0) == CONNECTIONS - made  # the rest were taken over
        recorded = {r["id"] for r in project.export(STACK)["resources"] if r["type"] == TYPE}
        assert recorded == {c["id"] for c in stored}

        emulator.clear_log()
        project.up(STACK)
        assert project.writes() == []
        project.destroy(STACK)
        assert emulator.connections() == []
