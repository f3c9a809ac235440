"""provider/catalog/specs.py: typed access to connection_specs.json."""

from __future__ import annotations

import json

import pytest

from provider.catalog import load_catalog
from provider.catalog.specs import CATALOG_PATH

PG = "74a1c565-4e59-48d7-9d67-7c03b8a13137"
SHARED = "59a4b493-a615-40f9-bd38-f823d0909a2b"  # sugarcrm-accounts-contacts and linkedin-ads in Adobe's docs


def test_loads_every_spec_in_the_file():
    raw = json.loads(CATALOG_PATH.read_text())["specs"]
    catalog = load_catalog()
    assert len(catalog.specs) == len(raw) == 67
    assert sum(s.verified for s in catalog.specs) == 61
    assert {s.source for s in catalog.specs} == {s["source"] for s in raw}


def test_lookup_by_source_and_id():
    catalog = load_catalog()
    pg = catalog.by_source("postgresql")
    assert pg.id == PG and pg.displayName == "PostgreSQL"
    assert catalog.by_id(PG) == (pg,)
    assert catalog.auth_spec(PG, "Basic Authentication").param("port").type == "integer"
    assert catalog.auth_spec(PG, "OAuth 2") is None
    assert catalog.secret_params(PG, "Connection String Based Authentication") == {"connectionString"}
    assert catalog.secret_params(PG, "Basic Authentication") == {"password"}


def test_unknown_source_error_names_the_file():
    with pytest.raises(KeyError, match="connection_specs.json"):
        load_catalog().by_source("no-such-source")


def test_shared_unverified_ids_accept_auth_specs_of_both_sources():
    catalog = load_catalog()
    specs = catalog.by_id(SHARED)
    assert {s.source for s in specs} == {"sugarcrm-accounts-contacts", "linkedin-ads"}
    assert not any(s.verified for s in specs)
    assert catalog.auth_spec_names(SHARED) == ["OAuth2 Refresh Code"]
    # both define "OAuth2 Refresh Code"; the first one wins for param lookup
    assert catalog.auth_spec(SHARED, "OAuth2 Refresh Code").param("host") is not None


def test_every_param_type_is_one_of_ours():
    types = {p.type for s in load_catalog().specs for a in s.authSpecs for p in a.params}
    assert types == {"string", "integer", "boolean"}


def test_catalog_is_loaded_once():
    assert load_catalog() is load_catalog()
