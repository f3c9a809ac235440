"""dataflow-backfill-in-prod: warn when a dataflow in the listed sandboxes sets `backfill: true` in its schedule.

With backfill the first run ingests everything already in the source (the whole table, or every file under the
path), not only what arrives after the start time, into the dataset (and Profile, when the dataset feeds it). In
prod that is worth a second look. The provider also replaces a dataflow whose backfill changes (backfill only
matters when a flow starts). A dataflow applies when its sandbox, or the stack's sandbox, is listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from . import sandbox_scope
from .model import StackContext
from .pipeline_model import Dataflow, out_of_scope, scoped_sandbox
from .sandbox_scope import Settings

__all__ = ["RULE", "SCHEMA", "Settings", "parse_settings", "applies", "check"]

RULE = "dataflow-backfill-in-prod"
SCHEMA = sandbox_scope.schema("Sandboxes in which a dataflow schedule with backfill: true is reported.")


def parse_settings(config: Optional[Mapping[str, Any]]) -> Settings:
    return sandbox_scope.parse(config, RULE)


def applies(flow: Dataflow, settings: Settings, stack: Optional[StackContext] = None) -> Optional[str]:
    """None when the dataflow is in scope, else why it is not."""
    return out_of_scope(flow, settings.sandboxes, stack)


def check(flow: Dataflow, settings: Settings, stack: Optional[StackContext] = None) -> list[str]:
    sandbox = scoped_sandbox(flow, settings.sandboxes, stack)
    if sandbox is None or flow.schedule_field("backfill") is not True:
        return []
    return [
        f"[{RULE}] {flow.label} in sandbox '{sandbox}' sets backfill: true, so its first run ingests everything "
        "already in the source (the whole table or folder), not only new data, and changing backfill later "
        "replaces the dataflow. Fix: keep it only if the dataset should take the full history; otherwise remove "
        "backfill from the schedule or set it to false."
    ]
