"""Flow Service ``/flows`` routes (dataflows): POST, GET (list with ``property=`` filters), GET/PATCH/DELETE by
id, and ``POST /flows/{id}/action?op=enable|disable``."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from emulator.gateway import authenticate

from . import both_slashes
from .documents import FLOW, conditions, document_routes


async def action(request: Request) -> JSONResponse:
    """The body (Adobe's ``StateActionDTO``) carries nothing these two operations use, so it is not read."""
    backend = request.app.state.backend
    caller = authenticate(request, backend)
    result = backend.flows.action(caller, request.path_params["id"], conditions(request),
                                  request.query_params.get("op"))
    return JSONResponse(result, headers={"ETag": result["etag"]})


routes = [*both_slashes(f"{FLOW}/flows/{{id}}/action", action, ["POST"]), *document_routes("/flows", "flows")]
