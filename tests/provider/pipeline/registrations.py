"""What the ingestion components register for each pipeline object, for driving the real plugin directly; and a
dataset made in the emulator's Catalog, as a data team makes one before any dataflow."""

from __future__ import annotations

from typing import Any

import requests

from provider.pipeline.dataflow import DataflowProvider
from provider.pipeline.mapping_set import MappingSetProvider
from provider.pipeline.source_connection import SourceConnectionProvider
from provider.pipeline.target_connection import TargetConnectionProvider
from tests.harness.engine import Registration
from tests.harness.wire import PROVIDER_KEY, provider_property

SOURCE = "pulumi-python:dynamic/aep:SourceConnection"
TARGET = "pulumi-python:dynamic/aep:TargetConnection"
MAPPING = "pulumi-python:dynamic/aep:MappingSet"
DATAFLOW = "pulumi-python:dynamic/aep:Dataflow"
CRM_TO_AEP = "14518937-270c-4525-bdec-c2ba7cce3860"
SCHEMA = "https://ns.adobe.com/acme/schemas/orders"
START = 1798761600  # 2027-01-01T00:00:00Z
PROVIDERS = {SOURCE: SourceConnectionProvider, TARGET: TargetConnectionProvider, MAPPING: MappingSetProvider,
             DATAFLOW: DataflowProvider}


def registration(type_: str, **inputs: Any) -> Registration:
    props = {k: v for k, v in inputs.items() if v is not None}
    props[PROVIDER_KEY] = provider_property(PROVIDERS[type_]())
    return Registration(props, type=type_)


def make_dataset(emulator: Any, name: str = "Orders", sandbox: str = "prod", schema: str = SCHEMA) -> str:
    """POST /dataSets in the emulator's Catalog; the new dataset's id."""
    response = requests.post(f"{emulator.url}/data/foundation/catalog/dataSets", headers=emulator.headers(sandbox),
                             json={"name": name, "schemaRef": {"id": schema, "contentType":
                                   "application/vnd.adobe.xed-full+json;version=1"}}, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()[0].split("/")[-1]


def source(base_id: str, spec_id: str, table: str = "public.orders", **extra: Any) -> Registration:
    inputs: dict[str, Any] = dict(name="Orders (source)", base_connection_id=base_id, connection_spec_id=spec_id,
                                  connection_spec_version="1.0", data_format="tabular", params={"tableName": table},
                                  sandbox="prod")
    return registration(SOURCE, **{**inputs, **extra})


def target(dataset_name: str | None = "Orders", **extra: Any) -> Registration:
    return registration(TARGET, **{"name": "Orders (target)", "dataset_name": dataset_name, "sandbox": "prod",
                                   **extra})


def mapping(schema_id: str, mappings: dict[str, str] | None = None, **extra: Any) -> Registration:
    pairs = mappings or {"order_id": "_acme.orderId", "total": "_acme.total"}
    return registration(MAPPING, schema_id=schema_id, sandbox="prod",
                        mappings=[{"source": s, "destination": d} for s, d in pairs.items()], **extra)


def dataflow(source_id: str, target_id: str, mapping_id: str, version: int, **extra: Any) -> Registration:
    inputs: dict[str, Any] = dict(
        name="Orders hourly", flow_spec_id=CRM_TO_AEP, flow_spec_version="1.0", source_connection_id=source_id,
        target_connection_id=target_id, mapping_id=mapping_id, mapping_version=version, sandbox="prod",
        schedule={"frequency": "hour", "interval": 1, "startTime": START}, enabled=True)
    inputs.update(extra)
    return registration(DATAFLOW, **inputs)
