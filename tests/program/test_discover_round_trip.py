"""The `provider.discover` round trip through the program harness (the real plugin, no CLI), so it is proven
where tests/e2e/test_discover.py is skipped: connections made by hand -> discover -> that `aep:connections` with
its secrets set -> `up` adopts each (one GET apiece; no POST, PATCH or DELETE) -> a second `up` makes no call.
Why no PATCH: see tests/e2e/test_discover.py."""

from __future__ import annotations

import yaml

from provider.client import clear_token_cache
from provider.discover.__main__ import main
from tests.harness.program import ProgramHarness
from tests.support.hand_made_sandbox import CURRENT_SECRETS, SANDBOX, expected_entries, make_sandbox

GET = "GET /data/foundation/flowservice/connections/{id}"


def flow_calls(emulator) -> list[str]:
    return [f"{r['method']} {r['template']}" for r in emulator.requests() if "/flowservice/" in r["path"]]


def test_discovered_config_adopts_every_connection_without_writes(emulator, emulator_server, capsys):
    made = make_sandbox(emulator, emulator_server)
    clear_token_cache()
    env = {"AEP_ORG_ID": emulator.org_id, "AEP_CLIENT_ID": emulator.client_id,
           "AEP_CLIENT_SECRET": emulator.client_secret, "AEP_ENDPOINT": emulator.flow_url,
           "AEP_IMS_ENDPOINT": emulator.ims_url}
    assert main(["--sandbox", SANDBOX], env=env) == 0
    entries = yaml.safe_load(capsys.readouterr().out)["config"]["aep:connections"]
    assert entries == expected_entries(made.ids)

    harness = ProgramHarness.for_emulator(emulator)
    harness.set_connections(entries)
    for key, value in CURRENT_SECRETS.items():
        harness.set_secret(f"aep:{key}", value)
    before = emulator.connections()
    emulator.clear_log()
    run = harness.up().raise_for_error()
    assert run.ops() == {"create": 5}
    assert flow_calls(emulator) == [GET] * 5
    assert emulator.connections() == before
    assert {r.name: r.id for r in run.base_connections()} == {k: e["adopt_id"] for k, e in entries.items()}

    emulator.clear_log()
    again = harness.up().raise_for_error()
    assert again.ops() == {"same": 5} and flow_calls(emulator) == []
