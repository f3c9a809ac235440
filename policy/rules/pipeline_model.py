"""What the pipeline rules see: one dataflow's or target connection's registered inputs, read lazily.

As with `model.Connection`, a value not known during preview (an id computed from another resource) raises
`UnknownValueError` only when a rule reads it, so only the rules that need it wait for `pulumi up`. Pipeline
objects carry no credentials, so their messages need no scrubbing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Optional

from pulumi_policy.proxy import UnknownValueError

from .model import StackContext, reveal

DATAFLOW_TYPE = "pulumi-python:dynamic/aep:Dataflow"
TARGET_CONNECTION_TYPE = "pulumi-python:dynamic/aep:TargetConnection"


@dataclass(frozen=True)
class PipelineObject:
    """Lazy view of one pipeline resource; `resource_name` is the Pulumi resource name (the aep:dataflows key)."""

    urn: str
    resource_name: str
    props: Mapping[str, Any]

    TYPE: ClassVar[str] = ""
    KIND: ClassVar[str] = ""

    @classmethod
    def type_name(cls) -> str:
        """The type as users know it, e.g. `aep:Dataflow`."""
        return cls.TYPE.rsplit("/", 1)[-1]

    def _get(self, key: str) -> Any:
        return reveal(self.props[key]) if key in self.props else None

    @property
    def label(self) -> str:
        return f"{self.KIND} '{self.resource_name}'"

    @property
    def sandbox(self) -> Any:
        return self._get("sandbox")


class Dataflow(PipelineObject):
    TYPE = DATAFLOW_TYPE
    KIND = "dataflow"

    @property
    def schedule(self) -> Optional[Mapping[str, Any]]:
        """Adobe's `scheduleParams` (frequency, interval, startTime, backfill), or None when it is not a map."""
        value = self._get("schedule")
        return value if isinstance(value, Mapping) else None

    def schedule_field(self, key: str) -> Any:
        schedule = self.schedule
        return reveal(schedule[key]) if schedule is not None and key in schedule else None


class TargetConnection(PipelineObject):
    TYPE = TARGET_CONNECTION_TYPE
    KIND = "target connection"

    @property
    def dataset_name(self) -> Any:
        return self._get("dataset_name")

    @property
    def dataset_id(self) -> Any:
        return self._get("dataset_id")


def scoped_sandbox(obj: PipelineObject, sandboxes: Sequence[str], stack: Optional[StackContext]) -> Optional[str]:
    """The listed sandbox `obj` writes to (its own `sandbox` input, else the stack's), or None when neither is listed.

    A stack whose sandbox is listed puts every object in scope, so an own sandbox unknown during preview matters
    only when the stack's does not decide; then the `UnknownValueError` goes on (the rule cannot judge yet).
    """
    from_stack = next((s for s in (stack.sandboxes if stack else ()) if s in sandboxes), None)
    try:
        own = obj.sandbox
    except UnknownValueError:
        if from_stack is not None:
            return from_stack
        raise
    return own if isinstance(own, str) and own in sandboxes else from_stack


def out_of_scope(obj: PipelineObject, sandboxes: Sequence[str], stack: Optional[StackContext]) -> Optional[str]:
    """None when `obj` is in one of `sandboxes` (by its own sandbox or the stack's), else why it is not."""
    if scoped_sandbox(obj, sandboxes, stack) is not None:
        return None
    return f"sandbox is not one of {list(sandboxes)}"
