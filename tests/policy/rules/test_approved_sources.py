"""approved-sources: verified catalog ids by default; unverified and unknown ids denied with the reason."""

import pytest

from policy.rules.approved_sources import check, parse_settings, schema
from policy.rules.catalog import verified_spec_ids
from tests.policy.sample_connections import LINKEDIN_OR_SUGARCRM_SPEC_ID, bigquery, connection, postgres

DEFAULTS = parse_settings(None)


def test_default_allow_list_is_every_verified_catalog_id():
    assert DEFAULTS.allowed_spec_ids == frozenset(verified_spec_ids())
    assert schema()["allowedSpecIds"]["default"] == verified_spec_ids()


@pytest.mark.parametrize("props", [postgres(), bigquery()])
def test_verified_sources_pass(props):
    assert check(connection(props), DEFAULTS) == []


def test_unverified_shared_id_is_denied_with_both_sources_named():
    [message] = check(connection(postgres(connection_spec_id=LINKEDIN_OR_SUGARCRM_SPEC_ID)), DEFAULTS)
    assert message.startswith("[approved-sources] connection 'orders' uses connection spec id")
    assert "linkedin-ads" in message and "sugarcrm-accounts-contacts" in message and "unverified" in message
    assert "allowedSpecIds" in message


def test_unknown_id_is_denied():
    [message] = check(connection(postgres(connection_spec_id="00000000-0000-0000-0000-000000000000")), DEFAULTS)
    assert "not a spec id in the catalog" in message


@pytest.mark.parametrize("spec_id", [None, "", 42])
def test_missing_spec_id_is_denied(spec_id):
    assert "has no connection_spec_id" in check(connection(postgres(connection_spec_id=spec_id)), DEFAULTS)[0]


def test_configured_allow_list_replaces_the_default():
    only_bq = parse_settings({"allowedSpecIds": ["3c9b37f8-13a6-43d8-bad3-b863b941fedd"]})
    assert check(connection(bigquery()), only_bq) == []
    [message] = check(connection(postgres()), only_bq)
    assert "source 'postgresql' is not on the approved list" in message


def test_unverified_id_can_be_approved_explicitly():
    settings = parse_settings({"allowedSpecIds": [LINKEDIN_OR_SUGARCRM_SPEC_ID]})
    assert check(connection(postgres(connection_spec_id=LINKEDIN_OR_SUGARCRM_SPEC_ID)), settings) == []
