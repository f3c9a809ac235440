"""Flow Service ``/runs`` routes: the list every flow links to (``runs: /runs?property=flowId==<id>``), always
empty, and GET by id, always 404: the emulator stores schedules but never runs a flow."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from emulator.errors import not_found
from emulator.gateway import authenticate

from . import both_slashes
from .documents import FLOW


async def list_runs(request: Request) -> JSONResponse:
    backend = request.app.state.backend
    authenticate(request, backend)
    return JSONResponse(backend.runs(list(request.query_params.multi_items())))


async def get_run(request: Request) -> JSONResponse:
    authenticate(request, request.app.state.backend)
    raise not_found("run", request.path_params["id"])


routes = [
    *both_slashes(f"{FLOW}/runs", list_runs, ["GET"]),
    *both_slashes(f"{FLOW}/runs/{{id}}", get_run, ["GET"]),
]
