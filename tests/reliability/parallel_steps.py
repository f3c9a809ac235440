"""Run many resource steps at once, as the Pulumi engine does, and re-run the failed ones as a user would.

The engine starts every independent step at once and the dynamic-provider plugin serves four at a time; a
failed step fails the command, and the user runs it again (after `pulumi refresh` when the error says so). A
``Rounds`` call does exactly that for one command: all steps on a thread pool, then the failed ones again,
up to ``max_rounds`` times, and records every failure so a test can print and check them.

    rounds = run_in_rounds({name: lambda n=name: engine.up(n, regs[n]) for name in regs}, engine=engine)
    assert rounds.converged, rounds.report()
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Optional

from tests.harness.engine import Engine
from tests.harness.plugin import PluginError

# More callers than plugin workers, so the plugin's four threads are always busy (the engine's default
# parallelism is unbounded).
ENGINE_PARALLELISM = 8


@dataclass
class Rounds:
    """What happened to one command run until it converged (or ``max_rounds`` ran out)."""

    results: dict[str, Any] = field(default_factory=dict)
    failures: list[tuple[int, str, str]] = field(default_factory=list)  # (round, key, last line of the error)
    rounds: int = 0
    pending: list[str] = field(default_factory=list)
    final: list[str] = field(default_factory=list)  # steps whose error running again would not change

    @property
    def converged(self) -> bool:
        return not self.pending

    def failures_for(self, key: str) -> list[str]:
        return [error for _, k, error in self.failures if k == key]

    def report(self) -> str:
        lines = [f"{self.rounds} round(s), {len(self.failures)} failed step(s), {len(self.pending)} never converged"]
        lines += [f"  round {r} {key}: {error}" for r, key, error in self.failures[:20]]
        return "\n".join(lines)


def last_line(error: BaseException) -> str:
    text = error.details if isinstance(error, PluginError) else str(error)
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    return lines[-1] if lines else type(error).__name__


def run_in_rounds(
    steps: Mapping[str, Callable[[], Any]],
    *,
    engine: Optional[Engine] = None,
    max_rounds: int = 6,
    parallelism: int = ENGINE_PARALLELISM,
    final: Callable[[str], bool] = lambda error: False,
) -> Rounds:
    """Run every step concurrently; re-run the failed ones (after refreshing them, if ``engine`` is given and the
    error asks for `pulumi refresh`) until all succeed or ``max_rounds`` is reached. Anything but a plugin error
    (a check failure, a bug in the test) is raised at once: running again would not change it. A step whose
    error's last line is ``final`` (a refusal, say) is not run again either: it goes to ``Rounds.final``."""
    outcome = Rounds(pending=list(steps))
    for round_no in range(1, max_rounds + 1):
        if not outcome.pending:
            break
        outcome.rounds = round_no
        with ThreadPoolExecutor(max_workers=parallelism) as pool:
            futures = {key: pool.submit(steps[key]) for key in outcome.pending}
        failed: list[str] = []
        for key, future in futures.items():
            error = future.exception()
            if error is None:
                outcome.results[key] = future.result()
                continue
            if not isinstance(error, PluginError):
                raise error
            outcome.failures.append((round_no, key, last_line(error)))
            (outcome.final if final(last_line(error)) else failed).append(key)
        if engine is not None:
            stale = [key for key in failed if "pulumi refresh" in outcome.failures_for(key)[-1]]
            refresh = run_in_rounds({k: lambda k=k: refresh_if_known(engine, k) for k in stale}, max_rounds=3,
                                    parallelism=parallelism) if stale else None
            if refresh is not None and not refresh.converged:
                raise AssertionError("refresh did not converge:\n" + refresh.report())
        outcome.pending = failed
    return outcome


def refresh_if_known(engine: Engine, name: str) -> None:
    """`pulumi refresh` for one resource, if the state still holds it."""
    if engine.urn(name) in engine.state:
        engine.refresh(name)


def destroy_if_known(engine: Engine, name: str) -> None:
    """`pulumi destroy` of one resource, if the state still holds it (a failed delete keeps it there)."""
    if engine.urn(name) in engine.state:
        engine.destroy(name)

