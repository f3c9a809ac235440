"""What the rules see: one base connection's registered properties, the stack being deployed, a violation.

Properties arrive from the analyzer as a read-only mapping in which a value not known during preview raises
`UnknownValueError` when read. `Connection` reads each field only when a rule asks for it, so an unknown value
stops only the rules that need it (pulumi-policy then reports "can't run policy ... during preview" as advisory,
and the rule runs again with real values when `pulumi up` registers the resource).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Iterator, Optional

from pulumi_policy import Secret
from pulumi_policy.proxy import UnknownValueError

BASE_CONNECTION_TYPE = "pulumi-python:dynamic/aep:BaseConnection"
POSTGRESQL_SPEC_ID = "74a1c565-4e59-48d7-9d67-7c03b8a13137"


def reveal(value: Any) -> Any:
    """The plain value behind a pulumi-policy `Secret` wrapper (values that are not wrapped pass through)."""
    return value.value if isinstance(value, Secret) else value


def is_base_connection(resource_type: str) -> bool:
    return resource_type == BASE_CONNECTION_TYPE


@dataclass(frozen=True)
class Violation:
    """One finding. `urn` is the offending resource, or None when the stack as a whole is at fault."""

    message: str
    urn: Optional[str] = None


@dataclass(frozen=True)
class StackContext:
    """The deployment as the engine describes it to the pack process.

    `stack` is the stack name (None when the pack was started without one), `configured_sandbox` the stack's
    `aep:sandbox` config value (None when unset).
    """

    stack: Optional[str]
    configured_sandbox: Optional[str] = None

    @property
    def sandboxes(self) -> tuple[str, ...]:
        """Every sandbox the stack could be taken to stand for (its name and its aep:sandbox)."""
        return tuple(dict.fromkeys(s for s in (self.stack, self.configured_sandbox) if s))


def listed_sandbox(connection: "Connection", sandboxes: Sequence[str], stack: Optional[StackContext]) -> Optional[str]:
    """The first of the connection's and the stack's sandboxes that is in `sandboxes`, or None.

    Rules scoped to sandboxes use both, so a connection cannot step out of scope by naming another sandbox.
    """
    candidates = (connection.sandbox, *(stack.sandboxes if stack else ()))
    return next((s for s in candidates if isinstance(s, str) and s in sandboxes), None)


@dataclass(frozen=True)
class Connection:
    """Lazy view of one `aep:BaseConnection`; `resource_name` is the Pulumi resource name (safe to print)."""

    urn: str
    resource_name: str
    props: Mapping[str, Any]

    def _get(self, key: str) -> Any:
        return reveal(self.props[key]) if key in self.props else None

    @property
    def label(self) -> str:
        return f"connection '{self.resource_name}'"

    @property
    def name(self) -> Any:
        return self._get("name")

    @property
    def description(self) -> Any:
        return self._get("description")

    @property
    def spec_id(self) -> Any:
        return self._get("connection_spec_id")

    @property
    def sandbox(self) -> Any:
        return self._get("sandbox")

    @property
    def verify(self) -> Any:
        return self._get("verify")

    @property
    def force_delete(self) -> Any:
        return self._get("force_delete")

    @property
    def auth_params(self) -> Mapping[str, Any]:
        params = self._get("auth_params")
        return params if isinstance(params, Mapping) else {}

    def auth_param(self, key: str) -> Any:
        params = self.auth_params
        return reveal(params[key]) if key in params else None

    def known_auth_strings(self) -> Iterator[tuple[str, str]]:
        """(param name, value) for every auth param string that is known now; unknown ones are skipped.

        Used only to scrub messages, never to decide a rule, so skipping an unknown value cannot hide a violation.
        """
        try:
            params = self.auth_params
        except UnknownValueError:
            return
        for key in list(params):
            yield from ((key, text) for text in _known_strings(params, key))


def _known_strings(container: Any, key: Any) -> Iterator[str]:
    try:
        value = reveal(container[key])
    except UnknownValueError:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for inner in list(value):
            yield from _known_strings(value, inner)
    elif isinstance(value, Sequence):
        for index in range(len(value)):
            yield from _known_strings(value, index)


def redact(message: str, secrets: list[str], min_length: int = 3) -> str:
    """Replace every occurrence of a credential in `message` with `***` (longest first)."""
    for secret in sorted({s for s in secrets if len(s) >= min_length}, key=len, reverse=True):
        message = message.replace(secret, "***")
    return message
