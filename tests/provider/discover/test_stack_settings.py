"""provider/discover/stack_settings.py: `--stack` reads the provider's keys (and only those) through the CLI.

A stand-in `pulumi` script answers `config --json --show-secrets` as the CLI does (the real CLI is used by
tests/e2e/test_discover.py)."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path

import pytest

from provider.discover.stack_settings import stack_settings
from provider.errors import ConfigError

CONFIG = {
    "aep:orgId": {"value": "ORG@AdobeOrg", "secret": False},
    "aep:clientSecret": {"value": "shown-client-secret", "secret": True},
    "aep:maxRetries": {"value": "2", "secret": False},
    "aep:connections": {"value": "{}", "objectValue": {}, "secret": False},
    "aep:ordersDbPassword": {"value": "a-connection-secret", "secret": True},
    "other:key": {"value": "x", "secret": False},
    "aep:clientId": {"secret": True},  # no value: shown without --show-secrets
}


def fake_cli(tmp_path: Path, stdout: str, code: int = 0, stderr: str = "") -> str:
    script = tmp_path / "pulumi"
    script.write_text(f"#!{sys.executable}\nimport json, sys\n"
                      f"json.dump(sys.argv[1:], open({str(tmp_path / 'argv.json')!r}, 'w'))\n"
                      f"sys.stdout.write({stdout!r}); sys.stderr.write({stderr!r}); sys.exit({code})\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return str(script)


def test_only_provider_settings_are_kept(tmp_path):
    cli = fake_cli(tmp_path, json.dumps(CONFIG))
    assert stack_settings("dev", cli, cwd=tmp_path) == {
        "aep:orgId": "ORG@AdobeOrg", "aep:clientSecret": "shown-client-secret", "aep:maxRetries": "2"}
    assert json.loads((tmp_path / "argv.json").read_text()) == [
        "config", "--json", "--show-secrets", "--stack", "dev", "--non-interactive"]


def test_a_failing_cli_is_reported_by_its_error_text(tmp_path):
    cli = fake_cli(tmp_path, "partial output", code=255, stderr="error: no stack named 'dev' found\n")
    with pytest.raises(ConfigError, match="failed: error: no stack named 'dev' found. Run it in the project") as err:
        stack_settings("dev", cli)
    assert "partial output" not in str(err.value)


def test_no_cli_or_not_json(tmp_path):
    with pytest.raises(ConfigError, match="no Pulumi CLI"):
        stack_settings("dev", str(tmp_path / "missing"))
    with pytest.raises(ConfigError, match="something other than a JSON object"):
        stack_settings("dev", fake_cli(tmp_path, "[1, 2]"))
