"""Flow specs: which sources a dataflow may read, which targets it may write, its schedule and transformations.

Org- and sandbox-agnostic and read-only, like connection specs. Two are served, with the ids and names Adobe's
tutorials give: ``CRMToAEP`` (databases and CRM sources; "Create a dataflow for database sources",
https://experienceleague.adobe.com/en/docs/experience-platform/sources/api-tutorials/collect/database-nosql,
"Look up dataflow specifications") and ``CloudStorageToAEP`` (cloud storage; the example in Adobe's Flow Service
OpenAPI spec, ``PUT /flowSpecs/{id}``). Their ``sourceConnectionSpecIds`` are the emulator catalog's connection
specs of those categories; both write to the data lake. ``scheduleSpec`` is the schema of the spec's example,
which ``flow_schedule`` enforces. Adobe's example calls the transformations ``transformationSpec`` (the schema
names an object ``transformationSpecs``; the example's list is served under the example's key).
"""
from __future__ import annotations

import copy
from typing import Any

from . import listing
from .catalog import Catalog
from .target_connections import DATA_LAKE

CRM_TO_AEP = "14518937-270c-4525-bdec-c2ba7cce3860"
CLOUD_STORAGE_TO_AEP = "9753525b-82c7-4dce-8a9b-5ccfce2b9876"
_SPECS = ((CRM_TO_AEP, "CRMToAEP", ("databases", "crm")),
          (CLOUD_STORAGE_TO_AEP, "CloudStorageToAEP", ("cloud-storage",)))
_PROVIDER = "0ed90a81-07f4-4586-8190-b40eccef1c5a"  # the providerId of the spec's CloudStorageToAEP example
DRAFT_07 = "http://json-schema.org/draft-07/schema#"

SCHEDULE_SPEC: dict[str, Any] = {
    "name": "PeriodicSchedule", "type": "Periodic",
    "spec": {
        "$schema": DRAFT_07, "type": "object",
        "properties": {
            "startTime": {"description": "epoch time", "type": "integer"},
            "frequency": {"type": "string", "enum": ["once", "minute", "hour", "day", "week"]},
            "interval": {"type": "integer"},
            "backfill": {"type": "boolean", "default": True},
        },
        "required": ["startTime", "frequency"],
        "if": {"properties": {"frequency": {"const": "once"}}},
        "then": {"allOf": [{"not": {"required": ["interval"]}}, {"not": {"required": ["backfill"]}}]},
        "else": {"required": ["interval"],
                 "if": {"properties": {"frequency": {"const": "minute"}}},
                 "then": {"properties": {"interval": {"minimum": 15}}},
                 "else": {"properties": {"interval": {"minimum": 1}}}},
    },
}
MAPPING_SPEC: dict[str, Any] = {
    "name": "Mapping",
    "spec": {"$schema": DRAFT_07, "type": "object",
             "description": "Defines the params a mapping from source to target needs.",
             "properties": {"mappingId": {"type": "string"}, "mappingVersion": {"type": "string"}}},
}


class FlowSpecs:
    def __init__(self, catalog: Catalog):
        self._by_id: dict[str, dict[str, Any]] = {}
        for ident, name, categories in _SPECS:
            sources = [s.id for s in catalog.all() if s.category in categories]
            self._by_id[ident] = {
                "id": ident, "name": name, "providerId": _PROVIDER, "version": "1.0",
                "sourceConnectionSpecIds": sources, "targetConnectionSpecIds": [DATA_LAKE["id"]],
                "attributes": {"isSourceFlow": True, "flacValidationSupported": True,
                               "notification": {"category": "sources", "flowRun": {"enabled": True}}},
                "scheduleSpec": SCHEDULE_SPEC, "transformationSpec": [MAPPING_SPEC],
            }

    def get(self, ident: str) -> dict[str, Any] | None:
        spec = self._by_id.get(ident)
        return copy.deepcopy(spec) if spec else None

    def list(self, query: list[tuple[str, str]]) -> dict[str, Any]:
        return listing.run(copy.deepcopy(list(self._by_id.values())), listing.parse(query), "/flowSpecs")

    @staticmethod
    def transformation_names(spec: dict[str, Any]) -> list[str]:
        return [t["name"] for t in spec["transformationSpec"]]
