"""What Adobe's API gateway checks before Flow Service sees a request: token, API key, org, sandbox.

Error codes follow Adobe's platform troubleshooting guide (403010 missing token, 401013 invalid token,
403000/403003 API key, 400003 org header). Sandbox problems come back in Flow Service's shape.
"""
from __future__ import annotations

from starlette.requests import Request

from emulator.backend import Backend, Caller
from emulator.errors import FlowError, GatewayError
from emulator.settings import DEFAULT_SANDBOX


def authenticate(request: Request, backend: Backend) -> Caller:
    """The caller behind ``request``, or a ``GatewayError``/``FlowError`` explaining what to fix."""
    headers = request.headers
    authorization = headers.get("authorization", "").strip()
    if not authorization:
        raise GatewayError(403, "403010", "Oauth token is missing.")
    scheme, _, token = authorization.partition(" ")
    info = backend.tokens.check(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
    if info is None:
        raise GatewayError(401, "401013", "Oauth token is not valid")
    api_key = headers.get("x-api-key", "").strip()
    if not api_key:
        raise GatewayError(403, "403000", "Api Key is required")
    if api_key != info.client_id:
        raise GatewayError(403, "403003", "Api Key is invalid")
    org = headers.get("x-gw-ims-org-id", "").strip()
    if not org:
        raise GatewayError(400, "400003", "Missing header x-gw-ims-org-id")
    if org != info.org:
        raise GatewayError(403, "403025", "Profile is not valid: the token does not belong to x-gw-ims-org-id")
    sandbox = headers.get("x-sandbox-name", "").strip()
    if not sandbox:
        if backend.settings.strict_sandbox:
            raise FlowError(1100, 400, "The header x-sandbox-name is required; name the sandbox, e.g. prod.",
                            context={"field": "x-sandbox-name"})
        sandbox = DEFAULT_SANDBOX
    if sandbox not in backend.settings.sandboxes:
        raise FlowError(1101, 404, f"Sandbox '{sandbox}' was not found in organization {org}; known sandboxes: "
                        f"{', '.join(backend.settings.sandboxes)}.", context={"field": "x-sandbox-name"})
    caller = Caller(org=org, client_id=info.client_id, sandbox=sandbox)
    request.state.caller = caller
    return caller
