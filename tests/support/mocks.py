"""`under_mocks`: build components in the test process as a program unit test does, under
`pulumi.runtime.set_mocks`, where no provider config (so no credential) is required (provider/program_guard.py).

Suites that construct components directly use it as an autouse fixture, so that they never depend on an earlier
test having left mocks set."""

from __future__ import annotations

import pulumi
import pytest


class _EchoMocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        return f"{args.name}-id", args.inputs

    def call(self, args):
        return {}


@pytest.fixture
def under_mocks() -> None:
    pulumi.runtime.set_mocks(_EchoMocks(), project="aep-flow-connections", stack="test", preview=False)
