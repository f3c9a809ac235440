"""Every bench script still runs end to end, on tiny sizes (``make bench`` runs them at full size).

The figures are not checked against targets here (no speed targets in tests); what is checked is that each
bench completes against its own emulator and the real plugin, prints its table with the machine line, and that
the facts it verifies on the way (every create reached the emulator, the same bodies were stored, the call
counts) held.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "bench"

TINY = {
    "bench_api_calls.py": ([], ["ratio 1.00 (target 1.00)", "IMS token requests in that process: 1"]),
    "bench_cold_start.py": (["--runs", "1"], ["cold start / import pulumi"]),
    "bench_crash.py": (["--connections", "8", "--points", "1"], ["crash recovery: 8 connections", "0 duplicates"]),
    "bench_engine.py": (["--connections", "2,3", "--latency-ms", "5", "--modes", "both", "--backend", "file,s3"],
                        ["s3, skip-checkpoints, N=3", "x the bound", "no-change up", "up(3) / up(2)"]),
    "bench_emulator.py": (["--requests", "20"], ["python -m emulator (own process)", "in-process EmulatorServer"]),
    "bench_pipelines.py": (["--pipelines", "2", "--latency-ms", "5"], ["no-change up", "up / plain requests"]),
    "bench_overhead.py": (["--creates", "5", "--runs", "1", "--latency-ms", "5", "--latency-creates", "2"],
                          ["no latency: plugin / plain", "5 ms latency: plugin / plain", "bare gRPC round trip"]),
    "bench_scale.py": (["--connections", "8", "--latency-ms", "5", "--in-flight", "4", "--runs", "1"],
                       ["cold: wall / bound", "warm: wall / bound", "plain requests / bound"]),
    "bench_state_size.py": (["--connections", "2"], ["bytes per connection, compact JSON", "__provider, decoded"]),
}


def _has_cli() -> bool:
    return bool(os.environ.get("PULUMI_CLI")) or (ROOT / ".pulumi-cli/bin/pulumi").exists() \
        or shutil.which("pulumi") is not None


def test_every_bench_script_is_covered():
    assert sorted(p.name for p in BENCH.glob("bench_*.py")) == sorted(TINY)


@pytest.mark.parametrize("script", sorted(TINY))
def test_bench_runs_and_prints_its_table(script):
    args, rows = TINY[script]
    if script in ("bench_crash.py", "bench_engine.py", "bench_pipelines.py") and not _has_cli():
        pytest.skip("no Pulumi CLI: `make pulumi` (needs a `pulumi` on PATH or Go)")
    done = subprocess.run([sys.executable, str(BENCH / script), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=240)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "machine: " in done.stdout and " CPUs, " in done.stdout
    for row in rows:
        assert row in done.stdout, f"{script} did not print {row!r}:\n{done.stdout}"
