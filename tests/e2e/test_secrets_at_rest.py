"""No credential at rest or on screen: the local stack's whole life through the real CLI with canary credentials.

The stack runs as its own IMS client (canary secret) with canary source secrets: up, rotation of every secret
(the IMS client's too) with `pulumi config set --secret`, refresh, destroy. Then every raw file under the file
backend (checkpoints, history, backups, locks), the stack config files, the PULUMI_HOME and everything the CLI
printed (including `pulumi config`, `stack output` and `stack export` without --show-secrets) are scanned with
tests/security's scanner: plain, base64 at every alignment, URL-encoded, JSON-escaped (Python's and Go's
escaping, once or nested). Positive controls: the stack file holds every secret as `secure:`, the decrypted
export holds the canaries (so they did pass through state), and a canary planted in a copy of a checkpoint is
found by the same file scan.
"""

from __future__ import annotations

import base64
import gzip
import json
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml

from tests.e2e.project import E2EProject
from tests.security import canary_values as canaries
from tests.security.canary_scanner import CanaryScanner, go_json

PATCH = "PATCH /data/foundation/flowservice/connections/{id}"
DELETE = "DELETE /data/foundation/flowservice/connections/{id}"
SOURCE_SECRETS = ("ordersDbPassword", "marketingBqClientSecret", "marketingBqRefreshToken", "eventsBqKeyFile")
VERSIONS = ("v1", "v2")


def _value(key: str, version: str) -> str:
    secret = canaries.canary(f"e2e.{key}", version)
    return canaries.key_file(secret) if key == "eventsBqKeyFile" else secret


def _ims_secret(version: str) -> str:
    return canaries.canary("ims-client-secret", version)


SCANNER = CanaryScanner([canaries.canary(f"e2e.{key}", v) for key in SOURCE_SECRETS for v in VERSIONS]
                        + [_ims_secret(v) for v in VERSIONS])


def _set_secrets(project: E2EProject, version: str) -> None:
    project.set_secret("aep:clientSecret", _ims_secret(version))
    for key in SOURCE_SECRETS:
        project.set_secret(f"aep:{key}", _value(key, version))


def _text(path: Path) -> str:
    raw = path.read_bytes()
    return (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode("utf-8", "replace")


def _file_hits(paths: list[Path]) -> dict[str, list]:
    """File -> (canary, form) found in it, for every file with a hit."""
    return {str(path): found for path in paths if (found := SCANNER.hits(_text(path)))}


def _files_at_rest(project: E2EProject) -> list[Path]:
    home = Path(project.env["PULUMI_HOME"])
    files = project.state_files() + sorted((project.dir / "stacks").glob("*.yaml"))
    return files + [p for p in home.rglob("*") if p.is_file() and not p.is_symlink()]


@pytest.fixture
def canary_project(project: E2EProject) -> E2EProject:
    """The local stack as the canary IMS client in its own org, every secret a v1 canary."""
    project.emulator.add_client(canaries.CLIENT_ID, _ims_secret("v1"), canaries.ORG_ID)
    project.set_path("aep:clientId", canaries.CLIENT_ID)
    project.set_path("aep:orgId", canaries.ORG_ID)
    _set_secrets(project, "v1")
    return project


def test_no_credential_in_state_config_or_output(canary_project):
    project = canary_project
    project.up()
    assert len(project.connections("dev")) == 3

    project.emulator.rotate_secret(_ims_secret("v2"), client_id=canaries.CLIENT_ID)
    _set_secrets(project, "v2")
    project.emulator.clear_log()
    project.up()
    assert project.writes() == [PATCH] * 3
    stored = json.dumps([c["auth"]["params"] for c in project.emulator.connections()])
    assert canaries.canary("e2e.ordersDbPassword", "v2") in stored

    decrypted = json.dumps(project.export())  # --show-secrets; kept out of the transcript
    found = {canary for canary, _ in SCANNER.hits(decrypted)}
    assert {canaries.canary(f"e2e.{key}", "v2") for key in SOURCE_SECRETS} <= found

    project.emulator.clear_log()
    project.refresh()
    assert project.writes() == []
    project.cli_run("config")
    project.cli_run("stack", "output", "--json")
    project.cli_run("stack", "export")
    project.emulator.clear_log()
    project.destroy()
    assert project.writes() == [DELETE] * 3 and project.emulator.connections() == []

    config = yaml.safe_load((project.dir / "stacks" / "Pulumi.local.yaml").read_text())["config"]
    assert all("secure" in config[f"aep:{key}"] for key in ("clientSecret", *SOURCE_SECRETS))
    files = _files_at_rest(project)
    assert len(project.state_files()) >= 4  # the checkpoint, its backups and the update history
    assert _file_hits(files) == {}
    for i, text in enumerate(project.transcript):
        SCANNER.assert_clean(f"CLI output #{i}", text)


def test_the_file_scan_finds_a_planted_canary(canary_project, tmp_path):
    """The same scan over a copy of a real checkpoint with one canary planted, in each form a leak may take."""
    project = canary_project
    project.up()
    checkpoint = next(p for p in project.state_files() if p.name == "local.json")
    assert _file_hits([checkpoint]) == {}

    leak = canaries.canary("e2e.ordersDbPassword", "v1")
    forms = {"plain": leak, "Go-escaped JSON": go_json(leak), "url-encoded": quote(leak, safe=""),
             "base64 at offset 1": base64.b64encode(f"x{leak}tail".encode()).decode()}
    state = json.loads(checkpoint.read_text())
    state["checkpoint"]["latest"]["resources"][-1]["outputs"]["leak"] = "@@LEAK@@"
    template = json.dumps(state, indent=4)
    for i, (name, planted) in enumerate(forms.items()):
        text = template.replace("@@LEAK@@", planted).encode()
        for packed in (False, True):
            copy = tmp_path / f"{i}-{packed}.json"
            copy.write_bytes(gzip.compress(text) if packed else text)
            hits = _file_hits([copy]).get(str(copy), [])
            assert leak in {canary for canary, _ in hits}, (name, packed)
