"""What uses a base connection: its source connections, and the dataflows that read from those.

Two listings with Adobe's ``property=`` filters (``baseConnectionId==<id>``; ``sourceConnectionIds==<id>``,
several ids joined by commas, which the query language reads as OR), following continuation tokens. Both are
GETs, retried like every GET by the session. A 404 on the collection means the sandbox itself is gone, and with
it everything in it: an empty list.
"""

from __future__ import annotations

from typing import Any, Iterable, Optional

from pydantic import BaseModel, ConfigDict

from provider.client.flow_service import FlowServiceClient

IDS_PER_FLOW_QUERY = 10  # keeps the query string short whatever the ids


class SourceConnectionInfo(BaseModel):
    """The fields of a source connection (``GET /sourceConnections``) that say what it is and what it reads."""

    model_config = ConfigDict(extra="ignore")

    id: str
    name: Optional[str] = None
    baseConnectionId: Optional[str] = None


class FlowInfo(BaseModel):
    """The fields of a dataflow (``GET /flows``) that say what it is and what it reads."""

    model_config = ConfigDict(extra="ignore")

    id: str
    name: Optional[str] = None
    sourceConnectionIds: list[str] = []
    targetConnectionIds: list[str] = []


def _items(api: FlowServiceClient, path: str, sandbox: str, query: dict[str, str], action: str) -> list[Any]:
    return api.list_items(path, sandbox, query, action, complete=True, missing_ok=True)  # partial: no delete


def source_connections_using(api: FlowServiceClient, sandbox: str, connection_id: str) -> list[SourceConnectionInfo]:
    """Source connections whose ``baseConnectionId`` is ``connection_id`` (one GET per page)."""
    action = f"listing the source connections of base connection {connection_id} in sandbox {sandbox}"
    found = _items(api, "/sourceConnections", sandbox, {"property": f"baseConnectionId=={connection_id}"}, action)
    return [s for s in map(SourceConnectionInfo.model_validate, found) if s.baseConnectionId in (None, connection_id)]


def flows_using(
    api: FlowServiceClient, sandbox: str, source_ids: Iterable[str], field: str = "sourceConnectionIds"
) -> list[FlowInfo]:
    """Dataflows reading from any of ``source_ids`` (or, with ``field="targetConnectionIds"``, writing to any of
    those target connections): one GET per page and per ten ids, each flow once."""
    ids = list(dict.fromkeys(source_ids))
    flows: dict[str, FlowInfo] = {}
    for start in range(0, len(ids), IDS_PER_FLOW_QUERY):
        chunk = ids[start:start + IDS_PER_FLOW_QUERY]
        query = {"property": ",".join(f"{field}=={i}" for i in chunk)}
        action = f"listing the dataflows of connection(s) {', '.join(chunk)} in sandbox {sandbox}"
        for item in _items(api, "/flows", sandbox, query, action):
            flow = FlowInfo.model_validate(item)
            used = getattr(flow, field)
            if set(used) & set(chunk) or not used:
                flows.setdefault(flow.id, flow)
    return list(flows.values())
