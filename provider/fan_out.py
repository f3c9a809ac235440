"""Several stacks at once: `python -m provider.automation up --stack dev --stack stage --stack prod`.

Each stack runs in a process of its own (`python -m provider.automation <operation> --stack <one>`, the same
options), so one engine per sandbox works in parallel. Their output lines are printed as they come, each prefixed
with `[<stack>] `; then one summary line per stack (ok or failed, seconds) and the wall time against the sum of
the stacks' times (what running them one by one would have taken, near enough). Exit status 1 if any failed.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from typing import Optional, Sequence, TextIO


@dataclass
class StackRun:
    stack: str
    returncode: Optional[int] = None
    seconds: float = 0.0


def fan_out(operation: str, stacks: Sequence[str], options: Sequence[str], out: TextIO = sys.stdout) -> int:
    """Run `operation` on every stack in parallel processes; print their lines and the summary; 0 if all passed."""
    lock, runs = threading.Lock(), [StackRun(stack) for stack in dict.fromkeys(stacks)]
    started = time.monotonic()

    def one(run: StackRun) -> None:
        begun = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "provider.automation", operation, "--stack", run.stack,
                                 *options], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        assert proc.stdout is not None
        for line in proc.stdout:
            with lock:
                out.write(f"[{run.stack}] {line}")
                out.flush()
        run.returncode = proc.wait()
        run.seconds = time.monotonic() - begun

    threads = [threading.Thread(target=one, args=(run,)) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    width = max(len(run.stack) for run in runs)
    out.write(f"\n{operation} of {len(runs)} stacks:\n")
    for run in runs:
        verdict = "ok" if run.returncode == 0 else f"FAILED (exit {run.returncode})"
        out.write(f"  {run.stack:<{width}}  {verdict:<16} {run.seconds:6.1f} s\n")
    total = sum(run.seconds for run in runs)
    out.write(f"  wall time {wall:.1f} s; one after another: about {total:.1f} s ({total / max(wall, 1e-9):.1f}x)\n")
    failed = [run.stack for run in runs if run.returncode != 0]
    if failed:
        out.write(f"  failed: {', '.join(failed)}\n")
    return 1 if failed else 0
