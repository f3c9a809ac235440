"""Every source component, declared once in one program run against the emulator through the real plugin."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from provider.sources import COMPONENTS
from tests.harness.program import ProgramHarness, is_secret
from tests.sources.samples import resource_name, sample_arguments, secret_values
from tests.support.emulator import EmulatorControl

PROGRAM = Path(__file__).with_name("every_component_program.py")
BASE_TYPE = "pulumi-python:dynamic/aep:BaseConnection"


def _without_secrets(value: Any) -> Any:
    """`value` with every secret subtree cut out: what anyone may read in plain text."""
    if is_secret(value):
        return "[secret]"
    if isinstance(value, dict):
        return {k: _without_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_without_secrets(v) for v in value]
    return value


@pytest.fixture(scope="module")
def every_component(emulator_server):
    emulator = EmulatorControl.for_server(emulator_server)
    emulator.reset()
    harness = ProgramHarness.for_emulator(emulator, program=PROGRAM)
    run = harness.up().raise_for_error()
    return run, emulator.connections(), emulator.counts()


def test_each_component_creates_exactly_one_connection(every_component):
    run, stored, counts = every_component
    assert counts["POST /data/foundation/flowservice/connections"] == len(COMPONENTS)
    assert run.ops() == {"create": len(COMPONENTS)}
    by_name = {c["name"]: c for c in stored}
    assert len(by_name) == len(stored) == len(COMPONENTS)
    for component in COMPONENTS:
        connection = by_name[resource_name(component)]
        assert connection["connectionSpec"]["id"] == component.connection_spec_id
        assert connection["auth"]["specName"] == component.auth_spec_name
        assert connection["sandboxName"] == "dev"  # aep:sandbox of the local stack


def test_each_component_parents_one_base_connection(every_component):
    run, _, _ = every_component
    for component in COMPONENTS:
        parent = run.resource(resource_name(component), f"aep:sources:{component.__name__}")
        assert not parent.custom
        children = run.children_of(parent)
        assert [(c.type, c.name) for c in children] == [(BASE_TYPE, parent.name)]
        inputs = children[0].plain_inputs()
        assert inputs["connection_spec_id"] == component.connection_spec_id
        assert inputs["auth_spec_name"] == component.auth_spec_name
        assert inputs.get("auth_type") == component.auth_type


def test_secret_params_are_secret_in_registered_inputs_and_sent_in_full(every_component):
    run, stored, _ = every_component
    stored_params = {c["name"]: json.dumps(c["auth"]["params"]) for c in stored}
    for component in COMPONENTS:
        name = resource_name(component)
        base = run.resource(name, BASE_TYPE)
        assert "auth_params" in base.secret_paths
        readable = json.dumps([_without_secrets(r.inputs) for r in run.resources])
        for value in secret_values(component, sample_arguments(component)):
            assert value not in readable, f"{component.__name__}: a secret is readable in registered inputs"
            if component.__name__ != "GoogleBigQueryServiceAccountConnection":  # sent base64-encoded
                assert value in stored_params[name], f"{component.__name__}: secret not sent"


def test_outputs_are_the_flow_service_id_and_etag(every_component):
    run, stored, _ = every_component
    by_name = {c["name"]: c for c in stored}
    assert set(run.exports["ids"]) == {resource_name(c) for c in COMPONENTS}
    for name, connection_id in run.exports["ids"].items():
        assert connection_id == by_name[name]["id"]
        assert run.exports["etags"][name] == by_name[name]["etag"]


def test_no_secret_in_the_checkpoint(every_component):
    run, _, _ = every_component
    checkpoint = json.dumps(run.checkpoint)
    assert len(run.checkpoint["deployment"]["resources"]) == len(COMPONENTS)
    for component in COMPONENTS:
        for value in secret_values(component, sample_arguments(component)):
            assert value not in checkpoint
