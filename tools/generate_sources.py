"""Generate one typed component module per catalog source under provider/sources/.

    python -m tools.generate_sources          # write the files
    python -m tools.generate_sources --check  # exit 1 and list the files that are out of date

Input: provider/catalog/connection_specs.json. Sources whose spec id is not verified are skipped (their id is
shared by two sources in Adobe's docs); PostgreSQL and Google BigQuery are hand-written. Output: a module per
source (one class per auth spec, the first spec's class unqualified), provider/sources/__init__.py listing
every component, and the supported-sources table in docs/sources.md.
"""

from __future__ import annotations

import argparse
import json
import keyword
import re
import sys
from pathlib import Path

from pydantic import BaseModel

from tools.source_model import Component, Param, SourceModule
from tools.source_templates import render_init, render_module, render_sources_table

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "provider" / "catalog" / "connection_specs.json"
SOURCES_DIR = ROOT / "provider" / "sources"
TABLE_FILE = ROOT / "docs" / "sources.md"
TABLE_START, TABLE_END = "<!-- sources-table -->", "<!-- /sources-table -->"

# Hand-written components: (source, auth spec) -> (module, class, secret keywords).
HAND_WRITTEN: dict[tuple[str, str], tuple[str, str, tuple[str, ...]]] = {
    ("postgresql", "Connection String Based Authentication"): (
        "postgresql", "PostgreSqlConnection", ("password", "connection_string"),
    ),
    ("postgresql", "Basic Authentication"): ("postgresql", "PostgreSqlBasicConnection", ("password",)),
    ("google-bigquery", "Basic Authentication"): (
        "google_bigquery", "GoogleBigQueryConnection", ("client_secret", "refresh_token"),
    ),
    ("google-bigquery", "Service Authentication"): (
        "google_bigquery", "GoogleBigQueryServiceAccountConnection", ("key_file_content",),
    ),
}
# Class-name qualifiers for a source's second and later auth specs (others: derived from the spec name).
AUTH_QUALIFIERS = {
    "OAuth2 Client Credential": "ClientCredentials",
    "OAuth2 JWT Token Credential": "Jwt",
    "oAuth2RefreshCode": "OAuth",
    "SSH PublicKey Authentication for sftp": "SshKey",
    "Service Principal Key Based Authentication": "ServicePrincipal",
    "Topic & Subscription Based Authentication": "Topic",
}
# Keyword renames where the API param name would clash with a common component argument or a pydantic
# BaseModel attribute; keyed by (source, param) or by param alone.
KEYWORD_OVERRIDES = {("http-api", "name"): "stream_name", "schema": "schema_name"}
RESERVED_KEYWORDS = {
    "resource_name", "name", "description", "sandbox", "adopt_id", "verify", "force_delete", "opts", "self", "args"
}


def words(text: str) -> list[str]:
    """Split display text into words, splitting camel case and acronym runs: 'HDInsights' -> HD, Insights."""
    return re.findall(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+", text)


def pascal(text: str) -> str:
    """'Microsoft SQL Server' -> MicrosoftSqlServer; acronyms become capitalised words, as in PostgreSqlConnection."""
    text = re.sub(r"\(.*?\)", "", text)
    return "".join(w.capitalize() if w.isupper() and len(w) > 1 else w[0].upper() + w[1:] for w in words(text))


def snake(api_name: str) -> str:
    """'clientCustomerID' -> client_customer_id; 's3AccessKey' -> s3_access_key."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", api_name).lower()


def auth_qualifier(auth_spec_name: str) -> str:
    if auth_spec_name in AUTH_QUALIFIERS:
        return AUTH_QUALIFIERS[auth_spec_name]
    name = re.sub(r"\bfor\b.*$", "", auth_spec_name)
    noise = {"authentication", "based", "auth", "credential", "credentials"}
    return pascal(" ".join(w for w in words(name) if w.lower() not in noise))


def keyword_for(source: str, api_name: str) -> str:
    kw = KEYWORD_OVERRIDES.get((source, api_name)) or KEYWORD_OVERRIDES.get(api_name) or snake(api_name)
    if kw in RESERVED_KEYWORDS or hasattr(BaseModel, kw) or keyword.iskeyword(kw) or not kw.isidentifier():
        raise SystemExit(f"{source}: param {api_name!r} maps to keyword {kw!r}; add a KEYWORD_OVERRIDES entry")
    return kw


def load_catalog(path: Path = CATALOG) -> list[dict]:
    return json.loads(path.read_text())["specs"]


def plan(specs: list[dict]) -> list[SourceModule]:
    """Decide every generated module and class from the catalog (no file access)."""
    modules = []
    for spec in specs:
        if not spec["verified"] or any((spec["source"], a["name"]) in HAND_WRITTEN for a in spec["authSpecs"]):
            continue
        base = pascal(spec["displayName"])
        components = []
        for index, auth in enumerate(spec["authSpecs"]):
            qualifier = "" if index == 0 else auth_qualifier(auth["name"])
            params = tuple(
                Param(p["name"], keyword_for(spec["source"], p["name"]), p["type"], p["secret"], p["required"],
                      p["description"])
                for p in auth["params"]
            )
            components.append(Component(
                f"{base}{qualifier}Connection", spec["source"], spec["displayName"], spec["category"], spec["id"],
                spec["version"], auth["name"], auth["type"], params,
            ))
        names = [c.class_name for c in components]
        if len(set(names)) != len(names):
            raise SystemExit(f"{spec['source']}: two auth specs give the same class name {names}")
        modules.append(SourceModule(spec["source"].replace("-", "_"), spec["source"], spec["displayName"],
                                    spec["category"], tuple(components)))
    return modules


def render_all(specs: list[dict], table_text: str) -> dict[Path, str]:
    """Every generated file's path and full text, docs/sources.md included (only its table changes)."""
    modules = plan(specs)
    files = {SOURCES_DIR / f"{m.module}.py": render_module(m) for m in modules}
    files[SOURCES_DIR / "__init__.py"] = render_init(modules, HAND_WRITTEN)
    table = render_sources_table(specs, modules, HAND_WRITTEN)
    start, end = table_text.find(TABLE_START), table_text.find(TABLE_END)
    if start < 0 or end < start:
        raise SystemExit(f"docs/sources.md lacks the {TABLE_START} ... {TABLE_END} markers")
    files[TABLE_FILE] = table_text[: start + len(TABLE_START)] + "\n" + table + table_text[end:]
    return files


def stale_files(files: dict[Path, str]) -> list[Path]:
    return [path for path, text in files.items() if not path.exists() or path.read_text() != text]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report files that regeneration would change")
    args = parser.parse_args(argv)
    files = render_all(load_catalog(), TABLE_FILE.read_text())
    stale = stale_files(files)
    if args.check:
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)}")
        return 1 if stale else 0
    for path in stale:
        path.write_text(files[path])
        print(f"wrote {path.relative_to(ROOT)}")
    print(f"{len(files)} files, {len(stale)} changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
