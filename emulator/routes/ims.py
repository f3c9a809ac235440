"""``POST /ims/token/v3``: Adobe IMS client-credentials grant (form-encoded)."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from emulator.errors import ImsError

_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


async def issue_token(request: Request) -> JSONResponse:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in _FORM_TYPES:
        raise ImsError(400, "invalid_request",
                       "send grant_type, client_id, client_secret and scope as application/x-www-form-urlencoded")
    form = await request.form()
    body = request.app.state.backend.tokens.issue(
        form.get("grant_type"), form.get("client_id"), form.get("client_secret")
    )
    return JSONResponse(body, headers={"Cache-Control": "no-store"})


routes = [Route("/ims/token/v3", issue_token, methods=["POST"])]
