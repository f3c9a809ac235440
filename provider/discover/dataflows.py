"""What a live dataflow becomes in `aep:dataflows`: its connection entry, what it reads, its dataset, mapping and
schedule, and `adopt_id` (the flow's id), so `pulumi up` takes over the flow and the objects it uses.

Reads per flow: its source connection, target connection, dataset (and the datasets of that name, to give the
dataset by name only where the name is unique: a name is what makes the entry deployable to another sandbox) and
mapping set version. A flow the config format cannot express is `SkippedFlow`, with why: another flow spec,
several sources or targets, no Mapping, a mapping that is not field-to-field (or marks identities, which the
config cannot carry), a mapping set or dataset it cannot read, or a base connection that is not listed under
`aep:connections`.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from datetime import datetime, timezone
from typing import Any, Mapping, Optional, Union

from provider.client import FlowServiceClient
from provider.client.data_prep import ATTRIBUTE, get_mapping_set
from provider.client.datasets import find_datasets, get_dataset
from provider.client.flow_objects import SOURCE_CONNECTIONS, TARGET_CONNECTIONS, get_object
from provider.client.flow_service import LIST_PAGE_SIZE, MAX_ALL_PAGES
from provider.client.models import FlowObject
from provider.discover.naming import resource_names
from provider.errors import AuthError, NotFoundError
from provider.pipeline.arguments import CLOUD_STORAGE_TO_AEP, CRM_TO_AEP
from provider.pipeline.mapping_set import mapping_problems

IDENTITY_FIELDS = frozenset({"identity", "primaryIdentity", "identityGroup", "namespaceCode"})


@dataclass(frozen=True)
class FlowEntry:
    resource_name: str
    flow: FlowObject
    values: dict[str, Any]  # the entry's fields, in the order they are printed


@dataclass(frozen=True)
class SkippedFlow:
    flow: FlowObject
    reason: str


def list_flows(api: FlowServiceClient, sandbox: str, page_size: int = LIST_PAGE_SIZE) -> list[FlowObject]:
    items = api.list_items("/flows", sandbox, {"limit": str(page_size), "orderby": "createdAt"},
                           f"listing the dataflows of sandbox {sandbox}", max_pages=MAX_ALL_PAGES, complete=True)
    return [FlowObject.from_item(item) for item in items]


def discover_flows(
    api: FlowServiceClient, sandbox: str, flows: list[FlowObject], connection_entries: Mapping[str, str]
) -> tuple[list[FlowEntry], list[SkippedFlow]]:
    """Entries for ``flows``; ``connection_entries`` maps a base connection id to its `aep:connections` key."""
    planned: list[Union[tuple[FlowObject, dict[str, Any]], SkippedFlow]] = [
        _plan(api, sandbox, flow, connection_entries) for flow in flows]
    good = [p for p in planned if not isinstance(p, SkippedFlow)]
    names = resource_names([SimpleNamespace(id=f.id, name=f.name or "dataflow", createdAt=f.createdAt)
                            for f, _ in good])  # type: ignore[misc]
    entries = [FlowEntry(names[flow.id], flow, values) for flow, values in good]
    return entries, [p for p in planned if isinstance(p, SkippedFlow)]


def _plan(api: FlowServiceClient, sandbox: str, flow: FlowObject, connection_entries: Mapping[str, str]
          ) -> Union[tuple[FlowObject, dict[str, Any]], SkippedFlow]:
    body = flow.body
    spec = (body.get("flowSpec") or {}).get("id")
    if spec not in (CRM_TO_AEP, CLOUD_STORAGE_TO_AEP):
        return SkippedFlow(flow, f"its flow spec {spec} is not a batch table or file ingestion (CRMToAEP, "
                                 "CloudStorageToAEP)")
    sources, targets = body.get("sourceConnectionIds") or [], body.get("targetConnectionIds") or []
    if len(sources) != 1 or len(targets) != 1:
        return SkippedFlow(flow, f"it has {len(sources)} source and {len(targets)} target connections, not one each")
    mapping = next((t for t in body.get("transformations") or [] if t.get("name") == "Mapping"), None)
    if mapping is None:
        return SkippedFlow(flow, "it has no Mapping transformation")
    try:
        source = get_object(api, SOURCE_CONNECTIONS, sandbox, sources[0])
        target = get_object(api, TARGET_CONNECTIONS, sandbox, targets[0])
    except NotFoundError as err:
        return SkippedFlow(flow, f"a connection it uses is gone ({err.message})")
    connection = connection_entries.get(source.body.get("baseConnectionId") or "")
    if connection is None:
        return SkippedFlow(flow, f"its base connection {source.body.get('baseConnectionId')} is not listed under "
                                 "aep:connections")
    read = _source(source)
    if isinstance(read, str):
        return SkippedFlow(flow, read)
    dataset_id = (target.body.get("params") or {}).get("dataSetId")
    if not dataset_id:
        return SkippedFlow(flow, "its target connection names no dataset (params.dataSetId)")
    params = mapping.get("params") or {}
    try:
        mapping_set = get_mapping_set(api, sandbox, params.get("mappingId") or "", _int(params.get("mappingVersion")))
    except (NotFoundError, AuthError) as err:
        return SkippedFlow(flow, f"its mapping set could not be read ({err.message})")
    if any(m.get("sourceType", ATTRIBUTE) != ATTRIBUTE for m in mapping_set.mappings):
        return SkippedFlow(flow, "its mapping has constants or expressions; the config maps fields only")
    if any(set(m) & IDENTITY_FIELDS for m in mapping_set.mappings):
        return SkippedFlow(flow, "its mapping marks identities; the config maps fields only (a change would drop "
                                 "them)")
    pairs = mapping_set.declared_mappings()
    problems = mapping_problems(pairs)
    if problems:
        return SkippedFlow(flow, f"its mapping{problems[0][0]}: {problems[0][1]}")
    sources_once = len({m["source"] for m in pairs}) == len(pairs)
    values: dict[str, Any] = {
        "connection": connection,
        "source": read,
        "dataset": _dataset(api, sandbox, dataset_id),
        # a map by source field, or (when one field feeds several XDM paths) the list of pairs
        "mapping": {m["source"]: m["destination"] for m in pairs} if sources_once else [
            {"source": m["source"], "destination": m["destination"]} for m in pairs],
        "schedule": _schedule(body.get("scheduleParams") or {}),
        "enabled": flow.state != "disabled",
        "name": flow.name,
    }
    if flow.description is not None:
        values["description"] = flow.description
    values["adopt_id"] = flow.id
    return flow, values


def _source(source: FlowObject) -> Union[dict[str, Any], str]:
    params, fmt = source.body.get("params") or {}, (source.body.get("data") or {}).get("format")
    if params.get("tableName"):
        return {"table": params["tableName"]}
    if params.get("path"):
        return {"path": params["path"], "format": fmt or "delimited"}
    return "its source connection reads neither a table (tableName) nor a path"


def _dataset(api: FlowServiceClient, sandbox: str, dataset_id: str) -> Any:
    """``{name: ...}`` when that name is the dataset's alone in the sandbox, else its id."""
    try:
        name = get_dataset(api, sandbox, dataset_id).name
    except NotFoundError:
        return dataset_id
    if name and len(find_datasets(api, sandbox, name)) == 1:
        return {"name": name}
    return dataset_id


def _schedule(params: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"frequency": params.get("frequency")}
    if params.get("interval") is not None:
        out["interval"] = _int(params["interval"])
    start = _int(params.get("startTime"))
    if start is not None:
        out["start"] = datetime.fromtimestamp(start, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if params.get("backfill") is not None:
        out["backfill"] = params["backfill"]
    return out


def _int(value: Any) -> Optional[int]:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None
