"""verify-in-prod: connections in the listed sandboxes set `verify=True`.

With `verify=True` the provider asks Flow Service to test the connection after writing it, so a wrong host or
password fails `pulumi up` instead of the first dataflow run. A connection applies when its sandbox, or the stack's
sandbox, is listed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from . import sandbox_scope
from .model import Connection, StackContext, listed_sandbox
from .sandbox_scope import Settings, applies

__all__ = ["RULE", "SCHEMA", "Settings", "parse_settings", "applies", "check"]

RULE = "verify-in-prod"
SCHEMA = sandbox_scope.schema("Sandboxes in which connections must set verify=True.")


def parse_settings(config: Optional[Mapping[str, Any]]) -> Settings:
    return sandbox_scope.parse(config, RULE)


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
