"""The canary scanner finds a planted canary in every form a leak could take, and only there: without this, a
clean scan would prove nothing."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote, quote_plus, urlencode

import pytest

from tests.harness.plugin import secret
from tests.security.canary_scanner import CanaryScanner, as_text, public_view
from tests.security.canary_values import IMS_CLIENT_SECRET, all_canaries, key_file

CANARY = IMS_CLIENT_SECRET  # has + / = & in it, so every encoding differs from the plain text
GO_JSON = '{"password":"' + CANARY.replace("&", "\\u0026") + '"}'  # Go's encoding/json escapes & < >


@pytest.fixture
def scanner() -> CanaryScanner:
    return CanaryScanner(all_canaries(("v1", "v2")))


def embedded_base64(prefix: str, suffix: str, urlsafe: bool = False) -> str:
    encode = base64.urlsafe_b64encode if urlsafe else base64.b64encode
    return "blob=" + encode(f"{prefix}{CANARY}{suffix}".encode()).decode()


@pytest.mark.parametrize(("form", "text"), [
    ("plain", f"INFO login with {CANARY} ok"),
    ("url", "POST /ims body: " + urlencode({"client_secret": CANARY}, quote_via=quote)),
    ("url-plus", "grant_type=client_credentials&" + urlencode({"client_secret": CANARY})),
    ("json", json.dumps({"params": {"password": CANARY + '"quoted"'}})),
    ("json, Go-escaped", GO_JSON),
    ("json in json, Go-escaped", json.dumps({"plaintext": GO_JSON})),  # how Pulumi shows a secret's plaintext
    ("base64 aligned", embedded_base64("", "")),
    ("base64 +1 byte", embedded_base64("a", "tail")),
    ("base64 +2 bytes", embedded_base64("ab", "t")),
    ("base64 url-safe", embedded_base64("xyz", "", urlsafe=True)),
    ("key file, base64", base64.b64encode(key_file(CANARY).encode()).decode()),
])
def test_a_planted_canary_is_found(scanner, form, text):
    assert CANARY not in text or form in ("plain", "json")
    hits = scanner.hits(text)
    assert hits and {c for c, _ in hits} == {CANARY}
    with pytest.raises(AssertionError, match="canary hit"):
        scanner.assert_clean(form, text)


def test_encoded_forms_really_differ_from_the_plain_text():
    assert quote(CANARY, safe="") != CANARY and quote_plus(CANARY) != CANARY
    assert CANARY not in base64.b64encode(CANARY.encode()).decode()


def test_texts_without_a_canary_are_clean(scanner):
    other = "CNRY-000000000000-v1+/=&"  # same shape, not one of ours
    for text in (other, base64.b64encode(other.encode()).decode(), quote(other), "", "***"):
        scanner.assert_clean("unrelated text", text)


def test_public_view_hides_secret_wrappers_and_engine_secret_keys(scanner):
    registered = {"name": "orders", "auth_params": secret({"password": CANARY}),
                  "nested": [{"token": secret(CANARY)}], "outputs": {"auth_params": {"password": CANARY}}}
    assert scanner.hits(as_text(registered))
    assert scanner.hits(as_text(public_view(registered))) != []  # the unwrapped auth_params output is visible
    assert scanner.hits(as_text(public_view(registered, ["auth_params"]))) == []
    assert public_view(registered)["name"] == "orders"


def test_short_canaries_are_refused():
    with pytest.raises(ValueError, match="at least 12"):
        CanaryScanner(["hunter2"])
