"""HTTP routes: parse requests, call the backend, format responses. No state and no rules live here."""
from __future__ import annotations

from starlette.routing import Route


def both_slashes(path: str, endpoint, methods: list[str]) -> list[Route]:
    """Adobe's spec lists some paths with a trailing slash and its tutorials without; serve both."""
    return [Route(path, endpoint, methods=methods), Route(path + "/", endpoint, methods=methods)]
