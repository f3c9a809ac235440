"""The generated components: regenerating changes nothing, and each class matches its catalog entry."""

from __future__ import annotations

import inspect
import keyword
import shutil

from provider.catalog import load_catalog
from provider.sources import COMPONENTS
from tools.generate_sources import TABLE_FILE, load_catalog as load_raw_catalog, render_all, stale_files
from tools.generate_sources import main as generate_main
from tools.source_templates import GENERATED_MARK

COMMON = ["name", "description", "sandbox", "adopt_id", "verify", "force_delete", "opts"]


def test_regenerating_changes_nothing():
    files = render_all(load_raw_catalog(), TABLE_FILE.read_text())
    assert stale_files(files) == []
    assert generate_main(["--check"]) == 0


def test_check_mode_reports_a_hand_edit_and_regeneration_restores_it(tmp_path, monkeypatch, capsys):
    import tools.generate_sources as generator

    original = (generator.SOURCES_DIR / "stripe.py").read_text()
    sources = tmp_path / "sources"
    shutil.copytree(generator.SOURCES_DIR, sources)
    readme = tmp_path / "sources.md"
    readme.write_text(TABLE_FILE.read_text())
    monkeypatch.setattr(generator, "SOURCES_DIR", sources)
    monkeypatch.setattr(generator, "TABLE_FILE", readme)
    monkeypatch.setattr(generator, "ROOT", tmp_path)
    edited = sources / "stripe.py"
    edited.write_text(edited.read_text().replace("Stripe", "Stripe Inc."))
    assert generate_main(["--check"]) == 1
    assert "out of date: sources/stripe.py" in capsys.readouterr().out
    assert generate_main([]) == 0
    assert generate_main(["--check"]) == 0
    assert edited.read_text() == original


def test_every_class_matches_its_catalog_auth_spec():
    catalog = load_catalog()
    for component in COMPONENTS:
        auth = catalog.by_source(component.source).auth_spec(component.auth_spec_name)
        assert component.connection_spec_id == catalog.by_source(component.source).id
        if GENERATED_MARK not in (inspect.getmodule(component).__doc__ or ""):
            continue
        params = component.Params
        assert [params.api_name(f) for f in params.model_fields] == [p.name for p in auth.params]
        assert component.secret_api_params() == auth.secret_params
        required = {f for f, info in params.model_fields.items() if info.is_required()}
        assert {params.api_name(f) for f in required} == {p.name for p in auth.params if p.required}
        assert component.auth_type == auth.type


def test_keywords_are_snake_case_identifiers_and_match_the_signature():
    for component in COMPONENTS:
        signature = list(inspect.signature(component.__init__).parameters)
        assert signature[:2] == ["self", "resource_name"]
        assert sorted(signature[2:-len(COMMON)]) == sorted(component.Params.model_fields), component.__name__
        assert signature[-len(COMMON):] == COMMON
        for name in component.Params.model_fields:
            assert name.isidentifier() and not keyword.iskeyword(name) and name == name.lower()


def test_class_names_are_unique_identifiers_ending_in_connection():
    names = [c.__name__ for c in COMPONENTS]
    assert len(names) == len(set(names))
    assert all(n.isidentifier() and n.endswith("Connection") and n[0].isupper() for n in names)
    assert {"SapCommerceConnection", "HttpApiConnection", "MicrosoftSqlServerConnection", "AmazonS3Connection",
            "GenericODataConnection", "ApacheHiveOnAzureHdInsightsConnection"} <= set(names)


def test_every_class_documents_itself_and_each_argument():
    for component in COMPONENTS:
        doc = inspect.getdoc(component)
        assert doc and component.auth_spec_name in doc, component.__name__
        if GENERATED_MARK in (inspect.getmodule(component).__doc__ or ""):
            for field in component.Params.model_fields:
                assert f"    {field}: " in component.__doc__, (component.__name__, field)


def test_name_clashes_are_renamed():
    from provider.sources import HttpApiConnection, SnowflakeBasicConnection

    assert HttpApiConnection.Params.api_name("stream_name") == "name"
    assert SnowflakeBasicConnection.Params.api_name("schema_name") == "schema"


def test_unverified_sources_are_not_generated():
    unverified = {s["source"] for s in load_raw_catalog() if not s["verified"]}
    assert len(unverified) == 6
    assert not unverified & {c.source for c in COMPONENTS}
