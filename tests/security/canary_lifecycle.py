"""The canary program on the local stack, run as a user would: as its own IMS client (a canary secret) in its
own org, every Python process it starts logging at DEBUG to files a test can scan."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from tests.harness.program import ProgramHarness, ProgramRun
from tests.reliability.out_of_band import OutsidePulumi
from tests.security import canary_values as canaries

PROGRAM = Path(__file__).with_name("canary_program.py")
CAPTURE_LOGS = Path(__file__).with_name("capture_logs")
SANDBOX = "dev"  # the local stack's aep:sandbox
STALE = "salesforce-connection"  # the connection the tests rename in the UI


def capture_env(log_dir: Path) -> dict[str, str]:
    """Environment that makes every Python process log at DEBUG into ``log_dir`` (see capture_logs/)."""
    return {"PYTHONPATH": str(CAPTURE_LOGS), "CANARY_LOG_DIR": str(log_dir)}


def canary_harness(emulator, log_dir: Path) -> ProgramHarness:
    emulator.add_client(canaries.CLIENT_ID, canaries.IMS_CLIENT_SECRET, canaries.ORG_ID)
    env = {**capture_env(log_dir), "CANARY_VERSION": "v1"}
    harness = ProgramHarness.for_emulator(emulator, program=PROGRAM, env=env)
    harness.overrides.update({"aep:clientId": canaries.CLIENT_ID, "aep:orgId": canaries.ORG_ID,
                              "aep:maxRetryWait": "0.2"})
    harness.set_secret("aep:clientSecret", canaries.IMS_CLIENT_SECRET)
    return harness


def run_until(command: Callable[[], ProgramRun], done: Callable[[ProgramRun], bool], rounds: int = 4) -> ProgramRun:
    """Run ``command`` again, as a user would, until ``done(run)``."""
    for _ in range(rounds):
        run = command()
        if done(run):
            return run
    raise AssertionError(f"not done after {rounds} runs; last error: {run.error}")


def outside_pulumi(emulator) -> OutsidePulumi:
    """Someone in the AEP UI of the canary org."""
    return OutsidePulumi(emulator, client_id=canaries.CLIENT_ID, client_secret=canaries.IMS_CLIENT_SECRET,
                         org_id=canaries.ORG_ID)
