"""Flow Service ``/targetConnections`` routes: POST, GET (list with ``property=`` filters), GET/PATCH/DELETE by id."""
from __future__ import annotations

from .documents import document_routes

routes = document_routes("/targetConnections", "target_connections")
