"""RFC 6901 JSON Pointers and the RFC 6902 add/replace/remove operations on a document's nested fields.

Used by the PATCH of source and target connections (``/params/...``) and flows (``/scheduleParams/...``,
``/transformations/N/...``); each kind decides which paths it allows before calling ``apply``. Every failure is
a 400 naming the pointer, never an exception from the data structure.
"""
from __future__ import annotations

import re
from typing import Any

from emulator.errors import bad_request

_INDEX = re.compile(r"^(0|[1-9][0-9]{0,8})$")


def tokens(path: str) -> list[str]:
    """``/a/b~1c`` -> ``["a", "b/c"]`` (``~1`` is ``/``, ``~0`` is ``~``); a trailing slash is ignored."""
    path = path.rstrip("/")
    if not path:
        return []
    return [t.replace("~1", "/").replace("~0", "~") for t in path[1:].split("/")]


def _refuse(path: str, why: str) -> Exception:
    return bad_request(f"Cannot apply the patch at {path}: {why}.", field=path)


def _index(container: list, token: str, path: str, *, adding: bool) -> int:
    if adding and token == "-":
        return len(container)
    if not _INDEX.match(token):
        raise _refuse(path, f"'{token[:40]}' is not an array index")
    index, limit = int(token), len(container) + (1 if adding else 0)
    if index >= limit:
        raise _refuse(path, f"index {index} is out of range (the array has {len(container)} items)")
    return index


def apply(doc: dict[str, Any], op: str, path: str, value: Any) -> None:
    """Apply one ``add``/``replace``/``remove`` to ``doc`` in place (callers pass a copy)."""
    parts = tokens(path)
    if not parts:
        raise _refuse(path or "/", "the whole document cannot be replaced")
    parent: Any = doc
    for token in parts[:-1]:
        if isinstance(parent, dict) and token in parent:
            parent = parent[token]
        elif isinstance(parent, list):
            parent = parent[_index(parent, token, path, adding=False)]
        else:
            raise _refuse(path, f"'{token[:40]}' does not exist")
    last = parts[-1]
    if isinstance(parent, dict):
        if op != "add" and last not in parent:
            raise _refuse(path, "the field is not set; use add")
        if op == "remove":
            del parent[last]
        else:
            parent[last] = value
    elif isinstance(parent, list):
        index = _index(parent, last, path, adding=op == "add")
        if op == "add":
            parent.insert(index, value)
        elif op == "remove":
            del parent[index]
        else:
            parent[index] = value
    else:
        raise _refuse(path, "its parent is not an object or an array")
