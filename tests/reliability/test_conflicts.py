"""Changes made outside Pulumi between two `pulumi up`s, with the engine's concurrency: the connections someone
edited in the UI are refused with a stale-etag error that names them and says what to do, nothing they changed
is overwritten, the others are updated; `pulumi refresh` then `pulumi up` converges to the program."""

from __future__ import annotations

from collections import Counter

from tests.harness.engine import Engine
from tests.provider.lifecycle import api_calls, assert_emulator_matches_state
from tests.reliability.catalog_registrations import MIXED_SOURCES, registration
from tests.reliability.out_of_band import OutsidePulumi
from tests.reliability.parallel_steps import run_in_rounds

N = 14


def program(version: str) -> dict:
    """The program's connections; version v2 rotates every secret and adds a description."""
    regs = {}
    for i in range(N):
        source, auth = MIXED_SOURCES[i % len(MIXED_SOURCES)]
        description = "rotated" if version == "v2" else None
        regs[f"conn-{i:02d}"] = registration(source, auth, f"conn-{i:02d}", secret_version=version,
                                             description=description)
    return regs


def edit_in_the_ui(outside: OutsidePulumi, engine: Engine) -> dict[str, dict]:
    """Four kinds of edit on four connections; returns what each looks like afterwards."""
    ids = {name: engine.state[engine.urn(name)].id for name in ("conn-00", "conn-01", "conn-02", "conn-03")}
    outside.rename(ids["conn-00"], "Renamed in the UI")
    outside.patch(ids["conn-01"], [{"op": "add", "path": "/description", "value": "edited in the UI"}])
    outside.patch(ids["conn-02"], [{"op": "replace", "path": "/auth/params/clientSecret", "value": "ui-rotated"}])
    outside.patch(ids["conn-03"], [{"op": "replace", "path": "/auth/params/s3AccessKey", "value": "AKIA-UI"}])
    assert MIXED_SOURCES[2][0] == "google-bigquery" and MIXED_SOURCES[3][0] == "amazon-s3"
    stored = {c["id"]: c for c in outside.emulator.connections()}
    return {name: stored[ident] for name, ident in ids.items()}


def test_out_of_band_edits_are_never_overwritten_and_refresh_then_up_converges(emulator, engine):
    v1, v2 = program("v1"), program("v2")
    assert run_in_rounds({n: lambda n=n: engine.up(n, v1[n]) for n in v1}, max_rounds=1).converged
    edited = edit_in_the_ui(OutsidePulumi(emulator), engine)

    emulator.clear_log()
    second = run_in_rounds({n: lambda n=n: engine.up(n, v2[n]) for n in v2}, max_rounds=1)
    assert sorted(second.pending) == sorted(edited)
    assert Counter(step.op for step in second.results.values()) == {"update": N - len(edited)}
    for _, name, error in second.failures:
        ident = engine.state[engine.urn(name)].id
        assert error.startswith("provider.errors.StaleEtagError: connection ")
        assert f"({ident}) in sandbox prod was changed outside Pulumi" in error
        assert "Nothing was overwritten. Run `pulumi refresh`" in error
    stored = {c["id"]: c for c in emulator.connections()}
    for name, before in edited.items():
        assert stored[before["id"]] == before, f"{name}: the UI's edit was overwritten"
    calls = api_calls(emulator)
    assert calls["PATCH /connections/{id}"] == N and calls["GET /connections/{id}"] == len(edited)

    # the user follows the advice: refresh (everything, as `pulumi refresh` does), then up
    assert run_in_rounds({n: lambda n=n: engine.refresh(n) for n in v2}, max_rounds=1).converged
    assert engine.state[engine.urn("conn-00")].outputs["name"] == "Renamed in the UI"  # drift is shown
    emulator.clear_log()
    third = run_in_rounds({n: lambda n=n: engine.up(n, v2[n]) for n in v2}, max_rounds=1)
    assert third.converged and Counter(s.op for s in third.results.values()) == {"same": N - 4, "update": 4}
    assert api_calls(emulator) == {"PATCH /connections/{id}": 4}
    assert_emulator_matches_state(emulator, engine)
    stored = {c["name"]: c for c in emulator.connections()}
    for name, reg in v2.items():
        live = stored[name]
        assert live["auth"]["params"] == reg.inputs["auth_params"]["value"] and live["description"] == "rotated"
