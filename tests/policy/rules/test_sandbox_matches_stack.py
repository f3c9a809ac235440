"""sandbox-matches-stack: the stack's name decides the sandbox; nothing the stack sets can widen it."""

import pytest

from policy.rules.config import PolicyConfigError
from policy.rules.model import StackContext
from policy.rules.sandbox_matches_stack import check_connection, check_stack, expected_sandbox, parse_settings
from tests.policy.sample_connections import bigquery, connection, postgres

DEFAULTS = parse_settings(None)


def test_connections_in_the_stacks_own_sandbox_pass():
    stack = StackContext("prod", configured_sandbox="prod")
    conns = [connection(postgres()), connection(bigquery(), "bq")]
    assert check_stack(conns, stack, DEFAULTS) == []


def test_dev_stack_connection_writing_to_prod_fails_with_resource_rule_and_fix():
    conn = connection(postgres(sandbox="prod"), stack="dev")
    [violation] = check_stack([conn], StackContext("dev"), DEFAULTS)
    assert violation.urn == conn.urn
    assert "[sandbox-matches-stack]" in violation.message
    assert "connection 'orders'" in violation.message
    assert "'prod'" in violation.message and "stack 'dev'" in violation.message
    assert "Fix:" in violation.message


def test_dev_stack_that_points_aep_sandbox_at_prod_is_caught_twice():
    """The program resolves sandbox=None to aep:sandbox, so both the config and the connection are wrong."""
    stack = StackContext("dev", configured_sandbox="prod")
    violations = check_stack([connection(postgres(sandbox="prod"), stack="dev")], stack, DEFAULTS)
    assert [v.urn is None for v in violations] == [True, False]
    assert "sets aep:sandbox to 'prod'" in violations[0].message
    assert "pulumi config set aep:sandbox dev --stack dev" in violations[0].message


def test_missing_or_empty_sandbox_input_fails():
    without = {k: v for k, v in postgres().items() if k != "sandbox"}
    for props in (postgres(sandbox=None), postgres(sandbox=""), without):
        [message] = check_connection(connection(props), StackContext("prod"), DEFAULTS)
        assert "does not record which sandbox" in message


def test_unknown_stack_fails_closed():
    [violation] = check_stack([connection(postgres())], StackContext(None), DEFAULTS)
    assert violation.urn is None and "PULUMI_STACK" in violation.message
    assert "PULUMI_STACK" in check_connection(connection(postgres()), StackContext(""), DEFAULTS)[0]


def test_stack_not_named_after_a_sandbox_is_mapped_by_policy_config_only():
    local = StackContext("local", configured_sandbox="prod")
    conn = connection(postgres(sandbox="prod"), stack="local")
    assert len(check_stack([conn], local, DEFAULTS)) == 2
    mapped = parse_settings({"stackSandboxes": {"local": "prod"}})
    assert expected_sandbox(local, mapped) == "prod"
    assert check_stack([conn], local, mapped) == []


def test_mapping_one_stack_does_not_open_another():
    mapped = parse_settings({"stackSandboxes": {"local": "prod"}})
    assert expected_sandbox(StackContext("dev", configured_sandbox="prod"), mapped) == "dev"
    assert check_connection(connection(postgres(sandbox="prod")), StackContext("dev"), mapped)


def test_sandbox_names_compare_exactly():
    assert check_connection(connection(postgres(sandbox="Prod")), StackContext("prod"), DEFAULTS)


def test_per_resource_variant_names_its_own_rule():
    [message] = check_connection(connection(postgres(sandbox="prod")), StackContext("dev"), DEFAULTS,
                                 rule="sandbox-matches-stack-per-resource")
    assert message.startswith("[sandbox-matches-stack-per-resource]")
    assert "sandbox-matches-stack-per-resource.stackSandboxes" in message


def test_bad_mapping_config_is_rejected():
    with pytest.raises(PolicyConfigError, match="stackSandboxes"):
        parse_settings({"stackSandboxes": {"local": 1}})
