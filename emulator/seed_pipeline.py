"""``python -m emulator.seed --dataset`` and ``--flow``: pipeline objects made by hand in a running emulator, over
its public API exactly as Adobe's database tutorial makes them
(https://experienceleague.adobe.com/en/docs/experience-platform/sources/api-tutorials/collect/database-nosql).

``--dataset NAME --schema ID`` makes a Catalog dataset. ``--flow --connection-id ID --table T --dataset-id ID
--mapping SRC=DEST ...`` makes the rest of a pipeline on an existing base connection: a source connection (the
table), a target connection (the dataset, with its schema), a mapping set to that schema, and an hourly dataflow
under the flow spec that takes the connection's source. Each prints ids only.
"""
from __future__ import annotations

import argparse
import time
from typing import Any

from emulator.request_log import CATALOG, CONVERSION, FLOW
from emulator.seed_client import SeedClient, SeedError

DATA_LAKE = {"id": "c604ff05-7f1a-43c0-8e18-33bf874cb11c", "version": "1.0"}


def dataset(client: SeedClient, args: argparse.Namespace) -> list[str]:
    body = {"name": args.dataset, "schemaRef": {"id": args.schema,
                                                "contentType": "application/vnd.adobe.xed+json;version=1"}}
    reply = client.call("POST", f"{CATALOG}/dataSets", args.sandbox, body)
    if not isinstance(reply, list) or not reply or not isinstance(reply[0], str):
        raise SeedError(f"POST {CATALOG}/dataSets answered no reference: is --url the emulator?")
    return [f"created dataset {reply[0].rsplit('/', 1)[-1]} in sandbox {args.sandbox}"]


def _flow_spec(client: SeedClient, sandbox: str, connection_spec_id: str) -> dict[str, Any]:
    for spec in client.call("GET", f"{FLOW}/flowSpecs", sandbox).get("items", []):
        if connection_spec_id in spec.get("sourceConnectionSpecIds", []):
            return spec
    raise SeedError(f"no flow spec takes connection spec {connection_spec_id}; --flow needs a database, CRM or "
                    "cloud storage connection")


def _made(reply: Any, what: str) -> str:
    if not isinstance(reply, dict) or not isinstance(reply.get("id"), str):
        raise SeedError(f"creating the {what} answered no id: is --url the emulator?")
    return reply["id"]


def flow(client: SeedClient, args: argparse.Namespace) -> list[str]:
    sandbox = args.sandbox
    base = client.call("GET", f"{FLOW}/connections/{args.connection_id}", sandbox)["items"][0]
    spec = _flow_spec(client, sandbox, base["connectionSpec"]["id"])
    found = client.call("GET", f"{CATALOG}/dataSets/{args.dataset_id}", sandbox)
    schema = found[args.dataset_id]["schemaRef"]["id"]
    source = _made(client.call("POST", f"{FLOW}/sourceConnections", sandbox, {
        "name": f"{args.table} (seeded)", "baseConnectionId": args.connection_id, "data": {"format": "tabular"},
        "params": {"tableName": args.table}, "connectionSpec": base["connectionSpec"]}), "source connection")
    target = _made(client.call("POST", f"{FLOW}/targetConnections", sandbox, {
        "name": f"{args.table} -> dataset (seeded)", "connectionSpec": DATA_LAKE,
        "data": {"format": "parquet_xdm", "schema": {"id": schema,
                                                     "version": "application/vnd.adobe.xed-full+json;version=1"}},
        "params": {"dataSetId": args.dataset_id}}), "target connection")
    mapping = _made(client.call("POST", f"{CONVERSION}/mappingSets", sandbox, {
        "version": 0, "xdmSchema": schema, "xdmVersion": "1.0",
        "mappings": [{"sourceType": "ATTRIBUTE", "source": s, "destination": d} for s, d in args.mapping]}),
        "mapping set")
    made = _made(client.call("POST", f"{FLOW}/flows", sandbox, {
        "name": f"{args.table} to AEP (seeded)", "flowSpec": {"id": spec["id"], "version": spec["version"]},
        "sourceConnectionIds": [source], "targetConnectionIds": [target],
        "transformations": [{"name": "Mapping", "params": {"mappingId": mapping, "mappingVersion": "0"}}],
        "scheduleParams": {"startTime": int(time.time()), "frequency": "hour", "interval": 1}}), "dataflow")
    return [f"source connection {source}", f"target connection {target}", f"mapping set {mapping}",
            f"dataflow {made}"]
