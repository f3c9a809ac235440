"""Reading a JSON request body with the clear 400/415 errors Flow Service gives for bad payloads."""
from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from emulator.errors import FlowError

_JSON_TYPES = ("application/json", "application/json-patch+json")


async def read_json(request: Request) -> Any:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in _JSON_TYPES:
        shown = content_type or "none"
        raise FlowError(1100, 415, f"Content-Type must be application/json (got {shown}); send a JSON body.",
                        context={"field": "Content-Type"})
    raw = await request.body()
    if not raw.strip():
        raise FlowError(1100, 400, "The request body is empty; send a JSON document.", context={"field": "body"})
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise FlowError(1100, 400, "The request body is not UTF-8 encoded JSON.", context={"field": "body"}) from None
    except json.JSONDecodeError as exc:
        raise FlowError(
            1100, 400,
            f"The request body is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}. "
            "Check for trailing or missing commas.",
            context={"field": "body", "line": exc.lineno, "column": exc.colno},
        ) from None
