"""force-delete-in-prod: warn when a connection in the listed sandboxes sets `force_delete=True`.

The provider refuses to delete a connection that source connections or dataflows still use, unless
`force_delete=True` is recorded for it; then a `pulumi destroy`, a removed entry or a replacement deletes it and
breaks those dataflows. In prod that is worth a warning every time, so the flag is set only for the run that
needs it. A connection applies when its sandbox, or the stack's sandbox, is listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

from .config import string_list
from .model import Connection, StackContext, listed_sandbox

RULE = "force-delete-in-prod"

SCHEMA: dict[str, dict[str, Any]] = {
    "sandboxes": {
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "default": ["prod"],
        "description": "Sandboxes in which force_delete=True on a connection is reported.",
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
    if applies(connection, settings, stack) is not None or connection.force_delete is not True:
        return []
    sandbox = listed_sandbox(connection, settings.sandboxes, stack)
    return [
        f"[{RULE}] {connection.label} in sandbox '{sandbox}' sets force_delete=True: deleting it (destroy, removing "
        "it, or a replacement) will not stop for the source connections and dataflows that use it, and they will "
        "break. Fix: keep force_delete=True only for the run that deletes it on purpose; otherwise remove it."
    ]
