"""verify-in-prod: connections in the listed sandboxes set `verify=True`.

With `verify=True` the provider asks Flow Service to test the connection after writing it, so a wrong host or
password fails `pulumi up` instead of the first dataflow run. A connection applies when its sandbox, or the stack's
sandbox, is listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

from .config import string_list
from .model import Connection, StackContext, listed_sandbox

RULE = "verify-in-prod"

SCHEMA: dict[str, dict[str, Any]] = {
    "sandboxes": {
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "default": ["prod"],
        "description": "Sandboxes in which connections must set verify=True.",
    },
}


@dataclass(frozen=True)
class Settings:
    sandboxes: tuple[str, ...]


def parse_settings(config: Optional[Mapping[str, Any]]) -> Settings:
    return Settings(sandboxes=tuple(string_list(config, RULE, "sandboxes", SCHEMA["sandboxes"]["default"])))


def applies(connection: Connection, settings: Settings, stack: Optional[StackContext] = None) -> Optional[str]:
    """None when the rule applies, else why it does not."""
    if listed_sandbox(connection, settings.sandboxes, stack) is not None:
        return None
    return f"sandbox is not one of {list(settings.sandboxes)}"


def check(connection: Connection, settings: Settings, stack: Optional[StackContext] = None) -> list[str]:
    if applies(connection, settings, stack) is not None:
        return []
    if connection.verify is True:
        return []
    sandbox = listed_sandbox(connection, settings.sandboxes, stack)
    return [
        f"[{RULE}] {connection.label} in sandbox '{sandbox}' does not set verify=True, so a wrong host or "
        "credential would only show up when data starts flowing. Fix: pass verify=True to the connection."
    ]
