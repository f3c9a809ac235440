"""Each policy through the running pack (Analyze / AnalyzeStack over gRPC), with engine-shaped resources.

Resources carry `auth_params` as a secret and the dynamic provider's `__provider` input, as the engine sends them.
"""

import pytest
from pulumi.runtime.rpc import UNKNOWN

from tests.harness.analyzer import PolicyPackServer
from tests.policy.sample_connections import (
    BQ_CLIENT_SECRET,
    CREDENTIALS,
    LINKEDIN_OR_SUGARCRM_SPEC_ID,
    PG_PASSWORD,
    bigquery,
    pg_connection_string,
    postgres,
    resource,
)


@pytest.fixture(scope="module")
def prod():
    with PolicyPackServer(stack="prod", stack_config={"aep:sandbox": "prod", "aep:clientSecret": "cfg-secret-404"},
                          secret_keys=["aep:clientSecret"]) as pack:
        yield pack


@pytest.fixture(scope="module")
def dev():
    with PolicyPackServer(stack="dev", stack_config={"aep:sandbox": "dev"}) as pack:
        yield pack


def test_a_good_prod_stack_has_no_violations(prod):
    stack = [resource(postgres(), "orders"), resource(bigquery(), "marketing")]
    assert prod.preview(stack).diagnostics == []


def test_dev_stack_writing_to_prod_is_mandatory_per_resource_and_for_the_stack(dev):
    bad = resource(postgres(sandbox="prod"), "orders", stack="dev")
    per_resource = dev.analyze(bad).by_policy("sandbox-matches-stack-per-resource")
    stack_wide = dev.analyze_stack([bad]).by_policy("sandbox-matches-stack")
    assert [d.level for d in per_resource + stack_wide] == ["mandatory", "mandatory"]
    assert stack_wide[0].urn == bad.urn
    assert "connection 'orders' writes to sandbox 'prod', but stack 'dev'" in stack_wide[0].message


def test_postgres_without_tls_in_prod(prod):
    weak = resource(postgres(auth_params={"connectionString": pg_connection_string("EncryptionMethod=6")}))
    [diagnostic] = prod.analyze(weak).diagnostics
    assert diagnostic.policy == "postgres-tls-required" and diagnostic.level == "mandatory"
    assert "EncryptionMethod in the connection string is '6'" in diagnostic.message


def test_postgres_without_tls_in_dev_is_fine_by_default(dev):
    weak = resource(postgres(sandbox="dev", verify=False,
                             auth_params={"connectionString": pg_connection_string("")}), stack="dev")
    assert dev.preview([weak]).diagnostics == []


def test_unapproved_source(prod):
    [diagnostic] = prod.analyze(resource(bigquery(connection_spec_id=LINKEDIN_OR_SUGARCRM_SPEC_ID))).diagnostics
    assert (diagnostic.policy, diagnostic.level) == ("approved-sources", "mandatory")
    assert "linkedin-ads" in diagnostic.message


def test_naming_pattern_and_duplicates_are_advisory_stack_findings(prod):
    a, b = resource(postgres(name="dup"), "a"), resource(bigquery(name="DUP"), "b")
    odd = resource(bigquery(name="-odd"), "c")
    diagnostics = prod.analyze_stack([a, b, odd]).by_policy("connection-naming")
    assert {d.level for d in diagnostics} == {"advisory"}
    assert sorted(d.urn for d in diagnostics) == sorted([a.urn, b.urn, odd.urn])


def test_credential_in_description_is_mandatory_and_never_printed(prod):
    leaky = resource(bigquery(description=f"uses {BQ_CLIENT_SECRET}"))
    [diagnostic] = prod.analyze(leaky).diagnostics
    assert (diagnostic.policy, diagnostic.level) == ("no-credentials-in-metadata", "mandatory")
    assert BQ_CLIENT_SECRET not in diagnostic.message and "auth param 'clientSecret'" in diagnostic.message


def test_verify_in_prod_is_advisory(prod):
    [diagnostic] = prod.analyze(resource(postgres(verify=False))).diagnostics
    assert (diagnostic.policy, diagnostic.level) == ("verify-in-prod", "advisory")


def test_force_delete_in_prod_is_advisory_and_names_the_connection(prod):
    [diagnostic] = prod.analyze(resource(postgres(force_delete=True))).diagnostics
    assert (diagnostic.policy, diagnostic.level) == ("force-delete-in-prod", "advisory")
    assert "connection 'orders' in sandbox 'prod' sets force_delete=True" in diagnostic.message
    assert prod.analyze(resource(postgres(force_delete=False))).diagnostics == []


def test_unknown_values_at_preview_give_advisory_notes_not_verdicts(prod):
    """Values computed from other resources are unknown during preview; the rules run again at `pulumi up`."""
    pending = resource(postgres(sandbox=UNKNOWN, auth_params={"connectionString": UNKNOWN}))
    analysis = prod.preview([pending])
    assert analysis.diagnostics and {d.level for d in analysis.diagnostics} == {"advisory"}
    assert all("during preview" in d.message for d in analysis.diagnostics)
    assert {"sandbox-matches-stack-per-resource", "postgres-tls-required", "sandbox-matches-stack"} <= analysis.policies


def test_every_message_is_scrubbed_of_credentials_even_when_a_rule_echoes_one(prod):
    """A sandbox value that is itself a credential would be echoed by the sandbox rule; the binding masks it."""
    weird = resource(postgres(sandbox=PG_PASSWORD, name=PG_PASSWORD, description=f"pw {PG_PASSWORD}", verify=False,
                              auth_params={"connectionString": pg_connection_string("sslmode=disable")}))
    analysis = prod.preview([weird, resource(bigquery(name=BQ_CLIENT_SECRET))])
    assert {"sandbox-matches-stack", "no-credentials-in-metadata", "postgres-tls-required"} <= analysis.policies
    text = "\n".join(d.message for d in analysis.diagnostics) + prod.stderr()
    assert "***" in text
    for credential in (*CREDENTIALS, "cfg-secret-404"):
        assert credential not in text
