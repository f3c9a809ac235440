"""One command for several sandbox stacks, as a release pipeline runs it: `python -m provider.automation up --stack
local --stack other --stack broken` in the project folder. Each stack runs in its own process through the real
engine; every output line carries its stack; the summary names each stack's result and the wall time against
one-after-another; one stack failing (here: a plain-text client secret) fails the command and harms no other."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.e2e.project import E2EProject

ROOT = Path(__file__).resolve().parents[2]


def test_several_stacks_in_parallel_with_a_summary_and_a_failure(project: E2EProject, pulumi_cli):
    for name, sandbox in (("other", "prod"), ("broken", "stage")):
        shutil.copy(ROOT / "stacks" / "Pulumi.local.yaml", project.dir / "stacks" / f"Pulumi.{name}.yaml")
        project.point_at_emulator(name, sandbox=sandbox)
    project.set_config("aep:clientSecret", project.emulator.client_secret, "broken")  # refused: plain text
    project.stack("local")
    project.point_at_emulator("local")
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-m", "provider.automation", "up",
                           "--stack", "local", "--stack", "other", "--stack", "broken", "--cli", str(pulumi_cli)],
                          cwd=project.dir, env=project.env, capture_output=True, text=True, timeout=900)
    out = done.stdout
    assert done.returncode == 1, out + done.stderr
    assert "[local] " in out and "[other] " in out and "[broken] " in out
    summary = out[out.index("up of 3 stacks:"):]
    lines = {line.split()[0]: line for line in summary.splitlines()[1:4]}
    assert " ok " in lines["local"] and " ok " in lines["other"] and "FAILED (exit 1)" in lines["broken"]
    assert "one after another: about" in summary and "failed: broken" in summary
    assert project.emulator.client_secret not in out + done.stderr
    assert sorted(c["sandbox"] for c in project.emulator.connections()) == ["dev"] * 3 + ["prod"] * 3
