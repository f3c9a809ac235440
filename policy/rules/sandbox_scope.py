"""The sandbox list shared by the rules that apply only in some sandboxes (verify-in-prod, force-delete-in-prod).

A connection is in scope when its sandbox, or the stack's sandbox, is listed; the list is the rule's
`sandboxes` config property, `["prod"]` by default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

from .config import string_list
from .model import Connection, StackContext, listed_sandbox

DEFAULT_SANDBOXES = ["prod"]


def schema(description: str) -> dict[str, dict[str, Any]]:
    """The rule's config schema: one `sandboxes` list."""
    return {"sandboxes": {"type": "array", "items": {"type": "string", "minLength": 1},
                          "default": DEFAULT_SANDBOXES, "description": description}}


@dataclass(frozen=True)
class Settings:
    sandboxes: tuple[str, ...]


def parse(config: Optional[Mapping[str, Any]], rule: str) -> Settings:
    return Settings(sandboxes=tuple(string_list(config, rule, "sandboxes", DEFAULT_SANDBOXES)))


def applies(connection: Connection, settings: Settings, stack: Optional[StackContext] = None) -> Optional[str]:
    """None when the connection is in scope, else why it is not."""
    if listed_sandbox(connection, settings.sandboxes, stack) is not None:
        return None
    return f"sandbox is not one of {list(settings.sandboxes)}"
