"""``POST /ims/token/v3``: Adobe IMS client-credentials grant.

Accepted as real clients send it: a form body (``application/x-www-form-urlencoded``, or ``multipart/form-data``
as Adobe's Node library sends), ``client_id`` in the query string (as in Adobe's Postman guide), or the client
credentials in ``Authorization: Basic`` (RFC 6749 2.3.1). A parameter given twice with different values, a file
part where a field belongs, or two ways of sending the secret is an ``invalid_request`` naming the parameter.
"""
from __future__ import annotations

import base64
import binascii
from urllib.parse import unquote_plus

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from emulator.errors import ImsError

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_FIELDS = ("grant_type", "client_id", "client_secret", "scope")
_MAX_FORM_FIELDS = 32


def _invalid(message: str) -> ImsError:
    return ImsError(400, "invalid_request", message)


async def _form_fields(request: Request) -> dict[str, list]:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not content_type and not (await request.body()).strip():
        return {}
    if content_type not in _FORM_TYPES:
        raise _invalid("send grant_type, client_id, client_secret and scope as application/x-www-form-urlencoded")
    try:
        async with request.form(max_files=_MAX_FORM_FIELDS, max_fields=_MAX_FORM_FIELDS) as form:
            fields = {name: form.getlist(name) for name in _FIELDS}
            parts = [(name, value) for name, values in fields.items() for value in values]
            for name, value in parts:
                if isinstance(value, UploadFile):
                    raise _invalid(f"{name} must be a plain form field, not a file part")
            return fields
    except HTTPException as exc:
        raise _invalid(f"the form body cannot be parsed: {exc.detail}") from None
    except (LookupError, UnicodeDecodeError, ValueError):
        raise _invalid("the form body cannot be parsed: check its charset and encoding") from None


def _basic(request: Request) -> tuple[str, str] | None:
    scheme, _, encoded = request.headers.get("authorization", "").strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        text = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise ImsError(401, "invalid_client", "the Basic credentials are not base64 of client_id:client_secret",
                       {"WWW-Authenticate": 'Basic realm="ims"'}) from None
    client_id, sep, secret = text.partition(":")
    if not sep:
        raise ImsError(401, "invalid_client", "the Basic credentials are not base64 of client_id:client_secret",
                       {"WWW-Authenticate": 'Basic realm="ims"'})
    return unquote_plus(client_id), unquote_plus(secret)


def _param(name: str, fields: dict[str, list], request: Request, basic_value: str | None) -> str | None:
    values = [*fields.get(name, []), *request.query_params.getlist(name)]
    if basic_value is not None:
        values.append(basic_value)
    if len(set(values)) > 1:
        raise _invalid(f"{name} is given more than once with different values; send it once")
    return values[0] if values else None


async def issue_token(request: Request) -> JSONResponse:
    fields = await _form_fields(request)
    basic = _basic(request)
    if basic is not None and (fields.get("client_secret") or "client_secret" in request.query_params):
        raise _invalid("send the client secret either in Authorization: Basic or in the form, not both")
    body = request.app.state.backend.tokens.issue(
        _param("grant_type", fields, request, None),
        _param("client_id", fields, request, basic[0] if basic else None),
        _param("client_secret", fields, request, basic[1] if basic else None),
    )
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


routes = [Route("/ims/token/v3", issue_token, methods=["POST"])]
