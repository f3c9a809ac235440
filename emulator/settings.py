"""The emulator's configuration: one IMS client, its organization, and the sandboxes that exist."""
from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_DB = ".emulator/emulator.sqlite3"
DEFAULT_SANDBOXES = ("prod", "dev", "stage")
DEFAULT_SANDBOX = "prod"
MAX_SERVICE_UPDATE_DELAY = 365 * 24 * 3600.0  # a year: any longer is "never", and keeps timestamps in range


def service_delay_problem(delay: object) -> str | None:
    """Why ``delay`` is not a usable service-update delay (seconds), if it is not."""
    if isinstance(delay, bool) or not isinstance(delay, (int, float)) or not 0 <= delay <= MAX_SERVICE_UPDATE_DELAY:
        return f"must be a number of seconds from 0 to {MAX_SERVICE_UPDATE_DELAY:.0f} (a year)"
    return None


@dataclass(frozen=True)
class EmulatorSettings:
    """``client_secret`` is kept out of the repr so logs and tracebacks never show it."""

    org_id: str = "local@AdobeOrg"
    client_id: str = "local-client"
    client_secret: str = field(default="local-secret", repr=False)
    sandboxes: tuple[str, ...] = DEFAULT_SANDBOXES
    strict_sandbox: bool = False
    token_ttl: int = 86400
    db: str = ":memory:"
    service_update_delay: float = 90.0  # seconds until the service's own update (backend/service_side.py)

    def __post_init__(self) -> None:
        if not self.org_id or not self.client_id or not self.client_secret:
            raise ValueError("org_id, client_id and client_secret must be non-empty strings")
        if not self.sandboxes:
            raise ValueError("sandboxes: give at least one sandbox name, e.g. ('prod',)")
        if self.token_ttl <= 0:
            raise ValueError(f"token_ttl must be a positive number of seconds, got {self.token_ttl}")
        if problem := service_delay_problem(self.service_update_delay):
            raise ValueError(f"service_update_delay {problem}, got {self.service_update_delay}")
        object.__setattr__(self, "sandboxes", tuple(self.sandboxes))
