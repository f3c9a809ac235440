"""What every case of the bad-input corpus must show: refused with a message that names the field and says how
to fix it, before anything was sent (the emulator logged no request at all, not even for an IMS token)."""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest


class Case(NamedTuple):
    """One bad input: ``field`` and ``hint`` must both appear in the error text."""

    id: str
    value: Any
    field: str
    hint: str


def assert_refused_before_any_call(emulator: Any, error: str, case: Case) -> None:
    assert error, f"{case.id}: accepted"
    assert case.field in error, f"{case.id}: the error does not name {case.field!r}: {error}"
    assert case.hint in error, f"{case.id}: the error lacks the fix {case.hint!r}: {error}"
    assert emulator.request_log()["total"] == 0, f"{case.id}: requests were sent: {emulator.counts()}"
    assert emulator.connections() == []


def cases(*rows: tuple) -> list:
    """pytest params from (id, value, field, hint) rows, each with its id."""
    return [pytest.param(Case(*row), id=row[0]) for row in rows]
