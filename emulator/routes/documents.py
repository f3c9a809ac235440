"""Create, list, get, patch and delete routes for a Flow Service collection kept in a
``backend.documents.Documents`` kind (source and target connections, flows): the same gateway checks, headers
and status codes as ``/connections``."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from emulator.backend.preconditions import Conditions, http_date
from emulator.gateway import authenticate

from . import both_slashes
from .json_body import read_json

FLOW = "/data/foundation/flowservice"


def conditions(request: Request) -> Conditions:
    return Conditions.from_headers(request.method, request.headers)


def document_routes(collection: str, backend_attr: str) -> list[Route]:
    """Routes for ``{FLOW}{collection}`` served by ``request.app.state.backend.<backend_attr>``."""

    def kind(request: Request):
        return getattr(request.app.state.backend, backend_attr)

    async def create(request: Request) -> JSONResponse:
        caller = authenticate(request, request.app.state.backend)
        created = kind(request).create(caller, await read_json(request))
        location = f"{str(request.base_url).rstrip('/')}{FLOW}{collection}/{created['id']}"
        return JSONResponse(created, 201, headers={"Location": location, "ETag": created["etag"]})

    async def list_all(request: Request) -> JSONResponse:
        caller = authenticate(request, request.app.state.backend)
        return JSONResponse(kind(request).list(caller, list(request.query_params.multi_items()), collection))

    async def get_one(request: Request) -> JSONResponse:
        caller = authenticate(request, request.app.state.backend)
        doc = kind(request).get(caller, request.path_params["id"])
        return JSONResponse({"items": [doc]}, headers={"ETag": doc["etag"],
                                                       "Last-Modified": http_date(doc["updatedAt"])})

    async def patch(request: Request) -> JSONResponse:
        caller = authenticate(request, request.app.state.backend)
        body = await read_json(request)
        result = kind(request).patch(caller, request.path_params["id"], conditions(request), body)
        return JSONResponse(result, headers={"ETag": result["etag"]})

    async def delete(request: Request) -> Response:
        caller = authenticate(request, request.app.state.backend)
        kind(request).delete(caller, request.path_params["id"], conditions(request))
        return Response(status_code=204)

    return [
        *both_slashes(f"{FLOW}{collection}", create, ["POST"]),
        *both_slashes(f"{FLOW}{collection}", list_all, ["GET"]),
        *both_slashes(f"{FLOW}{collection}/{{id}}", get_one, ["GET"]),
        *both_slashes(f"{FLOW}{collection}/{{id}}", patch, ["PATCH"]),
        *both_slashes(f"{FLOW}{collection}/{{id}}", delete, ["DELETE"]),
    ]
