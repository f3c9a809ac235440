"""Flow Service ``/connectionSpecs`` routes, served from the emulator's catalog."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from emulator.gateway import authenticate

from . import both_slashes

FLOW = "/data/foundation/flowservice"


async def list_specs(request: Request) -> JSONResponse:
    backend = request.app.state.backend
    authenticate(request, backend)
    return JSONResponse(backend.connection_specs(list(request.query_params.multi_items())))


async def get_spec(request: Request) -> JSONResponse:
    backend = request.app.state.backend
    authenticate(request, backend)
    return JSONResponse({"items": [backend.connection_spec(request.path_params["id"])]})


routes = [
    *both_slashes(f"{FLOW}/connectionSpecs", list_specs, ["GET"]),
    *both_slashes(f"{FLOW}/connectionSpecs/{{id}}", get_spec, ["GET"]),
]
