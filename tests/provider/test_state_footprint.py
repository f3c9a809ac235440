"""provider/state_footprint.py: our registrations send their source position and no trace, any other
resource in the same program sends the SDK's whole trace, and an SDK without the private function changes nothing.

Run under pulumi.runtime.set_mocks, which sees the RegisterResource requests the engine would record."""

from __future__ import annotations

import pulumi
import pytest
from pulumi.runtime import resource as runtime_resource

from provider import FlowServiceBaseConnection, PostgreSqlConnection
from provider.state_footprint import short_stack_trace
from tests.provider.test_base_connection_registration import EchoMocks, RecordingMonitor


def line_of(marker: str) -> int:
    return next(n for n, line in enumerate(open(__file__), 1) if line.rstrip().endswith(marker))


USER_LINE = line_of("# USER_LINE")


class Foreign(pulumi.CustomResource):
    """Another provider's resource, declared in the same program."""

    def __init__(self, name: str) -> None:
        super().__init__("other:index:Thing", name, {"size": 1})


def declared_by_a_user_program(user_code):
    """Run ``user_code`` (itself a few frames deep, as in a real program) and return the requests by type."""
    mocks = EchoMocks()
    monitor = RecordingMonitor(mocks)
    pulumi.runtime.set_all_config({"aep:sandbox": "dev"})
    pulumi.runtime.set_mocks(mocks, project="aep", stack="dev", preview=False, monitor=monitor)

    def helper():
        return user_code()

    @pulumi.runtime.test
    def program():
        return helper()

    try:
        program()
    finally:
        pulumi.runtime.set_all_config({})
    return {request.type: request for request in monitor.registrations}


def both():
    pg = PostgreSqlConnection("orders", host="db.example", database="orders", username="aep", password="pw-1")  # USER_LINE
    other = Foreign("thing")
    return pulumi.Output.all(pg.connection_id, other.id)


def test_our_resources_send_the_users_line_once_and_others_their_whole_trace():
    requests = declared_by_a_user_program(both)
    component, child = requests["aep:sources:PostgreSqlConnection"], requests["pulumi-python:dynamic/aep:BaseConnection"]
    assert len(component.stackTrace.frames) == len(child.stackTrace.frames) == 0
    assert component.sourcePosition.uri.endswith("/tests/provider/test_state_footprint.py")
    assert component.sourcePosition.line == USER_LINE
    assert not child.HasField("sourcePosition")  # its parent holds that line
    foreign = requests["other:index:Thing"]
    assert len(foreign.stackTrace.frames) > 3 and foreign.stackTrace.frames[0].pc == foreign.sourcePosition
    assert foreign.sourcePosition.uri.endswith("/tests/provider/test_state_footprint.py")


def test_a_resource_declared_directly_records_the_users_line():
    def direct():
        connection = FlowServiceBaseConnection("raw", name="raw", connection_spec_id="spec",  # DIRECT_LINE
                                               auth_spec_name="Basic", auth_params={"password": "pw-2"})
        return connection.id

    request = declared_by_a_user_program(direct)["pulumi-python:dynamic/aep:BaseConnection"]
    assert request.sourcePosition.uri.endswith("/tests/provider/test_state_footprint.py")
    assert request.sourcePosition.line == line_of("# DIRECT_LINE")


def test_the_flag_is_off_outside_the_block():
    with short_stack_trace():
        pass
    requests = declared_by_a_user_program(lambda: Foreign("alone").id)
    assert len(requests["other:index:Thing"].stackTrace.frames) > 3


def test_without_the_private_function_it_does_nothing(monkeypatch):
    monkeypatch.delattr(runtime_resource, "_get_stack_trace")
    position = runtime_resource._get_source_position
    with short_stack_trace():
        assert runtime_resource._get_source_position is position


@pytest.fixture(autouse=True)
def _no_aep_env(monkeypatch):
    monkeypatch.delenv("AEP_SANDBOX", raising=False)
