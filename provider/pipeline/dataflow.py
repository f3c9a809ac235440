"""The dataflow (``/flows``): source connection → mapping → target connection, on a schedule.

Calls: create POST (+ ``action?op=disable`` when declared disabled); read GET; delete DELETE (404 counts as
deleted). A change of name, description, schedule or mapping is ONE PATCH with If-Match (all the changed fields
in one JSON Patch: Adobe documents ``/name``, ``/description``, ``/scheduleParams/frequency|interval`` and
``/transformations/N``); ``enabled`` is one ``POST /flows/{id}/action?op=enable|disable``. A new source or
target connection, flow spec or sandbox is a new dataflow (Adobe advises against repointing a flow), created
before the old one is deleted; so is a new start time once the old one has passed (Flow Service cannot change
a passed ``startTime``), or a new ``backfill``, which only matters when a flow starts.
"""

from __future__ import annotations

import time
from typing import Any, Mapping, Optional

import pulumi
from pulumi.dynamic import Resource

from provider.client import FlowServiceClient
from provider.client.flow_objects import FLOWS, create_object, delete_object, flow_action, get_object, patch_object
from provider.client.models import FlowObject
from provider.connection_inputs import is_unknown
from provider.create_key import create_key
from provider.errors import AepError
from provider.managed_object import Fail, ManagedObjectProvider
from provider.pipeline.fields import check_text, metadata_outputs, text_ops
from provider.pipeline.schedule import normalized, schedule_problems
from provider.settings_provider import with_settings_provider
from provider.state_footprint import short_stack_trace

MAPPING = "Mapping"


def _compared(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Both schedules normalised; ``backfill`` compared only when declared, a live one left out meaning Adobe's
    default (true), so a service that echoes its default never shows as drift."""
    old, new = normalized(old), normalized(new)
    if "backfill" in new:
        old["backfill"] = old.get("backfill", True)
    else:
        old.pop("backfill", None)
    return old, new


def transformation(mapping_id: str, mapping_version: Any) -> dict[str, Any]:
    return {"name": MAPPING, "params": {"mappingId": mapping_id, "mappingVersion": int(mapping_version)}}


class DataflowProvider(ManagedObjectProvider):
    kind = "dataflow"
    UPDATE_KEYS = ("name", "description", "schedule", "mapping_id", "mapping_version", "enabled")
    REPLACE_KEYS = ("flow_spec_id", "flow_spec_version", "source_connection_id", "target_connection_id", "sandbox")
    DEFAULTS = {"enabled": True, "flow_spec_version": "1.0"}
    OUTPUT_KEYS = ("etag", "state", "created_at", "updated_at")
    KEPT_WHEN_UNSET = ("name",)  # an adopted flow keeps its name unless one is declared
    COLLECTION = FLOWS

    def check_fields(self, inputs: dict[str, Any], fail: Fail) -> None:
        check_text(inputs, "name", fail, required=not self.adopting(inputs))
        check_text(inputs, "description", fail)
        for key in ("flow_spec_id", "source_connection_id", "target_connection_id", "mapping_id"):
            check_text(inputs, key, fail, required=True)
        if inputs.get("adopt_from_flow") is not None:
            fail("adopt_from_flow", "a dataflow is adopted by its own id: use adopt_id")
        version = inputs.get("mapping_version")
        if not is_unknown(version) and (isinstance(version, bool) or not isinstance(version, (int, float))
                                        or version < 0 or version != int(version)):
            fail("mapping_version", "required: the mapping set version the flow applies (a whole number)")
        elif not is_unknown(version):
            inputs["mapping_version"] = int(version)
        if not isinstance(inputs.get("enabled"), bool) and not is_unknown(inputs.get("enabled")):
            fail("enabled", "must be true or false")
        schedule = inputs.get("schedule")
        if is_unknown(schedule) or (isinstance(schedule, dict) and any(map(is_unknown, schedule.values()))):
            return
        if isinstance(schedule, dict):
            schedule = inputs["schedule"] = {**schedule, **normalized(schedule)}
        for key, problem in schedule_problems(schedule):
            fail(f"schedule.{key}" if key else "schedule", problem)

    def same(self, key: str, old: Any, new: Any) -> bool:
        if key == "schedule" and isinstance(old, dict) and isinstance(new, dict):
            old, new = _compared(old, new)
        return super().same(key, old, new)

    def replaces(self, key: str, olds: dict[str, Any], news: dict[str, Any]) -> bool:
        if key != "schedule":
            return key in self.REPLACE_KEYS
        if not isinstance(olds.get(key), dict) or not isinstance(news.get(key), dict):
            return False
        old, new = _compared(olds[key], news[key])
        if old.get("backfill") != new.get("backfill"):
            return True
        started = not isinstance(old.get("startTime"), int) or old["startTime"] <= time.time()
        return old.get("startTime") != new.get("startTime") and started

    def create_object(self, api: FlowServiceClient, inputs: dict[str, Any]) -> dict[str, Any]:
        body = {
            "name": inputs["name"],
            "flowSpec": {"id": inputs["flow_spec_id"], "version": inputs["flow_spec_version"]},
            "sourceConnectionIds": [inputs["source_connection_id"]],
            "targetConnectionIds": [inputs["target_connection_id"]],
            "transformations": [transformation(inputs["mapping_id"], inputs["mapping_version"])],
            "scheduleParams": normalized(inputs["schedule"]),  # gRPC carries numbers as doubles
        }
        if (description := self.described(inputs)) is not None:
            body["description"] = description
        sandbox = inputs["sandbox"]
        written = metadata_outputs(create_object(
            api, FLOWS, sandbox, body, lambda o: o.body.get("sourceConnectionIds") == body["sourceConnectionIds"]))
        written["state"] = "enabled"
        if inputs["enabled"] is False:
            try:
                written.update(etag=flow_action(api, sandbox, written["id"], "disable").etag, state="disabled")
            except AepError as err:  # never leave an enabled flow nobody records: the next `up` would make another
                delete_object(api, FLOWS, sandbox, written["id"])
                raise type(err)(f"{err.message} The new dataflow was deleted again and nothing was recorded; "
                                "run `pulumi up` again.", status=err.status, code=err.code) from None
        return written

    def read_object(self, api: FlowServiceClient, sandbox: str, ident: str, state: dict[str, Any]) -> dict[str, Any]:
        return {**self.observed(get_object(api, FLOWS, sandbox, ident)), "sandbox": sandbox}

    @staticmethod
    def observed(live: FlowObject, declared: Optional[Mapping[str, Any]] = None) -> dict[str, Any]:
        body = live.body
        spec = body.get("flowSpec") or {}
        mapping = next((t for t in body.get("transformations") or [] if t.get("name") == MAPPING), {})
        params = mapping.get("params") or {}
        version = params.get("mappingVersion")
        return {
            "name": live.name, "description": live.description or None,
            "flow_spec_id": spec.get("id"), "flow_spec_version": spec.get("version", "1.0"),
            "source_connection_id": (body.get("sourceConnectionIds") or [None])[0],
            "target_connection_id": (body.get("targetConnectionIds") or [None])[0],
            "mapping_id": params.get("mappingId"),
            "mapping_version": int(version) if str(version).isdigit() else version,
            "schedule": normalized(body.get("scheduleParams") or {}),
            "enabled": live.state != "disabled",
            **metadata_outputs(live),
        }

    def update_object(self, api: FlowServiceClient, ident: str, old: dict[str, Any], new: dict[str, Any]
                      ) -> dict[str, Any]:
        sandbox, outs = new["sandbox"], {k: old.get(k) for k in self.OUTPUT_KEYS}
        ops = self._patch(old, new)
        if ops:
            patched = {**new, "enabled": old.get("enabled", True)}
            written = patch_object(api, FLOWS, sandbox, ident, old.get("etag") or "", ops,
                                   self.showing(patched, self.observed), self.showing(old, self.observed))
            outs.update(etag=written.etag, updated_at=written.updatedAt or outs.get("updated_at"))
        if not self.same("enabled", old.get("enabled"), new.get("enabled")):
            op = "enable" if new.get("enabled", True) else "disable"
            outs.update(etag=flow_action(api, sandbox, ident, op).etag, state=f"{op}d")
        return outs

    def _patch(self, old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
        ops = text_ops(old, new, self.UPDATE_KEYS, self.same, self.described)
        was, wants = normalized(old.get("schedule") or {}), normalized(new.get("schedule") or {})
        for key in ("frequency", "interval", "startTime"):
            if key in wants and not self.same(key, was.get(key), wants[key]):
                ops.append({"op": "replace" if key in was else "add", "path": f"/scheduleParams/{key}",
                            "value": wants[key]})
            elif key in was and key not in wants:  # e.g. interval, when the schedule becomes `once`
                ops.append({"op": "remove", "path": f"/scheduleParams/{key}"})
        if not all(self.same(k, old.get(k), new.get(k)) for k in ("mapping_id", "mapping_version")):
            ops.append({"op": "replace", "path": "/transformations/0",
                        "value": transformation(new["mapping_id"], new["mapping_version"])})
        return ops

    def delete_object(self, api: FlowServiceClient, sandbox: str, ident: str, state: dict[str, Any]) -> None:
        delete_object(api, FLOWS, sandbox, ident)

    def id_in_flow(self, flow: FlowObject) -> Optional[str]:
        return flow.id


TYPE = "pulumi-python:dynamic/aep:Dataflow"


class FlowServiceDataflow(Resource, module="aep", name="Dataflow"):
    """A Flow Service dataflow (type ``pulumi-python:dynamic/aep:Dataflow``); ``schedule`` is Adobe's
    ``scheduleParams`` (``frequency``, ``interval``, ``startTime`` in epoch seconds, ``backfill``)."""

    etag: pulumi.Output[str]
    state: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        name: Optional[pulumi.Input[str]],
        flow_spec_id: pulumi.Input[str],
        source_connection_id: pulumi.Input[str],
        target_connection_id: pulumi.Input[str],
        mapping_id: pulumi.Input[str],
        mapping_version: pulumi.Input[int],
        schedule: pulumi.Input[Mapping[str, Any]],
        sandbox: pulumi.Input[str],
        enabled: pulumi.Input[bool] = True,
        description: Optional[pulumi.Input[str]] = None,
        flow_spec_version: pulumi.Input[str] = "1.0",
        adopt_id: Optional[pulumi.Input[str]] = None,
        opts: Optional[pulumi.ResourceOptions] = None,
    ) -> None:
        props = {
            "name": name, "description": description, "flow_spec_id": flow_spec_id,
            "flow_spec_version": flow_spec_version, "source_connection_id": source_connection_id,
            "target_connection_id": target_connection_id, "mapping_id": mapping_id,
            "mapping_version": mapping_version, "schedule": schedule, "enabled": enabled, "sandbox": sandbox,
            "adopt_id": adopt_id, "create_key": create_key(TYPE, resource_name, opts.parent if opts else None),
            **{k: None for k in DataflowProvider.OUTPUT_KEYS},
        }
        with short_stack_trace(opts):
            super().__init__(DataflowProvider(), resource_name, props, with_settings_provider(opts))
