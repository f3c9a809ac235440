"""The background emulator behind `make up` / `make down`: pid file, readiness, idempotent start, clean stop."""

from __future__ import annotations

import socket

import os

import requests

from tools.local_emulator import _alive, _read_pid, main, start, stop


def test_start_answers_and_stop_ends_exactly_that_process(tmp_path):
    url = start(tmp_path, port=0)
    pid = _read_pid(tmp_path / "emulator.pid")
    try:
        assert pid is not None and _alive(pid)
        token = requests.post(f"{url}/ims/token/v3", timeout=10, data={
            "grant_type": "client_credentials", "client_id": "local-client", "client_secret": "local-secret",
            "scope": "openid"}).json()
        assert token["access_token"]
        assert (tmp_path / "emulator.sqlite3").exists()
        assert start(tmp_path, port=0) == url  # already running: kept, not doubled
        assert _read_pid(tmp_path / "emulator.pid") == pid
    finally:
        assert stop(tmp_path) is True
    assert not _alive(pid)
    assert not (tmp_path / "emulator.pid").exists()
    assert stop(tmp_path) is False


def test_a_stale_pid_file_is_replaced(tmp_path):
    (tmp_path / "emulator.pid").write_text(f"{os.getpid()}\n")  # alive, but no emulator.url: not ours
    url = start(tmp_path, port=0)
    try:
        assert _read_pid(tmp_path / "emulator.pid") != os.getpid()
        assert requests.get(f"{url}/_emulator/requests", timeout=10).status_code == 200
    finally:
        stop(tmp_path)


def test_a_busy_port_is_one_line_naming_the_port_and_the_fix(tmp_path, capsys):
    """Another program on the port (here another folder's emulator): one line, no traceback, nothing started."""
    first = start(tmp_path / "a", port=0)
    port = int(first.rsplit(":", 1)[1])
    try:
        assert main(["start", "--dir", str(tmp_path / "b"), "--port", str(port)]) == 1
        err = capsys.readouterr().err
        assert err.strip().splitlines() == [
            f"make up: port {port} on 127.0.0.1 is in use by another program; choose another port with "
            f"`make up EMULATOR_PORT={port + 1}` (the local stack's endpoints follow it)"]
        assert "Traceback" not in err and not (tmp_path / "b" / "emulator.pid").exists()
    finally:
        stop(tmp_path / "a")


def test_a_new_port_moves_this_folders_emulator(tmp_path):
    first = start(tmp_path, port=0)
    try:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            free = probe.getsockname()[1]
        moved = start(tmp_path, port=free)
        assert moved == f"http://127.0.0.1:{free}" and moved != first
    finally:
        stop(tmp_path)


def test_cli_stop_without_a_running_emulator(tmp_path, capsys):
    assert main(["stop", "--dir", str(tmp_path)]) == 0
    assert "no emulator was running" in capsys.readouterr().out
