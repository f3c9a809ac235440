"""Target connections: where a dataflow writes - for batch sources, a dataset in the data lake.

From Adobe's "Create a dataflow for database sources" tutorial
(https://experienceleague.adobe.com/en/docs/experience-platform/sources/api-tutorials/collect/database-nosql),
"Create a target connection": the body names the data lake connection spec
(``c604ff05-7f1a-43c0-8e18-33bf874cb11c``, version 1.0), ``data.schema`` (the target XDM schema) with an
optional ``data.format``, and ``params.dataSetId``. The emulator requires that dataset to exist in the Catalog of
the caller's sandbox (else 400 naming ``params.dataSetId``), on create and after every PATCH. PATCH follows
``connection_patch``; deleting a target connection is never refused.
"""
from __future__ import annotations

from typing import Any

from emulator.errors import FlowError, bad_request

from . import connection_patch
from .connections import Caller
from .datasets import Datasets
from .documents import Documents, json_object, optional_text, required_text
from .preconditions import Conditions
from .store import Store

KIND = "targetConnection"
DATA_LAKE = {"id": "c604ff05-7f1a-43c0-8e18-33bf874cb11c", "version": "1.0"}
_TOP_LEVEL = ("name", "description", "connectionSpec", "data", "params", "providerId")


class TargetConnections:
    def __init__(self, store: Store, datasets: Datasets):
        self._datasets = datasets
        self.docs = Documents(store, KIND, "target connection")

    def _check_dataset(self, caller: Caller, params: Any) -> None:
        ident = params.get("dataSetId") if isinstance(params, dict) else None
        if not isinstance(ident, str) or not ident.strip():
            raise bad_request("params.dataSetId is required: the id of the dataset to write to (POST "
                              "/data/foundation/catalog/dataSets makes one).", field="params.dataSetId")
        if self._datasets.find(caller, ident) is None:
            raise bad_request(f"params.dataSetId: dataset '{ident}' does not exist in the Catalog of sandbox "
                              f"'{caller.sandbox}'; create it first or use the id of one in this sandbox.",
                              field="params.dataSetId")

    def _validate(self, caller: Caller, body: Any) -> dict[str, Any]:
        body = json_object(body, _TOP_LEVEL, "target connection (name, connectionSpec, data, params)")
        name = required_text(body, "name", "the target connection's display name")
        optional_text(body, "description")
        optional_text(body, "providerId")
        spec = body.get("connectionSpec")
        if not isinstance(spec, dict) or spec.get("id") != DATA_LAKE["id"]:
            raise FlowError(1413, 400, f"connectionSpec.id must be the data lake's, {DATA_LAKE['id']} (the only "
                            "target connection spec for batch sources).", context={"field": "connectionSpec.id"})
        if spec.get("version", DATA_LAKE["version"]) != DATA_LAKE["version"]:
            raise FlowError(1413, 400, f"connectionSpec.version must be \"{DATA_LAKE['version']}\".",
                            context={"field": "connectionSpec.version"})
        data = body.get("data")
        schema = data.get("schema") if isinstance(data, dict) else None
        if not isinstance(schema, dict) or not isinstance(schema.get("id"), str) or not schema["id"].strip():
            raise bad_request("data.schema.id is required: the $id of the dataset's XDM schema, with "
                              "data.schema.version.", field="data.schema.id")
        if not isinstance(schema.get("version", ""), str):
            raise bad_request("data.schema.version must be a string.", field="data.schema.version")
        if not isinstance(data.get("format", ""), str):
            raise bad_request("data.format must be a string such as \"parquet_xdm\".", field="data.format")
        if not isinstance(body.get("params"), dict):
            raise bad_request("params is required: {\"dataSetId\": \"<dataset id>\"}.", field="params")
        self._check_dataset(caller, body["params"])
        doc = {"name": name, "connectionSpec": dict(DATA_LAKE), "data": data, "params": body["params"]}
        if "description" in body:
            doc["description"] = body["description"]
        return doc

    def create(self, caller: Caller, body: Any) -> dict[str, Any]:
        return self.docs.insert(caller, self._validate(caller, body))

    def get(self, caller: Caller, ident: str) -> dict[str, Any]:
        return self.docs.get(caller, ident)

    def find(self, caller: Caller, ident: str) -> dict[str, Any] | None:
        return self.docs.find(caller, ident)

    def list(self, caller: Caller, query: list[tuple[str, str]], base_path: str) -> dict[str, Any]:
        return self.docs.list(caller, query, base_path)

    def patch(self, caller: Caller, ident: str, conds: Conditions | None, body: Any) -> dict[str, Any]:
        def change(doc: dict[str, Any]) -> dict[str, Any]:
            doc = connection_patch.apply(doc, body, "target connection")
            self._check_dataset(caller, doc["params"])
            return doc

        return self.docs.update(caller, ident, conds, change)

    def delete(self, caller: Caller, ident: str, conds: Conditions | None = None) -> None:
        self.docs.delete(caller, ident, conds)
