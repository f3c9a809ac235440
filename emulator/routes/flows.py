"""Flow Service ``/flows`` routes (dataflows): POST, GET (list with ``property=`` filters), GET/DELETE by id."""
from __future__ import annotations

from .documents import document_routes

routes = document_routes("/flows", "flows")
