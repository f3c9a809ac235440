"""PATCH with ``If-Match`` for any Flow Service object: the write rules every managed object shares.

Flow Service requires ``If-Match`` on every PATCH (base, source and target connections, flows) and answers 412
when the etag is not the current one. Two things a retry policy cannot decide alone are settled here, with
reads of the object:

* **No usable reply** (reset after sending, 5xx): GET it. Same etag → nothing was applied, send again (If-Match
  still guards it). New etag, ``applied(current)`` and the last change not the platform's → it was applied.
  Otherwise the outcome is someone else's.
* **A new etag that is not ours** (a 412, or the case above): if the platform made the last change itself
  (``updatedClient`` ``acp_foundation_connectors``, as Salesforce on AWS does after create) and
  ``unchanged(current)`` - the object still shows every value the state recorded - send the same operations once
  more with the new etag. A person's change (say, a secret rotated in the UI, which no GET can show) is never
  taken over. They touch only declared fields
  (provider/service_fields.py), so nothing the service did is undone. Otherwise ``StaleEtagError``: a person or
  another tool changed a value Pulumi manages, and nothing is overwritten.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Optional

from provider.client.error_mapping import error_from_response
from provider.client.models import WriteResult
from provider.errors import AepError, StaleEtagError, TransportError
from provider.service_fields import changed_by_the_service

if TYPE_CHECKING:
    from provider.client.flow_service import FlowServiceClient

log = logging.getLogger("provider.client")
PATCH_ATTEMPTS = 3


@dataclass(frozen=True)
class Target:
    """The object to patch: its path (``/connections/<id>``), how to name it in messages, and how to read it."""

    path: str
    kind: str  # "connection", "source connection", "dataflow", ...
    ident: str
    sandbox: str
    read: Callable[[], Any]  # the current object: has .id, .etag, .name (and .state, .createdAt, .updatedAt)


def guarded_patch(
    client: "FlowServiceClient",
    target: Target,
    etag: str,
    operations: list[dict[str, Any]],
    applied: Callable[[Any], bool],
    unchanged: Optional[Callable[[Any], bool]] = None,
) -> WriteResult:
    """Send ``operations`` (JSON Patch) to ``target`` with ``If-Match: etag``; see the module docstring."""
    secrets = [op.get("value") for op in operations]
    action = f"updating {target.kind} {target.ident} in sandbox {target.sandbox}"
    recorded, rebased = etag, False
    attempt = 0
    while attempt < PATCH_ATTEMPTS:
        attempt += 1
        unknown: Optional[AepError] = None  # set when the outcome is unknown: no usable reply, or a 5xx
        try:
            response = client.send("PATCH", target.path, target.sandbox, json=operations,
                                   headers={"If-Match": etag}, secrets=secrets)
        except TransportError as exc:
            unknown = exc
        else:
            if response.status_code == 200:
                body = response.json() if response.content else {}
                return WriteResult.model_validate({"id": target.ident, **body})
            if response.status_code != 412:
                unknown = error_from_response(response, action, client.secrets(secrets))
                if response.status_code < 500:
                    raise unknown from None
        current = target.read()
        if unknown is not None:
            if current.etag == etag:
                if attempt < PATCH_ATTEMPTS:
                    log.warning("%s: outcome unknown (%s) and the etag is unchanged; sending it again", action,
                                unknown)
                    continue
                raise unknown from None
            # Secret-only changes always look applied (no GET shows a secret): after the service's own change
            # the write may well be lost, and sending the same operations again is harmless.
            if applied(current) and not changed_by_the_service(current):
                log.warning("%s: outcome unknown, but it shows the new values; treating it as applied", action)
                return WriteResult.of(current)
        if (not rebased and unchanged is not None and current.etag != etag and changed_by_the_service(current)
                and (unchanged(current) or (unknown is not None and applied(current)))):
            log.info("%s: the service changed it by itself (etag %s -> %s); sending it again", action, etag,
                     current.etag)
            etag, rebased = current.etag or "", True
            attempt -= 1
            continue
        raise stale(target, current, recorded) from None
    raise AssertionError("unreachable")


def stale(target: Target, current: Any, etag: str) -> StaleEtagError:
    return StaleEtagError(
        f"{target.kind} {current.name!r} ({current.id}) in sandbox {target.sandbox} was changed outside Pulumi "
        f"(etag in state {etag}, now {current.etag}). Nothing was overwritten. Run `pulumi refresh` to load the "
        "current values, then `pulumi up` again.",
        status=412,
    )
