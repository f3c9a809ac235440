"""`--stack NAME`: the provider settings of a stack, read through the Pulumi CLI.

Runs `pulumi config --json --show-secrets --stack NAME` in the current directory (the project), the one command
that decrypts a stack's config whatever its secrets provider is; it needs what `pulumi up` needs (the backend
login, PULUMI_CONFIG_PASSPHRASE for passphrase stacks). `--show-secrets` is required for `aep:clientSecret`; the
reply stays in this process: only the provider's own setting keys are kept (never a connection's secrets), the
client secret goes straight into `Settings` as a `SecretStr`, and a failing CLI is reported by its exit status and
error text, never its output.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Optional

from provider.errors import ConfigError
from provider.settings import KEYS

SETTING_KEYS = frozenset(key for key, _env, _secret in KEYS.values())
TIMEOUT_SECONDS = 120


def stack_settings(stack: str, pulumi: str = "pulumi", cwd: Optional[Path] = None) -> dict[str, str]:
    """The stack's `aep:*` provider settings (orgId, clientId, clientSecret, endpoint, ...), as config values."""
    command = [pulumi, "config", "--json", "--show-secrets", "--stack", stack, "--non-interactive"]
    shown = f"`{pulumi} config --json --show-secrets --stack {stack}`"
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, cwd=cwd)
    except FileNotFoundError:
        raise ConfigError(f"--stack {stack}: no Pulumi CLI {pulumi!r}; install it or pass --pulumi PATH") from None
    except subprocess.TimeoutExpired:
        raise ConfigError(f"{shown} did not finish in {TIMEOUT_SECONDS} s") from None
    if done.returncode != 0:
        reason = " ".join(done.stderr.split())[-600:] or f"exit status {done.returncode}"
        raise ConfigError(f"{shown} failed: {reason}. Run it in the project folder, logged in to the stack's "
                          "backend (and with PULUMI_CONFIG_PASSPHRASE for a passphrase stack).")
    try:
        config = json.loads(done.stdout)
    except json.JSONDecodeError:
        config = None
    if not isinstance(config, dict):
        raise ConfigError(f"{shown} printed something other than a JSON object; is {pulumi!r} the Pulumi CLI?")
    return {
        key: entry["value"]
        for key, entry in config.items()
        if key in SETTING_KEYS and isinstance(entry, dict) and isinstance(entry.get("value"), str)
    }
