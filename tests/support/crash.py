"""Killing `pulumi up` as a crash does, and recovering with the commands a user types.

A crash is SIGKILL of the `pulumi` process with no warning (the OOM killer, `kill -9`), at a moment chosen by a
seeded random generator: after the k-th connection POST reached the emulator, plus a random delay. The CLI runs
in a session of its own, so every process it started (language host, program, provider plugin) can be found
afterwards by session id, and the time they outlive the CLI measured.

Recovery is what Pulumi itself asks for after a killed update, then a plain `pulumi up`:
* `pulumi cancel --yes`: the killed CLI never removed its lock (DIY backends keep it until cancelled);
* an empty `<stack>.json.attrs` beside the state file is removed: the file backend (gocloud fileblob) writes that
  sidecar in place, so a kill in the middle of a checkpoint can leave it empty and the stack unreadable ("failed
  to load checkpoint: EOF"). It happens only on file:// backends; `Crash.emptied` says whether it did.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

FLOW = "/data/foundation/flowservice"
POSTS = f"POST {FLOW}/connections"


def stack_config(emulator: Any, connections: int, *, sandbox: str = "prod") -> dict[str, Any]:
    """A stack of ``connections`` PostgreSQL entries against ``emulator``; the password from CRASH_DB_PASSWORD."""
    entries = {f"pg-{i:03d}": {"source": "postgresql", "name": f"Crash database {i:03d}",
                               "params": {"host": f"db{i:03d}.crash.example", "database": "crash",
                                          "username": "aep_reader", "ssl_mode": "require"},
                               "secrets": {"password": "crashDbPassword"}} for i in range(connections)}
    return {"config": {"aep:orgId": emulator.org_id, "aep:clientId": emulator.client_id,
                       "aep:endpoint": emulator.flow_url, "aep:imsEndpoint": emulator.ims_url,
                       "aep:sandbox": sandbox, "aep:connections": entries}}


@dataclass
class Crash:
    posts_at_kill: int  # connection POSTs the emulator had seen when the CLI was killed
    lingering_s: float  # how long the last process the CLI started outlived it
    leftovers: list[str]  # processes still alive after the wait (then killed), as "pid command"
    exited_first: bool = False  # the update ended before the chosen moment
    emptied: bool = False  # recovery removed an empty .attrs sidecar


def kill_points(seed: int, count: int, connections: int) -> list[tuple[int, float]]:
    """``count`` (k-th POST, extra delay in seconds) pairs from ``seed``: k in 1..connections-1, delay < 0.3 s."""
    rng = random.Random(seed)
    return [(rng.randint(1, connections - 1), round(rng.uniform(0, 0.3), 3)) for _ in range(count)]


def session_processes(sid: int) -> list[str]:
    """"pid command" of every live process in session ``sid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":
            found.append(f"{entry.name} {command[:160]}")
    return found


def killed_up(cli: Path, cwd: Path, env: dict[str, str], stack: str, emulator: Any, after_posts: int,
              delay_s: float, *, wait_s: float = 15.0) -> Crash:
    """`pulumi up --yes` killed with SIGKILL once ``after_posts`` connection POSTs were seen, plus ``delay_s``."""
    proc = subprocess.Popen([str(cli), "--non-interactive", "up", "--yes", "--stack", stack], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while emulator.counts().get(POSTS, 0) < after_posts and proc.poll() is None:
            time.sleep(0.02)
        time.sleep(delay_s)
        exited_first = proc.poll() is not None
        posts = emulator.counts().get(POSTS, 0)
        os.kill(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        exited_first, posts = True, emulator.counts().get(POSTS, 0)
    proc.wait()
    killed_at, left = time.monotonic(), session_processes(proc.pid)
    while left and time.monotonic() - killed_at < wait_s:
        time.sleep(0.1)
        left = session_processes(proc.pid)
    lingering = time.monotonic() - killed_at
    for line in left:
        try:
            os.kill(int(line.split()[0]), signal.SIGKILL)
        except ProcessLookupError:
            pass
    return Crash(posts, lingering, left, exited_first)


def clear_after_kill(run: Any, state_dir: Optional[Path], stack: str, crash: Crash) -> None:
    """Pulumi's own recovery after a killed update: the empty sidecar (file backend), then `pulumi cancel`.
    ``run(*args, check=...)`` runs one `pulumi` command."""
    for sidecar in (state_dir.rglob("*.attrs") if state_dir else ()):
        if sidecar.stat().st_size == 0 and sidecar.name.startswith(f"{stack}.json"):
            sidecar.unlink()
            crash.emptied = True
    run("cancel", "--yes", "--stack", stack, check=False)
