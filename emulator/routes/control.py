"""Test-only control API under ``/_emulator/``: reset, request log, faults, token expiry, raw state.

Never faulted and never logged; cross-site (browser) requests never get here (emulator/control_guard.py).
``GET /_emulator/connections`` returns UNMASKED params on purpose, so tests can compare the emulator's contents
with Pulumi state.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator.faults import FaultConfigError
from emulator.settings import service_delay_problem

from .json_body import read_json


def _state(request: Request):
    return request.app.state


async def reset(request: Request) -> Response:
    state = _state(request)
    state.backend.reset()
    state.request_log.clear()
    state.faults.clear()
    return Response(status_code=204)


async def get_requests(request: Request) -> JSONResponse:
    return JSONResponse(_state(request).request_log.snapshot())


async def clear_requests(request: Request) -> Response:
    _state(request).request_log.clear()
    return Response(status_code=204)


async def get_faults(request: Request) -> JSONResponse:
    return JSONResponse(_state(request).faults.snapshot())


async def put_faults(request: Request) -> JSONResponse:
    try:
        _state(request).faults.configure(await read_json(request))
    except FaultConfigError as exc:
        return JSONResponse({"error": "invalid_fault_config", "message": str(exc)}, 400)
    return JSONResponse(_state(request).faults.snapshot())


async def clear_faults(request: Request) -> Response:
    _state(request).faults.clear()
    return Response(status_code=204)


async def expire_tokens(request: Request) -> Response:
    _state(request).backend.tokens.expire_all()
    return Response(status_code=204)


async def dump_connections(request: Request) -> JSONResponse:
    return JSONResponse({"items": _state(request).backend.connections.dump()})


async def run_service_updates(request: Request) -> JSONResponse:
    """Apply every pending service-side update now instead of after ``service_update_delay``."""
    return JSONResponse({"applied": _state(request).backend.connections.settle_all()})


async def set_service_delay(request: Request) -> JSONResponse:
    body = await read_json(request)
    delay = body.get("delay") if isinstance(body, dict) else None
    if problem := service_delay_problem(delay):
        return JSONResponse({"error": "invalid_request", "message": f"send {{\"delay\": <seconds>}}: delay {problem}"},
                            400)
    _state(request).backend.connections.service_delay_seconds = float(delay)
    return JSONResponse({"delay": float(delay)})


async def service_edit(request: Request) -> JSONResponse:
    """Change a connection as the service itself would (backend/connections.py ``service_edit``)."""
    return JSONResponse(_state(request).backend.connections.service_edit(request.path_params["id"],
                                                                          await read_json(request)))


async def add_client(request: Request) -> Response:
    """Register another IMS client (and its org), to prove isolation between organizations."""
    body = await read_json(request)
    fields = ("client_id", "client_secret", "org_id")
    if not isinstance(body, dict) or any(not isinstance(body.get(f), str) or not body[f] for f in fields):
        return JSONResponse({"error": "invalid_client", "message": f"send non-empty strings {list(fields)}"}, 400)
    try:
        _state(request).backend.tokens.add_client(body["client_id"], body["client_secret"], body["org_id"])
    except ValueError as exc:
        return JSONResponse({"error": "invalid_client", "message": str(exc)}, 400)
    return Response(status_code=204)


async def rotate_secret(request: Request) -> Response:
    """Give a client a new secret (the configured client too): the old secret and its tokens stop working."""
    body = await read_json(request)
    if not isinstance(body, dict) or not isinstance(body.get("client_secret"), str) or not body["client_secret"]:
        return JSONResponse({"error": "invalid_request", "message": "send {\"client_secret\": <non-empty string>}"}, 400)
    try:
        _state(request).backend.tokens.rotate_secret(request.path_params["client_id"], body["client_secret"])
    except ValueError as exc:
        return JSONResponse({"error": "invalid_client", "message": str(exc)}, 404)
    return Response(status_code=204)


routes = [
    Route("/_emulator/reset", reset, methods=["POST"]),
    Route("/_emulator/requests", get_requests, methods=["GET"]),
    Route("/_emulator/requests", clear_requests, methods=["DELETE"]),
    Route("/_emulator/faults", get_faults, methods=["GET"]),
    Route("/_emulator/faults", put_faults, methods=["PUT"]),
    Route("/_emulator/faults", clear_faults, methods=["DELETE"]),
    Route("/_emulator/tokens/expire", expire_tokens, methods=["POST"]),
    Route("/_emulator/connections", dump_connections, methods=["GET"]),
    Route("/_emulator/connections/{id}/service-edit", service_edit, methods=["POST"]),
    Route("/_emulator/service-updates", run_service_updates, methods=["POST"]),
    Route("/_emulator/service-updates", set_service_delay, methods=["PUT"]),
    Route("/_emulator/clients", add_client, methods=["POST"]),
    Route("/_emulator/clients/{client_id}/secret", rotate_secret, methods=["POST"]),
]
