"""The shipped stack files: one per sandbox, every connection entry valid, secrets only as `secure:` values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from provider.stack_config import ConnectionEntry, plan_entry
from tools.pulumi_config import StackConfigError, load_stack_config

ROOT = Path(__file__).resolve().parents[2]
STACKS = sorted(p.name.split(".")[1] for p in (ROOT / "stacks").glob("Pulumi.*.yaml"))


def stack_file(stack: str) -> dict:
    return yaml.safe_load((ROOT / "stacks" / f"Pulumi.{stack}.yaml").read_text())


def test_the_stacks_are_local_dev_and_prod():
    assert STACKS == ["dev", "local", "prod"]


@pytest.mark.parametrize("stack", STACKS)
def test_every_connection_entry_declares_a_valid_component(stack):
    connections = stack_file(stack)["config"]["aep:connections"]
    assert connections
    for key, raw in connections.items():
        entry = ConnectionEntry.model_validate(raw)
        secrets = {argument: f"placeholder-{argument}" for argument in entry.secrets}
        if "key_file_content" in secrets:
            secrets["key_file_content"] = json.dumps({
                "type": "service_account", "project_id": "p", "private_key_id": "k", "client_email": "a@b.c",
                "private_key": "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n"})
        component, _ = plan_entry(key, entry, secrets)
        fields = component.Params.model_fields
        required_secrets = {f for f in component.Params.secret_fields() if fields[f].is_required()}
        assert required_secrets <= set(entry.secrets), (stack, key)


@pytest.mark.parametrize("stack", STACKS)
def test_no_secret_is_written_in_plain_text(stack):
    config = stack_file(stack)["config"]
    for entry in config["aep:connections"].values():
        for config_key in entry.get("secrets", {}).values():
            value = config.get(f"aep:{config_key}")
            assert value is None or set(value) == {"secure"}, (stack, config_key)
    assert not isinstance(config.get("aep:clientSecret"), str)


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_real_sandboxes_are_named_by_the_stack_and_wait_for_their_secrets(stack):
    config = stack_file(stack)["config"]
    assert "aep:sandbox" not in config  # the stack name is the sandbox
    assert "aep:endpoint" not in config  # Adobe's, from Pulumi.yaml
    assert load_stack_config(stack).values["aep:clientSecret"] == ""  # until set: the provider reads AEP_*


def test_local_stack_targets_the_emulator_make_up_starts():
    config = load_stack_config("local", passphrase="local").values
    assert config["aep:endpoint"] == "http://127.0.0.1:8080/data/foundation/flowservice"
    assert config["aep:imsEndpoint"] == "http://127.0.0.1:8080/ims/token/v3"
    assert (config["aep:orgId"], config["aep:clientId"], config["aep:clientSecret"]) == (
        "local@AdobeOrg", "local-client", "local-secret")


def test_project_leaves_credentials_to_stack_config_or_env():
    """The CLI requires a declared key without a default, and refuses a plain default for a `secret: true` key,
    so the credentials default to "" (the provider then reads AEP_*; tests/e2e/test_config.py runs it)."""
    project = yaml.safe_load((ROOT / "Pulumi.yaml").read_text())
    assert project["name"] == "aep" and project["stackConfigDir"] == "stacks"
    assert project["runtime"] == {"name": "python", "options": {"toolchain": "pip", "virtualenv": ".venv"}}
    for key in ("aep:orgId", "aep:clientId", "aep:clientSecret"):
        assert project["config"][key]["default"] == "" and "secret" not in project["config"][key]
    assert all("type" in declared and "default" in declared for declared in project["config"].values())
