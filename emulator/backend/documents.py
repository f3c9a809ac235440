"""Documents that hang off base connections (source connections, flows): one kind each, per (org, sandbox).

What they share with base connections: the caller's (org, sandbox) scopes every read and write, an id from
another org or sandbox is simply not found, and each document carries Adobe's metadata (ids, times, client,
sandbox, etag). Nothing in them is secret, so the stored document is the API view.
"""
from __future__ import annotations

from typing import Any

from emulator.errors import bad_request, not_found

from . import listing
from .connections import Caller, stamped
from .store import Store


class Documents:
    def __init__(self, store: Store, kind: str, label: str):
        self._store = store
        self.kind = kind
        self.label = label

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
            raise not_found(self.label, ident)
        return doc

    def list(self, caller: Caller, query: list[tuple[str, str]], base_path: str) -> dict[str, Any]:
        """The same query language as ``GET /connections`` (backend/listing.py)."""
        q = listing.parse(query)
        return listing.run(self._store.list_documents(self.kind, caller.org, caller.sandbox), q, base_path)

    def delete(self, caller: Caller, ident: str) -> None:
        if not self._store.delete_document(self.kind, caller.org, caller.sandbox, ident):
            raise not_found(self.label, ident)


def json_object(body: Any, allowed: tuple[str, ...], what: str) -> dict[str, Any]:
    """``body`` as a dict with only ``allowed`` keys, or a 400 naming the first problem."""
    if not isinstance(body, dict):
        raise bad_request(f"The request body must be a JSON object describing the {what}.", field="body")
    unknown = [k for k in body if k not in allowed]
    if unknown:
        raise bad_request(f"Unknown field '{unknown[0]}'; allowed: {', '.join(allowed)}.", field=unknown[0])
    return body


def required_text(body: dict[str, Any], field: str, meaning: str) -> str:
    value = body.get(field)
    if not isinstance(value, str) or not value.strip():
        raise bad_request(f"{field} is required: {meaning} (a non-empty string).", field=field)
    return value


def optional_text(body: dict[str, Any], field: str) -> None:
    if field in body and not isinstance(body[field], str):
        raise bad_request(f"{field} must be a string.", field=field)
