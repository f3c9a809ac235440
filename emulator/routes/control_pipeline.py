"""Test-only control routes for the pipeline objects, under ``/_emulator/sandboxes/{sandbox}/`` (never faulted,
never logged, like the rest of ``/_emulator``). They act in the configured org as a person in the AEP UI would:
the client is ``exc_app``, the name Adobe's spec gives dataflows made in the UI, and every rule of the public API
applies (an edit is sent with the current etag, so it is never refused as stale).

* ``POST datasets`` ``{"name", "schemaId"}`` -> ``{"id"}``: a dataset made by hand.
* ``GET <kind>`` (flows, sourceConnections, targetConnections, datasets) -> ``{"items": [...]}``.
* ``GET flows/{id}``, ``PATCH flows/{id}`` (a JSON Patch) -> the flow; ``GET mappingSets/{id}[?version=N]``.
"""
from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from emulator.backend import Caller
from emulator.backend.preconditions import Conditions
from emulator.errors import EmulatorError

from .json_body import read_json

UI_CLIENT = "exc_app"
PREFIX = "/_emulator/sandboxes/{sandbox}"
_KINDS = ("flows", "sourceConnections", "targetConnections", "datasets")


def _caller(request: Request) -> Caller:
    backend, sandbox = request.app.state.backend, request.path_params["sandbox"]
    if sandbox not in backend.settings.sandboxes:
        raise LookupError(f"unknown sandbox '{sandbox[:80]}'; known: {', '.join(backend.settings.sandboxes)}")
    return Caller(org=backend.settings.org_id, client_id=UI_CLIENT, sandbox=sandbox)


def _answer(work) -> Any:
    """Run ``work``; a refusal comes back as ``{"error", "message"}`` with the API's status."""
    try:
        return JSONResponse(work())
    except LookupError as exc:
        return JSONResponse({"error": "not_found", "message": str(exc)}, 404)
    except ValueError as exc:
        return JSONResponse({"error": "invalid_request", "message": str(exc)}, 400)
    except EmulatorError as exc:
        return JSONResponse({"error": "refused", "message": exc.message}, exc.status)


async def create_dataset(request: Request) -> JSONResponse:
    body = await read_json(request)

    def work() -> dict[str, str]:
        if not isinstance(body, dict) or set(body) - {"name", "schemaId"}:
            raise ValueError("send {\"name\": ..., \"schemaId\": ...}")
        fields = {"name": body.get("name"), "schemaRef": {"id": body.get("schemaId")}}
        created = request.app.state.backend.datasets.create(_caller(request), fields)
        return {"id": created[0].rsplit("/", 1)[1]}

    return _answer(work)


async def list_kind(request: Request) -> JSONResponse:
    backend, kind = request.app.state.backend, request.path_params["kind"]

    def work() -> dict[str, Any]:
        caller = _caller(request)
        if kind == "datasets":
            return {"items": [{"id": d["id"], **backend.datasets.view(d)} for d in backend.datasets.docs.all(caller)]}
        if kind not in _KINDS:
            raise LookupError(f"kind must be one of {', '.join(_KINDS)}")
        attr = {"flows": "flows", "sourceConnections": "source_connections",
                "targetConnections": "target_connections"}[kind]
        return {"items": getattr(backend, attr).docs.all(caller)}

    return _answer(work)


async def get_flow(request: Request) -> JSONResponse:
    return _answer(lambda: request.app.state.backend.flows.get(_caller(request), request.path_params["id"]))


async def patch_flow(request: Request) -> JSONResponse:
    body = await read_json(request)
    flows, ident = request.app.state.backend.flows, request.path_params["id"]

    def work() -> dict[str, Any]:
        caller = _caller(request)
        current = flows.get(caller, ident)["etag"]
        flows.patch(caller, ident, Conditions("PATCH", if_match=current), body)
        return flows.get(caller, ident)

    return _answer(work)


async def get_mapping_set(request: Request) -> JSONResponse:
    return _answer(lambda: request.app.state.backend.mapping_sets.get(
        _caller(request), request.path_params["id"], request.query_params.get("version")))


routes = [
    Route(f"{PREFIX}/datasets", create_dataset, methods=["POST"]),
    Route(f"{PREFIX}/flows/{{id}}", get_flow, methods=["GET"]),
    Route(f"{PREFIX}/flows/{{id}}", patch_flow, methods=["PATCH"]),
    Route(f"{PREFIX}/mappingSets/{{id}}", get_mapping_set, methods=["GET"]),
    Route(f"{PREFIX}/{{kind}}", list_kind, methods=["GET"]),
]
