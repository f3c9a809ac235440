"""`python -m provider.discover` round trip through the real CLI: connections made by hand -> discover -> that config
in the local stack, secrets set -> `up` takes every connection over (GETs only: no POST, no DELETE, no PATCH) ->
a second `up` calls nothing.

Why no PATCH: adopting reads the connection and patches only where its name, description or a plain param differs
from the entry (provider/adoption.py); discover copied exactly those, and secret values cannot be compared (the
API masks them), so the secrets set here (the connections' current credentials) are recorded in state without
being sent. They are sent with the first later change of any of the connection's params.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from provider.settings import KEYS
from tests.e2e.project import E2EProject
from tests.support.hand_made_sandbox import (
    CURRENT_SECRETS,
    SANDBOX,
    UNKNOWN_NAME,
    UNKNOWN_SPEC_ID,
    expected_entries,
    make_sandbox,
)

ROOT = Path(__file__).resolve().parents[2]
FLOW = "/data/foundation/flowservice"
LIST, GET = f"GET {FLOW}/connections", f"GET {FLOW}/connections/{{id}}"
BASE = "pulumi-python:dynamic/aep:BaseConnection"
SETTING_KEYS = {key for key, _env, _secret in KEYS.values()}


def _discover(project: E2EProject, *args: str, env: dict[str, str] | None = None,
              cwd: Path = ROOT) -> subprocess.CompletedProcess:
    if env is None:
        emulator = project.emulator
        env = {k: v for k, v in os.environ.items() if not k.startswith("AEP_")}
        env.update(AEP_ORG_ID=emulator.org_id, AEP_CLIENT_ID=emulator.client_id,
                   AEP_CLIENT_SECRET=emulator.client_secret, AEP_ENDPOINT=emulator.flow_url,
                   AEP_IMS_ENDPOINT=emulator.ims_url)
    env = {**env, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "provider.discover", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def _use_in_stack(project: E2EProject, entries: dict[str, Any], secrets: dict[str, str] | None = None) -> None:
    """Replace the local stack's connections (and their secret keys) with the discovered ones; set the secrets."""
    path = project.dir / "stacks" / "Pulumi.local.yaml"
    stack_file = yaml.safe_load(path.read_text())
    config = {k: v for k, v in stack_file["config"].items() if k in SETTING_KEYS}
    stack_file["config"] = {**config, "aep:connections": entries}
    path.write_text(yaml.safe_dump(stack_file, sort_keys=False))
    for key, value in (CURRENT_SECRETS if secrets is None else secrets).items():
        project.set_secret(f"aep:{key}", value)


def _state_ids(project: E2EProject) -> dict[str, str]:
    resources = project.export()["resources"]
    return {r["urn"].rsplit("::", 1)[1]: r["id"] for r in resources if r["type"] == BASE}


def test_discovered_sandbox_is_taken_over_with_no_create_delete_or_patch(project, emulator_server):
    made = make_sandbox(project.emulator, emulator_server)
    project.emulator.clear_log()
    done = _discover(project, "--sandbox", SANDBOX, "--page-size", "2")
    assert done.returncode == 0, done.stderr
    # 6 connections, 2 per page: every continuation page followed; then the dataflows (none)
    assert project.flow_calls() == [LIST] * 3 + [f"GET {FLOW}/flows"]
    text = done.stdout
    for secret in [*made.secret_values, "hand;made", project.emulator.client_secret]:
        assert secret not in text and secret not in done.stderr
    assert "***" not in text

    entries = yaml.safe_load(text)["config"]["aep:connections"]
    assert entries == expected_entries(made.ids)
    for key in CURRENT_SECRETS:
        assert f"\n#   pulumi config set --secret aep:{key}\n" in text
        assert f": {key}  # pulumi config set --secret aep:{key}\n" in text
    assert (f'#   "{UNKNOWN_NAME}" (id {made.unknown_id}): its connection spec {UNKNOWN_SPEC_ID} is not in the '
            "catalog") in text

    _use_in_stack(project, entries)
    before = {c["id"]: c for c in project.emulator.connections()}
    project.emulator.clear_log()
    result = project.up()
    assert project.writes() == []
    assert project.flow_calls() == [GET] * 5
    assert result.summary.resource_changes == {"create": 12}  # stack, aep provider, 5 components, 5 adopted connections
    assert {c["id"]: c for c in project.emulator.connections()} == before  # same etags, same stored secrets
    assert _state_ids(project) == {name: entry["adopt_id"] for name, entry in entries.items()}

    project.emulator.clear_log()
    again = project.up()
    assert project.flow_calls() == [] and again.summary.resource_changes == {"same": 12}
    assert _discover(project, "--sandbox", SANDBOX).stdout == text  # stable: the same document again


def test_discover_reads_the_settings_of_a_stack_through_the_cli(project, emulator_server):
    make_sandbox(project.emulator, emulator_server)
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("AEP_", "PULUMI_"))}, **project.env}
    done = _discover(project, "--stack", "local", "--pulumi", str(project.cli), env=env, cwd=project.dir)
    assert done.returncode == 0, done.stderr
    assert "# Base connections of AEP sandbox dev (org local@AdobeOrg): 6 found, 5 listed" in done.stdout
    assert project.emulator.client_secret not in done.stdout + done.stderr

    wrong = _discover(project, "--stack", "no-such-stack", "--pulumi", str(project.cli), env=env, cwd=project.dir)
    assert wrong.returncode == 2 and wrong.stdout == ""
    assert "config --json --show-secrets --stack no-such-stack` failed" in wrong.stderr
