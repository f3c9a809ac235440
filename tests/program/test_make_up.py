"""`make up` / `make pulumi` with neither a Pulumi CLI nor Go: say so, say how to install either, exit non-zero,
start nothing. (With Go, `make pulumi` builds the CLI; tests/e2e runs that CLI.)"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _path_without(*programs: str) -> str:
    return os.pathsep.join(d for d in os.environ["PATH"].split(os.pathsep)
                           if d and not any((Path(d) / p).exists() for p in programs))


@pytest.fixture
def bare_checkout(tmp_path) -> Path:
    for name in ("Makefile", "requirements.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    (tmp_path / "tools").symlink_to(ROOT / "tools")
    return tmp_path


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize("target", ["up", "pulumi"])
def test_without_cli_or_go_explains_and_fails(bare_checkout, target):
    env = {**os.environ, "PATH": _path_without("pulumi", "go"), "PULUMI_CLI_DIR": str(bare_checkout / ".pulumi-cli")}
    done = subprocess.run(["make", "-o", ".venv/.installed", target], cwd=bare_checkout, capture_output=True,
                          text=True, timeout=60, env=env)
    assert done.returncode != 0
    said = done.stdout + done.stderr
    assert "no Pulumi CLI" in said and "https://get.pulumi.com" in said and "install Go" in said
    assert not (bare_checkout / ".emulator").exists() and not (bare_checkout / ".pulumi-state").exists()


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_pulumi_prints_the_cli_path_last_and_is_quick_the_second_time(tmp_path):
    if shutil.which("pulumi") is None and shutil.which("go") is None:
        pytest.skip("neither a `pulumi` CLI nor Go here")
    first = subprocess.run(["make", "-s", "pulumi"], cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert first.returncode == 0, first.stderr
    cli = Path(first.stdout.strip().splitlines()[-1])
    assert cli.is_absolute() and cli.name == "pulumi"
    version = subprocess.run([str(cli), "version"], capture_output=True, text=True, timeout=60).stdout.strip()
    pinned = next(line.split()[1] for line in (ROOT / "tools/pulumi_cli/go.mod").read_text().splitlines()
                  if line.strip().startswith("github.com/pulumi/pulumi/pkg/v3 "))
    assert tuple(map(int, version.lstrip("v").split("."))) >= tuple(map(int, pinned.lstrip("v").split(".")))
    again = subprocess.run(["make", "-s", "pulumi"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0 and again.stdout.strip().splitlines()[-1] == str(cli)
    assert "building" not in again.stderr
