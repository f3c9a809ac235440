"""Flow Service ``/connections`` routes (base connections)."""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from emulator.backend.preconditions import Conditions, http_date
from emulator.gateway import authenticate

from . import both_slashes
from .json_body import read_json

FLOW = "/data/foundation/flowservice"


def _backend(request: Request):
    return request.app.state.backend


async def create(request: Request) -> JSONResponse:
    caller = authenticate(request, _backend(request))
    body = await read_json(request)
    created = _backend(request).connections.create(caller, body)
    location = f"{str(request.base_url).rstrip('/')}{FLOW}/connections/{created['id']}"
    return JSONResponse(created, 201, headers={"Location": location, "ETag": created["etag"]})


async def list_all(request: Request) -> JSONResponse:
    caller = authenticate(request, _backend(request))
    query = list(request.query_params.multi_items())
    return JSONResponse(_backend(request).connections.list(caller, query, "/connections"))


def _conditions(request: Request) -> Conditions:
    return Conditions.from_headers(request.method, request.headers)


async def get_one(request: Request) -> JSONResponse:
    caller = authenticate(request, _backend(request))
    doc = _backend(request).connections.get(caller, request.path_params["id"], _conditions(request))
    return JSONResponse({"items": [doc]}, headers={"ETag": doc["etag"], "Last-Modified": http_date(doc["updatedAt"])})


async def patch(request: Request) -> JSONResponse:
    caller = authenticate(request, _backend(request))
    body = await read_json(request)
    result = _backend(request).connections.patch(caller, request.path_params["id"], _conditions(request), body)
    return JSONResponse(result, headers={"ETag": result["etag"]})


async def delete(request: Request) -> Response:
    caller = authenticate(request, _backend(request))
    _backend(request).connections.delete(caller, request.path_params["id"], _conditions(request))
    return Response(status_code=204)


async def test(request: Request) -> JSONResponse:
    """May log in to a real database, so it runs off the event loop."""
    caller = authenticate(request, _backend(request))
    result = await run_in_threadpool(_backend(request).connections.test, caller, request.path_params["id"])
    return JSONResponse(result)


routes = [
    *both_slashes(f"{FLOW}/connections", create, ["POST"]),
    *both_slashes(f"{FLOW}/connections", list_all, ["GET"]),
    *both_slashes(f"{FLOW}/connections/{{id}}/test", test, ["GET"]),
    *both_slashes(f"{FLOW}/connections/{{id}}", get_one, ["GET"]),
    *both_slashes(f"{FLOW}/connections/{{id}}", patch, ["PATCH"]),
    *both_slashes(f"{FLOW}/connections/{{id}}", delete, ["DELETE"]),
]
