"""sandbox-matches-stack: every base connection writes to the one sandbox its stack stands for.

Which sandbox a stack may write to is decided by the stack's *name*, never by anything the program or the stack's
own config can set: the project keeps one stack per AEP sandbox (`stacks/Pulumi.<sandbox>.yaml`), so stack `dev`
may only write to sandbox `dev`. Stacks whose name is not a sandbox (e.g. `local`, which targets the emulator) are
mapped in the policy config property `stackSandboxes`, which belongs to whoever runs the policies, not to the
stack. So a dev stack that sets `aep:sandbox: prod`, or passes `sandbox="prod"` to a connection, is caught:
  - each connection's recorded `sandbox` input must equal the expected sandbox;
  - the stack's `aep:sandbox` config, when set, must equal it too (a wrong default is reported once);
  - with no stack name at all the rule fails closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Optional

from .config import string_map
from .model import Connection, StackContext, Violation

RULE = "sandbox-matches-stack"

SCHEMA: dict[str, dict[str, Any]] = {
    "stackSandboxes": {
        "type": "object",
        "additionalProperties": {"type": "string", "minLength": 1},
        "default": {},
        "description": "Stack name -> the AEP sandbox that stack may write to, for stacks not named after their "
        "sandbox (e.g. {\"local\": \"prod\"}). Stacks not listed may only write to the sandbox named like them.",
    },
}


@dataclass(frozen=True)
class Settings:
    stack_sandboxes: Mapping[str, str]


def parse_settings(config: Optional[Mapping[str, Any]]) -> Settings:
    return Settings(stack_sandboxes=string_map(config, RULE, "stackSandboxes", SCHEMA["stackSandboxes"]["default"]))


def expected_sandbox(stack: StackContext, settings: Settings) -> Optional[str]:
    """The only sandbox `stack` may write to, or None when the stack is not known."""
    if not stack.stack:
        return None
    return settings.stack_sandboxes.get(stack.stack, stack.stack)


def _unknown_stack_message(rule: str) -> str:
    return (
        f"[{rule}] the policy pack was not told which stack is being deployed, so it cannot check sandboxes. "
        "Fix: run it through `pulumi preview/up --policy-pack policy` (the engine names the stack in "
        "PULUMI_STACK or its ConfigureStack call)."
    )


def check_connection(connection: Connection, stack: StackContext, settings: Settings, rule: str = RULE) -> list[str]:
    """Messages for one connection whose `sandbox` input is missing or is not the stack's sandbox."""
    expected = expected_sandbox(stack, settings)
    if expected is None:
        return [_unknown_stack_message(rule)]
    actual = connection.sandbox
    how_to_fix = (
        f"Fix: deploy it from the stack for that sandbox, or set sandbox='{expected}' (or leave it unset and "
        f"set aep:sandbox to '{expected}'); a stack not named after its sandbox is mapped in the policy config "
        f"{rule}.stackSandboxes."
    )
    if not isinstance(actual, str) or not actual:
        return [
            f"[{rule}] {connection.label} does not record which sandbox it writes to (input 'sandbox' is empty); "
            f"stack '{stack.stack}' may only write to sandbox '{expected}'. {how_to_fix}"
        ]
    if actual != expected:
        return [
            f"[{rule}] {connection.label} writes to sandbox '{actual}', but stack '{stack.stack}' may only write "
            f"to sandbox '{expected}'. {how_to_fix}"
        ]
    return []


def check_stack(connections: Iterable[Connection], stack: StackContext, settings: Settings) -> list[Violation]:
    """The whole stack: its `aep:sandbox` config, then every connection."""
    expected = expected_sandbox(stack, settings)
    if expected is None:
        return [Violation(_unknown_stack_message(RULE))]
    violations = []
    if stack.configured_sandbox is not None and stack.configured_sandbox != expected:
        violations.append(
            Violation(
                f"[{RULE}] stack '{stack.stack}' sets aep:sandbox to '{stack.configured_sandbox}', but it may only "
                f"write to sandbox '{expected}'. Fix: `pulumi config set aep:sandbox {expected} --stack "
                f"{stack.stack}`, or deploy from the '{stack.configured_sandbox}' stack."
            )
        )
    for connection in connections:
        violations += [Violation(m, connection.urn) for m in check_connection(connection, stack, settings)]
    return violations
