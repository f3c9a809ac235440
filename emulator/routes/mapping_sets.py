"""Data Prep ``/data/foundation/conversion/mappingSets`` routes: POST, GET (list), GET and PUT by id. No DELETE
(Data Prep has none): any other method is a 405 like everywhere else."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from emulator.gateway import authenticate

from . import both_slashes
from .json_body import read_json

CONVERSION = "/data/foundation/conversion"


def _backend(request: Request):
    return request.app.state.backend


async def create(request: Request) -> JSONResponse:
    caller = authenticate(request, _backend(request))
    return JSONResponse(_backend(request).mapping_sets.create(caller, await read_json(request)))


async def list_all(request: Request) -> JSONResponse:
    caller = authenticate(request, _backend(request))
    return JSONResponse(_backend(request).mapping_sets.list(caller, list(request.query_params.multi_items())))


async def get_one(request: Request) -> JSONResponse:
    caller = authenticate(request, _backend(request))
    return JSONResponse(_backend(request).mapping_sets.get(caller, request.path_params["id"],
                                                           request.query_params.get("version")))


async def put(request: Request) -> JSONResponse:
    caller = authenticate(request, _backend(request))
    return JSONResponse(_backend(request).mapping_sets.put(caller, request.path_params["id"],
                                                           await read_json(request)))


routes = [
    *both_slashes(f"{CONVERSION}/mappingSets", create, ["POST"]),
    *both_slashes(f"{CONVERSION}/mappingSets", list_all, ["GET"]),
    *both_slashes(f"{CONVERSION}/mappingSets/{{id}}", get_one, ["GET"]),
    *both_slashes(f"{CONVERSION}/mappingSets/{{id}}", put, ["PUT"]),
]
