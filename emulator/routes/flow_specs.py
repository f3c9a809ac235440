"""Flow Service ``/flowSpecs`` routes (read-only, the same in every org and sandbox): GET list, GET by id."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from emulator.gateway import authenticate

from . import both_slashes
from .documents import FLOW


async def list_specs(request: Request) -> JSONResponse:
    backend = request.app.state.backend
    authenticate(request, backend)
    return JSONResponse(backend.flow_specs.list(list(request.query_params.multi_items())))


async def get_spec(request: Request) -> JSONResponse:
    backend = request.app.state.backend
    authenticate(request, backend)
    return JSONResponse({"items": [backend.flow_spec(request.path_params["id"])]})


routes = [
    *both_slashes(f"{FLOW}/flowSpecs", list_specs, ["GET"]),
    *both_slashes(f"{FLOW}/flowSpecs/{{id}}", get_spec, ["GET"]),
]
