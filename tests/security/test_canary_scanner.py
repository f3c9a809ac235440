"""The canary scanner finds a planted canary in every encoding it declares, inside realistic text, and nothing
where there is no canary: without this, a clean scan would prove nothing.

The controls are generated from ``ENCODINGS`` itself, so a newly declared encoding gets its control; the module
docstring's list must name exactly those encodings, and must include the forms a leak is known to take.
"""

from __future__ import annotations

import base64
import re

import pytest

from tests.harness.plugin import secret
from tests.security import canary_scanner
from tests.security.canary_scanner import ENCODINGS, CanaryScanner, as_text, public_view
from tests.security.canary_values import IMS_CLIENT_SECRET, all_canaries, key_file

PROJECT = IMS_CLIENT_SECRET  # the project's shape: CNRY-<hash>-v1+/=&
# Every character some encoding treats specially: space, quote, <>, backslash, non-ASCII, above U+FFFF. The "?"
# puts a + or / in its base64 at every alignment, so both alphabets differ; its UTF-8 length is not a multiple of
# 3, so padded and unpadded base64 differ.
AWKWARD = 'CNRY-awkward?-v1+/=&" <>\\é😀~'
CANARIES = {"project": PROJECT, "awkward": AWKWARD}
SCANNER = CanaryScanner([AWKWARD, *all_canaries(("v1", "v2"))])

REQUIRED = {
    "plain", "url", "url-lower", "url-keep-slash", "url-keep-slash-lower", "url-plus", "url-plus-lower",
    "json", "json-u-lower", "json-u-upper", "json-go", "json-in-json", "json-go-in-json-go",
    "base64", "base64-unpadded", "base64url", "base64url-unpadded",
    "base64-blob+0", "base64-blob+1", "base64-blob+2", "base64url-blob+0", "base64url-blob+1", "base64url-blob+2",
    "hex", "hex-upper",
}

LEAK = "@@LEAK@@"
CONTEXTS = {
    "state file": """{
    "version": 3,
    "checkpoint": {
        "latest": {
            "resources": [
                {
                    "urn": "urn:pulumi:local::aep::aep:index:PostgreSqlConnection::orders",
                    "outputs": {"id": "6f1c2b0e-3d4a-4c55-9a1e-0b7d2f1e8c11", "password": "@@LEAK@@"}
                }
            ]
        }
    }
}""",
    "log line": '2025-05-01T10:00:00.123Z DEBUG urllib3.connectionpool: https://platform.adobe.io:443 "POST '
                '/data/foundation/flowservice/connections HTTP/1.1" 201 body=@@LEAK@@ took=81ms',
    "url query": "GET https://ims-na1.adobelogin.com/ims/token/v3?client_id=canary-client"
                 "&client_secret=@@LEAK@@&grant_type=client_credentials",
}


def plant(context: str, encoding: str, value: str) -> str:
    return CONTEXTS[context].replace(LEAK, ENCODINGS[encoding](value))


def similar(value: str) -> str:
    """Same shape, one character changed in the middle: not a canary."""
    return value[:9] + ("0" if value[9] != "0" else "1") + value[10:]


def test_the_docstring_lists_exactly_the_declared_encodings():
    listed = set(re.findall(r"(?<!`)`([a-z][a-z0-9+-]*)`(?!`)", canary_scanner.__doc__))
    assert listed == set(ENCODINGS)


def test_the_declared_encodings_include_every_known_form():
    assert REQUIRED <= set(ENCODINGS), sorted(REQUIRED - set(ENCODINGS))


def test_every_encoding_of_the_awkward_canary_is_distinct_and_not_plain():
    written = {name: encode(AWKWARD) for name, encode in ENCODINGS.items()}
    assert len(set(written.values())) == len(written)
    assert [name for name, text in written.items() if AWKWARD in text] == ["plain"]


@pytest.mark.parametrize("canary", sorted(CANARIES))
@pytest.mark.parametrize("context", sorted(CONTEXTS))
@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_a_planted_canary_is_found(encoding, context, canary):
    value = CANARIES[canary]
    text = plant(context, encoding, value)
    assert {c for c, _ in SCANNER.hits(text)} == {value}
    with pytest.raises(AssertionError, match="canary hit"):
        SCANNER.assert_clean(f"{encoding} in {context}", text)


@pytest.mark.parametrize("canary", sorted(CANARIES))
@pytest.mark.parametrize("context", sorted(CONTEXTS))
@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
def test_a_similar_value_is_not_reported(encoding, context, canary):
    text = plant(context, encoding, similar(CANARIES[canary]))
    SCANNER.assert_clean(f"{encoding} of a non-canary in {context}", text)


@pytest.mark.parametrize("context", sorted(CONTEXTS))
def test_realistic_text_without_a_canary_is_clean(context):
    SCANNER.assert_clean(context, CONTEXTS[context])
    SCANNER.assert_clean(f"{context}, base64", base64.b64encode(CONTEXTS[context].encode()).decode())


def test_a_plain_leak_is_reported_once_as_plain():
    assert SCANNER.hits(f"password={PROJECT}; again {PROJECT}") == [(PROJECT, "plain")]


def test_forms_are_named_after_what_was_decoded():
    assert SCANNER.hits(ENCODINGS["url-lower"](PROJECT)) == [(PROJECT, "url")]
    assert SCANNER.hits(ENCODINGS["json-go-in-json-go"](PROJECT)) == [(PROJECT, "json in json")]
    assert SCANNER.hits(ENCODINGS["base64-url"](AWKWARD)) == [(AWKWARD, "base64 in url")]
    assert SCANNER.hits(ENCODINGS["hex-upper"](PROJECT)) == [(PROJECT, "hex")]


def test_a_key_file_sent_base64_encoded_is_found():
    text = base64.b64encode(key_file(PROJECT).encode()).decode()
    assert PROJECT not in text and {c for c, _ in SCANNER.hits(text)} == {PROJECT}


def test_public_view_hides_secret_wrappers_and_engine_secret_keys():
    registered = {"name": "orders", "auth_params": secret({"password": PROJECT}),
                  "nested": [{"token": secret(PROJECT)}], "outputs": {"auth_params": {"password": PROJECT}}}
    assert SCANNER.hits(as_text(registered))
    assert SCANNER.hits(as_text(public_view(registered))) != []  # the unwrapped auth_params output is visible
    assert SCANNER.hits(as_text(public_view(registered, ["auth_params"]))) == []
    assert public_view(registered)["name"] == "orders"


def test_short_canaries_are_refused():
    with pytest.raises(ValueError, match="at least 12"):
        CanaryScanner(["hunter2"])
