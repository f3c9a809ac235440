"""force-delete-in-prod: warn when a connection in the listed sandboxes sets `force_delete=True`.

The provider refuses to delete a connection that source connections or dataflows still use, unless
`force_delete=True` is recorded for it; then a `pulumi destroy`, a removed entry or a replacement deletes it and
breaks those dataflows. In prod that is worth a warning every time, so the flag is set only for the run that
needs it. A connection applies when its sandbox, or the stack's sandbox, is listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from . import sandbox_scope
from .model import Connection, StackContext, listed_sandbox
from .sandbox_scope import Settings, applies

__all__ = ["RULE", "SCHEMA", "Settings", "parse_settings", "applies", "check"]

RULE = "force-delete-in-prod"
SCHEMA = sandbox_scope.schema("Sandboxes in which force_delete=True on a connection is reported.")


def parse_settings(config: Optional[Mapping[str, Any]]) -> Settings:
    return sandbox_scope.parse(config, RULE)


def check(connection: Connection, settings: Settings, stack: Optional[StackContext] = None) -> list[str]:
    if applies(connection, settings, stack) is not None or connection.force_delete is not True:
        return []
    sandbox = listed_sandbox(connection, settings.sandboxes, stack)
    return [
        f"[{RULE}] {connection.label} in sandbox '{sandbox}' sets force_delete=True: deleting it (destroy, removing "
        "it, or a replacement) will not stop for the source connections and dataflows that use it, and they will "
        "break. Fix: keep force_delete=True only for the run that deletes it on purpose; otherwise remove it."
    ]
