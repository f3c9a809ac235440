"""The mapping set (Data Prep ``/mappingSets``): which source field lands at which XDM path of the schema.

Calls: create POST; read GET (the latest version); a mapping change is one PUT, which makes a new version (the
dataflow then names it: one PATCH of the flow); delete makes no call: Data Prep cannot delete a mapping set, so
it is left, unused, when the pipeline goes. A mapping set for another schema is a new mapping set. Mappings are
compared as a set of (source, destination, sourceType): their order does not matter.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Optional

import pulumi
from pulumi.dynamic import Resource

from provider.client import FlowServiceClient
from provider.client.data_prep import (
    ATTRIBUTE,
    MappingSetInfo,
    create_mapping_set,
    get_mapping_set,
    mapping_set_body,
    put_mapping_set,
)
from provider.client.flow_objects import FLOWS, get_object
from provider.client.models import FlowObject
from provider.connection_inputs import is_unknown
from provider.managed_object import Fail, ManagedObjectProvider
from provider.pipeline.fields import check_text
from provider.settings_provider import with_settings_provider
from provider.state_footprint import short_stack_trace

log = logging.getLogger("provider")
_SEGMENT = r"[A-Za-z_][A-Za-z0-9_]*(\[[0-9]+\])?"  # a field, or an array item: identityMap.Email[0].id
XDM_PATH = re.compile(rf"^{_SEGMENT}(\.{_SEGMENT})*$")
SOURCE_TYPES = ("ATTRIBUTE", "STATIC", "EXPRESSION")  # Data Prep's MappingOperation.sourceType


def mapping_problems(mappings: Any) -> list[tuple[str, str]]:
    """(``[index].field``, what is wrong and the fix) for a list of ``{source, destination, sourceType?}``."""
    if not isinstance(mappings, list) or not mappings:
        return [("", "must be a non-empty list of {source, destination} (source field -> XDM path)")]
    problems, seen = [], set()
    for i, item in enumerate(mappings):
        if not isinstance(item, dict) or not isinstance(item.get("source"), str) or not item["source"].strip():
            problems.append((f"[{i}].source", "required: the source field (a non-empty string)"))
            continue
        destination = item.get("destination")
        if not isinstance(destination, str) or not XDM_PATH.match(destination):
            problems.append((f"[{i}].destination", f"{str(destination)[:80]!r} is not an XDM path such as "
                             "_tenant.orderId"))
        elif destination in seen:
            problems.append((f"[{i}].destination", f"{destination} is mapped twice; map each XDM path once"))
        else:
            seen.add(destination)
        if item.get("sourceType", ATTRIBUTE) not in SOURCE_TYPES:
            problems.append((f"[{i}].sourceType", f"must be one of {', '.join(SOURCE_TYPES)}"))
    return problems


def _as_set(mappings: Any) -> frozenset[tuple[str, str, str]]:
    return frozenset((str(m.get("source")), str(m.get("destination")), str(m.get("sourceType") or ATTRIBUTE))
                     for m in mappings or [] if isinstance(m, dict))


class MappingSetProvider(ManagedObjectProvider):
    kind = "mapping set"
    UPDATE_KEYS = ("mappings",)
    REPLACE_KEYS = ("schema_id", "sandbox")
    OUTPUT_KEYS = ("version", "created_at", "updated_at")

    def check_fields(self, inputs: dict[str, Any], fail: Fail) -> None:
        check_text(inputs, "schema_id", fail, required=True)
        mappings = inputs.get("mappings")
        if is_unknown(mappings) or (isinstance(mappings, list) and any(map(is_unknown, mappings))):
            return
        for where, problem in mapping_problems(mappings):
            fail("mappings", f"mappings{where}: {problem}")
        if isinstance(mappings, list) and not mapping_problems(mappings):
            inputs["mappings"] = [{"source": m["source"], "destination": m["destination"],
                                   "sourceType": m.get("sourceType", ATTRIBUTE)} for m in mappings]

    def same(self, key: str, old: Any, new: Any) -> bool:
        if key == "mappings":
            return not is_unknown(old) and not is_unknown(new) and _as_set(old) == _as_set(new)
        return super().same(key, old, new)

    def create_object(self, api: FlowServiceClient, inputs: dict[str, Any]) -> dict[str, Any]:
        created = create_mapping_set(api, inputs["sandbox"], mapping_set_body(inputs["schema_id"], inputs["mappings"]))
        return {"id": created.id, "version": created.version}

    def read_object(self, api: FlowServiceClient, sandbox: str, ident: str, state: dict[str, Any]) -> dict[str, Any]:
        """The version recorded (or, adopting through a flow, the one the flow applies), read by number: Adobe's
        GET defaults ``version`` to 0, not to the latest. A version someone made since shows on the dataflow,
        whose ``mapping_version`` then differs."""
        version = state.get("version")
        if version is None and state.get("adopt_from_flow") and not state.get("adopt_id"):
            flow = get_object(api, FLOWS, sandbox, state["adopt_from_flow"])
            version = ((_mapping(flow) or {}).get("params") or {}).get("mappingVersion")
        return self.observed(get_mapping_set(api, sandbox, ident, _int(version)), sandbox)

    @staticmethod
    def observed(live: MappingSetInfo, sandbox: str) -> dict[str, Any]:
        return {"id": live.id, "schema_id": live.schema_id, "mappings": live.declared_mappings(),
                "version": live.version, "sandbox": sandbox}

    def update_object(self, api: FlowServiceClient, ident: str, old: dict[str, Any], new: dict[str, Any]
                      ) -> dict[str, Any]:
        if self.same("mappings", old.get("mappings"), new.get("mappings")):
            return {k: old.get(k) for k in self.OUTPUT_KEYS}
        put = put_mapping_set(api, new["sandbox"], ident, mapping_set_body(new["schema_id"], new["mappings"]),
                              expected_version=_int(old.get("version")))
        return {"version": put.version, "created_at": old.get("created_at")}

    def delete_object(self, api: FlowServiceClient, sandbox: str, ident: str, state: dict[str, Any]) -> None:
        log.info("mapping set %s in sandbox %s is left in place: Data Prep offers no way to delete one", ident,
                 sandbox)

    def id_in_flow(self, flow: FlowObject) -> Optional[str]:
        return ((_mapping(flow) or {}).get("params") or {}).get("mappingId")


def _mapping(flow: FlowObject) -> Optional[dict[str, Any]]:
    return next((t for t in flow.body.get("transformations") or [] if t.get("name") == "Mapping"), None)


def _int(value: Any) -> Optional[int]:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


class DataPrepMappingSet(Resource, module="aep", name="MappingSet"):
    """A Data Prep mapping set (type ``pulumi-python:dynamic/aep:MappingSet``); ``version`` is its latest."""

    version: pulumi.Output[int]

    def __init__(
        self,
        resource_name: str,
        *,
        schema_id: pulumi.Input[str],
        mappings: pulumi.Input[list],
        sandbox: pulumi.Input[str],
        adopt_id: Optional[pulumi.Input[str]] = None,
        adopt_from_flow: Optional[pulumi.Input[str]] = None,
        opts: Optional[pulumi.ResourceOptions] = None,
    ) -> None:
        props = {"schema_id": schema_id, "mappings": mappings, "sandbox": sandbox, "adopt_id": adopt_id,
                 "adopt_from_flow": adopt_from_flow, **{k: None for k in MappingSetProvider.OUTPUT_KEYS}}
        with short_stack_trace(opts):
            super().__init__(MappingSetProvider(), resource_name, props, with_settings_provider(opts))
