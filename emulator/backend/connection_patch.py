"""PATCH of source and target connections: JSON Patch on ``/name``, ``/description`` and ``/params/...``.

What they read from or write to is fixed when they are made: a patch of ``/connectionSpec`` or
``/baseConnectionId`` is refused with FLOW-1414 (400), as the connection spec of a base connection is. Adobe's
"Update dataflows" tutorial advises a new pair of source and target connections (and a new dataflow) for such
changes: https://experienceleague.adobe.com/en/docs/experience-platform/sources/api-tutorials/update-dataflows
"""
from __future__ import annotations

from typing import Any

from emulator.errors import FlowError, bad_request

from . import json_patch, pointer
from .documents import patch_name_or_description

FIXED = ("/connectionSpec", "/baseConnectionId")
ALLOWED = "/name, /description, /params, /params/<key>"


def apply(doc: dict[str, Any], body: Any, label: str) -> dict[str, Any]:
    """``doc`` (a copy) with the patch in ``body`` applied; the caller validates the result further."""
    for op in json_patch.normalize(body):
        path = op["path"].rstrip("/")
        if patch_name_or_description(doc, op):
            continue
        if path.startswith(FIXED):
            raise FlowError(1414, 400, f"{path} of a {label} cannot be changed; create a new {label} (and a new "
                            "dataflow) instead.", context={"field": path})
        if path == "/params":
            if op["op"] == "remove" or not isinstance(op["value"], dict):
                raise bad_request("/params must be replaced with a JSON object.", field=path)
            doc["params"] = op["value"]
        elif path.startswith("/params/"):
            pointer.apply(doc, op["op"], path, op["value"])
        else:
            raise bad_request(f"Unsupported patch path {path[:200]}; allowed: {ALLOWED}.", field=path)
    return doc
