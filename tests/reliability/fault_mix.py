"""The fault mix the soak and the canary lifecycle inject: 20 % of Flow Service calls, every kind the emulator
has — 429 with Retry-After (kept at 1 s; the tests cap the provider's wait with aep:maxRetryWait), 500/502/503,
connections dropped before the request is handled, and replies lost after the write was committed."""

from __future__ import annotations

from typing import Any

RATES = {"429": 0.04, "500": 0.03, "502": 0.03, "503": 0.03, "drop": 0.035, "commit_drop": 0.035}
RETRY_AFTER_SECONDS = 1


def twenty_percent(seed: int) -> dict[str, Any]:
    """Keyword arguments for ``EmulatorControl.set_faults``."""
    return {"seed": seed, "retry_after": RETRY_AFTER_SECONDS, "rates": dict(RATES)}
