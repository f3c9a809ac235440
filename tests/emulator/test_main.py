"""``python -m emulator`` (emulator/__main__.py): flags, a real process serving HTTP, clean shutdown."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.emulator.conftest import FlowClient
from tests.support.emulator import EmulatorControl

ROOT = Path(__file__).resolve().parents[2]


def _start(*args: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-m", "emulator", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    line = proc.stdout.readline()
    match = re.search(r"listening on (http://\S+)", line)
    if not match:
        proc.kill()
        raise AssertionError(f"no 'listening on' line: {line!r} {proc.stderr.read()}")
    return proc, match.group(1)


def _stop(proc: subprocess.Popen, sig: int = signal.SIGINT) -> int:
    proc.send_signal(sig)
    try:
        return proc.wait(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()


def test_cli_serves_with_the_given_flags(tmp_path):
    db = tmp_path / "cli.sqlite3"
    proc, url = _start("--port", "0", "--db", str(db), "--org-id", "CLI@AdobeOrg", "--client-id", "cli",
                       "--client-secret", "cli-secret", "--sandbox", "qa", "--sandbox", "uat", "--strict-sandbox",
                       "--token-ttl", "120")
    try:
        control = EmulatorControl(url, "CLI@AdobeOrg", "cli", "cli-secret")
        flow = FlowClient(control)
        assert flow.create(sandbox="qa")["id"]
        assert flow.get("/connections", sandbox="prod").status_code == 404
        assert flow.get("/connections", sandbox=None).status_code == 400
        assert [c["sandbox"] for c in control.connections()] == ["qa"]
    finally:
        assert _stop(proc) == 0
    assert db.exists()


def test_cli_stops_cleanly_on_sigterm_and_keeps_state(tmp_path):
    db = str(tmp_path / "term.sqlite3")
    proc, url = _start("--port", "0", "--db", db)
    try:
        created = FlowClient(EmulatorControl(url, "local@AdobeOrg", "local-client", "local-secret")).create()
    finally:
        assert _stop(proc, signal.SIGTERM) == 0
    assert "stopped" in proc.stdout.read()
    proc, url = _start("--port", "0", "--db", db)
    try:
        control = EmulatorControl(url, "local@AdobeOrg", "local-client", "local-secret")
        assert [c["id"] for c in control.connections()] == [created["id"]]
    finally:
        assert _stop(proc) == 0


def test_cli_defaults_and_help():
    result = subprocess.run([sys.executable, "-m", "emulator", "--help"], cwd=ROOT, capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 0
    for flag in ("--host", "--port", "--db", "--org-id", "--client-id", "--client-secret", "--sandbox",
                 "--strict-sandbox", "--token-ttl", ".emulator/emulator.sqlite3"):
        assert flag in result.stdout


@pytest.mark.parametrize("args,message", [(["--port", "70000"], "--port"), (["--token-ttl", "0"], "--token-ttl"),
                                          (["--port", "x"], "--port")])
def test_cli_rejects_bad_flags(args, message):
    result = subprocess.run([sys.executable, "-m", "emulator", *args], cwd=ROOT, capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 2 and message in result.stderr
