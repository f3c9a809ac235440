"""Looking up a component by catalog source id and auth spec name, as the stack config does."""

from __future__ import annotations

import pytest

from provider.catalog import load_catalog
from provider.sources import COMPONENTS, InvalidSourceArgument
from provider.sources.registry import component_for, components_by_source


def test_every_verified_auth_spec_has_exactly_one_component_and_nothing_else_does():
    covered = [(c.source, c.auth_spec_name) for c in COMPONENTS]
    assert len(covered) == len(set(covered))
    expected = {(s.source, a.name) for s in load_catalog().specs if s.verified for a in s.authSpecs}
    assert set(covered) == expected


def test_default_is_the_first_auth_method_and_auth_matches_case_insensitively():
    assert component_for("google-bigquery").__name__ == "GoogleBigQueryConnection"
    assert component_for("google-bigquery", "service authentication").__name__ == (
        "GoogleBigQueryServiceAccountConnection"
    )
    assert component_for("postgresql").__name__ == "PostgreSqlConnection"
    assert [c.__name__ for c in components_by_source()["snowflake"]] == [
        "SnowflakeConnection", "SnowflakeKeyPairConnection", "SnowflakeBasicConnection",
    ]


def test_unknown_auth_lists_the_choices():
    with pytest.raises(InvalidSourceArgument) as err:
        component_for("salesforce", "Password")
    assert "'Basic Authentication' (SalesforceConnection)" in str(err.value)
    assert "'OAuth2 JWT Token Credential' (SalesforceJwtConnection)" in str(err.value)


def test_unknown_source_suggests_close_names():
    with pytest.raises(InvalidSourceArgument, match="did you mean postgresql"):
        component_for("postgres")


def test_unverified_source_explains_why_it_is_missing():
    with pytest.raises(InvalidSourceArgument, match="connection-spec id to two sources"):
        component_for("linkedin-ads")
