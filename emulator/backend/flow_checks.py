"""What a dataflow's ids must point at, checked on create and after every PATCH.

From Adobe's "Create a dataflow for database sources" tutorial
(https://experienceleague.adobe.com/en/docs/experience-platform/sources/api-tutorials/collect/database-nosql)
and the Flow Service error catalog
(https://experienceleague.adobe.com/en/docs/experience-platform/sources/errors/flow-service-errors):
* ``flowSpec.id`` names a flow spec (``flow_specs``); each source connection exists in the caller's sandbox
  and its connection spec is one of the flow spec's ``sourceConnectionSpecIds``; each target connection exists
  in the sandbox.
* a ``Mapping`` transformation names a mapping set (``mappingId``) and a version of it (``mappingVersion``)
  that exist in the sandbox, and that mapping set's XDM schema is the schema of the target connection's dataset
  - else FLOW-1425 (400), the catalogue's error for a mapping that does not fit the target.
Every refusal is a 400 naming the field and saying how to fix it.
"""
from __future__ import annotations

from typing import Any

from emulator.errors import FlowError, bad_request

from .connections import Caller
from .datasets import Datasets
from .flow_specs import FlowSpecs
from .mapping_sets import MappingSets
from .source_connections import SourceConnections
from .target_connections import TargetConnections

_MAPPING_PARAMS = ("mappingId", "mappingVersion")


class FlowChecks:
    def __init__(self, specs: FlowSpecs, sources: SourceConnections, targets: TargetConnections,
                 mapping_sets: MappingSets, datasets: Datasets):
        self.specs = specs
        self._sources, self._targets = sources, targets
        self._mapping_sets, self._datasets = mapping_sets, datasets

    def flow_spec(self, value: Any) -> dict[str, Any]:
        if not isinstance(value, dict) or not isinstance(value.get("id"), str) or not value["id"].strip():
            raise bad_request("flowSpec.id is required: the id of the flow spec for this source (GET /flowSpecs).",
                              field="flowSpec.id")
        spec = self.specs.get(value["id"])
        if spec is None:
            raise bad_request(f"Flow spec '{value['id'][:80]}' does not exist; see GET /flowSpecs (databases and "
                              "CRM sources use CRMToAEP, cloud storage CloudStorageToAEP).", field="flowSpec.id")
        if value.get("version", spec["version"]) != spec["version"]:
            raise bad_request(f"flowSpec.version must be \"{spec['version']}\".", field="flowSpec.version")
        return spec

    def sources(self, caller: Caller, ids: list[str], spec: dict[str, Any]) -> list[dict[str, Any]]:
        out = []
        for ident in ids:
            source = self._sources.find(caller, ident)
            if source is None:
                raise bad_request(f"Source connection '{ident}' does not exist in sandbox '{caller.sandbox}'; create "
                                  "it first (POST /sourceConnections).", field="sourceConnectionIds")
            if source["connectionSpec"]["id"] not in spec["sourceConnectionSpecIds"]:
                raise bad_request(f"Source connection '{ident}' reads a source (connection spec "
                                  f"{source['connectionSpec']['id']}) that flow spec {spec['name']} does not take; "
                                  "use the flow spec listing that connection spec (GET /flowSpecs).",
                                  field="sourceConnectionIds")
            out.append({"id": ident, "connectionSpec": source["connectionSpec"],
                        "baseConnection": source["inheritedAttributes"]["baseConnection"]})
        return out

    def targets(self, caller: Caller, ids: list[str], spec: dict[str, Any]) -> list[dict[str, Any]]:
        out = []
        for ident in ids:
            target = self._targets.find(caller, ident)
            if target is None:
                raise bad_request(f"Target connection '{ident}' does not exist in sandbox '{caller.sandbox}'; create "
                                  "it first (POST /targetConnections).", field="targetConnectionIds")
            if target["connectionSpec"]["id"] not in spec["targetConnectionSpecIds"]:
                raise bad_request(f"Target connection '{ident}' does not write where flow spec {spec['name']} "
                                  "writes.", field="targetConnectionIds")
            out.append(target)
        return out

    def transformations(self, caller: Caller, value: Any, spec: dict[str, Any], targets: list[dict]) -> list:
        if not isinstance(value, list):
            raise bad_request("transformations must be an array of {\"name\": \"Mapping\", \"params\": "
                              "{\"mappingId\": ..., \"mappingVersion\": ...}}.", field="transformations")
        names = self.specs.transformation_names(spec)
        for i, item in enumerate(value):
            where = f"transformations[{i}]"
            if not isinstance(item, dict) or set(item) - {"name", "params"} or not isinstance(item.get("params"),
                                                                                              dict):
                raise bad_request(f"{where} must be {{\"name\": ..., \"params\": {{...}}}}.", field=where)
            if item.get("name") not in names:
                raise bad_request(f"{where}.name must be one of {', '.join(names)} (flow spec {spec['name']}).",
                                  field=f"{where}.name")
            self._mapping(caller, item["params"], where, targets)
        return value

    def _mapping(self, caller: Caller, params: dict[str, Any], where: str, targets: list[dict]) -> None:
        unknown = [k for k in params if k not in _MAPPING_PARAMS]
        if unknown:
            raise bad_request(f"Unknown field {where}.params.{unknown[0]}; allowed: mappingId, mappingVersion.",
                              field=f"{where}.params.{unknown[0]}")
        ident, version = params.get("mappingId"), params.get("mappingVersion")
        if not isinstance(ident, str) or not ident.strip():
            raise bad_request(f"{where}.params.mappingId is required: the id of a mapping set (POST "
                              "/data/foundation/conversion/mappingSets).", field=f"{where}.params.mappingId")
        if version is None:
            raise bad_request(f"{where}.params.mappingVersion is required: the mapping set's version, e.g. \"0\".",
                              field=f"{where}.params.mappingVersion")
        mapping = self._mapping_sets.find(caller, ident, version)
        if mapping is None:
            known = self._mapping_sets.docs.find(caller, ident) is not None
            what = f"has no version {str(version)[:20]}" if known else "does not exist"
            raise bad_request(f"Mapping set '{ident}' {what} in sandbox '{caller.sandbox}'; create it (POST "
                              "/mappingSets) or name an existing version (PUT makes the next one).",
                              field=f"{where}.params.{'mappingVersion' if known else 'mappingId'}")
        for target in targets:
            dataset = self._datasets.find(caller, target["params"].get("dataSetId", ""))
            if dataset is None:
                raise bad_request(f"The dataset of target connection '{target['id']}' no longer exists; make a new "
                                  "target connection on an existing dataset.", field="targetConnectionIds")
            if dataset["schemaRef"]["id"] != mapping["xdmSchema"]:
                raise FlowError(1425, 400, f"Mapping set '{ident}' maps to XDM schema {mapping['xdmSchema']}, but "
                                f"the target dataset {dataset['id']} uses schema {dataset['schemaRef']['id']}; map "
                                "to the dataset's schema (PUT a new mapping set version) or target a dataset of "
                                "that schema.", context={"field": f"{where}.params.mappingId"})
