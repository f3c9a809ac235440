"""The pack against what Pulumi v3.274.1 really sends (seen by a logging pack under `pulumi up`), where it differs
from what tests/harness/analyzer.py sends by default:

- nothing about the stack in the pack's environment: stack, project, dry-run and the stack's config (secrets
  decrypted) come only in ConfigureStack (`policy.engine_stack` bridges them);
- the program's explicit provider `pulumi:providers:pulumi-python` (name `aep`, provider/settings_provider.py)
  is analysed like any resource, its properties being the stack's `aep:*` provider settings with the client
  secret as a secret, and every base connection's Analyze carries it in `provider`;
- a base connection's properties are its inputs after the dynamic provider's Check (`verify` and
  `connection_spec_version` filled in, `__provider` dropped).
"""

from __future__ import annotations

import json

import pytest
from pulumi.runtime.proto import analyzer_pb2

from policy import engine_stack
from provider.settings import KEYS
from tests.harness.analyzer import (POLICY_DIR, AnalyzedResource, PolicyPackServer, Secret, _struct,
                                    load_policy_config, urn_for)
from tests.policy.sample_connections import BQ_CLIENT_SECRET, PG_PASSWORD, bigquery, postgres, resource

STACK_VARIABLES = ("PULUMI_STACK", "PULUMI_PROJECT", "PULUMI_ORGANIZATION", "PULUMI_DRY_RUN", "PULUMI_CONFIG",
                   "PULUMI_CONFIG_SECRET_KEYS")
RESOURCE_POLICIES = {"sandbox-matches-stack-per-resource", "postgres-tls-required", "approved-sources",
                     "no-credentials-in-metadata", "verify-in-prod", "force-delete-in-prod", "dataflow-min-interval",
                     "approved-datasets", "dataflow-backfill-in-prod"}


class EnginePack(PolicyPackServer):
    """The pack started as v3.274.1 starts it: no stack variables in its environment, only ConfigureStack."""

    def _env(self) -> dict[str, str]:
        return {k: v for k, v in super()._env().items() if k not in STACK_VARIABLES}


def settings_provider(stack: str, config: dict[str, str], secret_keys=()) -> AnalyzedResource:
    settings = {key for key, _env, _secret in KEYS.values()}
    props = {k: Secret(v) if k in secret_keys else v for k, v in config.items() if k in settings}
    type_ = "pulumi:providers:pulumi-python"
    return AnalyzedResource(type_, "aep", urn_for(stack, type_, "aep"), props)


def analyze_with_provider(pack: PolicyPackServer, connection: AnalyzedResource, provider: AnalyzedResource):
    """Analyze as the engine sends it for a base connection: with its provider attached."""
    request = analyzer_pb2.AnalyzeRequest(
        type=connection.type, name=connection.name, urn=connection.urn, properties=_struct(connection.properties),
        provider=analyzer_pb2.AnalyzerProviderResource(type=provider.type, name=provider.name, urn=provider.urn,
                                                       properties=_struct(provider.properties)))
    return pack._analysis(pack.stub.Analyze(request, timeout=pack.timeout))


LOCAL_CONFIG = {"aep:sandbox": "dev", "aep:orgId": "local@AdobeOrg", "aep:clientSecret": "local-secret",
                "aep:ordersDbPassword": PG_PASSWORD,
                "aep:marketingBqClientSecret": BQ_CLIENT_SECRET,
                "aep:connections": json.dumps({"orders-db": {"source": "postgresql", "params": {"host": "h"}}})}
LOCAL_SECRETS = ("aep:clientSecret", "aep:ordersDbPassword", "aep:marketingBqClientSecret")


def test_stack_environment_from_configure_stack():
    request = analyzer_pb2.AnalyzerStackConfigureRequest(
        stack="dev", project="aep", organization="organization", dry_run=True,
        config={"aep:sandbox": "prod"}, config_secret_keys=["aep:b", "aep:a"])
    assert engine_stack.stack_environment(request) == {
        "PULUMI_STACK": "dev", "PULUMI_PROJECT": "aep", "PULUMI_ORGANIZATION": "organization",
        "PULUMI_DRY_RUN": "true", "PULUMI_CONFIG": '{"aep:sandbox": "prod"}',
        "PULUMI_CONFIG_SECRET_KEYS": '["aep:a", "aep:b"]'}
    environ = {"PULUMI_STACK": "old", "PULUMI_CONFIG": '{"aep:sandbox": "old"}', "PATH": "/bin"}
    engine_stack.apply(analyzer_pb2.AnalyzerStackConfigureRequest(stack="prod", project="aep"), environ)
    assert environ == {"PULUMI_STACK": "prod", "PULUMI_PROJECT": "aep", "PULUMI_DRY_RUN": "false", "PATH": "/bin"}


def test_a_request_naming_no_stack_leaves_the_pack_without_one():
    environ: dict[str, str] = {}
    engine_stack.apply(analyzer_pb2.AnalyzerStackConfigureRequest(), environ)
    assert "PULUMI_STACK" not in environ


def test_stack_and_its_config_reach_the_rules_through_configure_stack_alone():
    good = [resource(postgres())]
    with EnginePack(stack="prod", stack_config={"aep:sandbox": "prod"}) as pack:
        assert pack.preview(good).diagnostics == []
    with EnginePack(stack="dev", stack_config={"aep:sandbox": "prod"}) as pack:
        stack_level = [d for d in pack.analyze_stack(good).diagnostics if not d.urn]
    assert len(stack_level) == 1 and "stack 'dev' sets aep:sandbox to 'prod'" in stack_level[0].message


@pytest.fixture(scope="module")
def local_pack():
    with EnginePack(stack="local", project="aep", stack_config=LOCAL_CONFIG, secret_keys=LOCAL_SECRETS,
                    policy_config=load_policy_config(POLICY_DIR / "config" / "local.json")) as pack:
        yield pack


def test_the_provider_resource_is_not_judged(local_pack):
    provider = settings_provider("local", {**LOCAL_CONFIG, "aep:sandbox": "prod"}, LOCAL_SECRETS)
    analysis = local_pack.analyze(provider)
    assert analysis.diagnostics == []
    assert set(analysis.not_applicable) == RESOURCE_POLICIES
    assert local_pack.analyze_stack([provider]).diagnostics == []


def test_checked_inputs_with_their_provider_attached_pass_on_the_local_stack(local_pack):
    provider = settings_provider("local", LOCAL_CONFIG, LOCAL_SECRETS)
    checked = [
        resource(postgres(sandbox="dev", verify=False), "orders-db", stack="local"),
        resource({k: v for k, v in bigquery(sandbox="dev", verify=False, auth_type="OAuth2.0").items()
                  if k != "description"}, "marketing-bigquery", stack="local"),
    ]
    for connection in checked:
        analysis = analyze_with_provider(local_pack, connection, provider)
        assert analysis.diagnostics == [] and "approved-sources" not in analysis.not_applicable
    assert local_pack.analyze_stack([provider, *checked]).diagnostics == []
