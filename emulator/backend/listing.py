"""Adobe's list query language: ``property`` filters, ``orderby``, ``limit``/``continuationToken``, ``count``.

Filters run on the masked (public) documents, so a filter can never probe a secret value.
* ``property=name==x`` - operators ``==``, ``!=``, ``>``, ``<``, ``>=``, ``<=``, ``~`` (contains); a bare field
  means "has this field". Commas inside one ``property`` mean OR; repeated ``property`` parameters mean AND.
  On an array field (``sourceConnectionIds==<id>``) a condition holds when any element meets it (``!=``: none).
* ``orderby=name`` ascending, ``orderby=-createdAt`` descending; several fields separated by commas.
* ``limit`` pages; the next page's link carries the whole query in its ``continuationToken`` (paging.py).
  An empty ``property=`` is ignored.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable

from emulator.errors import FlowError, bad_request

from . import paging

_COND = re.compile(r"^([A-Za-z_][\w.]*)\s*(==|!=|>=|<=|>|<|~)(.*)$")
_FIELD = re.compile(r"^[A-Za-z_][\w.]*$")
_DIGITS = re.compile(r"[0-9]{1,10}")
MAX_LIMIT = 2**31 - 1


@dataclass
class ListQuery:
    filters: list[list[Callable[[dict], bool]]]
    orderby: list[tuple[str, bool]]
    limit: int | None
    offset: int
    count: bool
    paged: list[tuple[str, str]]


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
        if isinstance(actual, list) and actual:
            hits = [compare(item) for item in actual]
            return all(hits) if op == "!=" else any(hits)
        return compare(actual)

    def compare(actual: Any) -> bool:
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


def _limit(value: str) -> int:
    if not _DIGITS.fullmatch(value) or not 1 <= int(value) <= MAX_LIMIT:
        raise bad_request(f"limit must be an integer from 1 to {MAX_LIMIT}, got '{value[:40]}'.", field="limit")
    return int(value)


def _orderby(value: str) -> list[tuple[str, bool]]:
    out = []
    for part in filter(None, (p.strip() for p in value.split(","))):
        field = part[1:] if part[0] in "+-" else part
        if not _FIELD.match(field):
            raise bad_request(f"orderby takes field names such as name or -createdAt, got '{part[:80]}'.",
                              field="orderby")
        out.append((field, part.startswith("-")))
    return out


def parse(query: list[tuple[str, str]]) -> ListQuery:
    """A continuation token brings back its query (backend/paging.py); parameters sent with it replace its own."""
    offset, merged = paging.resolve(query)
    filters, orderby, limit, count = [], [], None, False
    for key, value in merged:
        if key == "property":
            group = [_condition(part) for part in value.split(",") if part.strip()]
            if group:
                filters.append(group)
        elif key == "orderby":
            orderby += _orderby(value)
        elif key == "limit":
            limit = _limit(value)
        elif key == "count":
            count = _bool("count", value)
    if count and limit is not None and any(k == "limit" for k, _ in query):
        raise FlowError(
            1401, 400,
            "The limit and count parameters cannot be given together in the same request; give only one.",
            context={"field": "limit"},
        )
    paged = [(k, v) for k, v in merged if k in paging.PAGED]
    return ListQuery(filters, orderby, limit, offset, count, paged)


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
        body["_links"] = {"next": {"href": paging.next_href(base_path, next_offset, q.paged)}}
    return body
