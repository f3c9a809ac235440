"""Continuation tokens that carry their query, so ``_links.next.href`` is ``<base>?continuationToken=<token>``.

Adobe's ``PageLink`` example is exactly that shape, and real clients rely on it: some follow the href as is,
others cut the token out of it (aepp takes what follows the first ``=``) and send it back with their own query
parameters. So the token holds the offset and the list query (``property``, ``orderby``, ``limit``); parameters
sent beside a token replace the token's, and the next href is built from the merged query alone. Links therefore
never grow, and a client that re-sends the same parameters pages through the same list.

A token is zlib-compressed JSON in unpadded base64url: opaque, no ``=`` or ``&`` in it, and never over
``MAX_STATE_BYTES`` once decompressed.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
import zlib

from emulator.errors import bad_request

PAGED = ("property", "orderby", "limit")
MAX_STATE_BYTES = 64 * 1024
_ALPHABET = re.compile(r"^[A-Za-z0-9_-]+$")


def _refused() -> Exception:
    return bad_request("continuationToken is not one this service issued; restart from the first page.",
                       field="continuationToken")


def encode_token(offset: int, query: list[tuple[str, str]]) -> str:
    state = {"o": offset, "q": [[k, v] for k, v in query if k in PAGED]}
    packed = zlib.compress(json.dumps(state, separators=(",", ":")).encode(), 9)
    return base64.urlsafe_b64encode(packed).decode().rstrip("=")


def _decode(token: str) -> tuple[int, list[tuple[str, str]]]:
    if not _ALPHABET.match(token):
        raise _refused()
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        inflater = zlib.decompressobj()
        text = inflater.decompress(packed, MAX_STATE_BYTES)
        if inflater.unconsumed_tail or not inflater.eof:
            raise ValueError("not a whole token")
        state = json.loads(text.decode())
    except (binascii.Error, zlib.error, UnicodeDecodeError, ValueError):
        raise _refused() from None
    if not isinstance(state, dict):
        raise _refused()
    offset, query = state.get("o"), state.get("q")
    pairs_ok = isinstance(query, list) and all(
        isinstance(p, list) and len(p) == 2 and p[0] in PAGED and isinstance(p[1], str) for p in query)
    if type(offset) is not int or not 0 <= offset < 2**31 or not pairs_ok:
        raise _refused()
    return offset, [(k, v) for k, v in query]


def resolve(query: list[tuple[str, str]]) -> tuple[int, list[tuple[str, str]]]:
    """The offset and the effective list query: the token's, with each parameter sent beside it replacing it."""
    tokens = {v for k, v in query if k == "continuationToken"}
    if len(tokens) > 1:
        raise bad_request("continuationToken is given more than once with different values; send one.",
                          field="continuationToken")
    if not tokens:
        return 0, query
    offset, saved = _decode(tokens.pop())
    sent = {k for k, _ in query}
    merged = [(k, v) for k, v in saved if k not in sent]
    merged += [(k, v) for k, v in query if k != "continuationToken"]
    return offset, merged


def next_href(base_path: str, offset: int, query: list[tuple[str, str]]) -> str:
    return f"{base_path}?continuationToken={encode_token(offset, query)}"

