"""force-delete-in-prod: a prod connection with force_delete=True is reported; other sandboxes and values are not."""

import pytest

from policy.rules.force_delete_in_prod import applies, check, parse_settings
from policy.rules.model import StackContext
from tests.policy.sample_connections import connection, postgres

DEFAULTS = parse_settings(None)


def test_prod_connection_with_force_delete_is_reported_with_the_fix():
    [message] = check(connection(postgres(force_delete=True)), DEFAULTS)
    assert message.startswith("[force-delete-in-prod] connection 'orders' in sandbox 'prod' sets force_delete=True")
    assert "will not stop for the source connections and dataflows" in message and "Fix:" in message


@pytest.mark.parametrize("value", [False, None, "true", 1])
def test_anything_but_true_passes(value):
    assert check(connection(postgres(force_delete=value)), DEFAULTS) == []


def test_a_connection_recorded_before_force_delete_existed_passes():
    assert check(connection(postgres()), DEFAULTS) == []


def test_other_sandboxes_are_out_of_scope_unless_listed():
    dev = connection(postgres(sandbox="dev", force_delete=True))
    assert applies(dev, DEFAULTS) is not None and check(dev, DEFAULTS) == []
    assert check(dev, parse_settings({"sandboxes": ["dev", "prod"]}))


def test_stack_sandbox_counts_too():
    dev_claim = connection(postgres(sandbox="dev", force_delete=True))
    assert check(dev_claim, DEFAULTS, StackContext("prod"))
    assert check(dev_claim, DEFAULTS, StackContext("local", configured_sandbox="prod"))
