"""Method semantics where Adobe's docs are silent (RFC 9110): ``Allow`` on 405, ``OPTIONS``, ``HEAD``.

Starlette answers a known path with an unknown method with a 405 naming only the first route it tried; the
emulator registers one route per method, so the ``Allow`` list is rebuilt here from every route on the path.
``HEAD`` is served wherever ``GET`` is (Starlette runs the GET handler and drops the body); ``OPTIONS`` on a
known path is a 204 with ``Allow`` and needs no credentials, like a CORS preflight.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from emulator.errors import EmulatorError, edge_error

_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at the request's path, plus OPTIONS; empty for an unknown path."""
    path = request.url.path
    found: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, Route) and route.methods and route.path_regex.match(path):
            found |= route.methods
    if found:
        found.add("OPTIONS")
    return sorted(found, key=lambda m: (_ORDER.index(m) if m in _ORDER else len(_ORDER), m))


def options_response(allowed: list[str]) -> Response:
    return Response(status_code=204, headers={"Allow": ", ".join(allowed)})


def not_allowed(request: Request, allowed: list[str]) -> EmulatorError:
    """The 405 for ``request``: gateway shape (or IMS's on the token endpoint) with the ``Allow`` header."""
    listed = ", ".join(allowed)
    return edge_error(request.url.path, 405,
                      f"Method {request.method} is not allowed on {request.url.path}; allowed: {listed}.",
                      {"Allow": listed})
