"""Plugin cold start: from launching ``python -m pulumi.dynamic`` to the answer of its first Check.

A figure, not a test. What the engine waits for before the first resource step: start the process (imports
pulumi and grpc, prints its port), Configure, then the first Check, which unpickles ``__provider`` and so imports
our provider package and reads the config. Compared with ``python -c "import pulumi"``, the least any Pulumi
Python plugin costs. Each figure is the median of ``--runs`` runs, alternated; no API call is made (Check needs
none), so no emulator is involved beyond the endpoint in the config.

    .venv/bin/python bench/bench_cold_start.py [--runs 5]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import ROOT, check_request, int_options, pg_registration, print_table  # noqa: E402
from tests.harness.plugin import PluginProcess  # noqa: E402

CONFIG = {"aep:orgId": "bench@AdobeOrg", "aep:clientId": "bench-client", "aep:clientSecret": "bench-secret",
          "aep:endpoint": "http://127.0.0.1:9/data/foundation/flowservice",
          "aep:imsEndpoint": "http://127.0.0.1:9/ims/token/v3"}
PYTHON = PluginProcess().python  # the interpreter the plugin runs on (the project's .venv)


def plugin_phases() -> dict[str, float]:
    """Seconds to: port printed and channel ready, Configure answered, first Check answered."""
    plugin = PluginProcess()
    check = check_request("cold", pg_registration(name="pg-cold"))
    started = time.perf_counter()
    try:
        plugin.start()
        ready = time.perf_counter()
        plugin.configure(CONFIG, secret_keys={"aep:clientSecret"})
        configured = time.perf_counter()
        answer = plugin.stub.Check(check, timeout=60)
        checked = time.perf_counter()
    finally:
        plugin.stop()
    if answer.failures:
        raise SystemExit(f"the first Check failed: {list(answer.failures)}")
    return {"start": ready - started, "configure": configured - ready, "check": checked - configured,
            "total": checked - started}


def python_import(statement: str) -> float:
    started = time.perf_counter()
    subprocess.run([PYTHON, "-c", statement], cwd=ROOT, check=True)
    return time.perf_counter() - started


def main() -> int:
    args = int_options(__doc__, runs=(5, "cold starts measured; the median is reported"))
    plugin_runs, pulumi_runs, bare_runs = [], [], []
    plugin_phases()  # fill the OS file cache first, as it is on a machine that ran pulumi before
    for _ in range(args.runs):
        plugin_runs.append(plugin_phases())
        pulumi_runs.append(python_import("import pulumi"))
        bare_runs.append(python_import("pass"))

    def median(key: str) -> float:
        return statistics.median(run[key] for run in plugin_runs)

    total, pulumi, bare = median("total"), statistics.median(pulumi_runs), statistics.median(bare_runs)
    print_table(f"plugin cold start (median of {args.runs})", [
        ("plugin: process start until its port answers", f"{median('start') * 1000:.0f} ms"),
        ("plugin: Configure", f"{median('configure') * 1000:.0f} ms"),
        ("plugin: first Check (loads the provider)", f"{median('check') * 1000:.0f} ms"),
        ("plugin: cold start in all", f"{total * 1000:.0f} ms"),
        ('python -c "import pulumi"', f"{pulumi * 1000:.0f} ms"),
        ('python -c "pass"', f"{bare * 1000:.0f} ms"),
        ("cold start / import pulumi", f"{total / pulumi:.2f}x"),
    ])
    return 0


if __name__ == "__main__":
    sys.exit(main())
