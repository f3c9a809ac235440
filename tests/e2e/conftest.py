"""Fixtures of the end-to-end suite: the real Pulumi CLI (built from Go modules when it is not on PATH) and a
copy of the project pointed at the session's emulator.

The CLI comes from `PULUMI_CLI` (what `make test` passes: the last line of `make pulumi`), else from
tools/pulumi_cli/ensure.sh run here. The suite is skipped, saying why, only where neither `pulumi` nor Go exists.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.e2e.project import E2EProject

ROOT = Path(__file__).resolve().parents[2]
ENSURE = ROOT / "tools" / "pulumi_cli" / "ensure.sh"


@pytest.fixture(scope="session")
def pulumi_cli() -> Path:
    given = os.environ.get("PULUMI_CLI")
    if given:
        return Path(given)
    if shutil.which("pulumi") is None and shutil.which("go") is None:
        pytest.skip("neither a `pulumi` CLI on PATH nor Go to build one from Go modules (`make pulumi`)")
    done = subprocess.run(["bash", str(ENSURE)], capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, f"make pulumi failed:\n{done.stdout}\n{done.stderr}"
    return Path(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def project(tmp_path, emulator, pulumi_cli) -> E2EProject:
    """The local stack, pointed at the emulator; destroyed at teardown if a test left resources behind."""
    copy = E2EProject(tmp_path, emulator, pulumi_cli)
    copy.point_at_emulator()
    yield copy
    if emulator.connections():
        try:
            copy.destroy()
        except Exception:  # the test's own assertion is the one to report
            pass
