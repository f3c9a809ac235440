"""Dataflows on the emulator, made the way Adobe's source tutorials make them: a source connection on a base
connection (``POST /sourceConnections``), a dataset (Catalog), a target connection on it, a mapping set (Data
Prep) to the dataset's schema, then a flow joining them (``POST /flows``).

Request bodies follow the PostgreSQL tutorial; every response passes the conformance check. These calls go
through the emulator's API, so they are logged: clear the log after setting up.
"""
from __future__ import annotations

import time
from typing import Any, Callable, Optional

from tests.support.conformance import conforming_session

TIMEOUT = 10
FLOW_SPEC = {"id": "14518937-270c-4525-bdec-c2ba7cce3860", "version": "1.0"}  # CRMToAEP: databases and CRMs
DATA_LAKE = {"id": "c604ff05-7f1a-43c0-8e18-33bf874cb11c", "version": "1.0"}
SCHEMA = "https://ns.adobe.com/acme/schemas/orders"
SCHEMA_VERSION = "application/vnd.adobe.xed-full+json;version=1"


def source_connection_body(base_id: str, spec: dict[str, str], name: str = "Orders table") -> dict[str, Any]:
    return {"name": name, "description": "Orders read by the nightly export", "baseConnectionId": base_id,
            "data": {"format": "tabular"}, "params": {"tableName": "public.orders"}, "connectionSpec": spec}


def flow_body(source_ids: list[str], target_id: str, mapping_id: str, name: str = "Orders to AEP",
              flow_spec: Optional[dict[str, str]] = None) -> dict[str, Any]:
    return {"name": name, "description": "Nightly orders", "flowSpec": flow_spec or FLOW_SPEC,
            "sourceConnectionIds": source_ids, "targetConnectionIds": [target_id],
            "transformations": [{"name": "Mapping", "params": {"mappingId": mapping_id, "mappingVersion": 0}}],
            "scheduleParams": {"startTime": int(time.time()) + 3600, "frequency": "hour", "interval": 1}}


class Dataflows:
    """``Dataflows(emulator).add(base_id, sandbox="dev")`` -> (source connection id, flow id). ``headers(sandbox)``
    gives the caller's gateway headers: the emulator's own client by default, or another client in another org
    (``tests.reliability.out_of_band.OutsidePulumi(...).headers``)."""

    def __init__(self, emulator: Any, headers: Optional[Callable[[str], dict[str, str]]] = None):
        self.emulator = emulator
        self.headers = headers or emulator.headers
        self.session = conforming_session()

    def _call(self, method: str, path: str, sandbox: str, **kwargs: Any) -> Any:
        """``path`` under Flow Service, or a whole ``/data/foundation/...`` path for Catalog and Data Prep."""
        url = self.emulator.url + path if path.startswith("/data/") else self.emulator.flow_url + path
        response = self.session.request(method, url, headers=self.headers(sandbox), timeout=TIMEOUT, **kwargs)
        assert response.status_code < 300, f"{method} {path} -> {response.status_code}: {response.text}"
        return response.json() if response.content else None

    def source_connection(self, base_id: str, sandbox: str, name: str = "Orders table") -> str:
        base = self._call("GET", f"/connections/{base_id}", sandbox)["items"][0]
        body = source_connection_body(base_id, base["connectionSpec"], name)
        return self._call("POST", "/sourceConnections", sandbox, json=body)["id"]

    def target(self, sandbox: str, name: str = "Orders") -> tuple[str, str]:
        """A new dataset, a target connection on it and a mapping set to its schema: (target id, mapping id)."""
        dataset = self._call("POST", "/data/foundation/catalog/dataSets", sandbox, json={
            "name": f"{name} dataset", "schemaRef": {"id": SCHEMA, "contentType": SCHEMA_VERSION}})[0]
        target = self._call("POST", "/targetConnections", sandbox, json={
            "name": f"{name} target", "connectionSpec": DATA_LAKE,
            "data": {"format": "parquet_xdm", "schema": {"id": SCHEMA, "version": SCHEMA_VERSION}},
            "params": {"dataSetId": dataset.rsplit("/", 1)[-1]}})["id"]
        mapping = self._call("POST", "/data/foundation/conversion/mappingSets", sandbox, json={
            "version": 0, "xdmSchema": SCHEMA, "xdmVersion": "1.0",
            "mappings": [{"sourceType": "ATTRIBUTE", "source": "id", "destination": "_acme.orderId"}]})["id"]
        return target, mapping

    def flow(self, source_ids: list[str], sandbox: str, name: str = "Orders to AEP") -> str:
        target, mapping = self.target(sandbox, name)
        body = flow_body(source_ids, target, mapping, name, self.flow_spec(source_ids[0], sandbox))
        return self._call("POST", "/flows", sandbox, json=body)["id"]

    def flow_spec(self, source_id: str, sandbox: str) -> dict[str, str]:
        """The flow spec taking the source connection's connection spec (``GET /flowSpecs``), as the UI picks it."""
        spec = self._call("GET", f"/sourceConnections/{source_id}", sandbox)["items"][0]["connectionSpec"]["id"]
        specs = self._call("GET", "/flowSpecs", sandbox)["items"]
        found = next((s for s in specs if spec in s.get("sourceConnectionSpecIds", [])), None)
        assert found is not None, f"no flow spec takes connection spec {spec}: use a database or cloud-storage source"
        return {"id": found["id"], "version": found.get("version", "1.0")}

    def add(self, base_id: str, sandbox: str, name: str = "Orders") -> tuple[str, str]:
        source_id = self.source_connection(base_id, sandbox, f"{name} table")
        return source_id, self.flow([source_id], sandbox, f"{name} to AEP")

    def delete(self, kind: str, ident: str, sandbox: str) -> None:
        """``kind`` is ``flows`` or ``sourceConnections``."""
        self._call("DELETE", f"/{kind}/{ident}", sandbox)

    def close(self) -> None:
        self.session.close()
