"""The source connection (``/sourceConnections``): what a dataflow reads through a base connection.

Calls: create POST; read GET; update (name, description) one PATCH with If-Match; delete GET /flows (refused,
naming them, while a dataflow made outside the stack still reads it: provider/dependents.py), then DELETE (404
counts as deleted). What it reads (``params``: a table, a path), its data format and its base connection cannot change
in place: a change makes a new source connection, and the engine makes a new dataflow with it before deleting
the old ones. Flow Service may add params of its own; only the declared ones are compared
(provider/service_fields.py).
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

import pulumi
from pulumi.dynamic import Resource

from provider.client import FlowServiceClient
from provider.client.flow_objects import SOURCE_CONNECTIONS, create_object
from provider.client.models import FlowObject
from provider.connection_inputs import is_unknown
from provider.create_key import create_key
from provider.managed_object import Fail
from provider.pipeline.connection_object import ConnectionObjectProvider
from provider.pipeline.fields import check_text, metadata_outputs
from provider.service_fields import covers, observe
from provider.settings_provider import with_settings_provider
from provider.state_footprint import short_stack_trace

FORMATS = ("tabular", "delimited", "json", "parquet")


class SourceConnectionProvider(ConnectionObjectProvider):
    kind = "source connection"
    COLLECTION = SOURCE_CONNECTIONS
    FLOW_FIELD = "sourceConnectionIds"
    REPLACE_KEYS = ("base_connection_id", "connection_spec_id", "connection_spec_version", "data_format", "params",
                    "sandbox")
    DEFAULTS = {"connection_spec_version": "1.0", "data_format": "tabular"}

    def check_fields(self, inputs: dict[str, Any], fail: Fail) -> None:
        check_text(inputs, "name", fail, required=not self.adopting(inputs))
        check_text(inputs, "description", fail)
        for key in ("base_connection_id", "connection_spec_id"):
            check_text(inputs, key, fail, required=True)
        fmt = inputs.get("data_format")
        if not is_unknown(fmt) and fmt not in FORMATS:
            fail("data_format", f"must be one of {', '.join(FORMATS)} (tabular for tables, the others for files)")
        params = inputs.get("params")
        if not is_unknown(params) and not isinstance(params, dict):
            fail("params", "must be a map of source-connection params, e.g. {tableName: public.orders}")

    def same(self, key: str, old: Any, new: Any) -> bool:
        if key == "params":
            return not is_unknown(old) and not is_unknown(new) and covers(old, new)
        return super().same(key, old, new)

    def create_object(self, api: FlowServiceClient, inputs: dict[str, Any]) -> dict[str, Any]:
        body = {
            "name": inputs["name"],
            "baseConnectionId": inputs["base_connection_id"],
            "connectionSpec": {"id": inputs["connection_spec_id"], "version": inputs["connection_spec_version"]},
            "data": {"format": inputs["data_format"]},
            "params": inputs.get("params") or {},
        }
        if (description := self.described(inputs)) is not None:
            body["description"] = description
        written = create_object(api, SOURCE_CONNECTIONS, inputs["sandbox"], body,
                                lambda o: o.body.get("baseConnectionId") == inputs["base_connection_id"])
        return metadata_outputs(written)

    @staticmethod
    def observed(live: FlowObject, declared: Mapping[str, Any]) -> dict[str, Any]:
        spec = live.body.get("connectionSpec") or {}
        params, _added = observe(declared.get("params") or {}, live.body.get("params") or {}, ())
        return {
            "name": live.name, "description": live.description or None,
            "base_connection_id": live.body.get("baseConnectionId"),
            "connection_spec_id": spec.get("id"), "connection_spec_version": spec.get("version", "1.0"),
            "data_format": (live.body.get("data") or {}).get("format"),
            "params": params if declared.get("params") is not None else live.body.get("params") or {},
            **metadata_outputs(live),
        }


TYPE = "pulumi-python:dynamic/aep:SourceConnection"


class FlowServiceSourceConnection(Resource, module="aep", name="SourceConnection"):
    """A Flow Service source connection (type ``pulumi-python:dynamic/aep:SourceConnection``)."""

    etag: pulumi.Output[str]
    created_at: pulumi.Output[Optional[int]]
    updated_at: pulumi.Output[Optional[int]]

    def __init__(
        self,
        resource_name: str,
        *,
        name: Optional[pulumi.Input[str]],
        base_connection_id: pulumi.Input[str],
        connection_spec_id: pulumi.Input[str],
        sandbox: pulumi.Input[str],
        params: pulumi.Input[Mapping[str, Any]],
        data_format: pulumi.Input[str] = "tabular",
        connection_spec_version: pulumi.Input[str] = "1.0",
        description: Optional[pulumi.Input[str]] = None,
        adopt_id: Optional[pulumi.Input[str]] = None,
        adopt_from_flow: Optional[pulumi.Input[str]] = None,
        opts: Optional[pulumi.ResourceOptions] = None,
    ) -> None:
        props = {
            "name": name, "description": description, "base_connection_id": base_connection_id,
            "connection_spec_id": connection_spec_id, "connection_spec_version": connection_spec_version,
            "data_format": data_format, "params": params, "sandbox": sandbox, "adopt_id": adopt_id,
            "adopt_from_flow": adopt_from_flow,
            "create_key": create_key(TYPE, resource_name, opts.parent if opts else None),
            **{k: None for k in SourceConnectionProvider.OUTPUT_KEYS},
        }
        with short_stack_trace(opts):
            super().__init__(SourceConnectionProvider(), resource_name, props, with_settings_provider(opts))
