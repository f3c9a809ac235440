"""Root fixtures: one in-process emulator per session, reset before every test that asks for it."""
from __future__ import annotations

import pytest

from emulator.server import EmulatorServer
from tests.support.emulator import EmulatorControl
from tests.support.mocks import under_mocks  # noqa: F401 - a fixture for the suites that build components


@pytest.fixture(scope="session")
def emulator_server():
    """The emulator on 127.0.0.1 and an ephemeral port, in-memory state, default org/client/sandboxes."""
    with EmulatorServer(port=0, db=":memory:") as server:
        yield server


@pytest.fixture
def emulator(emulator_server) -> EmulatorControl:
    """An ``EmulatorControl`` on a clean emulator: no connections, no faults, empty request log."""
    control = EmulatorControl.for_server(emulator_server)
    control.reset()
    yield control
