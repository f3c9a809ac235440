"""Find canary credentials in any text: plain, base64 (at every byte alignment, standard and URL-safe),
URL-encoded (`quote` and `quote_plus`) and JSON-escaped (Python's and Go's escaping, once or nested).

A value embedded in a larger base64 blob (the BigQuery key file is sent base64-encoded) shows up as a
different character run depending on where it starts, so each canary is encoded at the three alignments and
only the characters that depend on the canary alone are kept.

    scanner = CanaryScanner(["s3cr3t+/=&"])
    scanner.assert_clean("plugin stderr", text)     # AssertionError naming the canary and the form found
"""

from __future__ import annotations

import base64
import json
from typing import Any, Iterable
from urllib.parse import quote, quote_plus

from tests.harness.plugin import is_secret

SECRET_PLACEHOLDER = "[secret]"


def base64_forms(value: str) -> set[str]:
    """The base64 text ``value`` produces wherever it sits in a larger encoded blob (both alphabets)."""
    raw = value.encode()
    forms = set()
    for pad in range(3):
        encoded = base64.b64encode(b"\0" * pad + raw).decode()
        first = -(-8 * pad // 6)  # first character made of the value's bits only
        last = 8 * (pad + len(raw)) // 6  # characters after this one also hold bits of what follows
        core = encoded[first:last]
        forms |= {core, core.replace("+", "-").replace("/", "_")}
    return forms


def go_json(text: str) -> str:
    """``text`` as the body of a JSON string written by Go's encoding/json (the Pulumi CLI's state files and
    output): it also escapes ``& < >`` and U+2028/U+2029, as ``\\u0026`` etc."""
    body = json.dumps(text, ensure_ascii=False)[1:-1]
    for char in "&<>\u2028\u2029":
        body = body.replace(char, f"\\u{ord(char):04x}")
    return body


def encoded_forms(value: str) -> dict[str, str]:
    """form name -> text, for every way a canary may be written down (JSON forms also nested: a JSON document
    kept as a string inside another, as Pulumi writes a secret's plaintext)."""
    forms = {"plain": value, "url": quote(value, safe=""), "url-plus": quote_plus(value),
             "json": json.dumps(value)[1:-1], "json-in-json": json.dumps(json.dumps(value)[1:-1])[1:-1],
             "json-go": go_json(value), "json-go-in-json": go_json(go_json(value))}
    for i, text in enumerate(sorted(base64_forms(value))):
        forms[f"base64#{i}"] = text
    return forms


class CanaryScanner:
    """Scans texts for any form of any canary."""

    def __init__(self, canaries: Iterable[str]) -> None:
        self.canaries = sorted(set(canaries))
        if any(len(c) < 12 for c in self.canaries):
            raise ValueError("canaries must be at least 12 characters, or they match by chance")
        self._forms = [(c, name, text) for c in self.canaries for name, text in encoded_forms(c).items()]

    def hits(self, text: str) -> list[tuple[str, str]]:
        """(canary, form) for every form found in ``text``."""
        return [(canary, name) for canary, name, form in self._forms if form in text]

    def assert_clean(self, where: str, text: str) -> None:
        found = self.hits(text)
        assert not found, f"{where}: {len(found)} canary hit(s), e.g. {found[:5]}"


def public_view(value: Any, secret_keys: Iterable[str] = ()) -> Any:
    """``value`` with every secret-wrapped subtree, and every key in ``secret_keys``, replaced by a placeholder:
    what anyone may read in plain text (a checkpoint, the CLI's output, a policy pack)."""
    hidden = set(secret_keys)
    if is_secret(value):
        return SECRET_PLACEHOLDER
    if isinstance(value, dict):
        return {k: (SECRET_PLACEHOLDER if k in hidden else public_view(v, hidden)) for k, v in value.items()}
    if isinstance(value, list):
        return [public_view(v, hidden) for v in value]
    return value


def as_text(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)
