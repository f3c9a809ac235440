"""connection-naming: names match the pattern, are unique in the stack, and are never echoed."""

import pytest

from policy.rules.config import PolicyConfigError
from policy.rules.connection_naming import check_name, check_stack, parse_settings
from tests.policy.sample_connections import bigquery, connection, postgres

DEFAULTS = parse_settings(None)


@pytest.mark.parametrize("name", ["orders-db", "Orders database (PostgreSQL, staging replica)", "crm.accounts_v2",
                                  "a", "x" * 256, "O'Hare & Co + partners: 2024/Q1"])
def test_default_pattern_accepts_ordinary_names(name):
    assert check_name(connection(postgres(name=name)), DEFAULTS) == []


@pytest.mark.parametrize("name", [" leading-space", "trailing-space ", "-dash-first", "tab\tinside", "x" * 257,
                                  "semi;colon", "new\nline", "line\n", 'quote"d', "{braced}"])
def test_default_pattern_rejects_odd_names_without_echoing_them(name):
    [message] = check_name(connection(postgres(name=name)), DEFAULTS)
    assert message.startswith("[connection-naming] the name of connection 'orders' does not match")
    assert name not in message and "Fix:" in message


@pytest.mark.parametrize("name", [None, "", "   "])
def test_empty_names_fail(name):
    assert "has an empty name" in check_name(connection(postgres(name=name)), DEFAULTS)[0]


def test_configured_pattern_is_matched_in_full():
    kebab = parse_settings({"pattern": "[a-z]+(-[a-z]+)*"})
    assert check_name(connection(postgres(name="orders-db")), kebab) == []
    assert check_name(connection(postgres(name="orders-db-2")), kebab)


def test_invalid_pattern_is_a_config_error():
    with pytest.raises(PolicyConfigError, match="'pattern' is not a valid regular expression"):
        parse_settings({"pattern": "([unclosed"})


def test_unique_names_pass_and_duplicates_flag_each_resource():
    a, b = connection(postgres(name="Shared"), "a"), connection(bigquery(name=" shared "), "b")
    c = connection(bigquery(name="other"), "c")
    assert check_stack([a, c], DEFAULTS) == []
    violations = check_stack([a, b, c], DEFAULTS)
    duplicate = [v for v in violations if "same name" in v.message]
    assert [v.urn for v in duplicate] == [a.urn, b.urn]
    assert all("connection 'a', connection 'b'" in v.message for v in duplicate)
