"""The per-stack policy config files in policy/config/: each passes the pack's schemas and does what it says."""

import pytest

from tests.harness.analyzer import POLICY_DIR, PolicyPackServer, load_policy_config
from tests.policy.sample_connections import LINKEDIN_OR_SUGARCRM_SPEC_ID, bigquery, postgres, resource

CONFIG_DIR = POLICY_DIR / "config"


@pytest.mark.parametrize("path", sorted(CONFIG_DIR.glob("*.json")), ids=lambda p: p.name)
def test_each_file_is_accepted_by_the_schemas(path):
    with PolicyPackServer(stack=path.stem, policy_config=load_policy_config(path)) as pack:
        assert set(pack.config) >= set(load_policy_config(path))


def test_prod_makes_naming_mandatory_and_keeps_the_rest():
    with PolicyPackServer(stack="prod", policy_config=load_policy_config(CONFIG_DIR / "prod.json")) as pack:
        assert pack.config["connection-naming"][0] == "mandatory"
        assert pack.config["verify-in-prod"][0] == "advisory"
        duplicates = [resource(postgres(name="same"), "a"), resource(bigquery(name="same"), "b")]
        assert {d.level for d in pack.analyze_stack(duplicates).by_policy("connection-naming")} == {"mandatory"}


def test_dev_lets_unapproved_sources_through_as_advisory():
    unverified = resource(bigquery(sandbox="dev", connection_spec_id=LINKEDIN_OR_SUGARCRM_SPEC_ID), stack="dev")
    with PolicyPackServer(stack="dev", policy_config=load_policy_config(CONFIG_DIR / "dev.json")) as pack:
        assert [d.level for d in pack.analyze(unverified).diagnostics] == ["advisory"]
    with PolicyPackServer(stack="dev") as pack:
        assert [d.level for d in pack.analyze(unverified).diagnostics] == ["mandatory"]


def test_local_maps_the_emulator_stack_to_dev_for_both_sandbox_policies():
    config = load_policy_config(CONFIG_DIR / "local.json")
    assert config["sandbox-matches-stack"] == config["sandbox-matches-stack-per-resource"] == {
        "stackSandboxes": {"local": "dev"}}
