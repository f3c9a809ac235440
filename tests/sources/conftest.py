"""Run one component in a real program run (tests.harness.program) against the test emulator."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable, Iterable

import pytest

from tests.harness.program import ProgramHarness, ProgramRun


@pytest.fixture(autouse=True)
def _components_under_mocks(under_mocks) -> None:
    """Components built in this process need mocks set (tests/support/mocks.py)."""


ONE_COMPONENT = Path(__file__).with_name("one_component_program.py")


@pytest.fixture
def run_component(emulator) -> Callable[..., ProgramRun]:
    """run_component("PostgreSqlConnection", {...}, outputs=("port",)) -> the finished ProgramRun."""

    def run(component: str, args: dict[str, Any], outputs: Iterable[str] = ()) -> ProgramRun:
        env = {"COMPONENT": component, "ARGS": json.dumps(args), "OUTPUT_ARGS": json.dumps(list(outputs))}
        return ProgramHarness.for_emulator(emulator, program=ONE_COMPONENT, env=env).up()

    return run
