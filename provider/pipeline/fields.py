"""Small rules the pipeline objects share: text inputs, Adobe's metadata as outputs, name/description patches."""

from __future__ import annotations

from typing import Any, Callable, Optional

from provider.connection_inputs import is_unknown
from provider.managed_object import Fail

MAX_NAME = 256
MAX_DESCRIPTION = 2048


def check_text(inputs: dict[str, Any], key: str, fail: Fail, *, required: bool = False) -> None:
    value = inputs.get(key)
    if is_unknown(value) or (value is None and not required):
        return
    if not isinstance(value, str) or (required and not value.strip()):
        fail(key, "required: a non-empty string" if required else "must be a string")
    elif len(value) > (MAX_DESCRIPTION if key == "description" else MAX_NAME):
        fail(key, f"at most {MAX_DESCRIPTION if key == 'description' else MAX_NAME} characters")


def metadata_outputs(obj: Any) -> dict[str, Any]:
    """Adobe's metadata of a written or read-back object (a ``WriteResult`` or ``FlowObject``) as outputs."""
    return {"id": obj.id, "etag": obj.etag, "state": getattr(obj, "state", None),
            "created_at": getattr(obj, "createdAt", None), "updated_at": getattr(obj, "updatedAt", None)}


def text_ops(old: dict[str, Any], new: dict[str, Any], keys: tuple[str, ...],
             same: Callable[[str, Any, Any], bool],
             described: Callable[[dict[str, Any]], Optional[str]] = lambda values: values.get("description"),
             ) -> list[dict[str, Any]]:
    """JSON Patch operations for ``name`` and ``description`` among ``keys``, where they changed; ``described``
    gives the description to write (the declared one with its create marker: provider/client/create_marker.py)."""
    ops = []
    for key in ("name", "description"):
        if key in keys and not same(key, old.get(key), new.get(key)):
            value = described(new) if key == "description" else new.get(key)
            if value is None:
                ops.append({"op": "replace", "path": f"/{key}", "value": ""})
            else:
                ops.append({"op": "replace" if key == "name" else "add", "path": f"/{key}", "value": value})
    return ops
