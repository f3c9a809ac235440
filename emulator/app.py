"""Assembles the ASGI application: routes, Adobe-shaped error handlers, fault/log middleware."""
from __future__ import annotations

import logging
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse

from emulator.backend import Backend
from emulator.errors import EmulatorError, FlowError, GatewayError
from emulator.faults import FaultInjector
from emulator.middleware import EmulatorMiddleware
from emulator.request_log import FLOW, RequestLog
from emulator.routes import connection_specs, connections, control, ims

log = logging.getLogger(__name__)


def _respond(request: Request, err: EmulatorError) -> JSONResponse:
    caller = getattr(request.state, "caller", None)
    return JSONResponse(err.body(caller.tenant if caller else None), err.status, headers=err.headers)


async def _emulator_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, EmulatorError)
    return _respond(request, exc)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    path = request.url.path
    if exc.status_code == 404 and path.startswith(FLOW):
        return _respond(request, FlowError(1101, 404, f"No Flow Service resource at {path}."))
    if exc.status_code == 405:
        return _respond(request, GatewayError(405, "405000", f"Method {request.method} is not allowed on {path}."))
    return _respond(request, GatewayError(exc.status_code, f"{exc.status_code}000", f"{exc.detail}: {path}"))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.error("emulator bug on %s %s: %s", request.method, request.url.path, type(exc).__name__)
    return _respond(request, FlowError(1102, 500, "An internal error has occurred. Please try again."))


def build_app(backend: Backend, faults: FaultInjector | None = None, request_log: RequestLog | None = None) -> Any:
    faults = faults or FaultInjector()
    request_log = request_log or RequestLog()
    app = Starlette(
        routes=[*ims.routes, *connections.routes, *connection_specs.routes, *control.routes],
        exception_handlers={EmulatorError: _emulator_error, HTTPException: _http_error, Exception: _unexpected},
    )
    app.router.redirect_slashes = False
    app.state.backend = backend
    app.state.faults = faults
    app.state.request_log = request_log
    return EmulatorMiddleware(app, faults, request_log)
