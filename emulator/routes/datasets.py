"""Catalog ``/data/foundation/catalog/dataSets`` routes: POST, GET (list), GET and DELETE by id."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from emulator.gateway import authenticate

from . import both_slashes
from .json_body import read_json

CATALOG = "/data/foundation/catalog"


def _backend(request: Request):
    return request.app.state.backend


async def create(request: Request) -> JSONResponse:
    caller = authenticate(request, _backend(request))
    created = _backend(request).datasets.create(caller, await read_json(request))
    location = f"{str(request.base_url).rstrip('/')}{CATALOG}{created[0][1:]}"
    return JSONResponse(created, 201, headers={"Location": location})


async def list_all(request: Request) -> JSONResponse:
    caller = authenticate(request, _backend(request))
    return JSONResponse(_backend(request).datasets.list(caller, list(request.query_params.multi_items())))


async def get_one(request: Request) -> JSONResponse:
    caller = authenticate(request, _backend(request))
    return JSONResponse(_backend(request).datasets.get(caller, request.path_params["id"],
                                                       request.query_params.get("properties")))


async def delete(request: Request) -> JSONResponse:
    caller = authenticate(request, _backend(request))
    return JSONResponse(_backend(request).datasets.delete(caller, request.path_params["id"]))


routes = [
    *both_slashes(f"{CATALOG}/dataSets", create, ["POST"]),
    *both_slashes(f"{CATALOG}/dataSets", list_all, ["GET"]),
    *both_slashes(f"{CATALOG}/dataSets/{{id}}", get_one, ["GET"]),
    *both_slashes(f"{CATALOG}/dataSets/{{id}}", delete, ["DELETE"]),
]
