"""Catalog datasets (``/data/foundation/catalog/dataSets``): read by id or looked up by name, never written.

A dataflow lands in a dataset that already exists (made by a data team, with its XDM schema); a target
connection names it and its schema. Catalog answers with a map of id -> dataset.
"""

from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict

from provider.client.flow_service import FlowServiceClient
from provider.errors import NotFoundError

SERVICE = "catalog"
SCHEMA_CONTENT_TYPE = "application/vnd.adobe.xed-full+json;version=1"


class Dataset(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    name: Optional[str] = None
    schema_id: Optional[str] = None
    schema_version: str = SCHEMA_CONTENT_TYPE


def _datasets(body: Any) -> list[Dataset]:
    if not isinstance(body, dict):
        return []
    found = []
    for ident, value in body.items():
        if isinstance(value, dict):
            ref = value.get("schemaRef") or {}
            found.append(Dataset(id=str(ident), name=value.get("name"), schema_id=ref.get("id"),
                                 schema_version=ref.get("contentType") or SCHEMA_CONTENT_TYPE))
    return found


def get_dataset(api: FlowServiceClient, sandbox: str, dataset_id: str) -> Dataset:
    action = f"reading dataset {dataset_id} in sandbox {sandbox}"
    found = _datasets(api.call("GET", f"/dataSets/{dataset_id}", sandbox, action, (200,), service=SERVICE).json())
    if not found:
        raise NotFoundError(f"{action} failed: no such dataset", status=404)
    return found[0]


def find_datasets(api: FlowServiceClient, sandbox: str, name: str) -> list[Dataset]:
    """Datasets of the sandbox named exactly ``name`` (Catalog's ``name=`` filter, then an exact match here)."""
    action = f"looking up datasets named {name!r} in sandbox {sandbox}"
    params = {"name": name, "limit": "100", "properties": "name,schemaRef"}
    body = api.call("GET", "/dataSets", sandbox, action, (200,), params=params, service=SERVICE).json()
    return [d for d in _datasets(body) if d.name == name]
