"""Size limits on every request, checked before any route parses it (docs/emulator.md, "Limits and HTTP behaviour").

The request target, the query string, the header fields and the declared ``Content-Length`` are checked as
soon as the head arrives; a chunked body is counted as it is read and refused once it passes the limit. A body
that is refused unread gets ``Connection: close``, so the client's remaining bytes are never waited for.
"""
from __future__ import annotations

from typing import Any

from starlette.responses import JSONResponse

from emulator.errors import EmulatorError, edge_error

KIB = 1024
MAX_BODY_BYTES = 1024 * KIB
MAX_TARGET_BYTES = 32 * KIB
MAX_QUERY_BYTES = 8 * KIB
MAX_QUERY_PARAMS = 64
MAX_TOKEN_BYTES = 16 * KIB
MAX_HEADER_FIELDS = 100
MAX_HEADER_VALUE_BYTES = 8 * KIB
MAX_HEADER_BYTES = 32 * KIB
MAX_HEAD_BYTES = 64 * KIB  # what the HTTP parser buffers for a request head before it gives up (a 400)
TOKEN_PARAM = b"continuationToken"
_CLOSE = {"Connection": "close"}


def _head_error(scope: dict) -> EmulatorError | None:
    path, query = scope.get("path", ""), scope.get("query_string", b"")
    if len(scope.get("raw_path") or path.encode("utf-8", "replace")) + len(query) + 1 > MAX_TARGET_BYTES:
        return edge_error(path, 414, f"The request target is longer than {MAX_TARGET_BYTES // KIB} KiB.")
    pairs = [p for p in query.split(b"&") if p]
    tokens = [p for p in pairs if p.startswith(TOKEN_PARAM + b"=")]
    plain = [p for p in pairs if not p.startswith(TOKEN_PARAM + b"=")]
    if sum(len(p) + 1 for p in plain) > MAX_QUERY_BYTES:
        return edge_error(path, 414, f"The query string is longer than {MAX_QUERY_BYTES // KIB} KiB "
                                     "(continuationToken not counted).")
    if len(pairs) > MAX_QUERY_PARAMS:
        return edge_error(path, 414, f"The query string has {len(pairs)} parameters; at most {MAX_QUERY_PARAMS}.")
    if any(len(p) - len(TOKEN_PARAM) - 1 > MAX_TOKEN_BYTES for p in tokens):
        return edge_error(path, 414, f"continuationToken is longer than {MAX_TOKEN_BYTES // KIB} KiB; it is not "
                                     "one this service issued.")
    headers = scope.get("headers", [])
    if len(headers) > MAX_HEADER_FIELDS:
        return edge_error(path, 431, f"The request has {len(headers)} header fields; at most {MAX_HEADER_FIELDS}.")
    for name, value in headers:
        if len(value) > MAX_HEADER_VALUE_BYTES:
            shown = name.decode("latin-1")[:64]
            return edge_error(path, 431, f"Header {shown} is longer than {MAX_HEADER_VALUE_BYTES // KIB} KiB.")
    if sum(len(n) + len(v) + 4 for n, v in headers) > MAX_HEADER_BYTES:
        return edge_error(path, 431, f"The header fields add up to more than {MAX_HEADER_BYTES // KIB} KiB.")
    return _length_error(path, headers)


def _length_error(path: str, headers: list[tuple[bytes, bytes]]) -> EmulatorError | None:
    for name, value in headers:
        digits = value.strip()
        if name == b"content-length" and digits.isdigit() and (len(digits) > 18 or int(digits) > MAX_BODY_BYTES):
            return edge_error(path, 413, f"The request body is {digits[:24].decode()} bytes; the limit is "
                                         f"{MAX_BODY_BYTES // KIB} KiB.", _CLOSE)
    return None


class LimitsMiddleware:
    """Refuses requests over the limits with 413/414/431 in the caller's error shape; passes the rest on."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        err = _head_error(scope)
        if err is not None:
            await JSONResponse(err.body(), err.status, headers=err.headers)(scope, receive, send)
            return
        path, seen = scope.get("path", ""), 0

        async def counted() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > MAX_BODY_BYTES:
                    raise edge_error(path, 413, f"The request body is longer than {MAX_BODY_BYTES // KIB} KiB.",
                                     _CLOSE)
            return message

        await self.app(scope, counted, send)
