"""What source and target connections share: name and description changed by one PATCH with If-Match, a delete
refused while a dataflow made outside the stack still uses the connection, and the flow field naming them."""

from __future__ import annotations

from functools import partial
from typing import Any, ClassVar, Mapping, Optional

from provider.client import FlowServiceClient
from provider.client.flow_objects import Collection, delete_object, get_object, patch_object
from provider.client.models import FlowObject
from provider.dependents import refuse_if_flows_use
from provider.managed_object import ManagedObjectProvider
from provider.pipeline.fields import text_ops


class ConnectionObjectProvider(ManagedObjectProvider):
    COLLECTION: ClassVar[Collection]
    FLOW_FIELD: ClassVar[str]  # the dataflow field listing connections of this kind
    UPDATE_KEYS = ("name", "description")
    KEPT_WHEN_UNSET = ("name",)  # an adopted one keeps its name (provider/pipeline/ingestion.py)

    @staticmethod
    def observed(live: FlowObject, declared: Mapping[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def read_object(self, api: FlowServiceClient, sandbox: str, ident: str, state: dict[str, Any]) -> dict[str, Any]:
        return {**self.observed(get_object(api, self.COLLECTION, sandbox, ident), state), "sandbox": sandbox}

    def update_object(self, api: FlowServiceClient, ident: str, old: dict[str, Any], new: dict[str, Any]
                      ) -> dict[str, Any]:
        kept = {k: old.get(k) for k in self.OUTPUT_KEYS}
        ops = text_ops(old, new, self.UPDATE_KEYS, self.same, self.described)
        if not ops:
            return kept
        seen = partial(self.observed, declared=new)
        written = patch_object(api, self.COLLECTION, new["sandbox"], ident, old.get("etag") or "", ops,
                               self.showing(new, seen), self.showing(old, seen))
        return {**kept, "etag": written.etag, "updated_at": written.updatedAt}

    def delete_object(self, api: FlowServiceClient, sandbox: str, ident: str, state: dict[str, Any]) -> None:
        refuse_if_flows_use(api, sandbox, self.kind, ident, self.FLOW_FIELD)
        delete_object(api, self.COLLECTION, sandbox, ident)

    def id_in_flow(self, flow: FlowObject) -> Optional[str]:
        ids = flow.body.get(self.FLOW_FIELD) or []
        return ids[0] if ids else None
