"""Throttling, server errors and lost replies through the real plugin: every step still makes exactly one
connection change, never a duplicate, and AEP ends equal to state."""

from __future__ import annotations

import pytest

from tests.harness.engine import Engine
from tests.harness.plugin import PluginError, PluginProcess
from tests.provider.conftest import pg_registration, stack_config
from tests.provider.lifecycle import api_calls, assert_emulator_matches_state

LIST = "/data/foundation/flowservice/connections"
ONE = "/data/foundation/flowservice/connections/{id}"


@pytest.mark.parametrize("fault", ["429", "502", "503"])
def test_full_lifecycle_survives_a_fault_on_every_call(emulator, engine, fault):
    emulator.set_faults(script=[{"method": "POST", "template": LIST, "fault": fault}])
    created = engine.up("pg", pg_registration())
    emulator.set_faults(script=[{"method": "PATCH", "template": ONE, "fault": fault}])
    engine.up("pg", pg_registration(password="rotated"))
    emulator.set_faults(script=[{"method": "GET", "template": ONE, "fault": fault}])
    engine.refresh("pg")
    assert_emulator_matches_state(emulator, engine)
    emulator.set_faults(script=[{"method": "DELETE", "template": ONE, "fault": fault}])
    engine.destroy("pg")
    assert emulator.connections() == []
    assert created.id
    writes = api_calls(emulator)
    extra_lookup = 0 if fault == "429" else 1  # a 5xx on POST is ambiguous: one lookup before sending again
    assert writes["POST /connections"] == 2 and writes.get("GET /connections", 0) == extra_lookup
    assert writes["PATCH /connections/{id}"] == 2 and writes["DELETE /connections/{id}"] == 2


@pytest.mark.parametrize("fault", ["drop", "commit_drop"])
def test_lost_create_reply_never_duplicates(emulator, engine, fault):
    emulator.set_faults(script=[{"method": "POST", "template": LIST, "fault": fault}])
    step = engine.up("pg", pg_registration())
    assert [c["id"] for c in emulator.connections()] == [step.id]
    assert_emulator_matches_state(emulator, engine)
    expected_posts = 1 if fault == "commit_drop" else 2
    assert api_calls(emulator)["POST /connections"] == expected_posts
    if fault == "commit_drop":
        assert "adopting" in engine.plugin.stderr()  # the provider says what it did


@pytest.mark.parametrize("fault", ["drop", "commit_drop"])
def test_lost_update_reply_is_resolved_by_reading(emulator, engine, fault):
    engine.up("pg", pg_registration())
    emulator.set_faults(script=[{"method": "PATCH", "template": ONE, "fault": fault}])
    step = engine.up("pg", pg_registration(name="renamed", password="rotated"))
    assert step.op == "update"
    assert api_calls(emulator)["PATCH /connections/{id}"] == (2 if fault == "drop" else 1)
    assert_emulator_matches_state(emulator, engine)
    assert engine.up("pg", pg_registration(name="renamed", password="rotated")).op == "same"


def run_like_a_user(engine: Engine, action, attempts: int = 6):
    """Run a step; if it fails, `pulumi refresh` everything and run it again, as a person would."""
    for attempt in range(attempts):
        try:
            return action()
        except PluginError:
            if attempt == attempts - 1:
                raise
            for urn in list(engine.state):
                engine.refresh(urn.rsplit("::", 1)[-1])


@pytest.mark.slow
def test_random_faults_over_many_resources_converge_without_duplicates(emulator):
    """~40% of Flow Service calls fail (seeded, so the run is repeatable); every step is re-run after a refresh
    until it succeeds. In the end AEP holds exactly what state says: no duplicate, no orphan."""
    with PluginProcess() as plugin:
        plugin.configure(stack_config(emulator, **{"aep:maxRetries": "8"}), secret_keys={"aep:clientSecret"})
        engine = Engine(plugin)
        emulator.set_faults(seed=7, retry_after=0, rates={"429": 0.12, "502": 0.07, "503": 0.07, "drop": 0.07,
                                                          "commit_drop": 0.07})
        names = [f"pg{i}" for i in range(10)]
        for name in names:
            run_like_a_user(engine, lambda n=name: engine.up(n, pg_registration(name=n)))
        for name in names:
            run_like_a_user(engine, lambda n=name: engine.up(n, pg_registration(name=n + "-v2", password="v2")))
        for name in names[:5]:
            run_like_a_user(engine, lambda n=name: engine.destroy(n) if engine.urn(n) in engine.state else None)
        injected = emulator.fault_stats()
        emulator.clear_faults()
    stored = emulator.connections()
    assert sorted(c["name"] for c in stored) == sorted(f"{n}-v2" for n in names[5:])  # no duplicate, no orphan
    assert_emulator_matches_state(emulator, engine)
    assert injected["commit_drop"] >= 1 and injected["drop"] >= 1 and sum(injected.values()) >= 15
