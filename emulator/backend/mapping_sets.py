"""Data Prep mapping sets (``/data/foundation/conversion/mappingSets``): source fields -> XDM paths, versioned.

From Adobe's "Mapping sets endpoint" guide
(https://experienceleague.adobe.com/en/docs/experience-platform/data-prep/api/mapping-set) and the Data Prep
OpenAPI spec: POST answers 200 with a ``SimpleRepresentation`` (``id``, ``version: 0``, dates as epoch
milliseconds, as every example shows); ``GET /mappingSets/{id}`` answers the latest version, ``?version=N`` an
older one; PUT makes the next version and keeps the old ones readable; the list answers
``{"data", "_page", "_links"}`` and takes ``limit``, ``start`` and ``name``. There is no DELETE. The target
schema is ``xdmSchema`` or ``outputSchema.schemaRef.id`` (the database tutorial sends the first, the overview
shows the second); the service gives each mapping an ``id`` and, where none was sent, its ``source`` as
``name`` (as in the overview's example). Ids are 32 hex characters, as in Adobe's examples.
"""
from __future__ import annotations

import re
import time
import uuid
from typing import Any

from emulator.errors import bad_request, not_found

from .connections import Caller
from .documents import Documents, json_object
from .store import Store

SERVICE = "CONV"
SOURCE_TYPES = ("ATTRIBUTE", "STATIC", "EXPRESSION")
XED_FULL = "application/vnd.adobe.xed-full+json;version=1"
_READ_ONLY = ("createdDate", "modifiedDate", "createdBy", "modifiedBy")  # sent back from a GET; ignored
_TOP_LEVEL = ("version", "xdmSchema", "xdmVersion", "mappings", "outputSchema", "name", "id", *_READ_ONLY)
_MAPPING_KEYS = ("sourceType", "source", "destination", "name", "description", "id", "identity", "primaryIdentity")
_FLAGS = ("identity", "primaryIdentity")  # shown in the MappingOperation example of Adobe's Data Prep spec
_DIGITS = re.compile(r"^[0-9]{1,9}$")


def _refused(message: str, field: str) -> Exception:
    return bad_request(message, field=field, service=SERVICE)


def _schema(body: dict[str, Any]) -> tuple[str, str]:
    """(schema id, content type) from ``xdmSchema`` and/or ``outputSchema.schemaRef``."""
    given = body.get("xdmSchema")
    if given is not None and (not isinstance(given, str) or not given.strip()):
        raise _refused("xdmSchema must be the $id of the target XDM schema (a non-empty string).", "xdmSchema")
    ref, content = None, XED_FULL
    if "outputSchema" in body:
        out = body["outputSchema"]
        ref = out.get("schemaRef") if isinstance(out, dict) else None
        if not isinstance(ref, dict) or not isinstance(ref.get("id"), str) or not ref["id"].strip():
            raise _refused("outputSchema.schemaRef.id must be the $id of the target XDM schema.",
                           "outputSchema.schemaRef.id")
        content = ref.get("contentType", XED_FULL)
        if not isinstance(content, str):
            raise _refused("outputSchema.schemaRef.contentType must be a string.", "outputSchema.schemaRef")
    if given is None and ref is None:
        raise _refused("xdmSchema is required: the $id of the target XDM schema (or send "
                       "outputSchema.schemaRef.id).", "xdmSchema")
    if given is not None and ref is not None and ref["id"] != given:
        raise _refused("xdmSchema and outputSchema.schemaRef.id name different schemas; send one, or the same.",
                       "outputSchema.schemaRef.id")
    return given or ref["id"], content


def _mapping(raw: Any, i: int) -> dict[str, Any]:
    where = f"mappings[{i}]"
    if not isinstance(raw, dict):
        raise _refused(f"{where} must be an object with sourceType, source and destination.", where)
    unknown = [k for k in raw if k not in _MAPPING_KEYS]
    if unknown:
        raise _refused(f"Unknown field {where}.{unknown[0]}; allowed: {', '.join(_MAPPING_KEYS)}.",
                       f"{where}.{unknown[0]}")
    kind = raw.get("sourceType", "ATTRIBUTE")
    if kind not in SOURCE_TYPES:
        raise _refused(f"{where}.sourceType must be one of {', '.join(SOURCE_TYPES)}.", f"{where}.sourceType")
    for key, meaning in (("source", "the source field"), ("destination", "the XDM path")):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            raise _refused(f"{where}.{key} is required: a non-empty string ({meaning}).", f"{where}.{key}")
    for key in ("name", "description"):
        if key in raw and not isinstance(raw[key], str):
            raise _refused(f"{where}.{key} must be a string.", f"{where}.{key}")
    for key in _FLAGS:
        if key in raw and not isinstance(raw[key], bool):
            raise _refused(f"{where}.{key} must be true or false.", f"{where}.{key}")
    out = {"id": uuid.uuid4().hex, "sourceType": kind, "source": raw["source"], "destination": raw["destination"],
           "name": raw.get("name", raw["source"])}
    if "description" in raw:
        out["description"] = raw["description"]
    out.update({key: raw[key] for key in _FLAGS if key in raw})
    return out


def _validate(body: Any, new: bool) -> dict[str, Any]:
    """A version's fields from a POST (``new``) or PUT body; ``version`` is numbered by the service."""
    body = json_object(body, _TOP_LEVEL, "mapping set (xdmSchema, mappings)", SERVICE)
    given = body.get("version", 0)
    if not isinstance(given, int) or isinstance(given, bool) or (new and given != 0):
        raise _refused(f"version is numbered by the service: leave it out{' or send 0' if new else ''}, got "
                       f"{str(given)[:40]}.", "version")
    if new and "id" in body:
        raise _refused("id is given by the service; leave it out of a new mapping set.", "id")
    schema, content = _schema(body)
    xdm_version = body.get("xdmVersion", "1.0")
    if not isinstance(xdm_version, str):
        raise _refused("xdmVersion must be a string such as \"1.0\".", "xdmVersion")
    if "name" in body and not isinstance(body["name"], str):
        raise _refused("name must be a string.", "name")
    mappings = body.get("mappings")
    if not isinstance(mappings, list) or not mappings:
        raise _refused("mappings is required: a non-empty array of {sourceType, source, destination}.", "mappings")
    out = {"xdmSchema": schema, "xdmVersion": xdm_version,
           "outputSchema": {"schemaRef": {"id": schema, "contentType": content}},
           "mappings": [_mapping(m, i) for i, m in enumerate(mappings)]}
    if "name" in body:
        out["name"] = body["name"]
    return out


class MappingSets:
    def __init__(self, store: Store):
        self.docs = Documents(store, "mappingSet", "mapping set", SERVICE)

    @staticmethod
    def _view(doc: dict[str, Any], entry: dict[str, Any]) -> dict[str, Any]:
        """One version as Data Prep shows it; created is when version 0 was made."""
        first = doc["versions"][0]
        return {"id": doc["id"], **entry, "createdDate": first["modifiedDate"], "createdBy": first["modifiedBy"]}

    @staticmethod
    def _stamp(entry: dict[str, Any], caller: Caller, version: int) -> dict[str, Any]:
        return {"version": version, **entry, "modifiedDate": int(time.time() * 1000),
                "modifiedBy": f"{caller.client_id}@AdobeID"}

    def create(self, caller: Caller, body: Any) -> dict[str, Any]:
        entry = self._stamp(_validate(body, new=True), caller, 0)
        ident = self.docs.insert(caller, {"versions": [entry]}, uuid.uuid4().hex)["id"]
        return {"id": ident, "version": 0, "createdDate": entry["modifiedDate"], "modifiedDate": entry["modifiedDate"],
                "createdBy": entry["modifiedBy"], "modifiedBy": entry["modifiedBy"]}

    def _doc(self, caller: Caller, ident: str) -> dict[str, Any]:
        doc = self.docs.find(caller, ident)
        if doc is None or not doc.get("versions"):
            raise not_found("mapping set", ident, SERVICE)
        return doc

    def get(self, caller: Caller, ident: str, version: str | None = None) -> dict[str, Any]:
        doc = self._doc(caller, ident)
        if version is None:
            return self._view(doc, doc["versions"][-1])
        if not _DIGITS.match(version):
            raise _refused(f"version must be a whole number (0 is the first), got '{version[:40]}'.", "version")
        if int(version) >= len(doc["versions"]):
            raise not_found("mapping set version", f"{ident}?version={int(version)}", SERVICE)
        return self._view(doc, doc["versions"][int(version)])

    def find(self, caller: Caller, ident: str, version: Any) -> dict[str, Any] | None:
        """A version of a mapping set for a dataflow's checks (``version`` as the flow sent it), else None."""
        doc = self.docs.find(caller, ident)
        text = str(version) if isinstance(version, (int, str)) and not isinstance(version, bool) else ""
        if doc is None or not _DIGITS.match(text) or int(text) >= len(doc.get("versions", [])):
            return None
        return self._view(doc, doc["versions"][int(text)])

    def put(self, caller: Caller, ident: str, body: Any) -> dict[str, Any]:
        self._doc(caller, ident)
        fields = _validate(body, new=False)
        if body.get("id", ident) != ident:
            raise _refused(f"id in the body ({str(body['id'])[:40]}) is not the mapping set's id {ident}.", "id")

        def add(d: dict[str, Any]) -> dict[str, Any]:
            d["versions"].append(self._stamp(fields, caller, len(d["versions"])))
            return d

        self.docs.update(caller, ident, None, add, require_if_match=False)
        return self.get(caller, ident)

    def list(self, caller: Caller, query: list[tuple[str, str]]) -> dict[str, Any]:
        params = dict(query)
        limit, start = self._number(params, "limit", 10, 1), self._number(params, "start", 0, 0)
        docs = [self._view(d, d["versions"][-1]) for d in self.docs.all(caller) if d.get("versions")]
        if "name" in params:
            docs = [d for d in docs if d.get("name") == params["name"]]
        page = docs[start:start + limit]
        body: dict[str, Any] = {"data": page, "_page": {"count": len(page), "limit": limit}, "_links": {}}
        if start + limit < len(docs):
            body["_links"]["next"] = {"href": f"/mappingSets?limit={limit}&start={start + limit}"}
        return body

    @staticmethod
    def _number(params: dict[str, str], name: str, default: int, low: int) -> int:
        text = params.get(name)
        if text is None:
            return default
        if not _DIGITS.match(text) or int(text) < low:
            raise _refused(f"{name} must be a whole number of at least {low}, got '{text[:40]}'.", name)
        return int(text)
