"""Fault soak: 200 connections over seven sources and auth methods go through `up` → `refresh` → change a third
→ `up` → `destroy` in the real plugin, with the engine's concurrency, while the emulator fails 20 % of Flow
Service calls (seeded): 429 with Retry-After, 500/502/503, connections dropped before the request is handled and
replies lost after the write was committed. A failed step is run again, as a user re-runs the command.

Twenty connections get a source connection after the refresh, ten of them a dataflow too; the other ten get
`force_delete=True` in the second `up` (Flow Service itself refuses to delete a base connection a dataflow reads
through, FLOW-1418, force_delete or not): the destroy (whose every delete first lists the source connections, and the dataflows when there are some, all
through the same faults) refuses exactly the ten in use without it, sending them no DELETE; once their
dataflows are gone, destroying again finishes.

After every command: no duplicate (one connection per name), no orphan (the emulator holds exactly the ids in
state, with the values in state), no lost update (the emulator's unmasked values equal the last inputs applied).
Prints the faults injected, the requests sent against the minimum, and the failed steps re-run.
"""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

import pytest

from tests.harness.engine import Engine, Registration
from tests.harness.plugin import PluginProcess, strip_secrets
from tests.provider.conftest import flow_counts, stack_config
from tests.provider.lifecycle import assert_emulator_matches_state
from tests.reliability.catalog_registrations import MIXED_SOURCES, registration
from tests.reliability.fault_mix import RATES, twenty_percent
from tests.reliability.parallel_steps import Rounds, destroy_if_known, run_in_rounds
from tests.support.dataflows import Dataflows

CONNECTIONS = 200
SEEDS = (11, 22, 33)
IN_USE = tuple(range(5, CONNECTIONS, 10))  # get a dataflow after the refresh
FORCED = set(IN_USE[::2])  # ... and force_delete=True in the second up
REFUSED = {f"soak-{i:03d}" for i in IN_USE if i not in FORCED}


def desired(index: int, second: bool) -> Registration:
    """Connection ``index`` as the program declares it in the first or the second `up`. The second changes a
    third of them (every one rotates its secrets, every other one is also renamed and described) and sets
    force_delete on FORCED."""
    source, auth = MIXED_SOURCES[index % len(MIXED_SOURCES)]
    key = f"soak-{index:03d}"
    forced = second and index in FORCED
    if not second or index % 3:
        return registration(source, auth, key, force_delete=forced)
    renamed = index % 2 == 0
    return registration(source, auth, key, name=f"{key}-renamed" if renamed else key,
                        description="changed by the soak" if renamed else None, secret_version="v2",
                        force_delete=forced)


def assert_no_duplicate_no_orphan_no_lost_update(emulator: Any, engine: Engine, wanted: dict[str, Registration]):
    stored = emulator.connections()
    names = Counter(c["name"] for c in stored)
    assert [n for n, k in names.items() if k > 1] == [], "duplicate connections"
    assert_emulator_matches_state(emulator, engine)  # same ids, and each holds the values in state
    by_id = {c["id"]: c for c in stored}
    assert sorted(engine.urn(n) for n in wanted) == sorted(engine.state), "state lacks or has extra resources"
    for key, reg in wanted.items():
        live = by_id[engine.state[engine.urn(key)].id]
        inputs = strip_secrets(reg.inputs)
        assert (live["name"], live.get("description")) == (inputs["name"], inputs.get("description")), key
        assert live["auth"]["params"] == inputs["auth_params"], f"{key}: lost update"


def minimum_calls(creates: int, reads: int, updates: int, deletes: int, forced: int, refused: int) -> dict[str, int]:
    """A refused delete lists source connections and dataflows; run again once they are gone, it lists once more
    and deletes; a forced one only deletes."""
    return {"POST /connections": creates, "GET /connections/{id}": reads, "PATCH /connections/{id}": updates,
            "GET /sourceConnections": deletes - forced + refused, "GET /flows": refused,
            "DELETE /connections/{id}": deletes, "GET /connections": 0}


def add_dataflows(emulator: Any, engine: Engine) -> dict[str, tuple[str, str | None]]:
    """A source connection on each IN_USE connection, and a dataflow on those not FORCED, made outside Pulumi with
    faults off: (source connection id, flow id or None)."""
    made = Dataflows(emulator)
    flows: dict[str, tuple[str, str | None]] = {}
    for i in IN_USE:
        key, base_id = f"soak-{i:03d}", engine.state[engine.urn(f"soak-{i:03d}")].id
        flows[key] = (made.source_connection(base_id, "prod", f"{key} table"), None) if i in FORCED else \
            made.add(base_id, "prod", key)
    made.close()
    return flows


def remove_dataflows(emulator: Any, flows: dict[str, tuple[str, str | None]]) -> None:
    made = Dataflows(emulator)
    for source_id, flow_id in flows.values():
        if flow_id:
            made.delete("flows", flow_id, "prod")
        made.delete("sourceConnections", source_id, "prod")
    made.close()


def minus(calls: dict[str, int], setup: dict[str, int]) -> dict[str, int]:
    return {k: n - setup.get(k, 0) for k, n in calls.items() if n - setup.get(k, 0)}


@pytest.mark.slow
@pytest.mark.parametrize("seed", SEEDS)
def test_soak_200_connections_with_20_percent_faults_converges(emulator, seed):
    emulator.clear_faults()
    changed = set(range(0, CONNECTIONS, 3))
    first = {f"soak-{i:03d}": desired(i, False) for i in range(CONNECTIONS)}
    second = {f"soak-{i:03d}": desired(i, True) for i in range(CONNECTIONS)}
    commands: dict[str, Rounds] = {}
    started = time.monotonic()
    with PluginProcess() as plugin:
        plugin.configure(stack_config(emulator), secret_keys={"aep:clientSecret"})
        engine = Engine(plugin)
        emulator.set_faults(**twenty_percent(seed))

        commands["up"] = run_in_rounds({k: lambda k=k: engine.up(k, first[k]) for k in first}, engine=engine)
        assert commands["up"].converged, commands["up"].report()
        assert Counter(s.op for s in commands["up"].results.values()) == {"create": CONNECTIONS}
        assert_no_duplicate_no_orphan_no_lost_update(emulator, engine, first)

        commands["refresh"] = run_in_rounds({k: lambda k=k: engine.refresh(k) for k in first}, engine=engine)
        assert commands["refresh"].converged, commands["refresh"].report()
        assert_no_duplicate_no_orphan_no_lost_update(emulator, engine, first)

        injected: Counter[str] = Counter(emulator.fault_stats())
        emulator.clear_faults()
        before = flow_counts(emulator)
        flows = add_dataflows(emulator, engine)
        setup = Counter(minus(flow_counts(emulator), before))  # calls made outside Pulumi, left out below
        emulator.set_faults(**twenty_percent(seed))

        commands["up (a third changed)"] = run_in_rounds(
            {k: lambda k=k: engine.up(k, second[k]) for k in second}, engine=engine)
        update = commands["up (a third changed)"]
        assert update.converged, update.report()
        ops = Counter(s.op for s in update.results.values())
        assert ops["update"] == len(changed | FORCED) and ops["update"] + ops["same"] == CONNECTIONS, ops
        assert_no_duplicate_no_orphan_no_lost_update(emulator, engine, second)

        commands["destroy"] = run_in_rounds({k: lambda k=k: destroy_if_known(engine, k) for k in second},
                                            engine=engine, final=lambda error: "ConnectionInUseError" in error)
        destroy = commands["destroy"]
        assert destroy.converged and set(destroy.final) == REFUSED, destroy.report()
        for key in REFUSED:
            assert f"dataflow '{key} to AEP' ({flows[key][1]})" in destroy.failures_for(key)[-1]
        assert sorted(engine.state) == sorted(engine.urn(k) for k in REFUSED)
        assert_emulator_matches_state(emulator, engine)  # the refused ones, untouched; the forced ones gone
        refused_ids = {st.id for st in engine.state.values()}
        assert not [r for r in emulator.requests() if r["method"] == "DELETE" and r["path"].rsplit("/", 1)[-1]
                    in refused_ids], "a DELETE was sent for a connection in use"

        injected.update(emulator.fault_stats())
        emulator.clear_faults()
        before = flow_counts(emulator)
        remove_dataflows(emulator, {k: flows[k] for k in REFUSED})
        setup.update(minus(flow_counts(emulator), before))
        emulator.set_faults(**twenty_percent(seed))
        commands["destroy (dataflows gone)"] = run_in_rounds(
            {k: lambda k=k: destroy_if_known(engine, k) for k in REFUSED}, engine=engine)
        assert commands["destroy (dataflows gone)"].converged, commands["destroy (dataflows gone)"].report()
        injected.update(emulator.fault_stats())
        emulator.clear_faults()
        stderr = plugin.stderr()
    seconds = time.monotonic() - started

    assert emulator.connections() == [] and engine.state == {}
    calls = minus(flow_counts(emulator), setup)
    minimum = minimum_calls(CONNECTIONS, CONNECTIONS, len(changed), CONNECTIONS, len(FORCED), len(REFUSED))
    flow_total = sum(n for k, n in calls.items() if not k.endswith(" ims"))
    faults = sum(injected.values())
    # the faults really happened at about the configured rate, every kind of them
    assert all(injected[kind] > 0 for kind in RATES), injected
    assert 0.12 <= faults / flow_total <= 0.28, (faults, flow_total)
    assert calls.get("POST ims", 0) == 1
    lost_creates = sum(1 for r in emulator.requests() if r["method"] == "POST" and r["fault"] == "commit_drop")
    assert stderr.count("adopting") == lost_creates  # each create whose reply was lost was found, not re-sent
    extra = flow_total - sum(minimum.values())
    assert extra <= 3 * faults, "more than three extra requests per fault: a retry loop?"

    print(f"\nfault soak: {CONNECTIONS} connections, {len(MIXED_SOURCES)} source/auth kinds, seed {seed}, "
          f"{seconds:.1f} s; {len(IN_USE)} with a dataflow, {len(FORCED)} of them force_delete")
    print(f"  creates whose reply was lost after the commit, found and adopted: {lost_creates}")
    print(f"  faults injected: {faults} of {flow_total} Flow Service requests "
          f"({100 * faults / flow_total:.1f} %): {injected}")
    print(f"  requests beyond the minimum (retries, lookups after lost replies, re-runs): {extra} "
          f"({extra / faults:.2f} per fault)")
    for call, least in minimum.items():
        sent = calls.get(call, 0)
        print(f"  {call:<26} sent {sent:>4}  minimum {least:>4}  extra {sent - least}")
    for name, rounds in commands.items():
        print(f"  {name:<24} rounds {rounds.rounds}, failed steps re-run {len(rounds.failures) - len(rounds.final)}"
              f", refused {len(rounds.final)}")
        for round_no, key, error in rounds.failures:
            print(f"    round {round_no} {key}: {error[:240]}")
