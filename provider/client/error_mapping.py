"""Turn an HTTP error reply into the provider's error tree, without leaking credentials.

Adobe answers errors in a few shapes; all are read here:
  Flow Service  {"type": ".../FLOW-1234-400", "title": ..., "status": 400, "detail": ..., "report": {...}}
  gateway       {"error_code": "401013", "message": "Oauth token is not valid"}
  IMS           {"error": "invalid_client", "error_description": ...}
  generic       {"code": ..., "message": ...}
Anything the server says is passed through ``redact`` with every secret the caller knows (client secret, token,
auth param values), because services sometimes echo input back.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional

import requests

from provider.errors import (
    AepError,
    AuthError,
    ConflictError,
    NotFoundError,
    ServerError,
    StaleEtagError,
    ThrottledError,
    ValidationError,
)

REDACTED = "[redacted]"
_MAX_DETAIL = 500


def redact(text: str, secrets: Iterable[Any]) -> str:
    """Replace each secret string (longest first) found in ``text``."""
    values = sorted({str(s) for s in secrets if s is not None and len(str(s)) >= 4}, key=len, reverse=True)
    for value in values:
        text = text.replace(value, REDACTED)
    return text


def _error_fields(body: Any) -> tuple[Optional[str], Optional[str]]:
    """(code, human message) from any of Adobe's error shapes."""
    if not isinstance(body, dict):
        return None, None
    code = body.get("error_code") or body.get("code") or body.get("error")
    if code is None and isinstance(body.get("type"), str):
        code = body["type"].rstrip("/").rsplit("/", 1)[-1]
    parts = []
    for key in ("title", "message", "detail", "error_description"):
        value = body.get(key)
        if isinstance(value, str) and value and value not in parts:
            parts.append(value)
    report = body.get("report")
    if isinstance(report, dict):
        detailed = report.get("detailed-message") or report.get("message")
        if isinstance(detailed, str) and detailed not in parts:
            parts.append(detailed)
    return (str(code) if code is not None else None), ("; ".join(parts) or None)


def _hint(status: int) -> str:
    if status in (401, 403):
        return (
            " Check aep:clientId / aep:clientSecret / aep:orgId, that the credential has the AEP product profile"
            " for this sandbox, and that the sandbox name is right."
        )
    if status == 404:
        return " It may have been deleted outside Pulumi; run `pulumi refresh`."
    if status == 429:
        return " Still throttled after retries; wait and run again, or raise aep:maxRetries."
    if status >= 500:
        return " The service kept failing after retries; try again later."
    return ""


def error_from_response(
    response: requests.Response,
    action: str,
    secrets: Iterable[Any] = (),
    *,
    hints: Optional[Mapping[int, str]] = None,
) -> AepError:
    """Build the matching ``AepError`` for a non-2xx reply. ``action`` says what was attempted, without secrets;
    ``hints`` replaces the usual advice for some statuses where the caller knows better (a 404 on a collection
    cannot mean "deleted"; a 401 from IMS is about the client secret, not a sandbox)."""
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = None
    code, detail = _error_fields(body)
    if detail is None and response.text and not isinstance(body, (dict, list)):
        detail = response.text.strip()
    detail = redact((detail or response.reason or "no detail")[:_MAX_DETAIL], secrets)
    request_id = response.headers.get("x-request-id")
    suffix = f" (request id {request_id})" if request_id else ""
    hint = f" {hints[status]}" if hints and status in hints else _hint(status)
    message = f"{action} failed: HTTP {status}{f' {code}' if code else ''}: {detail}.{hint}{suffix}"
    cls: type[AepError]
    if status == 400 or status == 422:
        cls = ValidationError
    elif status in (401, 403):
        cls = AuthError
    elif status == 404:
        cls = NotFoundError
    elif status == 412:
        cls = StaleEtagError
    elif status == 409:
        cls = ConflictError
    elif status == 429:
        cls = ThrottledError
    elif status >= 500:
        cls = ServerError
    else:
        cls = AepError
    return cls(message, status=status, code=code, request_id=request_id)
