"""API calls per lifecycle step of one FlowServiceBaseConnection, counted from the emulator's request log.

A figure, not a test. Drives the real dynamic-provider plugin over gRPC (tests/harness/plugin.py and
tests/harness/engine.py) against an in-process emulator, one engine step at a time, and prints for each step the
Flow Service calls made, the minimum the step needs, and their ratio; then IMS token requests per plugin process,
the same figures when faults are injected, and the size of the decoded ``__provider``.

    .venv/bin/python bench/bench_api_calls.py
"""

from __future__ import annotations

import pickle
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from emulator.server import EmulatorServer  # noqa: E402
from tests.harness.engine import Engine, base_connection_registration  # noqa: E402
from tests.harness.plugin import PluginProcess, decode_provider_property, provider_property  # noqa: E402
from tests.support.emulator import EmulatorControl  # noqa: E402

PG_SPEC = "74a1c565-4e59-48d7-9d67-7c03b8a13137"
LIST = "/data/foundation/flowservice/connections"
ONE = "/data/foundation/flowservice/connections/{id}"


def registration(name: str = "pg-sales", password: str = "pw-1", sandbox: str = "prod", **extra):
    return base_connection_registration(
        name=name, description="bench", connection_spec_id=PG_SPEC,
        auth_spec_name="Connection String Based Authentication",
        auth_params={"connectionString": f"Server=db;Database=d;Port=5432;UID=u;Password={password}"},
        sandbox=sandbox, **extra,
    )


def config(emu: EmulatorControl) -> dict[str, str]:
    return {"aep:orgId": emu.org_id, "aep:clientId": emu.client_id, "aep:clientSecret": emu.client_secret,
            "aep:endpoint": emu.flow_url, "aep:imsEndpoint": emu.ims_url, "aep:maxRetryWait": "0.2"}


def split(counts: dict[str, int]) -> tuple[int, int, str]:
    """(Flow Service calls, IMS calls, breakdown text) from the log's per-template counts."""
    flow = ims = 0
    parts = []
    for key, n in sorted(counts.items()):
        method, template = key.split(" ", 1)
        if template.startswith("/ims/"):
            ims += n
            continue
        flow += n
        parts.append(f"{n}x {method} {template.replace('/data/foundation/flowservice', '') or '/'}")
    return flow, ims, ", ".join(parts) or "-"


def run_steps(emu: EmulatorControl, engine: Engine, steps) -> list[tuple[str, int, int, int, str, float]]:
    rows = []
    for label, minimum, action in steps:
        emu.clear_log()
        started = time.perf_counter()
        action()
        elapsed = (time.perf_counter() - started) * 1000
        flow, ims, text = split(emu.counts())
        rows.append((label, minimum, flow, ims, text, elapsed))
    return rows


def print_rows(title: str, rows) -> None:
    print(f"\n{title}")
    print(f"{'step':<34} {'calls':>5} {'min':>4} {'ratio':>6} {'IMS':>4} {'ms':>7}  calls made")
    for label, minimum, flow, ims, text, ms in rows:
        ratio = "-" if minimum == 0 and flow == 0 else ("inf" if minimum == 0 else f"{flow / minimum:.2f}")
        print(f"{label:<34} {flow:>5} {minimum:>4} {ratio:>6} {ims:>4} {ms:>7.1f}  {text}")


def main() -> None:
    with EmulatorServer(port=0, db=":memory:") as server:
        emu = EmulatorControl.for_server(server)
        emu.reset()
        with PluginProcess() as plugin:
            plugin.configure(config(emu), secret_keys={"aep:clientSecret"})
            engine = Engine(plugin)
            rows = run_steps(emu, engine, [
                ("preview (new resource)", 0, lambda: engine.up("pg", registration(), preview=True)),
                ("create", 1, lambda: engine.up("pg", registration())),
                ("preview (no change)", 0, lambda: engine.up("pg", registration(), preview=True)),
                ("up (no change)", 0, lambda: engine.up("pg", registration())),
                ("refresh (read)", 1, lambda: engine.refresh("pg")),
                ("update: rename", 1, lambda: engine.up("pg", registration(name="pg-sales-eu"))),
                ("update: rotate password", 1, lambda: engine.up("pg", registration("pg-sales-eu", "pw-2"))),
                ("replace: sandbox prod -> dev", 2, lambda: engine.up("pg", registration("pg-sales-eu", "pw-2",
                                                                                         "dev"))),
                ("delete", 1, lambda: engine.destroy("pg")),
            ])
        print_rows("One resource, one plugin process (minimum = calls the step cannot do without)", rows)
        total_ims = sum(r[3] for r in rows)
        print(f"IMS token requests in that process: {total_ims} (minimum 1)")

        emu.reset()
        with PluginProcess() as plugin:
            plugin.configure(config(emu), secret_keys={"aep:clientSecret"})
            engine = Engine(plugin)
            emu.clear_log()
            for i in range(10):
                engine.up(f"pg{i}", registration(name=f"pg{i}"))
            engine.destroy_all()
            flow, ims, _ = split(emu.counts())
        print(f"10 resources created and deleted in one process: {flow} Flow Service calls (minimum 20), "
              f"{ims} IMS token request(s) (minimum 1)")

        emu.reset()
        with PluginProcess() as plugin:
            plugin.configure(config(emu), secret_keys={"aep:clientSecret"})
            engine = Engine(plugin)
            engine.up("warm", registration(name="warm"))

            def faulted(script, action):
                def run():
                    emu.set_faults(retry_after=0, script=script)
                    action()
                    emu.clear_faults()
                return run

            rows = run_steps(emu, engine, [
                ("create, POST answered 429", 1, faulted([{"method": "POST", "template": LIST, "fault": "429"}],
                                                         lambda: engine.up("a", registration(name="a")))),
                ("create, POST reply lost (applied)", 1, faulted(
                    [{"method": "POST", "template": LIST, "fault": "commit_drop"}],
                    lambda: engine.up("b", registration(name="b")))),
                ("create, POST dropped (not applied)", 1, faulted(
                    [{"method": "POST", "template": LIST, "fault": "drop"}],
                    lambda: engine.up("c", registration(name="c")))),
                ("update, PATCH 503 then ok", 1, faulted([{"method": "PATCH", "template": ONE, "fault": "503"}],
                                                         lambda: engine.up("a", registration(name="a2")))),
                ("update, PATCH reply lost (applied)", 1, faulted(
                    [{"method": "PATCH", "template": ONE, "fault": "commit_drop"}],
                    lambda: engine.up("b", registration(name="b2")))),
                ("delete, DELETE reply lost (applied)", 1, faulted(
                    [{"method": "DELETE", "template": ONE, "fault": "commit_drop"}], lambda: engine.destroy("c"))),
            ])
            engine.destroy_all()
        print_rows("With one injected fault per step (calls include the retry or the lookup)", rows)
        print(f"connections left in the emulator after the faulted run: {len(emu.connections())} (expected 0)")

    blob = decode_provider_property(provider_property())
    cls = type(pickle.loads(blob))
    print(f"\n__provider: {len(provider_property())} base64 chars, {len(blob)} bytes decoded "
          f"(a reference to {cls.__module__}.{cls.__qualname__}; no state)")


if __name__ == "__main__":
    main()
