"""Flows (dataflows): source connections -> target connections under a flow spec, on a schedule.

What a flow must point at is checked by ``flow_checks``, its schedule by ``flow_schedule``, on create and after
every PATCH. ``inheritedAttributes`` lists the source connections with their base connections and the target
connections with their connection spec, as Adobe documents; it is recorded at creation. A new flow is
``enabled``; ``POST /flows/{id}/action?op=enable|disable`` switches it (a new etag each time).

PATCH (JSON Patch, ``If-Match`` required as for every Flow Service PATCH) takes the paths Adobe's "Update
dataflows" tutorial changes (https://experienceleague.adobe.com/en/docs/experience-platform/sources/api-
tutorials/update-dataflows): ``/name``, ``/description``, ``/scheduleParams/frequency|interval|startTime``
(``startTime`` only while it is ahead) and the mapping (``/transformations/N`` or its ``params/mappingId|
mappingVersion``). What the flow reads and writes cannot change: the same tutorial says to create new source and
target connections and a new dataflow instead, so ``/sourceConnectionIds``, ``/targetConnectionIds`` and
``/flowSpec`` are refused (400).
"""
from __future__ import annotations

import re
import uuid
from typing import Any

from emulator.errors import bad_request

from . import json_patch, pointer
from .connections import Caller
from .documents import Documents, json_object, optional_text, patch_name_or_description, required_text
from .flow_checks import FlowChecks
from .flow_schedule import refuse_passed_start, schedule
from .preconditions import Conditions
from .store import Store

KIND = "flow"
_TOP_LEVEL = ("name", "description", "flowSpec", "sourceConnectionIds", "targetConnectionIds", "transformations",
              "scheduleParams")
_FIXED = ("/sourceConnectionIds", "/targetConnectionIds", "/flowSpec")
_SCHEDULE = re.compile(r"^/scheduleParams/(frequency|interval|startTime)$")
_TRANSFORMATION = re.compile(r"^/transformations/([0-9]+|-)(/params/(mappingId|mappingVersion))?$")
ALLOWED = ("/name, /description, /scheduleParams/frequency, /scheduleParams/interval, /scheduleParams/startTime, "
           "/transformations/N, /transformations/N/params/mappingId, /transformations/N/params/mappingVersion")
ACTIONS = {"enable": "enabled", "disable": "disabled"}


def _ids(body: dict[str, Any], field: str) -> list[str]:
    value = body.get(field)
    if not isinstance(value, list) or not value or not all(isinstance(i, str) and i.strip() for i in value):
        raise bad_request(f"{field} is required: a non-empty array of connection ids.", field=field)
    return list(value)


class Flows:
    def __init__(self, store: Store, checks: FlowChecks):
        self.checks = checks
        self.docs = Documents(store, KIND, "flow")

    def _checked(self, caller: Caller, doc: dict[str, Any]) -> dict[str, Any]:
        """``doc``'s rules (targets, mapping, schedule) hold; its stored form."""
        spec = self.checks.flow_spec(doc.get("flowSpec"))
        targets = self.checks.targets(caller, _ids(doc, "targetConnectionIds"), spec)
        doc["transformations"] = self.checks.transformations(caller, doc.get("transformations", []), spec, targets)
        doc["scheduleParams"] = schedule(doc.get("scheduleParams"))
        return doc

    def create(self, caller: Caller, body: Any) -> dict[str, Any]:
        body = json_object(body, _TOP_LEVEL, "flow (name, flowSpec, sourceConnectionIds, targetConnectionIds, "
                           "transformations, scheduleParams)")
        name = required_text(body, "name", "the dataflow's display name")
        optional_text(body, "description")
        spec = self.checks.flow_spec(body.get("flowSpec"))
        source_ids, target_ids = _ids(body, "sourceConnectionIds"), _ids(body, "targetConnectionIds")
        sources = self.checks.sources(caller, source_ids, spec)
        targets = self.checks.targets(caller, target_ids, spec)
        doc: dict[str, Any] = {
            "name": name, "flowSpec": {"id": spec["id"], "version": spec["version"]},
            "sourceConnectionIds": source_ids, "targetConnectionIds": target_ids,
            "inheritedAttributes": {"sourceConnections": sources,
                                    "targetConnections": [{"id": t["id"], "connectionSpec": t["connectionSpec"]}
                                                          for t in targets]},
            "transformations": body.get("transformations", []), "scheduleParams": body.get("scheduleParams"),
        }
        if "description" in body:
            doc["description"] = body["description"]
        ident = str(uuid.uuid4())
        doc = self._checked(caller, doc)
        doc["runs"] = f"/runs?property=flowId=={ident}"
        return self.docs.insert(caller, doc, ident)

    def get(self, caller: Caller, ident: str) -> dict[str, Any]:
        return self.docs.get(caller, ident)

    def list(self, caller: Caller, query: list[tuple[str, str]], base_path: str) -> dict[str, Any]:
        return self.docs.list(caller, query, base_path)

    def patch(self, caller: Caller, ident: str, conds: Conditions | None, body: Any) -> dict[str, Any]:
        def change(doc: dict[str, Any]) -> dict[str, Any]:
            for op in json_patch.normalize(body):
                self._apply(doc, op)
            return self._checked(caller, doc)

        return self.docs.update(caller, ident, conds, change)

    @staticmethod
    def _apply(doc: dict[str, Any], op: dict[str, Any]) -> None:
        path = op["path"].rstrip("/")
        if patch_name_or_description(doc, op):
            return
        if path.startswith(_FIXED):
            raise bad_request(f"{path} of a dataflow cannot be changed; create new source and target connections "
                              "and a new dataflow instead (Adobe's \"Update dataflows\" guide).", field=path)
        if _SCHEDULE.match(path):
            if path.endswith("/startTime"):
                refuse_passed_start(doc.get("scheduleParams") or {})
            pointer.apply(doc, op["op"], path, op["value"])
        elif _TRANSFORMATION.match(path):
            doc.setdefault("transformations", [])
            pointer.apply(doc, op["op"], path, op["value"])
        else:
            raise bad_request(f"Unsupported patch path {path[:200]}; allowed: {ALLOWED}.", field=path)

    def action(self, caller: Caller, ident: str, conds: Conditions | None, op: str | None) -> dict[str, Any]:
        """``op=enable|disable``: the flow's new ``state`` and a new etag (If-Match optional, checked if sent)."""
        if op not in ACTIONS:
            raise bad_request(f"op must be one of {', '.join(ACTIONS)}, got '{str(op)[:40]}'.", field="op")
        return self.docs.update(caller, ident, conds, lambda doc: {**doc, "state": ACTIONS[op]},
                                require_if_match=False)

    def delete(self, caller: Caller, ident: str, conds: Conditions | None = None) -> None:
        self.docs.delete(caller, ident, conds)

    def reading(self, caller: Caller, base_id: str) -> list[dict[str, Any]]:
        """The flows reading through base connection ``base_id`` (via their source connections)."""
        return [f for f in self.docs.all(caller)
                if any(s["baseConnection"]["id"] == base_id for s in f["inheritedAttributes"]["sourceConnections"])]
