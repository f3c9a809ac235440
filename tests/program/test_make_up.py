"""`make up` without the Pulumi CLI: says so, says how to install it, exits non-zero, starts nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_up_without_the_cli_explains_and_fails(tmp_path):
    for name in ("Makefile", "requirements.txt"):
        shutil.copy(ROOT / name, tmp_path / name)
    (tmp_path / ".venv").symlink_to(ROOT / ".venv")
    (tmp_path / "tools").symlink_to(ROOT / "tools")
    path = os.pathsep.join(d for d in os.environ["PATH"].split(os.pathsep)
                           if d and not (Path(d) / "pulumi").exists())
    done = subprocess.run(["make", "-o", ".venv/.installed", "up"], cwd=tmp_path, capture_output=True, text=True,
                          timeout=60, env={**os.environ, "PATH": path})
    assert done.returncode != 0
    assert "the Pulumi CLI is not installed" in done.stdout
    assert "https://get.pulumi.com" in done.stdout
    assert not (tmp_path / ".emulator").exists() and not (tmp_path / ".pulumi-state").exists()
