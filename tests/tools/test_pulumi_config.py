"""Stack config resolved the way the Pulumi CLI does it: defaults, required keys, secret and type checks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from tools.pulumi_config import StackConfigError, load_stack_config, main
from tools.stack_secrets import PassphraseCrypter

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path) -> Path:
    """A copy of Pulumi.yaml and the stack files, to edit freely."""
    shutil.copy(ROOT / "Pulumi.yaml", tmp_path / "Pulumi.yaml")
    shutil.copytree(ROOT / "stacks", tmp_path / "stacks")
    return tmp_path


def test_local_stack_resolves_with_defaults_secrets_and_objects():
    config = load_stack_config("local", passphrase="local")
    assert config.project == "aep"
    assert config.values["aep:clientSecret"] == "local-secret"
    assert config.values["aep:endpoint"] == "http://127.0.0.1:8080/data/foundation/flowservice"
    assert json.loads(config.values["aep:connections"])["orders-db"]["params"]["port"] == 5432
    assert config.secret_keys == {"aep:clientSecret", "aep:ordersDbPassword", "aep:marketingBqClientSecret",
                                  "aep:marketingBqRefreshToken", "aep:eventsBqKeyFile"}
    assert "local-secret" not in json.dumps(config.masked())


def test_project_defaults_fill_keys_a_stack_leaves_out(project):
    stack = project / "stacks" / "Pulumi.local.yaml"
    stack.write_text("\n".join(ln for ln in stack.read_text().splitlines() if "aep:endpoint" not in ln) + "\n")
    config = load_stack_config("local", passphrase="local", root=project)
    assert config.values["aep:endpoint"] == "https://platform.adobe.io/data/foundation/flowservice"


def test_a_declared_key_without_default_is_required(project):
    (project / "Pulumi.yaml").write_text((project / "Pulumi.yaml").read_text() + "  aep:team:\n    type: string\n")
    with pytest.raises(StackConfigError, match="Stack 'dev' is missing configuration value\\(s\\) aep:team"):
        load_stack_config("dev", root=project)


def test_a_secret_key_in_plain_text_is_refused(project):
    (project / "Pulumi.yaml").write_text((project / "Pulumi.yaml").read_text().replace(
        '  aep:clientSecret:\n    type: string\n', '  aep:clientSecret:\n    type: string\n    secret: true\n'))
    stack = project / "stacks" / "Pulumi.local.yaml"
    stack.write_text(stack.read_text().replace(
        "  aep:clientSecret:\n    secure:", "  aep:clientSecret: plain\n  aep:unused:\n    secure:"))
    with pytest.raises(StackConfigError, match="'aep:clientSecret' must be encrypted as it's secret"):
        load_stack_config("local", passphrase="local", root=project)


def test_wrong_passphrase_is_refused():
    with pytest.raises(StackConfigError, match="incorrect passphrase"):
        load_stack_config("local", passphrase="not-local")


def test_declared_types_are_checked(project):
    (project / "Pulumi.yaml").write_text((project / "Pulumi.yaml").read_text() + "  aep:retries:\n    type: integer\n")
    with pytest.raises(StackConfigError, match="'aep:retries' must be of type 'integer'"):
        load_stack_config("local", passphrase="local", root=project, overrides={"aep:retries": "many"})
    config = load_stack_config("local", passphrase="local", root=project, overrides={"aep:retries": 3})
    assert config.values["aep:retries"] == "3"


def test_nested_secure_values_are_decrypted_and_mark_the_key_secret():
    salt = yaml.safe_load((ROOT / "stacks/Pulumi.local.yaml").read_text())["encryptionsalt"]
    nested = {"user": "u", "password": {"secure": PassphraseCrypter("local", salt).encrypt("pw")}}
    config = load_stack_config("local", passphrase="local", overrides={"aep:extra": nested, "aep:flag": True})
    assert json.loads(config.values["aep:extra"]) == {"user": "u", "password": "pw"}
    assert "aep:extra" in config.secret_keys
    assert config.values["aep:flag"] == "true"


def test_cli_prints_masked_config(monkeypatch, capsys):
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "local")
    assert main(["local"]) == 0
    out = capsys.readouterr().out
    assert "aep:clientSecret = [secret]" in out and "local-secret" not in out
