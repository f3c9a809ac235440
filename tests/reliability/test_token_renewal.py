"""An IMS token that stops working in the middle of a run, while the plugin has several calls in flight, is
renewed exactly once: revoked (every call in flight gets 401 and the first to notice renews), or reaching the
end of its lifetime (renewed before it expires, so no call is refused at all). Counted in the emulator's log."""

from __future__ import annotations

import threading
import time

import pytest

from emulator.server import EmulatorServer
from tests.harness.engine import Engine
from tests.harness.plugin import PluginProcess
from tests.provider.conftest import stack_config
from tests.provider.lifecycle import assert_emulator_matches_state
from tests.reliability.catalog_registrations import MIXED_SOURCES, registration
from tests.reliability.parallel_steps import run_in_rounds
from tests.support.emulator import EmulatorControl

IMS = "POST /ims/token/v3"
TOKEN_TTL = 6  # seconds; the provider renews a tenth of the lifetime early (0.6 s before expiry)


def connections(n: int, version: str = "v1") -> dict:
    return {f"conn-{i:02d}": registration(*MIXED_SOURCES[i % len(MIXED_SOURCES)], f"conn-{i:02d}",
                                          secret_version=version) for i in range(n)}


def test_token_revoked_with_calls_in_flight_is_renewed_once(emulator, engine):
    regs = connections(32)
    done, lock = [0], threading.Lock()

    def create(name: str):
        step = engine.up(name, regs[name])
        with lock:
            done[0] += 1
            if done[0] == 8:  # a quarter of the way: the other threads are mid-call
                emulator.expire_tokens()
        return step

    outcome = run_in_rounds({n: lambda n=n: create(n) for n in regs}, max_rounds=1)
    assert outcome.converged, outcome.report()
    log = emulator.requests()
    refused = [r for r in log if r["status"] == 401]
    assert emulator.counts()[IMS] == 2 and refused, "the token was not renewed exactly once"
    assert all(r["method"] == "POST" for r in refused)  # creates refused at the gateway, then sent again
    assert len(emulator.connections()) == 32 and len({c["name"] for c in emulator.connections()}) == 32
    assert_emulator_matches_state(emulator, engine)


@pytest.fixture
def short_lived_tokens():
    """An emulator whose IMS tokens live TOKEN_TTL seconds."""
    with EmulatorServer(port=0, db=":memory:", token_ttl=TOKEN_TTL) as server:
        yield EmulatorControl.for_server(server)


def test_token_reaching_its_lifetime_mid_run_is_renewed_once_before_any_refusal(short_lived_tokens):
    emulator = short_lived_tokens
    first, second = connections(8), connections(8, "v2")
    with PluginProcess() as plugin:
        plugin.configure(stack_config(emulator), secret_keys={"aep:clientSecret"})
        engine = Engine(plugin)
        assert run_in_rounds({n: lambda n=n: engine.up(n, first[n]) for n in first}, max_rounds=1).converged
        time.sleep(TOKEN_TTL - 0.6 + 0.3)  # past the renewal point of the token fetched during the creates
        outcome = run_in_rounds({n: lambda n=n: engine.up(n, second[n]) for n in second}, max_rounds=1)
        assert outcome.converged, outcome.report()
    counts = emulator.counts()
    assert counts[IMS] == 2 and counts["PATCH /data/foundation/flowservice/connections/{id}"] == 8
    assert [r for r in emulator.requests() if r["status"] == 401] == []
    assert_emulator_matches_state(emulator, engine)
