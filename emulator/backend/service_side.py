"""What Flow Service does to a base connection by itself, beyond storing what the client sent.

Each behaviour is taken from one of Adobe's pages; where the page is silent the emulator says what it assumes.

* HTTP API streaming (spec ``bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb``, auth spec "Streaming Connection"). Adobe's
  tutorial "Create an HTTP API streaming connection using the Flow Service API"
  (experienceleague.adobe.com/en/docs/experience-platform/sources/api-tutorials/create/streaming/http): the POST
  may send only ``dataType``; the GET that follows shows ``inletUrl`` and ``inletId`` (the streaming endpoint,
  made with the connection), ``sourceId`` and ``name`` (the connection's name when not sent) and
  ``authenticationRequired: false``. ``inletUrl``/``inletId`` belong to the service: a client cannot set them.
* Salesforce on AWS (spec ``cfc0fee1-7dc0-40ef-b73e-d8b134c436f5``, auth spec "OAuth2 JWT Token Credential").
  Adobe's "Connect Salesforce to Experience Platform using the Flow Service API", section "Verify your connection
  status" (experienceleague.adobe.com/en/docs/experience-platform/sources/api-tutorials/create/crm/salesforce):
  the first GET shows ``state: initializing``; about 90 s later (createdAt 1736506325115, updatedAt 1736506413299
  in the page's example) the service has updated the connection itself: ``enabled``, a new etag and the
  Salesforce ``orgId`` among the params. ``updatedBy`` is the service's client ``acp_foundation_connectors``
  (the name Adobe's responses show for changes the platform makes, e.g. in the dataflow-runs examples). The delay
  is ``EmulatorSettings.service_update_delay``; ``POST /_emulator/service-updates`` applies every pending one now.
* Masks. Secret params never come back in clear. Most pages show ``***`` style placeholders; an older revision of
  the Salesforce page shows AWS-hosted secrets as ``arn:aws:secretsmanager:...`` references, so the JWT auth spec
  masks that way. A test can pick a connection's form (``stars``, ``arn``, ``omit``) with the control API.
* Replacing ``/auth/params`` as a whole replaces the object: Adobe's "Update accounts" tutorial (sources/
  tutorials/api/update) replaces it without ``environmentUrl`` and the GET after it no longer shows that key.
  What happens to ``inletUrl``/``inletId`` then is undocumented; the emulator takes the pessimistic reading and
  drops them like any other key.
"""
from __future__ import annotations

import hashlib
from typing import Any

from emulator.errors import FlowError

from .json_patch import param_key

HTTP_API = ("bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb", "Streaming Connection")
SALESFORCE_JWT = ("cfc0fee1-7dc0-40ef-b73e-d8b134c436f5", "OAuth2 JWT Token Credential")
SERVICE_CLIENT = "acp_foundation_connectors"
HIDDEN = "_service"  # per-document bookkeeping, never shown by the API
MASK_FORMS = ("stars", "arn", "omit")
STARS = "***"

_OWNED: dict[tuple[str, str], tuple[str, ...]] = {
    HTTP_API: ("inletUrl", "inletId"),
    SALESFORCE_JWT: ("orgId",),
}


def _kind(doc: dict[str, Any]) -> tuple[str, str]:
    return doc["connectionSpec"]["id"], doc["auth"]["specName"]


def _digest(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()


def owned_names(doc: dict[str, Any], defined: frozenset[str]) -> frozenset[str]:
    """The params only the service sets: those of this connection's kind, and any stored param its auth spec does
    not define (a client cannot send one: create refuses unknown params)."""
    return frozenset(_OWNED.get(_kind(doc), ())) | (frozenset(doc["auth"]["params"]) - defined)


def refuse_owned_ops(doc: dict[str, Any], ops: list[dict[str, Any]], defined: frozenset[str]) -> None:
    """A PATCH may not touch a service-owned param one by one (it can still lose them by replacing the object)."""
    owned = owned_names(doc, defined)
    for op in ops:
        if (key := param_key(op["path"])) in owned:
            raise FlowError(1304, 400, f"auth.params.{key} is set by Flow Service and cannot be changed; leave it "
                            "out of the PATCH.", context={"field": f"auth.params.{key}"})


def split_owned(doc: dict[str, Any], defined: frozenset[str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the client's params, the service-owned ones) of a stored document."""
    names = owned_names(doc, defined)
    params = doc["auth"]["params"]
    return ({k: v for k, v in params.items() if k not in names}, {k: v for k, v in params.items() if k in names})


def on_create(doc: dict[str, Any], now_ms: int, delay_ms: int) -> None:
    """Fill in what the service adds when a connection is made; schedule its own later update, if any."""
    kind, params = _kind(doc), doc["auth"]["params"]
    hidden: dict[str, Any] = {"mask": "arn" if kind == SALESFORCE_JWT else "stars"}
    if kind == HTTP_API:
        inlet = _digest("inlet", doc["id"])
        params.setdefault("sourceId", doc["name"])
        params.setdefault("name", doc["name"])
        params.setdefault("authenticationRequired", False)
        params.update(inletUrl=f"https://dcs.adobedc.net/collection/{inlet}", inletId=inlet)
    elif kind == SALESFORCE_JWT:
        doc["state"] = "initializing"
        hidden["due"] = now_ms + delay_ms
    doc[HIDDEN] = hidden


def pending(doc: dict[str, Any]) -> bool:
    return "due" in (doc.get(HIDDEN) or {})


def due(doc: dict[str, Any], now_ms: int) -> bool:
    return pending(doc) and doc[HIDDEN]["due"] <= now_ms


def settle(doc: dict[str, Any], now_ms: int, etag: str) -> dict[str, Any]:
    """The connection after the service's own update (Salesforce JWT: enabled, ``orgId`` added)."""
    new = {**doc, "auth": {**doc["auth"], "params": dict(doc["auth"]["params"])}}
    new[HIDDEN] = {k: v for k, v in (doc.get(HIDDEN) or {}).items() if k != "due"}
    if _kind(doc) == SALESFORCE_JWT:
        new["auth"]["params"]["orgId"] = "00D" + _digest("sf-org", doc["id"])[:15].upper()
    return service_stamp(new, now_ms, etag, state="enabled")


def service_stamp(doc: dict[str, Any], now_ms: int, etag: str, *, state: str | None = None) -> dict[str, Any]:
    doc.update(updatedAt=now_ms, updatedBy=f"{SERVICE_CLIENT}@AdobeID", updatedClient=SERVICE_CLIENT,
               etag=etag, version=etag)
    if state:
        doc["state"] = state
    return doc


def mask(doc: dict[str, Any], secret: frozenset[str], params: dict[str, Any]) -> dict[str, Any]:
    """``params`` as the API shows them: secret values in the connection's mask form."""
    form = (doc.get(HIDDEN) or {}).get("mask", "stars")
    out: dict[str, Any] = {}
    for key, value in params.items():
        if key not in secret:
            out[key] = value
        elif form == "arn":
            out[key] = (f"arn:aws:secretsmanager:us-east-1:{int(_digest('acct', doc['imsOrgId'])[:10], 16) % 10**12:012d}"
                        f":secret:{doc['id']}-{key}-{_digest(doc['id'], key)[:6]}")
        elif form == "stars":
            out[key] = STARS
    return out


def public(doc: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k != HIDDEN}
