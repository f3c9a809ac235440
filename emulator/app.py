"""Assembles the ASGI application: routes, Adobe-shaped error handlers, size limits, fault/log middleware."""
from __future__ import annotations

import logging
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from emulator.backend import Backend
from emulator.errors import SERVICE_PREFIXES, EmulatorError, FlowError, edge_error
from emulator.faults import FaultInjector
from emulator.limits import LimitsMiddleware
from emulator.methods import allowed_methods, not_allowed, options_response
from emulator.middleware import EmulatorMiddleware
from emulator.request_log import FLOW, RequestLog
from emulator.routes import (connection_specs, connections, control, control_pipeline, datasets, flow_specs, flows,
                             ims, mapping_sets, runs, source_connections, target_connections)

log = logging.getLogger(__name__)
SERVICE_PATHS = (FLOW, *(prefix for prefix, _ in SERVICE_PREFIXES))


def _respond(request: Request, err: EmulatorError) -> Response:
    if isinstance(err, FlowError):
        err.for_path(request.url.path)
    caller = getattr(request.state, "caller", None)
    body = err.body(caller.tenant if caller else None)
    if body is None:
        return Response(status_code=err.status, headers=err.headers)
    return JSONResponse(body, err.status, headers=err.headers)


async def _emulator_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, EmulatorError)
    return _respond(request, exc)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    path = request.url.path
    if exc.status_code == 404 and path.startswith(SERVICE_PATHS):
        return _respond(request, FlowError(1101, 404, f"No resource at {path}."))
    if exc.status_code == 405:
        allowed = allowed_methods(request)
        if request.method == "OPTIONS":
            return options_response(allowed)
        return _respond(request, not_allowed(request, allowed))
    return _respond(request, edge_error(path, exc.status_code, f"{exc.detail}: {path}"))


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.error("emulator bug on %s %s: %s", request.method, request.url.path, type(exc).__name__)
    return _respond(request, FlowError(1102, 500, "An internal error has occurred. Please try again."))


def build_app(backend: Backend, faults: FaultInjector | None = None, request_log: RequestLog | None = None) -> Any:
    faults = faults or FaultInjector()
    request_log = request_log or RequestLog()
    app = Starlette(
        routes=[*ims.routes, *connections.routes, *connection_specs.routes, *source_connections.routes,
                *target_connections.routes, *flow_specs.routes, *flows.routes, *runs.routes, *mapping_sets.routes,
                *datasets.routes, *control.routes, *control_pipeline.routes],
        exception_handlers={EmulatorError: _emulator_error, HTTPException: _http_error, Exception: _unexpected},
    )
    app.router.redirect_slashes = False
    app.state.backend = backend
    app.state.faults = faults
    app.state.request_log = request_log
    return EmulatorMiddleware(LimitsMiddleware(app), faults, request_log)
