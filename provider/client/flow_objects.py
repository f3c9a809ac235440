"""Source connections, target connections and dataflows: the calls every Flow Service object shares.

Create, read, patch and delete go through the same rules as base connections:

* ``POST`` with no usable reply (reset after sending, 5xx): the object is looked up by name among those created
  since we started (``property=name==...``); found and ``matches`` → it is ours, taken as created; else the POST
  is sent again, up to three times. A duplicate is never created.
* ``PATCH`` with ``If-Match``: provider/client/guarded_patch.py.
* ``DELETE``: a 404 counts as deleted.

``flow_action`` enables or disables a dataflow (``POST /flows/{id}/action?op=``); sending it twice is harmless,
so an ambiguous outcome is simply sent again.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any, Callable, Optional

from provider.client.error_mapping import error_from_response
from provider.client.flow_service import CLOCK_SKEW_MS, POST_ATTEMPTS, FlowServiceClient
from provider.client.guarded_patch import Target, guarded_patch
from provider.client.models import FlowObject, WriteResult
from provider.errors import AepError, NotFoundError, TransportError

log = logging.getLogger("provider.client")


@dataclass(frozen=True)
class Collection:
    """A Flow Service collection: its path (``/flows``) and how a person calls one of its objects."""

    path: str
    kind: str


SOURCE_CONNECTIONS = Collection("/sourceConnections", "source connection")
TARGET_CONNECTIONS = Collection("/targetConnections", "target connection")
FLOWS = Collection("/flows", "dataflow")


def get_object(api: FlowServiceClient, coll: Collection, sandbox: str, ident: str) -> FlowObject:
    """GET ``{coll}/{id}``; ``NotFoundError`` if it is not in that sandbox."""
    action = f"reading {coll.kind} {ident} in sandbox {sandbox}"
    items = api.call("GET", f"{coll.path}/{ident}", sandbox, action, (200,)).json().get("items") or []
    if not items:
        raise NotFoundError(f"{action} failed: the API returned no item", status=200)
    return FlowObject.from_item(items[0])


def create_object(
    api: FlowServiceClient, coll: Collection, sandbox: str, body: dict[str, Any],
    matches: Callable[[FlowObject], bool],
) -> WriteResult:
    """POST ``body`` to ``coll``; see the module docstring for an ambiguous outcome."""
    action = f"creating {coll.kind} {body.get('name')!r} in sandbox {sandbox}"
    started_ms = int(time.time() * 1000)
    for attempt in range(1, POST_ATTEMPTS + 1):
        try:
            response = api.send("POST", coll.path, sandbox, json=body)
        except TransportError as exc:
            ambiguous: AepError = exc
        else:
            if response.status_code in (200, 201):
                return WriteResult.model_validate(response.json())
            ambiguous = error_from_response(response, action, api.secrets())
            if response.status_code < 500:
                raise ambiguous from None
        try:
            mine = _find_created(api, coll, sandbox, body["name"], started_ms, matches)
        except AepError as lookup:
            raise TransportError(
                f"{action}: the outcome is unknown ({ambiguous.message}) and looking it up failed too "
                f"({lookup.message}). It may exist: look for a {coll.kind} named {body['name']!r} in sandbox "
                f"{sandbox}: the next `pulumi up` takes it over if it carries this resource's create marker "
                f"(provider/client/create_marker.py); otherwise delete it (or set adopt_id) before running again."
            ) from None
        if mine is not None:
            log.warning("%s: outcome was ambiguous (%s); taking %s created by it", action, ambiguous, mine.id)
            return WriteResult.of(mine)
        if attempt == POST_ATTEMPTS:
            raise type(ambiguous)(f"{ambiguous.message} No {coll.kind} named {body['name']!r} was created; it is "
                                  "safe to run again.", status=ambiguous.status, code=ambiguous.code) from None
        log.warning("%s: outcome was ambiguous (%s) and nothing was created; sending it again", action, ambiguous)
        time.sleep(min(0.2 * attempt, api.settings.max_retry_wait))
    raise AssertionError("unreachable")


def _find_created(
    api: FlowServiceClient, coll: Collection, sandbox: str, name: str, started_ms: int,
    matches: Callable[[FlowObject], bool],
) -> Optional[FlowObject]:
    query = {"property": f"name=={name}"} if "," not in name else {}
    action = f"looking up {coll.kind}s named {name!r} in sandbox {sandbox}"
    found = [FlowObject.from_item(item) for item in api.list_items(coll.path, sandbox, query, action)]
    mine = [o for o in found if o.name == name and (o.createdAt or 0) >= started_ms - CLOCK_SKEW_MS and matches(o)]
    mine.sort(key=lambda o: o.createdAt or 0, reverse=True)
    return mine[0] if mine else None


def patch_object(
    api: FlowServiceClient, coll: Collection, sandbox: str, ident: str, etag: str, operations: list[dict[str, Any]],
    applied: Callable[[FlowObject], bool], unchanged: Optional[Callable[[FlowObject], bool]] = None,
) -> WriteResult:
    """PATCH ``{coll}/{id}`` with ``If-Match: etag`` (provider/client/guarded_patch.py)."""
    target = Target(f"{coll.path}/{ident}", coll.kind, ident, sandbox, lambda: get_object(api, coll, sandbox, ident))
    return guarded_patch(api, target, etag, operations, applied, unchanged)


def delete_object(api: FlowServiceClient, coll: Collection, sandbox: str, ident: str) -> bool:
    """DELETE ``{coll}/{id}``; False when it was already gone (404)."""
    action = f"deleting {coll.kind} {ident} in sandbox {sandbox}"
    return api.call("DELETE", f"{coll.path}/{ident}", sandbox, action, (200, 202, 204, 404)).status_code != 404


def flow_action(api: FlowServiceClient, sandbox: str, flow_id: str, op: str) -> WriteResult:
    """``POST /flows/{id}/action?op=enable|disable``: the new etag (and state, when the reply says it)."""
    action = f"{op[:-1]}ing dataflow {flow_id} in sandbox {sandbox}"
    for attempt in range(1, POST_ATTEMPTS + 1):
        try:
            response = api.call("POST", f"/flows/{flow_id}/action", sandbox, action, (200, 202), params={"op": op})
        except (TransportError, AepError) as exc:
            if isinstance(exc, TransportError) or (exc.status or 0) >= 500:
                if attempt < POST_ATTEMPTS:
                    log.warning("%s: outcome unknown (%s); sending it again", action, exc)
                    continue
            raise
        body = response.json() if response.content else {}
        return WriteResult.model_validate({"id": flow_id, **(body if isinstance(body, dict) else {})})
    raise AssertionError("unreachable")
