"""API calls per lifecycle step of one FlowServiceBaseConnection, counted from the emulator's request log.

A figure, not a test. Drives the real dynamic-provider plugin over gRPC (tests/harness/plugin.py and
tests/harness/engine.py) against an in-process emulator, one engine step at a time, and prints for each step the
Flow Service calls made, the minimum the step needs, and their ratio (target 1.00 for every step); then IMS token
requests per plugin process, a connection in use (its delete refused, then ``force_delete``), and the same
figures when faults are injected (where the retry or the lookup is the price of not failing). A delete's minimum
is two calls: the listing of the source connections that use the connection, then the DELETE. The ``__provider``
size is in bench_state_size.py.

    .venv/bin/python bench/bench_api_calls.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import machine_line, pg_registration, plugin_config  # noqa: E402
from emulator.server import EmulatorServer  # noqa: E402
from tests.harness.engine import Engine  # noqa: E402
from tests.harness.plugin import PluginError, PluginProcess  # noqa: E402
from tests.support.dataflows import Dataflows  # noqa: E402
from tests.support.emulator import EmulatorControl  # noqa: E402

LIST = "/data/foundation/flowservice/connections"
ONE = "/data/foundation/flowservice/connections/{id}"


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
            plugin.configure(plugin_config(emu), secret_keys={"aep:clientSecret"})
            engine = Engine(plugin)
            rows = run_steps(emu, engine, [
                ("preview (new resource)", 0, lambda: engine.up("pg", pg_registration(), preview=True)),
                ("create", 1, lambda: engine.up("pg", pg_registration())),
                ("preview (no change)", 0, lambda: engine.up("pg", pg_registration(), preview=True)),
                ("up (no change)", 0, lambda: engine.up("pg", pg_registration())),
                ("refresh (read)", 1, lambda: engine.refresh("pg")),
                ("update: rename", 1, lambda: engine.up("pg", pg_registration(name="pg-sales-eu"))),
                ("update: rotate password", 1, lambda: engine.up("pg", pg_registration("pg-sales-eu", "pw-2"))),
                ("replace: sandbox prod -> dev", 3,
                 lambda: engine.up("pg", pg_registration("pg-sales-eu", "pw-2", "dev"))),
                ("delete", 2, lambda: engine.destroy("pg")),
            ])
        print("\n== API calls per step ==")
        print(machine_line())
        print_rows("One resource, one plugin process (minimum = calls the step cannot do without)", rows)
        calls, minimum = sum(r[2] for r in rows), sum(r[1] for r in rows)
        silent = [r[0] for r in rows if r[1] == 0]
        print(f"whole lifecycle: {calls} Flow Service calls for a minimum of {minimum}: ratio {calls / minimum:.2f} "
              f"(target 1.00); steps that need none ({', '.join(silent)}): "
              f"{sum(r[2] for r in rows if r[1] == 0)} calls")
        total_ims = sum(r[3] for r in rows)
        print(f"IMS token requests in that process: {total_ims} (minimum 1): ratio {total_ims:.2f}")

        emu.reset()
        with PluginProcess() as plugin:
            plugin.configure(plugin_config(emu), secret_keys={"aep:clientSecret"})
            engine = Engine(plugin)
            emu.clear_log()
            for i in range(10):
                engine.up(f"pg{i}", pg_registration(name=f"pg{i}"))
            engine.destroy_all()
            flow, ims, _ = split(emu.counts())
        print(f"10 resources created and deleted in one process: {flow} Flow Service calls (minimum 30): ratio "
              f"{flow / 30:.2f}; {ims} IMS token request(s) (minimum 1)")

        emu.reset()
        with PluginProcess() as plugin:
            plugin.configure(plugin_config(emu), secret_keys={"aep:clientSecret"})
            engine = Engine(plugin)
            created = engine.up("used", pg_registration(name="used"))
            dataflows = Dataflows(emu)
            dataflows.source_connection(created.id, "prod")  # a flow: Flow Service itself refuses (FLOW-1418)
            dataflows.close()

            def refused() -> None:
                try:
                    engine.destroy("used")
                except PluginError as error:
                    assert "ConnectionInUseError" in error.details
                else:
                    raise AssertionError("a connection in use was deleted")

            rows = run_steps(emu, engine, [
                ("delete refused: a source connection uses it", 2, refused),
                ("update: force_delete=True", 0,
                 lambda: engine.up("used", pg_registration(name="used", force_delete=True))),
                ("delete with force_delete", 1, lambda: engine.destroy("used")),
            ])
        print_rows("A connection in use (a source connection made outside Pulumi)", rows)

        emu.reset()
        with PluginProcess() as plugin:
            plugin.configure(plugin_config(emu), secret_keys={"aep:clientSecret"})
            engine = Engine(plugin)
            engine.up("warm", pg_registration(name="warm"))

            def faulted(script, action):
                def run():
                    emu.set_faults(retry_after=0, script=script)
                    action()
                    emu.clear_faults()
                return run

            rows = run_steps(emu, engine, [
                ("create, POST answered 429", 1, faulted([{"method": "POST", "template": LIST, "fault": "429"}],
                                                         lambda: engine.up("a", pg_registration(name="a")))),
                ("create, POST reply lost (applied)", 1, faulted(
                    [{"method": "POST", "template": LIST, "fault": "commit_drop"}],
                    lambda: engine.up("b", pg_registration(name="b")))),
                ("create, POST dropped (not applied)", 1, faulted(
                    [{"method": "POST", "template": LIST, "fault": "drop"}],
                    lambda: engine.up("c", pg_registration(name="c")))),
                ("update, PATCH 503 then ok", 1, faulted([{"method": "PATCH", "template": ONE, "fault": "503"}],
                                                         lambda: engine.up("a", pg_registration(name="a2")))),
                ("update, PATCH reply lost (applied)", 1, faulted(
                    [{"method": "PATCH", "template": ONE, "fault": "commit_drop"}],
                    lambda: engine.up("b", pg_registration(name="b2")))),
                ("delete, DELETE reply lost (applied)", 2, faulted(
                    [{"method": "DELETE", "template": ONE, "fault": "commit_drop"}], lambda: engine.destroy("c"))),
            ])
            engine.destroy_all()
        print_rows("With one injected fault per step (calls include the retry or the lookup)", rows)
        left = emu.connections()
        print(f"connections left in the emulator after the faulted run: {len(left)} (expected 0)")
        check_nothing_left(left)


def check_nothing_left(connections: list[dict]) -> None:
    """Exit non-zero when the faulted run left connections behind: a lost reply made the plugin forget one it
    created (or fail to delete one), which is a bug, not a figure."""
    if connections:
        names = ", ".join(f"{c.get('name')} ({c.get('id')})" for c in connections)
        raise SystemExit(f"bench_api_calls: FAILED: {len(connections)} connection(s) left in the emulator after "
                         f"the faulted run, expected 0: {names}")


if __name__ == "__main__":
    main()
