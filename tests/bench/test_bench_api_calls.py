"""bench_api_calls.py fails, not just prints, when the faulted run leaves connections behind in the emulator
(the full run is in test_bench_scripts.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench.bench_api_calls import check_nothing_left

ROOT = Path(__file__).resolve().parents[2]


def test_a_leftover_connection_exits_non_zero_naming_it():
    code = ("from bench.bench_api_calls import check_nothing_left\n"
            "check_nothing_left([{'id': 'c-123', 'name': 'pg3', 'params': {}}])\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert "1 connection(s) left in the emulator after the faulted run, expected 0: pg3 (c-123)" in done.stderr


def test_nothing_left_passes():
    check_nothing_left([])
