"""JSON Patch (RFC 6902 subset) for base connections: add/replace/remove on the few paths Adobe allows.

Adobe's spec documents a single instruction object with upper-case ops, its tutorials send an array with
lower-case ops; both are accepted. Patching the connection spec is refused with FLOW-1414-400.
"""
from __future__ import annotations

import copy
from typing import Any

from emulator.errors import FlowError, bad_request

from .catalog import AuthSpec
from .params import check_param, refuse_missing, validate_params

_OPS = ("add", "replace", "remove")
_IMMUTABLE = ("/connectionSpec", "/auth/specName", "/id", "/etag", "/version", "/state")


def normalize(body: Any) -> list[dict[str, Any]]:
    ops = [body] if isinstance(body, dict) else body
    if not isinstance(ops, list) or not ops:
        raise bad_request("A PATCH body must be a JSON Patch array of {op, path, value} objects.", field="body")
    out = []
    for i, op in enumerate(ops):
        if not isinstance(op, dict):
            raise bad_request(f"Patch instruction [{i}] must be an object with op, path and value.", field=f"[{i}]")
        name = op.get("op")
        if not isinstance(name, str) or name.lower() not in _OPS:
            raise bad_request(f"Patch instruction [{i}].op must be one of add, replace, remove.", field=f"[{i}].op")
        path = op.get("path")
        if not isinstance(path, str) or not path.startswith("/"):
            raise bad_request(f"Patch instruction [{i}].path must be a JSON pointer like /name.", field=f"[{i}].path")
        if name.lower() != "remove" and "value" not in op:
            raise bad_request(f"Patch instruction [{i}] ({name} {path}) needs a value.", field=f"[{i}].value")
        out.append({"op": name.lower(), "path": path, "value": op.get("value")})
    return out


def param_key(path: str) -> str | None:
    """The param a ``/auth/params/<key>`` pointer names (``~1`` is ``/``, ``~0`` is ``~``), else None."""
    path = path.rstrip("/")
    if not path.startswith("/auth/params/"):
        return None
    return path[len("/auth/params/"):].replace("~1", "/").replace("~0", "~")


def _text(value: Any, path: str, *, allow_empty: bool) -> str:
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise bad_request(f"The value for {path} must be a {'' if allow_empty else 'non-empty '}string.", field=path)
    return value


def apply(doc: dict[str, Any], ops: list[dict[str, Any]], auth: AuthSpec) -> dict[str, Any]:
    """Apply ``ops`` to a copy of the stored document and validate the result against ``auth``."""
    new = copy.deepcopy(doc)
    stored = dict(doc["auth"]["params"])
    params: dict[str, Any] = new["auth"]["params"]
    for op in ops:
        kind, path, value = op["op"], op["path"].rstrip("/") or "/", op["value"]
        if path.startswith(_IMMUTABLE):
            if path.startswith("/connectionSpec"):
                raise FlowError(
                    1414, 400, "The connection spec of a base connection cannot be changed; create a new one.",
                    context={"field": path},
                )
            raise bad_request(f"{path} cannot be changed with PATCH.", field=path)
        if path == "/name":
            if kind == "remove":
                raise bad_request("/name is required and cannot be removed.", field=path)
            new["name"] = _text(value, path, allow_empty=False)
        elif path == "/description":
            if kind == "remove":
                new.pop("description", None)
            else:
                new["description"] = _text(value, path, allow_empty=True)
        elif path == "/auth/params":
            if kind == "remove":
                raise bad_request("/auth/params cannot be removed; replace it or patch single params.", field=path)
            params = validate_params(auth, value)
        elif (key := param_key(path)) is not None:
            if kind == "remove":
                if key not in params:
                    raise bad_request(f"Cannot remove {path}: the parameter is not set.", field=path)
                del params[key]
            else:
                if kind == "replace" and key not in params:
                    raise bad_request(f"Cannot replace {path}: the parameter is not set; use add.", field=path)
                check_param(auth, key, value)
                params[key] = value
        else:
            raise bad_request(
                f"Unsupported patch path {path}; allowed: /name, /description, /auth/params, /auth/params/<key>.",
                field=path,
            )
    # Values kept as stored are not judged again: the service may hold them in its own form (a number as text).
    for key, value in params.items():
        if key not in stored or stored[key] != value or type(stored[key]) is not type(value):
            check_param(auth, key, value)
    refuse_missing(auth, params)
    new["auth"]["params"] = params
    return new
