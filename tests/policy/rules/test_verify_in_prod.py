"""verify-in-prod: connections in listed sandboxes set verify=True; others are out of scope."""

import pytest

from policy.rules.model import StackContext
from policy.rules.verify_in_prod import applies, check, parse_settings
from tests.policy.sample_connections import connection, postgres

DEFAULTS = parse_settings(None)


def test_verified_prod_connection_passes():
    assert check(connection(postgres(verify=True)), DEFAULTS) == []


@pytest.mark.parametrize("verify", [False, None, "true", 1])
def test_prod_connection_without_verify_true_fails(verify):
    [message] = check(connection(postgres(verify=verify)), DEFAULTS)
    assert message.startswith("[verify-in-prod] connection 'orders' in sandbox 'prod' does not set verify=True")
    assert "Fix: pass verify=True" in message


def test_other_sandboxes_are_out_of_scope_unless_listed():
    dev = connection(postgres(sandbox="dev", verify=False))
    assert applies(dev, DEFAULTS) is not None and check(dev, DEFAULTS) == []
    assert check(dev, parse_settings({"sandboxes": ["dev"]}))


def test_stack_sandbox_counts_too():
    dev_claim = connection(postgres(sandbox="dev", verify=False))
    assert check(dev_claim, DEFAULTS, StackContext("prod"))
    assert check(dev_claim, DEFAULTS, StackContext("local", configured_sandbox="prod"))
