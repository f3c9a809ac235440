"""connection-naming: connection names follow a pattern and no two connections in a stack share one.

`name` is the Flow Service connection name (what the AEP UI lists), not the Pulumi resource name. The pattern must
match the whole name. Uniqueness ignores case and surrounding spaces, since two names that differ only there look
the same in the UI. Messages never echo a name (it could hold a pasted credential); they name the resources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Optional

from .config import PolicyConfigError, string_value
from .model import Connection, Violation

RULE = "connection-naming"
# 1-256 characters (the sources' limit); starts with a letter or digit, ends with one or `.`, `_`, `)`; between,
# letters, digits, spaces and ._,:()/&+'- (no control characters, quotes, `;`, brackets or braces).
DEFAULT_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9 ._,:()/&+'-]{0,254}[A-Za-z0-9._)])?$"

SCHEMA: dict[str, dict[str, Any]] = {
    "pattern": {
        "type": "string",
        "minLength": 1,
        "default": DEFAULT_PATTERN,
        "description": "Python regular expression every connection name must match in full.",
    },
}


@dataclass(frozen=True)
class Settings:
    pattern: re.Pattern


def parse_settings(config: Optional[Mapping[str, Any]]) -> Settings:
    text = string_value(config, RULE, "pattern", DEFAULT_PATTERN)
    try:
        return Settings(pattern=re.compile(text))
    except re.error as exc:
        raise PolicyConfigError(
            f"{RULE}: config property 'pattern' is not a valid regular expression ({exc}); "
            "fix: correct it in the --policy-pack-config file"
        ) from None


def check_name(connection: Connection, settings: Settings) -> list[str]:
    name = connection.name
    if not isinstance(name, str) or not name.strip():
        return [
            f"[{RULE}] {connection.label} has an empty name. Fix: give it a name matching {settings.pattern.pattern}."
        ]
    if not settings.pattern.fullmatch(name):
        return [
            f"[{RULE}] the name of {connection.label} does not match {settings.pattern.pattern}. "
            f"Fix: rename it, or change {RULE}.pattern in the --policy-pack-config file."
        ]
    return []


def check_stack(connections: Iterable[Connection], settings: Settings) -> list[Violation]:
    connections = list(connections)
    violations = [Violation(m, c.urn) for c in connections for m in check_name(c, settings)]
    by_name: dict[str, list[Connection]] = {}
    for connection in connections:
        if isinstance(connection.name, str) and connection.name.strip():
            by_name.setdefault(connection.name.strip().casefold(), []).append(connection)
    for group in by_name.values():
        if len(group) < 2:
            continue
        labels = ", ".join(c.label for c in group)
        for connection in group:
            violations.append(
                Violation(
                    f"[{RULE}] {connection.label} has the same name as another connection in this stack ({labels}). "
                    "Fix: give each connection its own name.",
                    connection.urn,
                )
            )
    return violations
