"""A dataflow's schedule: Adobe's rules, checked before anything is sent, and the ``scheduleParams`` shape.

Flow Service requires ``startTime`` (epoch seconds) and ``frequency`` (once, minute, hour, day, week); ``interval``
is at least 15 for ``minute`` and at least 1 otherwise, and ``once`` takes none (Adobe, "Create a dataflow for a
database source using the Flow Service API"). Programs and stack config give the start as ISO 8601
(``2027-01-01T00:00:00Z``) or epoch seconds; it is stored as epoch seconds, as the API returns it.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone
from typing import Any, Mapping, Optional

from provider.service_fields import as_boolean

FREQUENCIES = ("once", "minute", "hour", "day", "week")
MIN_INTERVAL = {"minute": 15}
SCHEDULE_KEYS = ("frequency", "interval", "startTime", "backfill")


def start_seconds(value: Any) -> int:
    """Epoch seconds from an ISO 8601 date-time with a zone (or ``Z``), or from whole epoch seconds."""
    if isinstance(value, bool):
        raise ValueError("start must be an ISO 8601 date-time such as 2027-01-01T00:00:00Z")
    if isinstance(value, str) and value.strip().isdigit():  # epoch seconds as `pulumi config set --path` stores them
        value = int(value.strip())
    if isinstance(value, (int, float)) and math.isfinite(value) and float(value).is_integer() and value >= 0:
        return int(value)
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            raise ValueError(f"start {value[:40]!r} is not an ISO 8601 date-time such as 2027-01-01T00:00:00Z") from None
    else:
        raise ValueError("start must be an ISO 8601 date-time such as 2027-01-01T00:00:00Z")
    if moment.tzinfo is None:
        raise ValueError("start needs a time zone: end it with Z (UTC) or an offset such as +02:00")
    try:
        return int(moment.astimezone(timezone.utc).timestamp())
    except (OverflowError, ValueError):
        raise ValueError("start is out of range: give a date-time such as 2027-01-01T00:00:00Z") from None


def schedule_problems(schedule: Any) -> list[tuple[str, str]]:
    """(key, what is wrong and the fix) for a ``scheduleParams``-shaped mapping; empty when it is valid."""
    if not isinstance(schedule, Mapping):
        return [("", "must be a map: {frequency, interval, startTime}")]
    problems = [(k, f"unknown key; a schedule takes {', '.join(SCHEDULE_KEYS)}") for k in schedule
                if k not in SCHEDULE_KEYS]
    frequency, interval = schedule.get("frequency"), schedule.get("interval")
    if frequency not in FREQUENCIES:
        problems.append(("frequency", f"required: one of {', '.join(FREQUENCIES)}"))
    if frequency == "once" and interval is not None:
        problems.append(("interval", "a schedule with frequency once takes no interval; remove it"))
    elif frequency in FREQUENCIES and frequency != "once":
        least = MIN_INTERVAL.get(frequency, 1)
        if isinstance(interval, bool) or not isinstance(interval, (int, float)) or not math.isfinite(interval) \
                or interval != int(interval) or interval < least:
            problems.append(("interval", f"required with frequency {frequency}: a whole number, at least {least}"))
    start = schedule.get("startTime")
    if isinstance(start, bool) or not isinstance(start, (int, float)) or not math.isfinite(start) or start < 0 \
            or start != int(start):
        problems.append(("startTime", "required: the first run, in epoch seconds (start: ISO 8601 in programs)"))
    if "backfill" in schedule and not isinstance(schedule["backfill"], bool):
        problems.append(("backfill", "must be true or false"))
    return problems


def schedule_params(frequency: str, interval: Optional[int], start: Any, backfill: Optional[bool] = None
                    ) -> dict[str, Any]:
    """The ``scheduleParams`` of a flow from a program's values (``start`` as ``start_seconds`` takes it)."""
    params: dict[str, Any] = {"frequency": frequency, "startTime": start_seconds(start)}
    if interval is not None:
        params["interval"] = interval
    if backfill is not None:
        params["backfill"] = backfill
    return params


def normalized(schedule: Mapping[str, Any]) -> dict[str, Any]:
    """Numbers as integers (gRPC carries them as doubles; Flow Service may answer ``"15"``), no empty keys."""
    out: dict[str, Any] = {}
    for key in SCHEDULE_KEYS:
        value = schedule.get(key)
        if value is None:
            continue
        if key in ("interval", "startTime") and not isinstance(value, bool):
            try:
                value = int(float(value))
            except (TypeError, ValueError, OverflowError):
                pass
        if key == "backfill" and as_boolean(value) is not None:  # the service may answer "false"
            value = as_boolean(value)
        out[key] = value
    return out
