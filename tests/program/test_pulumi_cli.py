"""`pulumi up / preview / refresh / destroy` on the local stack with a file:// backend, against the emulator.

Runs where the Pulumi CLI is on PATH; elsewhere it is skipped with the reason (the same program and plugin run
without the CLI in test_main.py, through tests/harness/program.py). Works on a copy of the project so the
stack file's endpoints can point at the test emulator without touching the repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PULUMI = shutil.which("pulumi")

pytestmark = [
    pytest.mark.cli,
    pytest.mark.skipif(PULUMI is None, reason="the Pulumi CLI is not on PATH (install: curl -fsSL "
                       "https://get.pulumi.com | sh); test_main.py covers the program without it"),
]


@pytest.fixture
def project(tmp_path) -> Path:
    copy = tmp_path / "project"
    (copy / "stacks").mkdir(parents=True)
    for name in ("Pulumi.yaml", "__main__.py", "requirements.txt"):
        shutil.copy(ROOT / name, copy / name)
    shutil.copy(ROOT / "stacks" / "Pulumi.local.yaml", copy / "stacks" / "Pulumi.local.yaml")
    for name in ("provider", ".venv"):
        (copy / name).symlink_to(ROOT / name)
    return copy


def test_up_preview_refresh_destroy(project, tmp_path, emulator):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AEP_", "PULUMI_"))}
    env.update(PULUMI_BACKEND_URL=f"file://{tmp_path / 'state'}", PULUMI_CONFIG_PASSPHRASE="local",
               PULUMI_HOME=str(tmp_path / "home"), PULUMI_SKIP_UPDATE_CHECK="true")
    (tmp_path / "state").mkdir()

    def pulumi(*args: str) -> subprocess.CompletedProcess:
        done = subprocess.run([PULUMI, *args, "--stack", "local", "--non-interactive"], cwd=project, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"pulumi {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done

    subprocess.run([PULUMI, "stack", "select", "--create", "local", "--non-interactive"], cwd=project, env=env,
                   check=True, capture_output=True, timeout=120)
    for key, value in (("aep:endpoint", emulator.flow_url), ("aep:imsEndpoint", emulator.ims_url),
                       ("aep:orgId", emulator.org_id), ("aep:clientId", emulator.client_id)):
        pulumi("config", "set", key, value)
    pulumi("config", "set", "--secret", "aep:clientSecret", emulator.client_secret)

    pulumi("up", "--yes", "--skip-preview")
    assert len(emulator.connections()) == 3
    emulator.clear_log()
    pulumi("preview", "--expect-no-changes")
    pulumi("refresh", "--yes")
    assert len(emulator.connections()) == 3
    assert not any(k.startswith(("POST /data", "PATCH", "DELETE")) for k in emulator.counts())
    assert "local-orders-pw" not in pulumi("stack", "export").stdout
    pulumi("destroy", "--yes")
    assert emulator.connections() == []
