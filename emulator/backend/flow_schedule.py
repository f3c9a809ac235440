"""A dataflow's ``scheduleParams``, checked against the flow spec's ``scheduleSpec`` (``flow_specs.SCHEDULE_SPEC``).

Adobe's Flow Service spec (``CreateFlowRequest``, and the ``PeriodicSchedule`` schema every batch flow spec
carries): ``startTime`` (epoch seconds) and ``frequency`` (once, minute, hour, day, week) are required;
``interval`` is required unless the frequency is ``once``, at least 15 for ``minute`` and at least 1 otherwise;
``once`` takes neither ``interval`` nor ``backfill``. Numbers may come as integers or as strings of digits (the
tutorials send both). Stored and returned as ``ScheduleSpecDTO`` types them: ``startTime`` an integer,
``interval`` a string. A PATCH may move ``startTime`` only while it is still ahead ("Update dataflows",
https://experienceleague.adobe.com/en/docs/experience-platform/sources/api-tutorials/update-dataflows: the
start time of a dataflow cannot be changed once it has passed).
"""
from __future__ import annotations

import re
import time
from typing import Any

from emulator.errors import bad_request

FREQUENCIES = ("once", "minute", "hour", "day", "week")
_KEYS = ("startTime", "frequency", "interval", "backfill")
_DIGITS = re.compile(r"^[0-9]{1,12}$")


def _whole(value: Any, field: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**12:
        return value
    if isinstance(value, str) and _DIGITS.match(value.strip()):
        return int(value.strip())
    raise bad_request(f"{field} must be a whole number (an integer, or a string of digits).", field=field)


def schedule(value: Any) -> dict[str, Any]:
    """``scheduleParams`` checked and in their stored form, or a 400 naming the field and the fix."""
    if not isinstance(value, dict):
        raise bad_request("scheduleParams is required: {\"startTime\": <epoch seconds>, \"frequency\": \"hour\", "
                          "\"interval\": 1}.", field="scheduleParams")
    unknown = [k for k in value if k not in _KEYS]
    if unknown:
        raise bad_request(f"Unknown field scheduleParams.{unknown[0]}; allowed: {', '.join(_KEYS)}.",
                          field=f"scheduleParams.{unknown[0]}")
    if "startTime" not in value:
        raise bad_request("scheduleParams.startTime is required: when the first run starts, in epoch seconds.",
                          field="scheduleParams.startTime")
    out: dict[str, Any] = {"startTime": _whole(value["startTime"], "scheduleParams.startTime")}
    frequency = value.get("frequency")
    if frequency not in FREQUENCIES:
        raise bad_request(f"scheduleParams.frequency is required: one of {', '.join(FREQUENCIES)}.",
                          field="scheduleParams.frequency")
    out["frequency"] = frequency
    if frequency == "once":
        for key in ("interval", "backfill"):
            if key in value:
                raise bad_request(f"scheduleParams.{key} cannot be given with frequency once; leave it out.",
                                  field=f"scheduleParams.{key}")
        return out
    if "interval" not in value:
        raise bad_request(f"scheduleParams.interval is required with frequency {frequency}: how many "
                          f"{frequency}s between runs.", field="scheduleParams.interval")
    interval, least = _whole(value["interval"], "scheduleParams.interval"), 15 if frequency == "minute" else 1
    if interval < least:
        raise bad_request(f"scheduleParams.interval must be at least {least} with frequency {frequency}, got "
                          f"{interval}.", field="scheduleParams.interval")
    out["interval"] = str(interval)
    if "backfill" in value:
        if not isinstance(value["backfill"], bool):
            raise bad_request("scheduleParams.backfill must be true or false.", field="scheduleParams.backfill")
        out["backfill"] = value["backfill"]
    return out


def refuse_passed_start(current: dict[str, Any]) -> None:
    """A PATCH of ``/scheduleParams/startTime`` is refused once the stored start time has passed."""
    start = current.get("startTime")
    if isinstance(start, int) and start <= time.time():
        raise bad_request(f"scheduleParams.startTime {start} has passed, and a passed startTime cannot change; "
                          "create a new dataflow to start again.", field="/scheduleParams/startTime")
