"""dataflow-min-interval: dataflows in the listed sandboxes run at most once every `minimumMinutes`.

A schedule (Adobe's `scheduleParams`) runs every `interval` units of its `frequency`: a minute, an hour (60), a day
(1440) or a week (10080 minutes); `once` runs once and always passes. Every run is a Flow Service job and a batch in
the dataset, so a platform team keeps production flows coarse. A schedule the rule cannot read (another frequency,
an interval that is not a whole number of at least 1) fails rather than slipping through; the provider refuses
those too. Whether the flow is enabled does not matter: a disabled flow can be enabled in the AEP UI. A dataflow
applies when its sandbox, or the stack's sandbox, is listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

from . import sandbox_scope
from .config import int_value
from .model import StackContext
from .pipeline_model import Dataflow, out_of_scope, scoped_sandbox

RULE = "dataflow-min-interval"
DEFAULT_MINUTES = 60
MINUTES = {"minute": 1, "hour": 60, "day": 1440, "week": 10080}
LEAST_MINUTE_INTERVAL = 15  # Adobe's floor for frequency minute

SCHEMA: dict[str, dict[str, Any]] = {
    **sandbox_scope.schema("Sandboxes in which dataflows may not run more often than minimumMinutes."),
    "minimumMinutes": {
        "type": "integer",
        "minimum": 1,
        "default": DEFAULT_MINUTES,
        "description": "Shortest time between two runs of a dataflow, in minutes (60: at most hourly).",
    },
}


@dataclass(frozen=True)
class Settings:
    sandboxes: tuple[str, ...]
    minimum_minutes: int


def parse_settings(config: Optional[Mapping[str, Any]]) -> Settings:
    return Settings(sandboxes=sandbox_scope.parse(config, RULE).sandboxes,
                    minimum_minutes=int_value(config, RULE, "minimumMinutes", DEFAULT_MINUTES, minimum=1))


def applies(flow: Dataflow, settings: Settings, stack: Optional[StackContext] = None) -> Optional[str]:
    """None when the dataflow is in scope, else why it is not."""
    return out_of_scope(flow, settings.sandboxes, stack)


def whole_number(value: Any) -> Optional[int]:
    """`value` as an int when it is a whole number (gRPC sends 15.0; Flow Service may answer "15"), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def period_minutes(frequency: Any, interval: Any) -> Optional[int]:
    """Minutes between two runs of a repeating schedule, or None when the schedule cannot be read."""
    count = whole_number(interval)
    if frequency not in MINUTES or count is None or count < 1:
        return None
    return MINUTES[frequency] * count


def suggestion(minimum: int) -> str:
    """The most frequent schedule that is allowed, in the coarsest unit that expresses it."""
    for frequency in ("week", "day", "hour"):
        if minimum % MINUTES[frequency] == 0:
            return f"frequency: {frequency}, interval: {minimum // MINUTES[frequency]}"
    return f"frequency: minute, interval: {max(minimum, LEAST_MINUTE_INTERVAL)}"


def _shown(value: Any) -> str:
    if value is None:
        return "missing"
    return repr(value)[:40] if isinstance(value, (str, int, float)) else f"a {type(value).__name__}"


def check(flow: Dataflow, settings: Settings, stack: Optional[StackContext] = None) -> list[str]:
    sandbox = scoped_sandbox(flow, settings.sandboxes, stack)
    if sandbox is None:
        return []
    frequency = flow.schedule_field("frequency")
    if frequency == "once":
        return []
    interval = flow.schedule_field("interval")
    period = period_minutes(frequency, interval)
    minimum = settings.minimum_minutes
    where = f"[{RULE}] {flow.label} in sandbox '{sandbox}'"
    allowed = f"dataflows there may run at most once every {minimum} minutes"
    policy_owners = f"or have the policy owners change {RULE}.minimumMinutes in the --policy-pack-config file."
    if period is None:
        return [
            f"{where} has a schedule this rule cannot read (frequency {_shown(frequency)}, interval "
            f"{_shown(interval)}), and {allowed}. Fix: give the schedule a frequency of once, "
            f"{', '.join(MINUTES)} and a whole-number interval, e.g. {suggestion(minimum)}."
        ]
    if period >= minimum:
        return []
    return [
        f"{where} runs every {period} minutes (schedule frequency {frequency}, interval {whole_number(interval)}), "
        f"but {allowed}. "
        f"Fix: schedule it less often, e.g. {suggestion(minimum)} (or a larger interval), {policy_owners}"
    ]
