"""The dynamic-provider plugin ends when the Pulumi engine that started it is gone.

pulumi.dynamic's plugin serves gRPC until it is told to stop; a CLI killed with SIGKILL (OOM, a lost CI runner,
kill -9) never tells it, and the shell wrapper that starts it does not die with the CLI, so the plugin would
idle for good, holding its sandbox client. The engine passes its own gRPC address as the plugin's last argument;
once the provider is configured, a daemon thread checks every second that the address still accepts
connections, and after two refusals in a row ends the process. A create it was sending when the engine died
either reached Flow Service (and the next run takes it over: provider/client/create_marker.py) or did not.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import sys
import threading
import time
from typing import Callable, Optional, Sequence

log = logging.getLogger("provider")
_ADDRESS = re.compile(r"^(127\.0\.0\.1|localhost|\[::1\]|::1):(\d{1,5})$")
INTERVAL_S, REFUSALS = 1.0, 2
_started = threading.Lock()
_watching = False


def engine_address(argv: Sequence[str]) -> Optional[tuple[str, int]]:
    """The engine's host and port from the plugin's arguments, if it was started by an engine."""
    for arg in reversed(argv[1:]):
        found = _ADDRESS.match(arg)
        if found:
            return found.group(1).strip("[]"), int(found.group(2))
    return None


def engine_alive(address: tuple[str, int]) -> bool:
    try:
        with socket.create_connection(address, timeout=INTERVAL_S):
            return True
    except ConnectionRefusedError:
        return False
    except OSError:  # a timeout or a full backlog: busy, not gone
        return True


def watch_engine(argv: Sequence[str] = sys.argv, exit_process: Callable[[int], None] = os._exit) -> bool:
    """Start the watch once per process (only in a plugin an engine started); whether it is running."""
    global _watching
    address = engine_address(argv)
    if address is None:
        return False
    with _started:
        if not _watching:
            _watching = True
            threading.Thread(target=_watch, args=(address, exit_process), name="engine-watch", daemon=True).start()
    return True


def _watch(address: tuple[str, int], exit_process: Callable[[int], None]) -> None:
    refused = 0
    while True:
        time.sleep(INTERVAL_S)
        refused = 0 if engine_alive(address) else refused + 1
        if refused >= REFUSALS:
            log.warning("the Pulumi engine at %s:%d is gone; ending the provider plugin", *address)
            exit_process(0)
            return
