"""Base connections: the rules (validation, etags, patching, isolation) on top of the SQLite store.

Every operation is scoped to the caller's (org, sandbox): an id from another org or sandbox is simply not found.
Stored documents keep the real params; everything handed back to API callers goes through ``public``. What the
service does by itself (params it adds, its own later updates, mask forms) is in ``service_side``; its pending
updates are applied when a connection is next read, as if they had happened on time.
"""
from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any, Callable

from emulator.errors import FlowError, bad_request, not_found

from . import json_patch, listing, preconditions, service_side
from .catalog import AuthSpec, Catalog, ConnectionSpec
from .connectivity import check_connectivity
from .params import validate_params
from .preconditions import Conditions
from .store import Store

_TOP_LEVEL = ("name", "description", "auth", "connectionSpec", "providerId")
_AUTH_KEYS = ("specName", "params", "type")


@dataclass(frozen=True)
class Caller:
    """Who is calling, as established by the gateway from the token and headers."""

    org: str
    client_id: str
    sandbox: str

    @property
    def tenant(self) -> dict[str, str]:
        return {"imsOrgId": self.org, "sandboxName": self.sandbox, "sandboxId": sandbox_id(self.org, self.sandbox)}


def sandbox_id(org: str, sandbox: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"aep-sandbox:{org}/{sandbox}"))


def new_etag() -> str:
    """Quoted and opaque, like Adobe's ``"6802064a-0000-0200-0000-6387c6b90000"``."""
    return f'"{uuid.uuid4()}"'


def _now_ms() -> int:
    return int(time.time() * 1000)


def stamped(caller: Caller, fields: dict[str, Any], ident: str | None = None) -> dict[str, Any]:
    """A new stored document: ``fields`` inside Adobe's metadata (id, times, client, sandbox, state, etag)."""
    now, etag = _now_ms(), new_etag()
    return {
        "id": ident or str(uuid.uuid4()),
        "createdAt": now, "updatedAt": now,
        "createdBy": f"{caller.client_id}@AdobeID", "updatedBy": f"{caller.client_id}@AdobeID",
        "createdClient": caller.client_id, "updatedClient": caller.client_id,
        "sandboxId": sandbox_id(caller.org, caller.sandbox), "sandboxName": caller.sandbox,
        "imsOrgId": caller.org,
        **fields,
        "state": "enabled",
        "version": etag, "etag": etag,
    }


class Connections:
    def __init__(self, store: Store, catalog: Catalog, service_delay_seconds: float = 90.0,
                 reading: Callable[[Caller, str], list[dict[str, Any]]] | None = None):
        self._store = store
        self._catalog = catalog
        self.service_delay_seconds = service_delay_seconds
        self.reading = reading  # the flows reading through a base connection (Flows.reading)

    # helpers ---------------------------------------------------------------------------------------------
    def _spec_and_auth(self, doc: dict[str, Any]) -> tuple[ConnectionSpec | None, AuthSpec | None]:
        spec = self._catalog.get(doc["connectionSpec"]["id"])
        return spec, spec.auth_spec(doc["auth"]["specName"]) if spec else None

    def public(self, doc: dict[str, Any]) -> dict[str, Any]:
        """The API view of a stored document: secret params masked (unknown auth specs: every param)."""
        _, auth = self._spec_and_auth(doc)
        secret = auth.secret_names if auth else frozenset(doc["auth"]["params"])
        out = service_side.public(doc)
        out["auth"] = {**doc["auth"], "params": service_side.mask(doc, secret, doc["auth"]["params"])}
        return out

    def _settled(self, org: str, sandbox: str, doc: dict[str, Any], *, now: bool = False) -> dict[str, Any]:
        """``doc`` after the service's own update, if one is due (or pending at all, with ``now``)."""
        if not (service_side.pending(doc) if now else service_side.due(doc, _now_ms())):
            return doc
        new = service_side.settle(doc, _now_ms(), new_etag())
        if self._store.replace_connection(org, sandbox, new, doc["etag"]):
            return new
        return self._store.get_connection(org, sandbox, doc["id"]) or doc

    def _load(self, caller: Caller, ident: str) -> dict[str, Any]:
        doc = self._store.get_connection(caller.org, caller.sandbox, ident)
        if doc is None:
            raise not_found("connection", ident)
        return self._settled(caller.org, caller.sandbox, doc)

    def settle_all(self) -> int:
        """Apply every pending service-side update now (control API); how many there were."""
        done = 0
        for org, sandbox, doc in list(self._store.all_connections()):
            if service_side.pending(doc):
                self._settled(org, sandbox, doc, now=True)
                done += 1
        return done

    def service_edit(self, ident: str, body: Any) -> dict[str, Any]:
        """Change a connection as the service itself would (control API): ``params`` set, ``remove`` dropped,
        ``mask`` the form secrets are shown in. New etag, ``updatedBy`` the service. Bypasses validation on
        purpose: it stands for what the service may do, not for what a client may send."""
        if not isinstance(body, dict) or set(body) - {"params", "remove", "mask"}:
            raise bad_request("send {params: {...}, remove: [...], mask: stars|arn|omit}", field="body")
        params, remove, form = body.get("params", {}), body.get("remove", []), body.get("mask")
        if (not isinstance(params, dict) or not isinstance(remove, list) or not all(isinstance(k, str) for k in remove)
                or form not in (None, *service_side.MASK_FORMS)):
            raise bad_request("params must be an object, remove a list of param names, mask one of "
                              f"{', '.join(service_side.MASK_FORMS)}", field="body")
        for org, sandbox, doc in self._store.all_connections():
            if doc["id"] != ident:
                continue
            new = {**doc, "auth": {**doc["auth"], "params": {**doc["auth"]["params"], **params}}}
            for key in remove:
                new["auth"]["params"].pop(key, None)
            if form:
                new[service_side.HIDDEN] = {**(doc.get(service_side.HIDDEN) or {}), "mask": form}
            service_side.service_stamp(new, _now_ms(), new_etag())
            if not self._store.replace_connection(org, sandbox, new, doc["etag"]):
                raise FlowError(1404, 412, f"Connection '{ident}' changed while it was edited; try again.")
            return {"id": ident, "etag": new["etag"]}
        raise not_found("connection", ident)

    # validation ------------------------------------------------------------------------------------------
    def _validate_create(self, body: Any) -> tuple[dict[str, Any], ConnectionSpec, AuthSpec]:
        if not isinstance(body, dict):
            raise bad_request("The request body must be a JSON object with name, auth and connectionSpec.",
                              field="body")
        unknown = [k for k in body if k not in _TOP_LEVEL]
        if unknown:
            raise bad_request(f"Unknown field '{unknown[0]}'; allowed: {', '.join(_TOP_LEVEL)}.", field=unknown[0])
        name = body.get("name")
        if not isinstance(name, str) or not name.strip():
            raise bad_request("name is required and must be a non-empty string.", field="name")
        if "description" in body and not isinstance(body["description"], str):
            raise bad_request("description must be a string.", field="description")
        if "providerId" in body and not isinstance(body["providerId"], str):
            raise bad_request("providerId must be a string (the streaming tutorials send the provider's id); it "
                              "is accepted and not stored.", field="providerId")
        cs = body.get("connectionSpec")
        if not isinstance(cs, dict) or not isinstance(cs.get("id"), str):
            raise bad_request("connectionSpec.id is required: the id of the source's connection spec.",
                              field="connectionSpec.id")
        spec = self._catalog.get(cs["id"])
        if spec is None:
            raise FlowError(1413, 400, f"Connection spec '{cs['id']}' was not found; see GET /connectionSpecs.",
                            context={"field": "connectionSpec.id"})
        version = cs.get("version", spec.version)
        if version != spec.version:
            raise FlowError(1413, 400,
                            f"Connection spec '{cs['id']}' has no version '{version}'; use '{spec.version}'.",
                            context={"field": "connectionSpec.version"})
        auth = body.get("auth")
        if not isinstance(auth, dict) or not isinstance(auth.get("specName"), str):
            raise bad_request("auth.specName is required: the name of one of the spec's auth specs.",
                              field="auth.specName")
        extra = [k for k in auth if k not in _AUTH_KEYS]
        if extra:
            raise bad_request(f"Unknown field 'auth.{extra[0]}'; allowed: specName, params, type.",
                              field=f"auth.{extra[0]}")
        auth_spec = spec.auth_spec(auth["specName"])
        if auth_spec is None:
            names = ", ".join(f"'{a.name}'" for a in spec.auth_specs)
            raise FlowError(1415, 400,
                            f"Auth spec '{auth['specName']}' is not supported by {spec.display_name}; use one of "
                            f"{names}.", context={"field": "auth.specName"})
        if "params" not in auth:
            raise FlowError(1304, 400, "auth.params is required.", context={"field": "auth.params"})
        params = validate_params(auth_spec, auth["params"])
        doc = {"name": name, "auth": {"specName": auth_spec.name, "params": params},
               "connectionSpec": {"id": spec.id, "version": spec.version}}
        if "description" in body:
            doc["description"] = body["description"]
        return doc, spec, auth_spec

    # operations ------------------------------------------------------------------------------------------
    def create(self, caller: Caller, body: Any) -> dict[str, Any]:
        doc, _, _ = self._validate_create(body)
        doc = stamped(caller, doc)
        service_side.on_create(doc, _now_ms(), int(self.service_delay_seconds * 1000))
        self._store.insert_connection(caller.org, caller.sandbox, doc)
        return {"id": doc["id"], "etag": doc["etag"]}

    def get(self, caller: Caller, ident: str, conds: Conditions | None = None) -> dict[str, Any]:
        doc = self._load(caller, ident)
        self._preconditions(doc, conds, require_if_match=False)
        return self.public(doc)

    def list(self, caller: Caller, query: list[tuple[str, str]], base_path: str) -> dict[str, Any]:
        q = listing.parse(query)
        docs = [self.public(self._settled(caller.org, caller.sandbox, d))
                for d in self._store.list_connections(caller.org, caller.sandbox)]
        return listing.run(docs, q, base_path)

    def _preconditions(self, doc: dict[str, Any], conds: Conditions | None, *, require_if_match: bool) -> None:
        preconditions.guard(conds, doc["etag"], doc["updatedAt"], f"connection '{doc['id']}'",
                            require_if_match=require_if_match)

    def patch(self, caller: Caller, ident: str, conds: Conditions | None, body: Any) -> dict[str, Any]:
        doc = self._load(caller, ident)
        self._preconditions(doc, conds, require_if_match=True)
        ops = json_patch.normalize(body)
        spec, auth = self._spec_and_auth(doc)
        if spec is None or auth is None:
            raise FlowError(1413, 400, f"Connection '{ident}' refers to a connection spec this emulator no longer "
                            "serves; delete it and create it again.")
        defined = frozenset(p.name for p in auth.params)
        service_side.refuse_owned_ops(doc, ops, defined)
        mine, owned = service_side.split_owned(doc, defined)
        new = json_patch.apply({**doc, "auth": {**doc["auth"], "params": mine}}, ops, auth)
        if not any(op["path"].rstrip("/") == "/auth/params" for op in ops):
            new["auth"]["params"].update(owned)
        etag = new_etag()
        new.update(updatedAt=_now_ms(), updatedBy=f"{caller.client_id}@AdobeID", updatedClient=caller.client_id,
                   etag=etag, version=etag)
        if not self._store.replace_connection(caller.org, caller.sandbox, new, doc["etag"]):
            raise FlowError(1404, 412, f"Connection '{ident}' changed while this update was applied; GET it again "
                            "and retry.", context={"field": "If-Match"})
        return {"id": ident, "etag": etag}

    def delete(self, caller: Caller, ident: str, conds: Conditions | None = None) -> None:
        """Refused with FLOW-1418 while a dataflow reads through the connection (Flow Service error catalog,
        experienceleague.adobe.com/en/docs/experience-platform/sources/errors/flow-service-errors); its source
        connections alone do not stop it."""
        doc = self._load(caller, ident)
        self._preconditions(doc, conds, require_if_match=False)
        flows = self.reading(caller, ident) if self.reading else []
        if flows:
            listed = ", ".join(f"'{f['id']}' ({f['name']})" for f in flows[:10])
            raise FlowError(1418, 400, f"Found active flows on connection '{ident}': {listed}. Delete those "
                            "dataflows first (DELETE /flows/{id}), then the connection.", context={"field": "id"})
        if not self._store.delete_connection(caller.org, caller.sandbox, ident):
            raise not_found("connection", ident)

    def test(self, caller: Caller, ident: str) -> dict[str, bool]:
        doc = self._load(caller, ident)
        spec, auth = self._spec_and_auth(doc)
        ok = spec is not None and auth is not None and check_connectivity(spec, auth, doc["auth"]["params"])
        return {"result": ok}

    def dump(self) -> list[dict[str, Any]]:
        """Every stored connection with org, sandbox and UNMASKED params - for the test-only control API."""
        return [{"org": org, "sandbox": sandbox, **service_side.public(doc)}
                for org, sandbox, doc in self._store.all_connections()]
