"""``adopt_id``: take over a base connection made elsewhere (the AEP UI, another tool) instead of creating one.

Our answer to `pulumi import`, which dynamic resources lack (pulumi#16175): one GET, refused when the connection
is of another connection spec or auth spec, then one PATCH only if its visible declared values differ (params the
service added, such as HTTP API's ``inletUrl``, do not count and are never touched). Secret params cannot be
compared (the API masks them), so the PATCH, when there is one, sets every declared param, key by key.
"""

from __future__ import annotations

from typing import Any

from provider.client import FlowServiceClient
from provider.client.connection_changes import marked_description, normalize_params, observe_params, shows_values
from provider.client.models import WriteResult
from provider.errors import NotFoundError, ValidationError
from provider.service_fields import param_ops


def adopt(api: FlowServiceClient, inputs: dict[str, Any], found_id: str = "") -> tuple[WriteResult, dict[str, Any]]:
    """Take over ``inputs["adopt_id"]`` (or ``found_id``, a connection an interrupted run of this stack created:
    provider/client/create_marker.py) in ``inputs["sandbox"]`` and make it show the declared values.

    Returns the write result and the params the service added (for the ``service_params`` output)."""
    sandbox, adopt_id = inputs["sandbox"], found_id or inputs["adopt_id"]
    try:
        live = api.get_connection(sandbox, adopt_id)
    except NotFoundError:
        raise NotFoundError(
            f"adopt_id {adopt_id}: no base connection with that id in sandbox {sandbox}; check the id "
            "(Sources > Accounts in the AEP UI) and the sandbox, or remove adopt_id to create a new one",
            status=404,
        ) from None
    live_auth = live.auth.specName if live.auth else None
    if live.connectionSpec.id != inputs["connection_spec_id"] or live_auth != inputs["auth_spec_name"]:
        raise ValidationError(
            f"adopt_id {adopt_id}: connection {live.name!r} uses connection spec {live.connectionSpec.id} with "
            f"auth spec {live_auth!r}, not {inputs['connection_spec_id']} with {inputs['auth_spec_name']!r}; "
            "adopt it with matching connection_spec_id and auth_spec_name"
        )
    shown, added = observe_params(inputs["connection_spec_id"], inputs["auth_spec_name"],
                                  live.params, inputs["auth_params"])
    as_found = {**inputs, "name": live.name, "description": live.description, "auth_params": shown}
    # ours (found_id): one PATCH sets the secrets, which reads cannot show; adopted with another stack's create
    # marker: one PATCH drops it, so that stack can never take this connection back
    foreign_marker = bool(live.marker) and not found_id
    if shows_values(live, inputs) and not found_id and not foreign_marker:
        return WriteResult.of(live), added
    kept = {**inputs, "description": live.description} if foreign_marker and inputs.get("description") is None \
        else inputs
    return api.update_connection(
        sandbox, adopt_id, live.etag or "", full_patch(kept, unmark=foreign_marker),
        lambda c: shows_values(c, inputs) and (c.marker is None or not foreign_marker),
        unchanged=lambda c: shows_values(c, as_found),
    ), added


def full_patch(inputs: dict[str, Any], *, unmark: bool = False) -> list[dict[str, Any]]:
    """Operations that set the name, the description (with this resource's create marker, if it has one) and every
    declared param whatever the live values are; ``unmark``: a description left undeclared loses its marker."""
    ops = [{"op": "replace", "path": "/name", "value": inputs["name"]}]
    if (description := marked_description(inputs)) is not None:
        ops.append({"op": "add", "path": "/description", "value": description})
    elif unmark:
        ops.append({"op": "remove", "path": "/description"})
    return ops + param_ops("/auth/params", {}, normalize_params(
        inputs["connection_spec_id"], inputs["auth_spec_name"], inputs["auth_params"]))
