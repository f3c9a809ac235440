"""Catalog datasets (``/data/foundation/catalog/dataSets``): the containers a dataflow's target connection writes
to, per (org, sandbox).

Shapes from Adobe's Catalog API reference and its "Create a dataset" tutorial
(https://experienceleague.adobe.com/en/docs/experience-platform/catalog/api/create-dataset): POST answers 201
with ``["@/dataSets/<id>"]``; GET answers a map from id to dataset (``{"<id>": {...}}``), for one dataset and
for lists alike; DELETE answers 200 with the same one-element array. Ids are 24 hex characters, as Catalog's.
Lists take ``name`` (exact), ``limit`` (1-100, default 20, as the reference says), ``start`` (offset) and
``properties`` (the fields to return); other Catalog filters are not emulated and are ignored.
"""
from __future__ import annotations

import re
import secrets
from typing import Any

from emulator.errors import bad_request

from .connections import Caller
from .documents import Documents, json_object, optional_text, required_text
from .store import Store

SERVICE = "CAT"
_TOP_LEVEL = ("name", "description", "schemaRef", "tags", "fileDescription", "enableErrorDiagnostics",
              "observableSchema")
_DIGITS = re.compile(r"^[0-9]{1,10}$")
DEFAULT_LIMIT, MAX_LIMIT = 20, 100
XED = "application/vnd.adobe.xed+json;version=1"


def _refused(message: str, field: str) -> Exception:
    return bad_request(message, field=field, service=SERVICE)


def _number(query: dict[str, str], name: str, default: int, low: int, high: int) -> int:
    text = query.get(name)
    if text is None:
        return default
    if not _DIGITS.match(text) or not low <= int(text) <= high:
        raise _refused(f"{name} must be an integer from {low} to {high}, got '{text[:40]}'.", name)
    return int(text)


class Datasets:
    def __init__(self, store: Store):
        self.docs = Documents(store, "dataSet", "dataset", SERVICE)

    def _validate(self, body: Any) -> dict[str, Any]:
        body = json_object(body, _TOP_LEVEL, "dataset (name, schemaRef)", SERVICE)
        name = required_text(body, "name", "the dataset's display name", service=SERVICE)
        optional_text(body, "description", SERVICE)
        ref = body.get("schemaRef")
        if not isinstance(ref, dict) or not isinstance(ref.get("id"), str) or not ref["id"].strip():
            raise _refused("schemaRef.id is required: the $id of the XDM schema the dataset is based on.",
                           "schemaRef.id")
        if not isinstance(ref.get("contentType", XED), str):
            raise _refused(f"schemaRef.contentType must be a string such as {XED}.", "schemaRef.contentType")
        tags = body.get("tags", {})
        if not isinstance(tags, dict) or not all(isinstance(v, list) and all(isinstance(i, str) for i in v)
                                                 for v in tags.values()):
            raise _refused("tags must map tag names to arrays of strings.", "tags")
        for key, kind in (("fileDescription", dict), ("observableSchema", dict), ("enableErrorDiagnostics", bool)):
            if key in body and not isinstance(body[key], kind):
                raise _refused(f"{key} must be {'true or false' if kind is bool else 'a JSON object'}.", key)
        doc = {k: v for k, v in body.items() if k != "schemaRef"}
        doc.update(name=name, schemaRef={"id": ref["id"], "contentType": ref.get("contentType", XED)})
        return doc

    def create(self, caller: Caller, body: Any) -> list[str]:
        created = self.docs.insert(caller, self._validate(body), secrets.token_hex(12))
        return [f"@/dataSets/{created['id']}"]

    @staticmethod
    def view(doc: dict[str, Any]) -> dict[str, Any]:
        """A stored dataset as Catalog shows it."""
        out = {k: doc[k] for k in ("name", "description", "tags", "schemaRef", "fileDescription",
                                   "enableErrorDiagnostics", "observableSchema") if k in doc}
        out.update(imsOrg=doc["imsOrgId"], version="1.0.0", created=doc["createdAt"], updated=doc["updatedAt"],
                   createdClient=doc["createdClient"], createdUser=doc["createdBy"], updatedUser=doc["updatedBy"],
                   files=f"@/dataSetFiles?dataSetId={doc['id']}")
        return out

    def find(self, caller: Caller, ident: str) -> dict[str, Any] | None:
        return self.docs.find(caller, ident)

    def get(self, caller: Caller, ident: str, properties: str | None = None) -> dict[str, Any]:
        return {ident: self._select(self.view(self.docs.get(caller, ident)), properties)}

    @staticmethod
    def _select(view: dict[str, Any], properties: str | None) -> dict[str, Any]:
        if not properties:
            return view
        wanted = {p.strip() for p in properties.split(",") if p.strip()}
        return {k: v for k, v in view.items() if k in wanted}

    def list(self, caller: Caller, query: list[tuple[str, str]]) -> dict[str, Any]:
        params = dict(query)
        limit = _number(params, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
        start = _number(params, "start", 0, 0, 2**31 - 1)
        docs = [d for d in self.docs.all(caller) if "name" not in params or d["name"] == params["name"]]
        return {d["id"]: self._select(self.view(d), params.get("properties")) for d in docs[start:start + limit]}

    def delete(self, caller: Caller, ident: str) -> list[str]:
        self.docs.delete(caller, ident)
        return [f"@/dataSets/{ident}"]
