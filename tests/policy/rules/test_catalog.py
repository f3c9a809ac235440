"""The catalog as the pack reads it: verified ids from the JSON file, clear error when it is missing."""

import json

import pytest

from policy.rules.catalog import CATALOG_PATH, CatalogError, load_catalog, sources_for, verified_spec_ids


def test_verified_ids_are_the_files_verified_specs():
    specs = json.loads(CATALOG_PATH.read_text())["specs"]
    expected = sorted({s["id"] for s in specs if s["verified"]})
    assert verified_spec_ids() == expected
    assert "74a1c565-4e59-48d7-9d67-7c03b8a13137" in expected
    assert not {s["id"] for s in specs if not s["verified"]} & set(expected)


def test_shared_id_lists_both_sources():
    assert sorted(s.source for s in sources_for("59a4b493-a615-40f9-bd38-f823d0909a2b")) == [
        "linkedin-ads", "sugarcrm-accounts-contacts"]
    assert sources_for("not-an-id") == []


def test_missing_catalog_names_path_and_fix(tmp_path):
    missing = tmp_path / "nope.json"
    with pytest.raises(CatalogError, match="allowedSpecIds") as info:
        load_catalog(missing)
    assert str(missing) in str(info.value)


def test_malformed_catalog_is_a_catalog_error(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"specs": [{"source": "x"}]}')
    with pytest.raises(CatalogError, match="KeyError"):
        load_catalog(bad)
