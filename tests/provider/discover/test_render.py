"""provider/discover/render.py: the YAML reads back as the entries, with the comments, and never a secret."""

from __future__ import annotations

import pytest
import yaml

from provider.client.models import Connection
from provider.discover import discovery, render
from provider.discover.render import comment_text, scalar

SFTP = "b7bf2577-4520-42c9-bae9-cad01560f7bc"
POSTGRESQL = "74a1c565-4e59-48d7-9d67-7c03b8a13137"


@pytest.mark.parametrize("value", [
    "plain text", "yes", "no", "null", "~", "123", "0x1f", "1e3", "true", "", " lead", "trail ", "a: b", "a #b",
    "#x", "- x", "[x]", "{x}", "'q'", '"q"', "multi\nline", "tab\there", "Café", "\u2028sep", "\x00nul", "*ref",
    "&anchor", "!tag", "%d", "@at", "`tick`", "100%", "C:\\path", "---", "...", "=",
])
def test_scalars_read_back_as_written(value):
    assert yaml.safe_load(f"key: {scalar(value)}\n") == {"key": value}


def test_numbers_booleans_and_none_keep_their_type():
    assert [scalar(v) for v in (22, 1.5, True, False, None)] == ["22", "1.5", "true", "false", "null"]


def test_comment_text_is_one_printable_line():
    assert comment_text("a\nb\r\n\tc\u2028d\x00e") == "a b c d e"


def conn(ident: str, name: str, spec: str, auth: str, params: dict, created: int, **extra) -> Connection:
    return Connection.model_validate({"id": ident, "name": name, "createdAt": created, **extra,
                                      "connectionSpec": {"id": spec}, "auth": {"specName": auth, "params": params}})


def test_document_shape_comments_and_no_secret_value():
    found = discovery("dev", "ORG@AdobeOrg", [
        conn("id-2", "Orders\nDB", POSTGRESQL, "Connection String Based Authentication",
             {"connectionString": "***"}, 2, description="line 1\nline 2 # not a comment"),
        conn("id-1", "Drop", SFTP, "Basic Authentication for sftp",
             {"host": "h", "port": 22, "userName": "u", "password": "clear-secret-value"}, 1),
        conn("id-3", "New\nsource", "9" * 8, "Key", {"apiKey": "***"}, 3),
    ])
    text = render(found)
    assert "clear-secret-value" not in text and "***" not in text
    assert yaml.safe_load(text) == {"config": {"aep:connections": {
        "drop": {"source": "sftp", "auth": "Basic Authentication for sftp", "name": "Drop", "adopt_id": "id-1",
                 "params": {"host": "h", "port": 22, "user_name": "u"}, "secrets": {"password": "dropPassword"}},
        "orders-db": {"source": "postgresql", "auth": "Connection String Based Authentication", "name": "Orders\nDB",
                      "description": "line 1\nline 2 # not a comment", "adopt_id": "id-2",
                      "secrets": {"connection_string": "ordersDbConnectionString"}},
    }}}
    lines = text.splitlines()
    assert lines[0] == "# Base connections of AEP sandbox dev (org ORG@AdobeOrg): 3 found, 2 listed below, each with " \
                       "its adopt_id."
    assert "#   pulumi config set --secret aep:dropPassword" in lines
    assert "#   pulumi config set --secret aep:ordersDbConnectionString" in lines
    assert "        password: dropPassword  # pulumi config set --secret aep:dropPassword" in lines
    assert '#   "New\\nsource" (id id-3): its connection spec 99999999 is not in the catalog ' \
           "(provider/catalog/connection_specs.json)" in lines
    assert all(line.startswith(("#", "config:", "  ")) for line in lines)


def test_an_empty_sandbox_gives_an_empty_map():
    text = render(discovery("dev", "ORG@AdobeOrg", []))
    assert yaml.safe_load(text) == {"config": {"aep:connections": {}}}
    assert "pulumi config set" not in text and "Not listed" not in text
