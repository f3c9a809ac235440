"""From the sandbox's live connections to what the YAML shows: entries with names and secret keys, and the rest
(dataflows are added by provider/discover/dataflows.py, which needs the API).

Entries are named over the adoptable connections only (oldest first, provider/discover/naming.py), so a
connection no component can declare never pushes another one's name to `-2`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from provider.client.models import Connection
from provider.discover.dataflows import FlowEntry, SkippedFlow
from provider.discover.naming import ConfigKeys, oldest_first, resource_names
from provider.discover.plan import Adoptable, Skipped, plan


@dataclass(frozen=True)
class Entry:
    """One `aep:connections` entry: resource name, what to declare, and the config key of each secret argument."""

    resource_name: str
    planned: Adoptable
    secret_keys: dict[str, str]


@dataclass(frozen=True)
class Discovery:
    sandbox: str
    org_id: str
    entries: tuple[Entry, ...]
    skipped: tuple[Skipped, ...]
    dataflows: tuple[FlowEntry, ...] = ()
    skipped_flows: tuple[SkippedFlow, ...] = ()

    @property
    def secret_keys(self) -> list[str]:
        return [key for entry in self.entries for key in entry.secret_keys.values()]


def discovery(sandbox: str, org_id: str, connections: Iterable[Connection]) -> Discovery:
    planned = [plan(conn) for conn in oldest_first(connections)]
    adoptable = [p for p in planned if isinstance(p, Adoptable)]
    names = resource_names([p.connection for p in adoptable])
    keys = ConfigKeys()
    entries = []
    for item in adoptable:
        name = names[item.connection.id]
        entries.append(Entry(name, item, {argument: keys.take(name, argument) for argument in item.secrets}))
    return Discovery(sandbox, org_id, tuple(entries), tuple(p for p in planned if isinstance(p, Skipped)))
