"""Start and stop the emulator in the background for `make up` / `make down`, with a pid file.

    python -m tools.local_emulator start [--port 8080] [--dir .emulator]   # returns once it answers
    python -m tools.local_emulator stop  [--dir .emulator]

State lives under `--dir`: emulator.sqlite3 (connections survive restarts), emulator.pid, emulator.log.
`start` is idempotent (an emulator already running from that pid file is kept) and fails with the log's tail
if the process exits or does not answer within the timeout; `stop` ends only the process in the pid file.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

import requests

ROOT = Path(__file__).resolve().parent.parent
READY = re.compile(r"listening on (http://\S+)")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_pid(pid_file: Path) -> Optional[int]:
    try:
        return int(pid_file.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def _answers(url: str) -> bool:
    try:
        requests.get(f"{url}/_emulator/requests", timeout=2)
        return True
    except requests.RequestException:
        return False


class PortInUse(RuntimeError):
    """The port is taken by a process that is not this folder's emulator."""


def _port_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a closed socket in TIME_WAIT is no owner
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def start(directory: Path, port: int = 8080, timeout: float = 30.0) -> str:
    """Start (or find) the emulator on `port`; return its URL."""
    directory.mkdir(parents=True, exist_ok=True)
    pid_file, log_file, url_file = directory / "emulator.pid", directory / "emulator.log", directory / "emulator.url"
    pid = _read_pid(pid_file)
    if pid is not None and _alive(pid) and url_file.exists() and _answers(url_file.read_text().strip()):
        running = url_file.read_text().strip()
        if port == 0 or running.endswith(f":{port}"):
            return running
        stop(directory)  # ours, on another port: `make up EMULATOR_PORT=...` moves it
    if not _port_free(port):
        raise PortInUse(
            f"port {port} on 127.0.0.1 is in use by another program; "
            f"choose another port with `make up EMULATOR_PORT={port + 1}` (the local stack's endpoints follow it)")
    with open(log_file, "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "emulator", "--port", str(port), "--db", str(directory / "emulator.sqlite3")],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
        )
    pid_file.write_text(f"{proc.pid}\n")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = READY.search(log_file.read_text())
        if found and _answers(found.group(1)):
            url_file.write_text(found.group(1) + "\n")
            return found.group(1)
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    stop(directory)
    tail = "\n".join(log_file.read_text().splitlines()[-20:])
    raise RuntimeError(f"the emulator did not start (see {log_file}):\n{tail}")


def stop(directory: Path, timeout: float = 10.0) -> bool:
    """Stop the emulator named in the pid file; True if one was running."""
    pid_file = directory / "emulator.pid"
    pid = _read_pid(pid_file)
    running = pid is not None and _alive(pid)
    if running:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while _alive(pid) and time.monotonic() < deadline:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
            time.sleep(0.1)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
    pid_file.unlink(missing_ok=True)
    (directory / "emulator.url").unlink(missing_ok=True)
    return running


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="run the emulator in the background for make up / make down")
    parser.add_argument("command", choices=["start", "stop"])
    parser.add_argument("--dir", type=Path, default=ROOT / ".emulator")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    if args.command == "start":
        try:
            print(f"emulator running at {start(args.dir, args.port)} (pid file {args.dir / 'emulator.pid'})")
        except PortInUse as err:
            print(f"make up: {err}", file=sys.stderr)
            return 1
        except RuntimeError as err:
            print(err, file=sys.stderr)
            return 1
        return 0
    print("emulator stopped" if stop(args.dir) else "no emulator was running")
    return 0


if __name__ == "__main__":
    sys.exit(main())
