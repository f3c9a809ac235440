"""Fixtures for the fuzz suite: a clean emulator per test and a ``FuzzClient`` on it; figures at the end."""
from __future__ import annotations

import pytest

from tests.emulator.fuzz.harness import STATS, FuzzClient, summary


@pytest.fixture
def fuzz_client(emulator) -> FuzzClient:
    client = FuzzClient(emulator)
    yield client
    client.close()


def pytest_terminal_summary(terminalreporter) -> None:
    if STATS["cases"]:
        terminalreporter.write_line(summary())
