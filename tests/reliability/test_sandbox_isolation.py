"""Two stacks (sandboxes dev and stage) deployed at the same moment, each by its own plugin process and engine,
with the same resource and connection names, through faults that make the provider look connections up by
name: every connection lands in its own sandbox, neither stack ever sees, adopts or deletes the other's."""

from __future__ import annotations

import threading
from collections import Counter

from tests.harness.engine import Engine
from tests.harness.plugin import PluginProcess
from tests.provider.conftest import stack_config
from tests.provider.lifecycle import assert_emulator_matches_state
from tests.reliability.catalog_registrations import MIXED_SOURCES, registration
from tests.reliability.fault_mix import twenty_percent
from tests.reliability.parallel_steps import Rounds, destroy_if_known, run_in_rounds

SANDBOXES = ("dev", "stage")
N = 20


def stack(sandbox: str, version: str) -> dict:
    return {f"conn-{i:02d}": registration(*MIXED_SOURCES[i % len(MIXED_SOURCES)], f"conn-{i:02d}", sandbox=sandbox,
                                          secret_version=version) for i in range(N)}


class StackRun:
    """One stack's plugin and engine, and the command it is running in a thread."""

    def __init__(self, emulator, sandbox: str) -> None:
        self.sandbox = sandbox
        self.plugin = PluginProcess().start()
        self.plugin.configure(stack_config(emulator, **{"aep:sandbox": sandbox}), secret_keys={"aep:clientSecret"})
        self.engine = Engine(self.plugin, stack=sandbox)
        self.outcome: Rounds | None = None

    def up(self, version: str) -> None:
        regs = stack(self.sandbox, version)
        self.outcome = run_in_rounds({n: lambda n=n: self.engine.up(n, regs[n]) for n in regs}, engine=self.engine)

    def destroy(self) -> None:
        names = [urn.rsplit("::", 1)[-1] for urn in self.engine.state]
        self.outcome = run_in_rounds({n: lambda n=n: destroy_if_known(self.engine, n)
                                      for n in names}, engine=self.engine)


def at_once(*commands) -> None:
    threads = [threading.Thread(target=command) for command in commands]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    assert not any(thread.is_alive() for thread in threads), "a stack did not finish"


def assert_isolated(emulator, runs: dict[str, StackRun], version: str) -> None:
    stored = emulator.connections()
    assert Counter(c["sandbox"] for c in stored) == {s: N for s in SANDBOXES}
    assert Counter((c["sandbox"], c["name"]) for c in stored).most_common(1)[0][1] == 1  # no duplicate
    by_id = {c["id"]: c for c in stored}
    for sandbox, run in runs.items():
        assert run.outcome is not None and run.outcome.converged, run.outcome and run.outcome.report()
        assert {by_id[st.id]["sandbox"] for st in run.engine.state.values()} == {sandbox}
        for name, reg in stack(sandbox, version).items():
            assert by_id[run.engine.state[run.engine.urn(name)].id]["auth"]["params"] == reg.inputs["auth_params"][
                "value"]


def test_two_sandboxes_deployed_at_once_stay_isolated(emulator):
    runs = {sandbox: StackRun(emulator, sandbox) for sandbox in SANDBOXES}
    try:
        emulator.set_faults(**twenty_percent(seed=4))
        at_once(*(lambda r=r: r.up("v1") for r in runs.values()))
        assert_isolated(emulator, runs, "v1")
        at_once(*(lambda r=r: r.up("v2") for r in runs.values()))
        assert_isolated(emulator, runs, "v2")
        lost_creates = [r for r in emulator.requests() if r["method"] == "POST" and r["fault"] == "commit_drop"]
        assert lost_creates, "no create reply was lost: the lookup by name was not exercised"

        stage_before = [c for c in emulator.connections() if c["sandbox"] == "stage"]
        runs["dev"].destroy()
        emulator.clear_faults()
        assert runs["dev"].outcome.converged and runs["dev"].engine.state == {}
        assert emulator.connections() == stage_before  # stage untouched, etags included
        assert_emulator_matches_state(emulator, runs["stage"].engine)
        requests = emulator.requests()
        assert {r["sandbox"] for r in requests if r["template"] != "/ims/token/v3"} == set(SANDBOXES)
    finally:
        for run in runs.values():
            run.plugin.stop()
