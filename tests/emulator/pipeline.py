"""A whole batch pipeline on the emulator, made the way Adobe's database tutorial makes it: a dataset (Catalog),
a source connection on a base connection, a target connection on the dataset, a mapping set (Data Prep) to the
dataset's schema, and a dataflow joining them. Request bodies follow the tutorial; every call goes through a
``FlowClient`` (so every response is checked against Adobe's specs)."""
from __future__ import annotations

import copy
import time
from dataclasses import dataclass
from typing import Any

from tests.emulator.seeds import POSTGRESQL_SPEC_ID

PG_SPEC = {"id": POSTGRESQL_SPEC_ID, "version": "1.0"}
CRM_TO_AEP = {"id": "14518937-270c-4525-bdec-c2ba7cce3860", "version": "1.0"}
DATA_LAKE = {"id": "c604ff05-7f1a-43c0-8e18-33bf874cb11c", "version": "1.0"}
SCHEMA = "https://ns.adobe.com/acme/schemas/0a1b2c3d4e5f60718293a4b5c6d7e8f9"
OTHER_SCHEMA = "https://ns.adobe.com/acme/schemas/ffffffffffffffffffffffffffffffff"
CATALOG = "/data/foundation/catalog"
CONVERSION = "/data/foundation/conversion"


def dataset_body(name: str = "Orders", schema: str = SCHEMA) -> dict[str, Any]:
    return {"name": name, "description": "Orders from the shop database",
            "schemaRef": {"id": schema, "contentType": "application/vnd.adobe.xed+json;version=1"}}


def source_body(base_id: str, name: str = "Orders table", spec: dict | None = None) -> dict[str, Any]:
    return {"name": name, "description": "Orders read by the nightly export", "baseConnectionId": base_id,
            "data": {"format": "tabular"}, "params": {"tableName": "public.orders"},
            "connectionSpec": spec or PG_SPEC}


def target_body(dataset_id: str, name: str = "Orders dataset", schema: str = SCHEMA) -> dict[str, Any]:
    return {"name": name, "description": "Data lake target", "connectionSpec": DATA_LAKE,
            "data": {"format": "parquet_xdm",
                     "schema": {"id": schema, "version": "application/vnd.adobe.xed-full+json;version=1"}},
            "params": {"dataSetId": dataset_id}}


def mapping_body(schema: str = SCHEMA, pairs: tuple[tuple[str, str], ...] = (("id", "_id"),
                                                                            ("total", "_acme.total"))) -> dict:
    return {"version": 0, "xdmSchema": schema, "xdmVersion": "1.0",
            "mappings": [{"sourceType": "ATTRIBUTE", "source": s, "destination": d} for s, d in pairs]}


def flow_body(source_id: str, target_id: str, mapping_id: str, name: str = "Orders to AEP",
              start: int | None = None) -> dict[str, Any]:
    return {"name": name, "description": "Nightly orders", "flowSpec": CRM_TO_AEP,
            "sourceConnectionIds": [source_id], "targetConnectionIds": [target_id],
            "transformations": [{"name": "Mapping", "params": {"mappingId": mapping_id, "mappingVersion": "0"}}],
            "scheduleParams": {"startTime": start if start is not None else int(time.time()) + 3600,
                               "frequency": "hour", "interval": 1}}


@dataclass
class Pipeline:
    base: str
    dataset: str
    source: str
    target: str
    mapping: str
    flow: str
    flow_etag: str


def created(response, status: int = 201) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def make_dataset(flow, sandbox: str = "prod", **kwargs: Any) -> str:
    return created(flow.post(f"{CATALOG}/dataSets", json=dataset_body(**kwargs), sandbox=sandbox))[0].split("/")[-1]


def make_pipeline(flow, sandbox: str = "prod", base: str | None = None, name: str = "Orders",
                  start: int | None = None) -> Pipeline:
    """Every object of one pipeline in ``sandbox`` (a new PostgreSQL base connection unless ``base``)."""
    base = base or flow.create(sandbox=sandbox)["id"]
    dataset = make_dataset(flow, sandbox, name=name)
    source = created(flow.post("/sourceConnections", json=source_body(base, f"{name} table"), sandbox=sandbox))["id"]
    target = created(flow.post("/targetConnections", json=target_body(dataset, f"{name} dataset"),
                               sandbox=sandbox))["id"]
    mapping = created(flow.post(f"{CONVERSION}/mappingSets", json=mapping_body(), sandbox=sandbox), 200)["id"]
    made = created(flow.post("/flows", json=flow_body(source, target, mapping, f"{name} to AEP", start),
                             sandbox=sandbox))
    return Pipeline(base, dataset, source, target, mapping, made["id"], made["etag"])


def with_change(body: dict[str, Any], dotted: str, value: Any) -> dict[str, Any]:
    """A copy of ``body`` with ``a.b.c`` set to ``value`` (or removed when ``value`` is ``KeyError``)."""
    out = copy.deepcopy(body)
    node = out
    *parents, last = dotted.split(".")
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if value is KeyError:
        del node[int(last) if isinstance(node, list) else last]
    elif isinstance(node, list):
        node[int(last)] = value
    else:
        node[last] = value
    return out
