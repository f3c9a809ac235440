"""Translate between the resource's snake_case properties and Flow Service's wire shapes.

Kept apart from the dynamic provider so it can be unit-tested without Pulumi: the create body, the JSON Patch
operations for an update, and how live params compare with the declared ones (the rules are
provider/service_fields.py's, shared by every managed object).
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from provider.catalog import load_catalog, normalize_param
from provider.catalog.validation import MAX_DESCRIPTION
from provider.client.create_marker import mark, marker_for
from provider.client.models import AuthInfo, Connection, ConnectionCreate, SpecRef
from provider.service_fields import observe, param_ops, shows


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


def declarable(spec_id: str, auth_spec_name: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` without keys the auth spec does not define: Check refuses those in a program, so in a state they
    can only be the service's, recorded by a refresh of an earlier version. Never compared, never removed."""
    auth = load_catalog().auth_spec(spec_id, auth_spec_name)
    return dict(params) if auth is None else {k: v for k, v in params.items() if auth.param(k) is not None}


def marker(props: Mapping[str, Any]) -> Optional[str]:
    """The create marker of a connection with these inputs (provider/client/create_marker.py); None when adopted:
    an object taken over is never marked as ours."""
    if props.get("adopt_id"):
        return None
    fixed = [props.get("sandbox"), props.get("connection_spec_id"), props.get("connection_spec_version") or "1.0",
             props.get("auth_spec_name"), props.get("auth_type")]
    return marker_for(props.get("create_key"), fixed)


def marked_description(props: Mapping[str, Any]) -> Optional[str]:
    return mark(props.get("description"), marker(props), MAX_DESCRIPTION)


def create_body(props: Mapping[str, Any]) -> ConnectionCreate:
    """The POST /connections body (the description marked). Built without validation so a bad value is never
    echoed in an error."""
    spec_id, auth_name = props["connection_spec_id"], props["auth_spec_name"]
    auth = AuthInfo.model_construct(
        specName=auth_name,
        type=props.get("auth_type"),
        params=normalize_params(spec_id, auth_name, props["auth_params"]),
    )
    return ConnectionCreate.model_construct(
        name=props["name"],
        description=marked_description(props),
        auth=auth,
        connectionSpec=SpecRef.model_construct(id=spec_id, version=props.get("connection_spec_version") or "1.0"),
    )


def patch_operations(olds: Mapping[str, Any], news: Mapping[str, Any], *, undo: bool = False) -> list[dict[str, Any]]:
    """JSON Patch taking the connection from ``olds`` to ``news``: name, description, and the declared auth params
    that changed, key by key (provider/service_fields.py: params the service added are never touched). ``undo``:
    ``olds`` is what our own update just wrote, so params it added are removed again."""
    ops: list[dict[str, Any]] = []
    if olds.get("name") != news.get("name"):
        ops.append({"op": "replace", "path": "/name", "value": news["name"]})
    if olds.get("description") != news.get("description"):  # the marker, if any, stays
        new_desc = marked_description(news)
        if new_desc is None:
            ops.append({"op": "remove", "path": "/description"})
        else:  # `add` sets a member whether or not it exists (RFC 6902), as an earlier version may not have one
            ops.append({"op": "add", "path": "/description", "value": new_desc})
    spec_id, auth_name = news["connection_spec_id"], news["auth_spec_name"]
    old_params = normalize_params(spec_id, auth_name, olds.get("auth_params") or {})
    new_params = normalize_params(spec_id, auth_name, news.get("auth_params") or {})
    return ops + param_ops("/auth/params", old_params, new_params, remove_dropped=undo)


def secret_param_names(spec_id: str, auth_spec_name: str) -> frozenset[str]:
    return load_catalog().secret_params(spec_id, auth_spec_name)


def shows_values(conn: Connection, wanted: Mapping[str, Any]) -> bool:
    """Whether a live connection shows the wanted name, description and declared non-secret params (by value;
    masks and params the service added do not count)."""
    spec_id, auth_name = wanted["connection_spec_id"], wanted["auth_spec_name"]
    return (
        conn.name == wanted.get("name")
        and conn.description == wanted.get("description")
        and shows(
            normalize_params(spec_id, auth_name, wanted.get("auth_params") or {}),
            conn.params,
            secret_param_names(spec_id, auth_name),
        )
    )


def observe_params(
    spec_id: str, auth_spec_name: str, live: Mapping[str, Any], declared: Optional[Mapping[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(declared params as the connection shows them, params the service added): see ``service_fields.observe``."""
    view, added = observe(declared or {}, live, secret_param_names(spec_id, auth_spec_name),
                          load_catalog().secret_names())
    return normalize_params(spec_id, auth_spec_name, view), added
