"""The target connection (``/targetConnections``): the dataset in AEP's data lake a dataflow writes to.

The dataset is given by id or by name; a name is looked up in the resource's sandbox (Catalog), so the same
declaration deploys to every sandbox. Create is two calls: read the dataset (its id and XDM schema, which the
target connection and the mapping set must both name) and POST. Read GET; update (name, description) one PATCH
with If-Match; delete GET /flows (refused while a dataflow made outside the stack writes through it), then DELETE. Another dataset means a new target connection (and, through the engine, a new
dataflow before the old one is deleted).
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

import pulumi
from pulumi.dynamic import Resource

from provider.client import FlowServiceClient
from provider.client.datasets import Dataset, find_datasets, get_dataset
from provider.client.flow_objects import TARGET_CONNECTIONS, create_object
from provider.client.models import FlowObject
from provider.create_key import create_key
from provider.errors import NotFoundError, ValidationError
from provider.managed_object import Fail
from provider.pipeline.connection_object import ConnectionObjectProvider
from provider.pipeline.fields import check_text, metadata_outputs
from provider.settings_provider import with_settings_provider
from provider.state_footprint import short_stack_trace

DATA_LAKE_SPEC = "c604ff05-7f1a-43c0-8e18-33bf874cb11c"  # Adobe's data-lake target connection spec
DATA_FORMAT = "parquet_xdm"


class TargetConnectionProvider(ConnectionObjectProvider):
    kind = "target connection"
    COLLECTION = TARGET_CONNECTIONS
    FLOW_FIELD = "targetConnectionIds"
    REPLACE_KEYS = ("dataset_id", "dataset_name", "sandbox")
    OUTPUT_KEYS = ("etag", "created_at", "updated_at", "resolved_dataset_id", "schema_id", "schema_version")

    def check_fields(self, inputs: dict[str, Any], fail: Fail) -> None:
        check_text(inputs, "name", fail, required=not self.adopting(inputs))
        check_text(inputs, "description", fail)
        check_text(inputs, "dataset_id", fail)
        check_text(inputs, "dataset_name", fail)
        given = [k for k in ("dataset_id", "dataset_name") if inputs.get(k) is not None]
        if len(given) != 1:
            fail("dataset_id", "give exactly one of dataset_id (a Catalog dataset id) and dataset_name (looked up in "
                 "the sandbox)")

    def create_object(self, api: FlowServiceClient, inputs: dict[str, Any]) -> dict[str, Any]:
        dataset = resolve_dataset(api, inputs["sandbox"], inputs.get("dataset_id"), inputs.get("dataset_name"))
        body = {
            "name": inputs["name"],
            "connectionSpec": {"id": DATA_LAKE_SPEC, "version": "1.0"},
            "data": {"format": DATA_FORMAT, "schema": {"id": dataset.schema_id, "version": dataset.schema_version}},
            "params": {"dataSetId": dataset.id},
        }
        if (description := self.described(inputs)) is not None:
            body["description"] = description
        written = create_object(api, TARGET_CONNECTIONS, inputs["sandbox"], body,
                                lambda o: (o.body.get("params") or {}).get("dataSetId") == dataset.id)
        return {**metadata_outputs(written), "resolved_dataset_id": dataset.id, "schema_id": dataset.schema_id,
                "schema_version": dataset.schema_version}

    def read_object(self, api: FlowServiceClient, sandbox: str, ident: str, state: dict[str, Any]) -> dict[str, Any]:
        seen = super().read_object(api, sandbox, ident, state)
        name = state.get("dataset_name")
        if name and not state.get("resolved_dataset_id"):  # adopting: is the dataset it writes to the one named?
            named = [d.id for d in find_datasets(api, sandbox, name)]
            seen["dataset_name"] = name if named == [seen["resolved_dataset_id"]] else (
                f"(the dataset with id {seen['resolved_dataset_id']})")
        return seen

    @staticmethod
    def observed(live: FlowObject, declared: Mapping[str, Any]) -> dict[str, Any]:
        dataset_id = (live.body.get("params") or {}).get("dataSetId")
        schema = (live.body.get("data") or {}).get("schema") or {}
        seen = {"name": live.name, "description": live.description or None, "resolved_dataset_id": dataset_id,
                "schema_id": schema.get("id"), "schema_version": schema.get("version"), **metadata_outputs(live)}
        if declared.get("dataset_name") is not None:  # a name is not shown: the recorded id stands for it
            recorded = declared.get("resolved_dataset_id")
            seen["dataset_name"] = declared["dataset_name"] if recorded in (None, dataset_id) else None
        else:
            seen["dataset_id"] = dataset_id
        return seen



def resolve_dataset(api: FlowServiceClient, sandbox: str, dataset_id: Optional[str], name: Optional[str]) -> Dataset:
    """The dataset by id, or the one dataset of that name in ``sandbox``; errors name the fix."""
    if dataset_id:
        try:
            dataset = get_dataset(api, sandbox, dataset_id)
        except NotFoundError:
            raise NotFoundError(f"dataset {dataset_id} does not exist in sandbox {sandbox}: check the id (Datasets in "
                                "the AEP UI) or give the dataset by name ({name: ...})", status=404) from None
    else:
        found = find_datasets(api, sandbox, name or "")
        if len(found) != 1:
            what = "no dataset" if not found else f"{len(found)} datasets ({', '.join(d.id for d in found[:5])})"
            raise ValidationError(f"dataset {name!r}: {what} of that name in sandbox {sandbox}; create it there "
                                  "(Datasets in the AEP UI) or give its id instead of its name")
        dataset = found[0]
    if not dataset.schema_id:
        raise ValidationError(f"dataset {dataset.id} in sandbox {sandbox} has no XDM schema (schemaRef); a dataflow "
                              "can only write to a dataset made from a schema")
    return dataset


TYPE = "pulumi-python:dynamic/aep:TargetConnection"


class FlowServiceTargetConnection(Resource, module="aep", name="TargetConnection"):
    """A data-lake target connection (type ``pulumi-python:dynamic/aep:TargetConnection``)."""

    etag: pulumi.Output[str]
    resolved_dataset_id: pulumi.Output[str]
    schema_id: pulumi.Output[str]
    schema_version: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        name: Optional[pulumi.Input[str]],
        sandbox: pulumi.Input[str],
        dataset_id: Optional[pulumi.Input[str]] = None,
        dataset_name: Optional[pulumi.Input[str]] = None,
        description: Optional[pulumi.Input[str]] = None,
        adopt_id: Optional[pulumi.Input[str]] = None,
        adopt_from_flow: Optional[pulumi.Input[str]] = None,
        opts: Optional[pulumi.ResourceOptions] = None,
    ) -> None:
        props = {
            "name": name, "description": description, "dataset_id": dataset_id, "dataset_name": dataset_name,
            "sandbox": sandbox, "adopt_id": adopt_id, "adopt_from_flow": adopt_from_flow,
            "create_key": create_key(TYPE, resource_name, opts.parent if opts else None),
            **{k: None for k in TargetConnectionProvider.OUTPUT_KEYS},
        }
        with short_stack_trace(opts):
            super().__init__(TargetConnectionProvider(), resource_name, props, with_settings_provider(opts))
