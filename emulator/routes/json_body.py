"""Reading a JSON request body with the clear 400/415 errors Flow Service gives for bad payloads.

Beyond syntax, a body is refused (400, naming the problem) when it holds something no handler could store or
send back: ``NaN``/``Infinity`` or a number out of float range, an integer of more than 4,300 digits, nesting
deeper than ``MAX_DEPTH``, or a string with an unpaired UTF-16 surrogate (``"\\ud800"``). A UTF-8 byte order
mark is skipped; a ``Content-Encoding`` other than identity is a 415.
"""
from __future__ import annotations

import json
import math
from typing import Any

from starlette.requests import Request

from emulator.errors import FlowError

_JSON_TYPES = ("application/json", "application/json-patch+json")
MAX_DEPTH = 32
MAX_INT_DIGITS = 4300


def _body_error(message: str, **context: Any) -> FlowError:
    return FlowError(1100, 400, message, context={"field": "body", **context})


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"the number {text[:40]} is out of range")
    return value


def _integer(text: str) -> int:
    if len(text) > MAX_INT_DIGITS:
        raise ValueError(f"an integer has more than {MAX_INT_DIGITS} digits")
    return int(text)


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _check_tree(doc: Any) -> None:
    """Depth and Unicode checks without recursion, so no document can exhaust the stack."""
    stack = [(doc, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise _body_error("The request body holds a string with an unpaired UTF-16 surrogate "
                                  "(such as \\ud800); send valid Unicode.") from None
        elif isinstance(value, (dict, list)):
            if depth > MAX_DEPTH:
                raise _body_error(f"The request body is nested more than {MAX_DEPTH} levels deep.")
            items = list(value.items()) if isinstance(value, dict) else [(None, v) for v in value]
            stack.extend((k, depth) for k, _ in items if k is not None)
            stack.extend((v, depth + 1) for _, v in items)


def _content_type_error(request: Request) -> FlowError | None:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in _JSON_TYPES:
        shown = content_type or "none"
        return FlowError(1100, 415, f"Content-Type must be application/json (got {shown}); send a JSON body.",
                         context={"field": "Content-Type"})
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        return FlowError(1100, 415, f"Content-Encoding {encoding[:40]} is not supported; send the JSON body "
                         "uncompressed.", context={"field": "Content-Encoding"},
                         headers={"Accept-Encoding": "identity"})
    return None


async def read_json(request: Request) -> Any:
    err = _content_type_error(request)
    if err is not None:
        raise err
    raw = await request.body()
    if not raw.strip():
        raise _body_error("The request body is empty; send a JSON document.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _body_error("The request body is not UTF-8 encoded JSON.") from None
    try:
        doc = json.loads(text.removeprefix("\ufeff"), parse_float=_finite, parse_int=_integer,
                         parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise _body_error(
            f"The request body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}. "
            "Check for trailing or missing commas.", line=exc.lineno, column=exc.colno,
        ) from None
    except RecursionError:
        raise _body_error(f"The request body is nested more than {MAX_DEPTH} levels deep.") from None
    except ValueError as exc:
        raise _body_error(f"The request body is not valid JSON: {exc}.") from None
    _check_tree(doc)
    return doc
