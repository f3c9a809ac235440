"""Source connections: what to read through a base connection (a table, a path), the first half of a dataflow.

A source connection names its ``baseConnectionId``, which must exist in the caller's sandbox (else 400), the
base connection's ``connectionSpec`` and ``data`` (the spec requires ``name``, ``connectionSpec`` and ``data``).
``inheritedAttributes.baseConnection`` (id and connection spec) is recorded at creation, as Adobe returns it.
The top-level ``providerId`` Adobe's tutorials send is accepted and not stored. PATCH (``connection_patch``)
changes the name, description and params. Deleting a source connection is never refused; deleting its base
connection is while a dataflow reads through it (``Flows.reading``).
"""
from __future__ import annotations

from typing import Any

from emulator.errors import bad_request

from .connections import Caller
from . import connection_patch
from .documents import Documents, json_object, optional_text, required_text
from .preconditions import Conditions
from .store import Store

KIND = "sourceConnection"
_TOP_LEVEL = ("name", "description", "baseConnectionId", "connectionSpec", "data", "params", "providerId")


class SourceConnections:
    def __init__(self, store: Store):
        self._store = store
        self.docs = Documents(store, KIND, "source connection")

    def _validate(self, caller: Caller, body: Any) -> dict[str, Any]:
        body = json_object(body, _TOP_LEVEL, "source connection (name, baseConnectionId, connectionSpec, data)")
        name = required_text(body, "name", "the source connection's display name")
        optional_text(body, "description")
        optional_text(body, "providerId")
        base_id = required_text(body, "baseConnectionId", "the id of the base connection to read through")
        base = self._store.get_connection(caller.org, caller.sandbox, base_id)
        if base is None:
            raise bad_request(f"Base connection '{base_id}' does not exist in sandbox '{caller.sandbox}'; create it "
                              "first (POST /connections) or use the id of one in this sandbox.",
                              field="baseConnectionId")
        spec = base["connectionSpec"]
        given = body.get("connectionSpec")
        if not isinstance(given, dict) or given.get("id") != spec["id"] or given.get("version", spec["version"]) \
                != spec["version"]:
            raise bad_request(f"connectionSpec must be the base connection's: {{\"id\": \"{spec['id']}\", "
                              f"\"version\": \"{spec['version']}\"}}.", field="connectionSpec")
        if not isinstance(body.get("data"), dict):
            raise bad_request("data is required: a JSON object such as {\"format\": \"tabular\"}.", field="data")
        if "params" in body and not isinstance(body["params"], dict):
            raise bad_request("params must be a JSON object, e.g. {\"tableName\": \"orders\"}.", field="params")
        data = body["data"]
        if "format" in data and not isinstance(data["format"], str):
            raise bad_request("data.format must be a string such as \"tabular\" or \"delimited\".",
                              field="data.format")
        doc: dict[str, Any] = {"name": name, "baseConnectionId": base_id, "connectionSpec": dict(spec),
                               "data": data, "params": body.get("params", {})}
        if "description" in body:
            doc["description"] = body["description"]
        doc["inheritedAttributes"] = {"baseConnection": {"id": base_id, "connectionSpec": dict(spec)}}
        return doc

    def create(self, caller: Caller, body: Any) -> dict[str, Any]:
        return self.docs.insert(caller, self._validate(caller, body))

    def get(self, caller: Caller, ident: str) -> dict[str, Any]:
        return self.docs.get(caller, ident)

    def find(self, caller: Caller, ident: str) -> dict[str, Any] | None:
        return self.docs.find(caller, ident)

    def list(self, caller: Caller, query: list[tuple[str, str]], base_path: str) -> dict[str, Any]:
        return self.docs.list(caller, query, base_path)

    def patch(self, caller: Caller, ident: str, conds: Conditions | None, body: Any) -> dict[str, Any]:
        return self.docs.update(caller, ident, conds, lambda doc: connection_patch.apply(doc, body,
                                                                                         "source connection"))

    def delete(self, caller: Caller, ident: str, conds: Conditions | None = None) -> None:
        self.docs.delete(caller, ident, conds)
