"""Documents beside base connections (source and target connections, flows, mapping sets, datasets): one kind
each, per (org, sandbox).

What they share with base connections: the caller's (org, sandbox) scopes every read and write, an id from
another org or sandbox is simply not found, and each document carries Adobe's metadata (ids, times, client,
sandbox, etag). Nothing in them is secret, so the stored document is the API view. Updates are guarded like a
connection's PATCH: ``If-Match`` where the caller asks for it, a compare-and-set on the etag, and a new etag.
"""
from __future__ import annotations

import copy
import time
from typing import Any, Callable

from emulator.errors import FlowError, bad_request, not_found

from . import listing, preconditions
from .connections import Caller, new_etag, stamped
from .preconditions import Conditions
from .store import Store


def touched(doc: dict[str, Any], caller: Caller) -> dict[str, Any]:
    """``doc`` after a change by ``caller``: a new etag, ``updatedAt``/``updatedBy``/``updatedClient``."""
    etag = new_etag()
    doc.update(updatedAt=int(time.time() * 1000), updatedBy=f"{caller.client_id}@AdobeID",
               updatedClient=caller.client_id, etag=etag, version=etag)
    return doc


class Documents:
    def __init__(self, store: Store, kind: str, label: str, service: str = "FLOW"):
        self._store = store
        self.kind = kind
        self.label = label
        self.service = service

    def insert(self, caller: Caller, fields: dict[str, Any], ident: str | None = None) -> dict[str, Any]:
        """Store ``fields`` with Adobe's metadata around them; the create response (id and etag)."""
        doc = stamped(caller, fields, ident)
        self._store.insert_document(self.kind, caller.org, caller.sandbox, doc)
        return {"id": doc["id"], "etag": doc["etag"]}

    def find(self, caller: Caller, ident: str) -> dict[str, Any] | None:
        return self._store.get_document(self.kind, caller.org, caller.sandbox, ident)

    def get(self, caller: Caller, ident: str) -> dict[str, Any]:
        doc = self.find(caller, ident)
        if doc is None:
            raise not_found(self.label, ident, self.service)
        return doc

    def all(self, caller: Caller) -> list[dict[str, Any]]:
        return self._store.list_documents(self.kind, caller.org, caller.sandbox)

    def list(self, caller: Caller, query: list[tuple[str, str]], base_path: str) -> dict[str, Any]:
        """The same query language as ``GET /connections`` (backend/listing.py)."""
        return listing.run(self.all(caller), listing.parse(query), base_path)

    def update(self, caller: Caller, ident: str, conds: Conditions | None,
               change: Callable[[dict[str, Any]], dict[str, Any]], *, require_if_match: bool = True) -> dict:
        """Apply ``change`` to a copy of the stored document under the etag preconditions; ``{id, etag}``."""
        doc = self.get(caller, ident)
        preconditions.guard(conds, doc["etag"], doc["updatedAt"], f"{self.label} '{ident}'",
                            require_if_match=require_if_match)
        new = touched(change(copy.deepcopy(doc)), caller)
        if not self._store.replace_document(self.kind, caller.org, caller.sandbox, new, doc["etag"]):
            raise FlowError(1404, 412, f"The {self.label} '{ident}' changed while this update was applied; GET it "
                            "again and retry.", context={"field": "If-Match"}, service=self.service)
        return {"id": ident, "etag": new["etag"]}

    def delete(self, caller: Caller, ident: str, conds: Conditions | None = None) -> None:
        doc = self.get(caller, ident)
        preconditions.guard(conds, doc["etag"], doc["updatedAt"], f"{self.label} '{ident}'", require_if_match=False)
        if not self._store.delete_document(self.kind, caller.org, caller.sandbox, ident):
            raise not_found(self.label, ident, self.service)


def json_object(body: Any, allowed: tuple[str, ...], what: str, service: str = "FLOW") -> dict[str, Any]:
    """``body`` as a dict with only ``allowed`` keys, or a 400 naming the first problem."""
    if not isinstance(body, dict):
        raise bad_request(f"The request body must be a JSON object describing the {what}.", field="body",
                          service=service)
    unknown = [k for k in body if k not in allowed]
    if unknown:
        raise bad_request(f"Unknown field '{unknown[0]}'; allowed: {', '.join(allowed)}.", field=unknown[0],
                          service=service)
    return body


def required_text(body: dict[str, Any], field: str, meaning: str, label: str | None = None,
                  service: str = "FLOW") -> str:
    value = body.get(field)
    if not isinstance(value, str) or not value.strip():
        name = label or field
        raise bad_request(f"{name} is required: {meaning} (a non-empty string).", field=name, service=service)
    return value


def optional_text(body: dict[str, Any], field: str, service: str = "FLOW") -> None:
    if field in body and not isinstance(body[field], str):
        raise bad_request(f"{field} must be a string.", field=field, service=service)


def patch_name_or_description(doc: dict[str, Any], op: dict[str, Any]) -> bool:
    """Apply an op on ``/name`` or ``/description`` (True), or leave it to the caller (False)."""
    path, kind, value = op["path"].rstrip("/"), op["op"], op["value"]
    if path == "/name":
        if kind == "remove":
            raise bad_request("/name is required and cannot be removed.", field=path)
        if not isinstance(value, str) or not value.strip():
            raise bad_request("The value for /name must be a non-empty string.", field=path)
        doc["name"] = value
        return True
    if path == "/description":
        if kind == "remove":
            doc.pop("description", None)
        elif not isinstance(value, str):
            raise bad_request("The value for /description must be a string.", field=path)
        else:
            doc["description"] = value
        return True
    return False
