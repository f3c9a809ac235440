"""Imported by every Python process started with this folder on PYTHONPATH and CANARY_LOG_DIR set (the program
runner and the dynamic-provider plugin it starts, in the canary tests).

It turns on every logger at DEBUG (urllib3's request lines, the provider's own messages, warnings) and sends
everything the process writes to stderr, logging or not, to ``$CANARY_LOG_DIR/<pid>.log``, so a test can scan
what those processes would have printed. It is not a package: the folder holds only this file.
"""

import logging
import os
import sys

_log_dir = os.environ.get("CANARY_LOG_DIR")
if _log_dir:
    _log = open(os.path.join(_log_dir, f"{os.getpid()}.log"), "a", buffering=1, encoding="utf-8")
    os.dup2(_log.fileno(), 2)
    sys.stderr = _log
    logging.basicConfig(level=logging.DEBUG, stream=_log, force=True)
    logging.captureWarnings(True)
