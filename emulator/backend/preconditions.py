"""Conditional requests (RFC 9110 section 13) on resources with validators: an etag and a modification time.

Evaluated in the RFC's order (13.2.2): If-Match, else If-Unmodified-Since; then If-None-Match, else (GET/HEAD)
If-Modified-Since. A false If-Match or If-Unmodified-Since is a 412 (FLOW-1404, as for a stale PATCH); a false
If-None-Match is a 304 for GET/HEAD and a 412 otherwise; a false If-Modified-Since is a 304.

If-Match compares strongly (a ``W/`` tag never matches), If-None-Match weakly. As a habit of real clients, an
entity tag sent without its quotes (``If-Match: 6802064a-...``) is read as the quoted tag. Dates that are not
valid HTTP-dates are ignored, as the RFC requires.
"""
from __future__ import annotations

from dataclasses import dataclass
from email.utils import formatdate, parsedate_to_datetime
from typing import Any, Mapping

from emulator.errors import FlowError, NotModified

SAFE = ("GET", "HEAD")


@dataclass(frozen=True)
class Conditions:
    method: str
    if_match: str | None = None
    if_none_match: str | None = None
    if_modified_since: str | None = None
    if_unmodified_since: str | None = None

    @classmethod
    def from_headers(cls, method: str, headers: Mapping[str, str]) -> "Conditions":
        return cls(method.upper(), headers.get("if-match"), headers.get("if-none-match"),
                   headers.get("if-modified-since"), headers.get("if-unmodified-since"))


def _tags(value: str) -> list[str]:
    """The entity tags of a header value (``*`` stays ``*``); commas inside quotes do not split."""
    tags, current, quoted = [], "", False
    for ch in value:
        if ch == '"':
            quoted = not quoted
        if ch == "," and not quoted:
            tags.append(current.strip())
            current = ""
        else:
            current += ch
    tags.append(current.strip())
    return [t if t == "*" or t.startswith(("W/", '"')) else f'"{t}"' for t in tags if t]


def _opaque(tag: str) -> str:
    return tag[2:] if tag.startswith("W/") else tag


def _seconds(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return int(when.timestamp())


def http_date(updated_ms: int) -> str:
    """``Last-Modified`` for a resource updated at ``updated_ms`` (epoch milliseconds)."""
    return formatdate(updated_ms // 1000, usegmt=True)


def _stale(message: str, etag: str) -> FlowError:
    return FlowError(1404, 412, message, context={"field": "If-Match"}, headers={"ETag": etag})


def evaluate(conds: Conditions, etag: str, updated_ms: int, label: str) -> None:
    """Raise a 412 ``FlowError`` or ``NotModified`` when a precondition fails; return when the method may run."""
    modified = updated_ms // 1000
    if conds.if_match is not None and conds.if_match.strip():
        tags = _tags(conds.if_match)
        if "*" not in tags and etag not in tags:
            raise _stale(f"The supplied version {conds.if_match.strip()[:200]} does not match the current version "
                         f"{etag} of {label}; GET it again and retry.", etag)
    elif (since := _seconds(conds.if_unmodified_since)) is not None and modified > since:
        raise _stale(f"{label} was modified after {conds.if_unmodified_since}; GET it again and retry.", etag)
    headers: dict[str, Any] = {"ETag": etag, "Last-Modified": http_date(updated_ms)}
    if conds.if_none_match is not None and conds.if_none_match.strip():
        tags = [_opaque(t) for t in _tags(conds.if_none_match)]
        if "*" in tags or etag in tags:
            if conds.method in SAFE:
                raise NotModified(headers)
            raise FlowError(1404, 412, f"If-None-Match matches the current version {etag} of {label}.",
                            context={"field": "If-None-Match"}, headers=headers)
    elif conds.method in SAFE and (since := _seconds(conds.if_modified_since)) is not None and modified <= since:
        raise NotModified(headers)


def guard(conds: Conditions | None, etag: str, updated_ms: int, label: str, *, require_if_match: bool) -> None:
    """Adobe requires If-Match on every PATCH (FLOW-1403, 400); the rest is RFC 9110 (``evaluate``)."""
    if_match = conds.if_match if conds else None
    if require_if_match and (if_match is None or not if_match.strip()):
        raise FlowError(1403, 400, f"The header 'If-Match' is missing in the request; send the current etag of "
                        f"{label} (from GET) as If-Match.", title="Header is missing", context={"field": "If-Match"})
    if conds is not None:
        evaluate(conds, etag, updated_ms, label)
