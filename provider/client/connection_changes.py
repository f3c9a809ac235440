"""Translate between the resource's snake_case properties and Flow Service's wire shapes.

Kept apart from the dynamic provider so it can be unit-tested without Pulumi: the create body, the JSON Patch
operations for an update, and which live values can be compared with state at all (secret params come back
masked as ``***`` or not at all, so they can only ever be taken from state).
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from provider.catalog import load_catalog, normalize_param
from provider.client.models import AuthInfo, Connection, ConnectionCreate, SpecRef

MASKED = "***"


def normalize_params(spec_id: str, auth_spec_name: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Params with integers restored (gRPC structs carry numbers as doubles)."""
    auth = load_catalog().auth_spec(spec_id, auth_spec_name)
    if auth is None:
        return dict(params)
    out = {}
    for key, value in params.items():
        param = auth.param(key)
        out[key] = normalize_param(param.type, value) if param else value
    return out


def create_body(props: Mapping[str, Any]) -> ConnectionCreate:
    """The POST /connections body. Built without validation so a bad value is never echoed in an error."""
    spec_id, auth_name = props["connection_spec_id"], props["auth_spec_name"]
    auth = AuthInfo.model_construct(
        specName=auth_name,
        type=props.get("auth_type"),
        params=normalize_params(spec_id, auth_name, props["auth_params"]),
    )
    return ConnectionCreate.model_construct(
        name=props["name"],
        description=props.get("description"),
        auth=auth,
        connectionSpec=SpecRef.model_construct(id=spec_id, version=props.get("connection_spec_version") or "1.0"),
    )


def patch_operations(olds: Mapping[str, Any], news: Mapping[str, Any]) -> list[dict[str, Any]]:
    """JSON Patch taking the connection from ``olds`` to ``news`` (name, description, auth params).

    Params are replaced as a whole: Flow Service stores them as one object and a rotation usually changes
    several at once (user and password)."""
    ops: list[dict[str, Any]] = []
    if olds.get("name") != news.get("name"):
        ops.append({"op": "replace", "path": "/name", "value": news["name"]})
    old_desc, new_desc = olds.get("description"), news.get("description")
    if old_desc != new_desc:
        if new_desc is None:
            ops.append({"op": "remove", "path": "/description"})
        else:
            ops.append({"op": "add" if old_desc is None else "replace", "path": "/description", "value": new_desc})
    spec_id, auth_name = news["connection_spec_id"], news["auth_spec_name"]
    old_params = normalize_params(spec_id, auth_name, olds.get("auth_params") or {})
    new_params = normalize_params(spec_id, auth_name, news.get("auth_params") or {})
    if old_params != new_params:
        ops.append({"op": "replace", "path": "/auth/params", "value": new_params})
    return ops


def secret_param_names(spec_id: str, auth_spec_name: str) -> frozenset[str]:
    return load_catalog().secret_params(spec_id, auth_spec_name)


def visible_params(spec_id: str, auth_spec_name: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """The params the API shows in clear (non-secret per the catalog, and not masked)."""
    secret = secret_param_names(spec_id, auth_spec_name)
    normalized = normalize_params(spec_id, auth_spec_name, params)
    return {k: v for k, v in normalized.items() if k not in secret and v != MASKED}


def shows_values(conn: Connection, wanted: Mapping[str, Any]) -> bool:
    """Whether a live connection shows the wanted name, description and non-secret params."""
    spec_id, auth_name = wanted["connection_spec_id"], wanted["auth_spec_name"]
    live_params = conn.auth.params if conn.auth else {}
    return (
        conn.name == wanted.get("name")
        and conn.description == wanted.get("description")
        and visible_params(spec_id, auth_name, live_params)
        == visible_params(spec_id, auth_name, wanted.get("auth_params") or {})
    )


def merge_live_params(
    spec_id: str, auth_spec_name: str, live: Mapping[str, Any], from_state: Optional[Mapping[str, Any]]
) -> dict[str, Any]:
    """Live params for refresh: non-secret values from the API (so drift shows), secret ones from state."""
    from_state = from_state or {}
    secret = secret_param_names(spec_id, auth_spec_name)
    merged: dict[str, Any] = {}
    for key, value in normalize_params(spec_id, auth_spec_name, live).items():
        if key in secret or value == MASKED:
            if key in from_state:
                merged[key] = from_state[key]
        else:
            merged[key] = value
    for key in secret:
        if key in from_state and key not in merged:
            merged[key] = from_state[key]
    return merged
