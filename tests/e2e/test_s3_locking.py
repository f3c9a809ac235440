"""A team sharing state in S3: two `pulumi up`s of one stack at once, as two people (or CI and a person) start
them, and two stacks at once. The DIY S3 backend locks a stack while an update runs: the second `up` is refused
with Pulumi's lock message and changes nothing, the first finishes, and the state holds exactly what the emulator
holds. Two different stacks update side by side. The bucket is moto's S3-compatible server (tests/e2e/
test_s3_backend.py); every Flow Service call is slowed to keep the first update running."""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from tests.e2e.project import E2EProject
from tests.e2e.test_s3_backend import KEYS, s3_url  # noqa: F401 - the module's S3 server fixture

ROOT = Path(__file__).resolve().parents[2]
POST = "POST /data/foundation/flowservice/connections"


def _project(tmp_path, emulator, pulumi_cli, url: str) -> E2EProject:
    project = E2EProject(tmp_path, emulator, pulumi_cli)
    project.env.update(KEYS, PULUMI_BACKEND_URL=url)
    project.point_at_emulator()
    return project


def _start_up(project: E2EProject, stack: str) -> subprocess.Popen:
    """`pulumi up --yes --stack <stack>` typed in another terminal: running in the background."""
    return subprocess.Popen(["pulumi", "--non-interactive", "up", "--yes", "--stack", stack], cwd=project.dir,
                            env=project.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def test_a_second_up_of_the_same_stack_is_refused_while_the_first_runs(tmp_path, emulator, pulumi_cli, s3_url):
    url, client = s3_url
    project = _project(tmp_path, emulator, pulumi_cli, url.replace("/teams?", "/teams-lock?"))
    emulator.set_faults(latency_ms=1500)
    first = _start_up(project, "local")
    deadline = time.monotonic() + 60
    while not any("/locks/" in o["Key"] for o in client.list_objects_v2(Bucket="aep-state", Prefix="teams-lock/")
                  .get("Contents", [])):
        assert time.monotonic() < deadline and first.poll() is None, "the first `up` never took the stack's lock"
        time.sleep(0.1)
    second = project.failing("up")
    out, _ = first.communicate(timeout=300)
    emulator.clear_faults()
    assert first.returncode == 0, out
    text = second.stdout + second.stderr
    assert "the stack is currently locked by 1 lock(s)" in text and "pulumi cancel" in text, text

    assert [f"{r['method']} {r['template']}" for r in emulator.requests()].count(POST) == 3  # the first up's only
    resources = project.export()["resources"]
    ids = {r["id"] for r in resources if r["type"] == "pulumi-python:dynamic/aep:BaseConnection"}
    assert ids == {c["id"] for c in emulator.connections()} and len(ids) == 3
    emulator.clear_log()
    project.preview(expect_no_changes=True)
    assert emulator.requests() == []


def test_two_stacks_update_at_the_same_time(tmp_path, emulator, pulumi_cli, s3_url):
    url, _client = s3_url
    project = _project(tmp_path, emulator, pulumi_cli, url.replace("/teams?", "/teams-two?"))
    shutil.copy(ROOT / "stacks" / "Pulumi.local.yaml", project.dir / "stacks" / "Pulumi.other.yaml")
    project.point_at_emulator("other", sandbox="prod")
    emulator.set_faults(latency_ms=300)
    runs = [_start_up(project, stack) for stack in ("local", "other")]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    emulator.clear_faults()
    assert [run.returncode for run in runs] == [0, 0], outputs
    sandboxes = sorted(c["sandbox"] for c in emulator.connections())
    assert sandboxes == ["dev"] * 3 + ["prod"] * 3
