"""Adobe's list query language: ``property`` filters, ``orderby``, ``limit``/``continuationToken``, ``count``.

Filters run on the masked (public) documents, so a filter can never probe a secret value.
* ``property=name==x`` - operators ``==``, ``!=``, ``>``, ``<``, ``>=``, ``<=``, ``~`` (contains); a bare field
  means "has this field". Commas inside one ``property`` mean OR; repeated ``property`` parameters mean AND.
* ``orderby=name`` ascending, ``orderby=-createdAt`` descending; several fields separated by commas.
"""
from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import urlencode

from emulator.errors import FlowError, bad_request

_COND = re.compile(r"^([A-Za-z_][\w.]*)\s*(==|!=|>=|<=|>|<|~)(.*)$")
_FIELD = re.compile(r"^[A-Za-z_][\w.]*$")


@dataclass
class ListQuery:
    filters: list[list[Callable[[dict], bool]]]
    orderby: list[tuple[str, bool]]
    limit: int | None
    offset: int
    count: bool
    raw: list[tuple[str, str]]


def _lookup(doc: dict, field: str) -> Any:
    value: Any = doc
    for part in field.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _coerce(actual: Any, text: str) -> Any:
    if isinstance(actual, bool):
        return text.lower() == "true"
    if isinstance(actual, (int, float)):
        try:
            return type(actual)(text)
        except ValueError:
            return text
    return text


def _condition(expr: str) -> Callable[[dict], bool]:
    expr = expr.strip()
    if _FIELD.match(expr):
        return lambda doc: _lookup(doc, expr) is not None
    match = _COND.match(expr)
    if not match:
        raise bad_request(
            f"Invalid property filter '{expr}'; use field==value (also !=, >, <, >=, <=, ~) or a bare field.",
            field="property",
        )
    field, op, text = match.groups()

    def test(doc: dict) -> bool:
        actual = _lookup(doc, field)
        if actual is None:
            return op == "!="
        expected = _coerce(actual, text)
        if op == "~":
            return text.lower() in str(actual).lower()
        if type(expected) is not type(actual) and op not in ("==", "!="):
            actual, expected = str(actual), str(expected)
        if op == "==":
            return actual == expected
        if op == "!=":
            return actual != expected
        return {">": actual > expected, "<": actual < expected, ">=": actual >= expected, "<=": actual <= expected}[op]

    return test


def _bool(name: str, text: str) -> bool:
    if text.lower() in ("true", "false"):
        return text.lower() == "true"
    raise bad_request(f"Query parameter {name} must be true or false, got '{text}'.", field=name)


def encode_token(offset: int) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode().rstrip("=")


def _decode_token(token: str) -> int:
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        kind, _, number = text.partition(":")
        if kind == "offset" and number.isdigit():
            return int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise bad_request("continuationToken is not one this service issued; restart from the first page.",
                      field="continuationToken")


def parse(query: list[tuple[str, str]]) -> ListQuery:
    filters, orderby, limit, offset, count = [], [], None, 0, False
    for key, value in query:
        if key == "property":
            filters.append([_condition(part) for part in value.split(",") if part.strip()])
        elif key == "orderby":
            for part in filter(None, (p.strip() for p in value.split(","))):
                desc = part.startswith("-")
                orderby.append((part.lstrip("+-"), desc))
        elif key == "limit":
            if not value.isdigit() or int(value) < 1:
                raise bad_request(f"limit must be a positive integer, got '{value}'.", field="limit")
            limit = int(value)
        elif key == "continuationToken":
            offset = _decode_token(value)
        elif key == "count":
            count = _bool("count", value)
    if count and limit is not None:
        raise FlowError(
            1401, 400,
            "The limit and count parameters cannot be given together in the same request; give only one.",
            context={"field": "limit"},
        )
    return ListQuery(filters, orderby, limit, offset, count, query)


def _sort_key(field: str) -> Callable[[dict], tuple]:
    """Missing values first; values of different types never compare directly; objects order by their JSON."""

    def key(doc: dict) -> tuple:
        value = _lookup(doc, field)
        if isinstance(value, (dict, list)):
            value = json.dumps(value, sort_keys=True)
        return (value is not None, type(value).__name__, value if value is not None else 0)

    return key


def run(docs: list[dict], q: ListQuery, base_path: str) -> dict[str, Any]:
    """Apply filters, order and paging to already-public documents and shape the list response."""
    selected = [d for d in docs if all(any(cond(d) for cond in group) for group in q.filters)]
    if q.count:
        return {"count": len(selected)}
    for field, desc in reversed(q.orderby):
        selected.sort(key=_sort_key(field), reverse=desc)
    if q.limit is None:
        return {"items": selected[q.offset:]}
    page = selected[q.offset:q.offset + q.limit]
    body: dict[str, Any] = {"items": page}
    next_offset = q.offset + q.limit
    if next_offset < len(selected):
        params = [(k, v) for k, v in q.raw if k != "continuationToken"]
        params.append(("continuationToken", encode_token(next_offset)))
        body["_links"] = {"next": {"href": f"{base_path}?{urlencode(params)}"}}
    return body
