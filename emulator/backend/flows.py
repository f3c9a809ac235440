"""Flows (dataflows): source connections -> target connections under a flow spec, on a schedule.

Every id in ``sourceConnectionIds`` must be a source connection in the caller's sandbox (else 400). Target
connections and flow specs are not emulated: their ids are recorded as given. ``inheritedAttributes`` lists the
source connections with their base connections (id and connection spec) and the target connection ids, as Adobe
documents; it is recorded at creation. The schedule's ``interval`` is returned as a string and ``startTime`` as
an integer, the types of Adobe's ``ScheduleSpecDTO``, whichever of the two the request used.
"""
from __future__ import annotations

import uuid
from typing import Any

from emulator.errors import bad_request

from .connections import Caller
from .documents import Documents, json_object, optional_text, required_text
from .source_connections import SourceConnections
from .store import Store

KIND = "flow"
_TOP_LEVEL = ("name", "description", "flowSpec", "sourceConnectionIds", "targetConnectionIds", "transformations",
              "scheduleParams")
_FREQUENCIES = ("once", "minute", "hour", "day", "week")


def _ids(body: dict[str, Any], field: str) -> list[str]:
    value = body.get(field)
    if not isinstance(value, list) or not value or not all(isinstance(i, str) and i.strip() for i in value):
        raise bad_request(f"{field} is required: a non-empty array of connection ids.", field=field)
    return list(value)


def _whole_number(value: Any, field: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise bad_request(f"{field} must be a whole number.", field=field)


def _schedule(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise bad_request("scheduleParams must be a JSON object such as {\"frequency\": \"hour\", \"interval\": 1}.",
                          field="scheduleParams")
    out = dict(value)
    if "frequency" in out and out["frequency"] not in _FREQUENCIES:
        raise bad_request(f"scheduleParams.frequency must be one of {', '.join(_FREQUENCIES)}.",
                          field="scheduleParams.frequency")
    if "startTime" in out:
        out["startTime"] = _whole_number(out["startTime"], "scheduleParams.startTime")
    if "interval" in out:
        out["interval"] = str(_whole_number(out["interval"], "scheduleParams.interval"))
    if "backfill" in out and not isinstance(out["backfill"], bool):
        raise bad_request("scheduleParams.backfill must be true or false.", field="scheduleParams.backfill")
    return out


def _transformations(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(
        isinstance(t, dict) and isinstance(t.get("name"), str) and isinstance(t.get("params"), dict) for t in value
    ):
        raise bad_request("transformations must be an array of {\"name\": ..., \"params\": {...}}.",
                          field="transformations")
    return value


class Flows:
    def __init__(self, store: Store, source_connections: SourceConnections):
        self._sources = source_connections
        self.docs = Documents(store, KIND, "flow")

    def _validate(self, caller: Caller, body: Any) -> dict[str, Any]:
        body = json_object(body, _TOP_LEVEL, "flow (name, flowSpec, sourceConnectionIds, targetConnectionIds)")
        name = required_text(body, "name", "the dataflow's display name")
        optional_text(body, "description")
        spec = body.get("flowSpec")
        if not isinstance(spec, dict) or not isinstance(spec.get("id"), str) or not spec["id"].strip():
            raise bad_request("flowSpec.id is required: the id of the flow spec for this source.", field="flowSpec.id")
        if not isinstance(spec.get("version", "1.0"), str):
            raise bad_request("flowSpec.version must be a string such as \"1.0\".", field="flowSpec.version")
        source_ids, target_ids = _ids(body, "sourceConnectionIds"), _ids(body, "targetConnectionIds")
        sources = []
        for ident in source_ids:
            source = self._sources.find(caller, ident)
            if source is None:
                raise bad_request(f"Source connection '{ident}' does not exist in sandbox '{caller.sandbox}'; create "
                                  "it first (POST /sourceConnections).", field="sourceConnectionIds")
            sources.append({"id": ident, "connectionSpec": source["connectionSpec"],
                            "baseConnection": source["inheritedAttributes"]["baseConnection"]})
        doc: dict[str, Any] = {
            "name": name,
            "flowSpec": {"id": spec["id"], "version": spec.get("version", "1.0")},
            "sourceConnectionIds": source_ids,
            "targetConnectionIds": target_ids,
            "inheritedAttributes": {"sourceConnections": sources,
                                    "targetConnections": [{"id": ident} for ident in target_ids]},
            "transformations": _transformations(body.get("transformations", [])),
        }
        if "description" in body:
            doc["description"] = body["description"]
        if "scheduleParams" in body:
            doc["scheduleParams"] = _schedule(body["scheduleParams"])
        return doc

    def create(self, caller: Caller, body: Any) -> dict[str, Any]:
        doc, ident = self._validate(caller, body), str(uuid.uuid4())
        doc["runs"] = f"/runs?property=flowId=={ident}"
        return self.docs.insert(caller, doc, ident)

    def get(self, caller: Caller, ident: str) -> dict[str, Any]:
        return self.docs.get(caller, ident)

    def list(self, caller: Caller, query: list[tuple[str, str]], base_path: str) -> dict[str, Any]:
        return self.docs.list(caller, query, base_path)

    def delete(self, caller: Caller, ident: str) -> None:
        self.docs.delete(caller, ident)
