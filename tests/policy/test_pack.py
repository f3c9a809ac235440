"""The pack as the engine starts it: what it advertises, how its config is reconciled and applied.

Each test talks to `python -m pulumi.policy` running `policy/__main__.py` over gRPC (tests/harness/analyzer.py).
"""

import subprocess
import sys

import grpc
import pytest

from policy.rules.catalog import verified_spec_ids
from tests.harness.analyzer import ROOT, AnalyzedResource, PolicyConfigInvalid, PolicyPackServer, urn_for
from tests.policy.sample_connections import postgres, resource

EXPECTED = {
    # name: (policy type, default enforcement level)
    "sandbox-matches-stack": ("stack", "mandatory"),
    "sandbox-matches-stack-per-resource": ("resource", "mandatory"),
    "postgres-tls-required": ("resource", "mandatory"),
    "approved-sources": ("resource", "mandatory"),
    "connection-naming": ("stack", "advisory"),
    "no-credentials-in-metadata": ("resource", "mandatory"),
    "verify-in-prod": ("resource", "advisory"),
    "force-delete-in-prod": ("resource", "advisory"),
    "dataflow-min-interval": ("resource", "mandatory"),
    "approved-datasets": ("resource", "mandatory"),
    "dataflow-backfill-in-prod": ("resource", "advisory"),
}
PIPELINE_POLICIES = {"dataflow-min-interval", "approved-datasets", "dataflow-backfill-in-prod"}


@pytest.fixture(scope="module")
def prod_pack():
    with PolicyPackServer(stack="prod", stack_config={"aep:sandbox": "prod"}) as pack:
        yield pack


def test_pack_advertises_every_policy_with_type_level_and_schema(prod_pack):
    info = prod_pack.info
    assert info.name == "aep-flow-connections" and info.supportsConfig
    types = {1: "resource", 2: "stack"}
    advertised = {p.name: (types[p.policy_type], prod_pack.config[p.name][0]) for p in info.policies}
    assert advertised == EXPECTED
    assert all(p.configSchema.properties for p in info.policies)


def test_schema_defaults_reach_the_pack(prod_pack):
    assert prod_pack.config["approved-sources"][1]["allowedSpecIds"] == verified_spec_ids()
    assert prod_pack.config["postgres-tls-required"][1] == {"sandboxes": ["prod"]}
    assert prod_pack.config["verify-in-prod"][1] == {"sandboxes": ["prod"]}
    assert prod_pack.config["force-delete-in-prod"][1] == {"sandboxes": ["prod"]}
    assert prod_pack.config["sandbox-matches-stack"][1] == {"stackSandboxes": {}}
    assert prod_pack.config["dataflow-min-interval"][1] == {"sandboxes": ["prod"], "minimumMinutes": 60}
    assert prod_pack.config["approved-datasets"][1] == {"datasets": []}
    assert prod_pack.config["dataflow-backfill-in-prod"][1] == {"sandboxes": ["prod"]}


def test_non_connection_resources_are_not_applicable(prod_pack):
    component = AnalyzedResource("aep:sources:PostgreSqlConnection", "orders",
                                 urn_for("prod", "aep:sources:PostgreSqlConnection", "orders"), {})
    analysis = prod_pack.analyze(component)
    assert analysis.diagnostics == []
    assert analysis.not_applicable["approved-sources"] == "not an aep:BaseConnection"
    assert analysis.not_applicable["dataflow-min-interval"] == "not an aep:Dataflow"
    assert analysis.not_applicable["approved-datasets"] == "not an aep:TargetConnection"
    assert set(analysis.not_applicable) == {n for n, (t, _) in EXPECTED.items() if t == "resource"}


def test_base_connections_are_not_judged_by_pipeline_policies(prod_pack):
    analysis = prod_pack.analyze(resource(postgres()))
    assert {n: r for n, r in analysis.not_applicable.items() if n in PIPELINE_POLICIES} == {
        "dataflow-min-interval": "not an aep:Dataflow", "approved-datasets": "not an aep:TargetConnection",
        "dataflow-backfill-in-prod": "not an aep:Dataflow"}


def test_out_of_scope_rules_say_why(prod_pack):
    analysis = prod_pack.analyze(resource(postgres(connection_spec_id="3c9b37f8-13a6-43d8-bad3-b863b941fedd")))
    assert analysis.not_applicable["postgres-tls-required"] == "not a PostgreSQL connection"


@pytest.mark.parametrize("config, error", [
    ({"postgres-tls-required": {"sandboxes": "prod"}}, "postgres-tls-required: 'prod' is not of type 'array'"),
    ({"no-credentials-in-metadata": {"minimumLength": 0}}, "no-credentials-in-metadata: 0 is less than"),
    ({"sandbox-matches-stack": {"stackSandboxes": {"local": 5}}}, "sandbox-matches-stack: 5 is not of type"),
    ({"verify-in-prod": "sometimes"}, "verify-in-prod: 'sometimes' is not a valid enforcement level"),
    ({"dataflow-min-interval": {"minimumMinutes": 0}}, "dataflow-min-interval: 0 is less than the minimum of 1"),
    ({"dataflow-min-interval": {"minimumMinutes": "60"}}, "dataflow-min-interval: '60' is not of type 'integer'"),
    ({"approved-datasets": {"datasets": "Orders"}}, "approved-datasets: 'Orders' is not of type 'array'"),
    ({"approved-datasets": {"datasets": [""]}}, "approved-datasets: '' (is too short|should be non-empty)"),
])
def test_config_that_fails_the_schema_stops_before_any_analysis(config, error):
    with pytest.raises(PolicyConfigInvalid, match=error):
        with PolicyPackServer(stack="prod", policy_config=config):
            pass


def test_config_the_schema_cannot_judge_fails_the_rpc_with_the_field_named():
    with PolicyPackServer(stack="prod", policy_config={"connection-naming": {"pattern": "([oops"}}) as pack:
        with pytest.raises(grpc.RpcError) as info:
            pack.analyze_stack([resource(postgres())])
    assert "connection-naming: config property 'pattern' is not a valid regular expression" in info.value.details()


def test_enforcement_levels_are_overridable_per_policy_and_for_all():
    bad = resource(postgres(verify=False))
    with PolicyPackServer(stack="prod", policy_config={"verify-in-prod": "mandatory"}) as pack:
        assert [d.level for d in pack.analyze(bad).by_policy("verify-in-prod")] == ["mandatory"]
    with PolicyPackServer(stack="prod", policy_config={"verify-in-prod": {"enforcementLevel": "disabled"}}) as pack:
        assert pack.analyze(bad).by_policy("verify-in-prod") == []
    with PolicyPackServer(stack="dev", policy_config={"all": "advisory"}) as pack:
        levels = {d.policy: d.level for d in pack.preview([bad]).diagnostics}
    assert levels and set(levels.values()) == {"advisory"}


def test_stack_identity_comes_from_the_engine_environment():
    """The same resources pass as stack prod and fail as stack dev: only PULUMI_STACK / PULUMI_CONFIG differ."""
    good = [resource(postgres())]
    with PolicyPackServer(stack="prod", stack_config={"aep:sandbox": "prod"}) as pack:
        assert pack.preview(good).diagnostics == []
    with PolicyPackServer(stack="dev", stack_config={"aep:sandbox": "prod"}) as pack:
        stack_level = [d for d in pack.analyze_stack(good).diagnostics if not d.urn]
    assert len(stack_level) == 1 and "stack 'dev' sets aep:sandbox to 'prod'" in stack_level[0].message


def test_the_pack_imports_no_project_code_besides_reading_the_catalog_file():
    probe = ("import sys, policy.policies; "
             "print(sorted({m.split('.')[0] for m in sys.modules} & {'provider', 'emulator', 'tools', 'tests'}))")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
