"""Find canary credentials in any text (state files, CLI output, logs), in every encoding listed here.

Encodings found (``ENCODINGS`` writes each one; tests/security/test_canary_scanner.py plants every one of them
in realistic text and checks it is found, and that this list and ``ENCODINGS`` name the same forms):

- `plain`: the value as it is.
- `url`: percent-encoded with nothing kept (``quote(v, safe="")``, ``urlencode(..., quote_via=quote)``).
- `url-lower`: the same with lower-case hex (``%2f``), as some clients write it.
- `url-keep-slash`: ``quote(v)``, which keeps ``/`` (the canaries hold one on purpose).
- `url-keep-slash-lower`: the same with lower-case hex.
- `url-plus`: ``quote_plus(v)`` (form bodies, ``urlencode``): space as ``+``.
- `url-plus-lower`: the same with lower-case hex.
- `json`: the body of a JSON string as Python writes it (non-ASCII as ``\\u00e9``).
- `json-utf8`: the same with non-ASCII kept (``ensure_ascii=False``).
- `json-u-lower`: every character as ``\\uXXXX`` with lower-case hex (surrogate pairs above U+FFFF).
- `json-u-upper`: the same with upper-case hex.
- `json-slash`: ``/`` escaped as ``\\/`` (PHP, some Java encoders).
- `json-go`: as Go's encoding/json writes it (the Pulumi CLI): ``& < >`` as ``\\u0026 \\u003c \\u003e``.
- `json-in-json`: a JSON document kept as a string inside another (how Pulumi shows a secret's plaintext).
- `json-go-in-json-go`: Go's escaping, nested the same way.
- `json-in-json-in-json`: nested twice.
- `base64`, `base64-unpadded`, `base64url`, `base64url-unpadded`: the value alone, standard and URL-safe
  alphabets, with and without ``=`` padding.
- `base64-blob+0`, `base64-blob+1`, `base64-blob+2`, `base64url-blob+0`, `base64url-blob+1`, `base64url-blob+2`:
  the value inside a larger blob, starting at each of the three byte offsets modulo 3 (the BigQuery key file is
  sent base64-encoded with its canary inside).
- `base64-url`: base64 that is then percent-encoded (a blob in a query string or form body).
- `hex`, `hex-upper`: the UTF-8 bytes as hex, either case; `hex-blob`: inside a longer hex string.

How: the text is decoded instead of the canaries encoded, so one search covers every variant of a family. The
text is searched as it is, percent-decoded (``unquote``, ``unquote_plus``: either hex case, whatever was kept)
and JSON-unescaped one level at a time up to three levels (any ``\\uXXXX``, either case, and the short escapes).
In each of these the canary is looked for as it is and as base64: a value inside a base64 blob shows up as a
different character run depending on where it starts, so each canary is encoded at the three alignments and
only the characters that depend on the canary alone are kept (padding never is). Hex is looked for in the
lower-cased text.

    scanner = CanaryScanner(["s3cr3t+/=&0123"])
    scanner.assert_clean("plugin stderr", text)     # AssertionError naming the canary and the form found
"""

from __future__ import annotations

import base64
import json
import re
from typing import Any, Callable, Iterable
from urllib.parse import quote, quote_plus, unquote, unquote_plus

from tests.harness.plugin import is_secret

SECRET_PLACEHOLDER = "[secret]"
JSON_LEVELS = ("json", "json in json", "json in json in json")


def go_json(text: str) -> str:
    """``text`` as the body of a JSON string written by Go's encoding/json (the Pulumi CLI's state files and
    output): it also escapes ``& < >`` and U+2028/U+2029, as ``\\u0026`` etc."""
    body = json.dumps(text, ensure_ascii=False)[1:-1]
    for char in "&<>\u2028\u2029":
        body = body.replace(char, f"\\u{ord(char):04x}")
    return body


def _json(text: str) -> str:
    return json.dumps(text)[1:-1]


def _json_every_char(text: str, hex_format: str) -> str:
    data = text.encode("utf-16-be")
    units = (int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data), 2))
    return "".join("\\u" + format(unit, hex_format) for unit in units)


def _lower_escapes(text: str) -> str:
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), text)


def _b64(value: str, urlsafe: bool = False, padded: bool = True, blob_offset: int | None = None) -> str:
    raw = value.encode()
    if blob_offset is not None:  # realistic neighbours: a PEM-like header of 9 + offset bytes and a footer
        raw = b"-----BEGIN-"[:9 + blob_offset] + raw + b"\n-----END-----\n"
    text = (base64.urlsafe_b64encode if urlsafe else base64.b64encode)(raw).decode()
    return text if padded else text.rstrip("=")


ENCODINGS: dict[str, Callable[[str], str]] = {
    "plain": str,
    "url": lambda v: quote(v, safe=""),
    "url-lower": lambda v: _lower_escapes(quote(v, safe="")),
    "url-keep-slash": quote,
    "url-keep-slash-lower": lambda v: _lower_escapes(quote(v)),
    "url-plus": quote_plus,
    "url-plus-lower": lambda v: _lower_escapes(quote_plus(v)),
    "json": _json,
    "json-utf8": lambda v: json.dumps(v, ensure_ascii=False)[1:-1],
    "json-u-lower": lambda v: _json_every_char(v, "04x"),
    "json-u-upper": lambda v: _json_every_char(v, "04X"),
    "json-slash": lambda v: _json(v).replace("/", "\\/"),
    "json-go": go_json,
    "json-in-json": lambda v: _json(_json(v)),
    "json-go-in-json-go": lambda v: go_json(go_json(v)),
    "json-in-json-in-json": lambda v: _json(_json(_json(v))),
    "base64": _b64,
    "base64-unpadded": lambda v: _b64(v, padded=False),
    "base64url": lambda v: _b64(v, urlsafe=True),
    "base64url-unpadded": lambda v: _b64(v, urlsafe=True, padded=False),
    **{f"base64-blob+{k}": (lambda v, k=k: _b64(v, blob_offset=k)) for k in range(3)},
    **{f"base64url-blob+{k}": (lambda v, k=k: _b64(v, urlsafe=True, blob_offset=k)) for k in range(3)},
    "base64-url": lambda v: quote(_b64(v), safe=""),
    "hex": lambda v: v.encode().hex(),
    "hex-upper": lambda v: v.encode().hex().upper(),
    "hex-blob": lambda v: (b"\x00PK\x03" + v.encode() + b"\x7f\x00").hex(),
}

_JSON_ESCAPE = re.compile(
    r"\\(?:u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|([\"\\/bfnrt]))")
_SHORT = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _json_unescape(text: str) -> str:
    """One level of JSON string escapes undone, wherever they are in ``text`` (no JSON parsing)."""
    def one(match: re.Match) -> str:
        high, low, unit, short = match.groups()
        if high:
            return chr(0x10000 + ((int(high, 16) - 0xD800) << 10) + int(low, 16) - 0xDC00)
        return chr(int(unit, 16)) if unit else _SHORT[short]
    return _JSON_ESCAPE.sub(one, text)


def decoded_views(text: str) -> list[tuple[str, str]]:
    """(name, text) for ``text`` as it is and each decoding that changes it."""
    views = [("plain", text)]
    if "%" in text or "+" in text:
        views += [("url", unquote(text)), ("url", unquote_plus(text))]
    current = text
    for name in JSON_LEVELS:
        decoded = _json_unescape(current) if "\\" in current else current
        if decoded == current:
            break
        views.append((name, decoded))
        current = decoded
    return [(name, view) for i, (name, view) in enumerate(views) if i == 0 or view != text]


def base64_cores(value: str) -> list[str]:
    """The base64 text ``value`` produces wherever it sits in a larger encoded blob (both alphabets)."""
    raw = value.encode()
    forms = set()
    for pad in range(3):
        encoded = base64.b64encode(b"\0" * pad + raw).decode()
        first = -(-8 * pad // 6)  # first character made of the value's bits only
        last = 8 * (pad + len(raw)) // 6  # characters after this one also hold bits of what follows
        core = encoded[first:last]
        forms |= {core, core.replace("+", "-").replace("/", "_")}
    return sorted(forms)


def _label(family: str, view: str) -> str:
    if view == "plain":
        return family
    return view if family == "plain" else f"{family} in {view}"


class CanaryScanner:
    """Scans texts for any form of any canary."""

    def __init__(self, canaries: Iterable[str]) -> None:
        self.canaries = sorted(set(canaries))
        if any(len(c) < 12 for c in self.canaries):
            raise ValueError("canaries must be at least 12 characters, or they match by chance")
        self._needles = [(c, (("plain", [c]), ("base64", base64_cores(c))), c.encode().hex())
                         for c in self.canaries]

    def hits(self, text: str) -> list[tuple[str, str]]:
        """(canary, form) for the forms found in ``text``, form being what was decoded to find it: ``plain``,
        ``url``, ``json`` (``json in json``...), ``base64``, ``base64 in url``..., ``hex``. Every canary in the
        text is reported at least once; a decoded view only where it holds more occurrences than the text as is."""
        views, lowered, found = decoded_views(text), text.lower(), []
        for canary, families, hex_form in self._needles:
            for family, needles in families:
                counts = [sum(view.count(n) for n in needles) for _, view in views]
                for (view_name, _), count in zip(views, counts):
                    if count > (0 if view_name == "plain" else counts[0]):
                        found.append((canary, _label(family, view_name)))
            if hex_form in lowered:
                found.append((canary, "hex"))
        return list(dict.fromkeys(found))  # unquote and unquote_plus may both reveal it

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
