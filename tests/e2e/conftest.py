"""Fixtures of the end-to-end suite: the real Pulumi CLI (built from Go modules when it is not on PATH) and a
copy of the project pointed at the session's emulator.

The CLI comes from `PULUMI_CLI` (what `make test` passes: the last line of `make pulumi`), else from
tools/pulumi_cli/ensure.sh run here. The suite is skipped, saying why, only where ensure.sh has nothing to work
with: no `pulumi` on PATH, no previous build in its output folder and no Go.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Mapping, Optional

import pytest

from tests.e2e.project import E2EProject

ROOT = Path(__file__).resolve().parents[2]
ENSURE = ROOT / "tools" / "pulumi_cli" / "ensure.sh"


def missing_toolchain(env: Mapping[str, str]) -> Optional[str]:
    """Why ensure.sh cannot provide a CLI here, or None when it has something to use: a `pulumi` on PATH, an
    executable `bin/pulumi` where it builds (`PULUMI_CLI_DIR`, else .pulumi-cli; ensure.sh checks its version),
    or Go to build one."""
    path = env.get("PATH", "")
    cached = Path(env.get("PULUMI_CLI_DIR") or ROOT / ".pulumi-cli") / "bin" / "pulumi"
    if shutil.which("pulumi", path=path) or shutil.which("go", path=path) or os.access(cached, os.X_OK):
        return None
    return f"no `pulumi` CLI on PATH, no previous build at {cached} and no Go to build one (`make pulumi`)"


def provide_cli(env: Mapping[str, str]) -> Path:
    """The CLI ensure.sh provides under ``env``; skips the test where it has nothing to work with."""
    reason = missing_toolchain(env)
    if reason:
        pytest.skip(reason)
    done = subprocess.run(["bash", str(ENSURE)], capture_output=True, text=True, timeout=1800, env=dict(env))
    assert done.returncode == 0, f"make pulumi failed:\n{done.stdout}\n{done.stderr}"
    return Path(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def pulumi_cli() -> Path:
    given = os.environ.get("PULUMI_CLI")
    return Path(given) if given else provide_cli(os.environ)


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
