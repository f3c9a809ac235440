"""approved-sources: a connection's spec id must be on the allow-list.

The default allow-list is every *verified* id in the catalog. Unverified ids (Adobe's docs give each of them to two
different sources, so nobody can say which source a connection with that id reads) are left off it and so denied,
unless the policy config lists them explicitly in `allowedSpecIds`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from .catalog import CATALOG_PATH, sources_for, verified_spec_ids
from .config import string_list
from .model import Connection

RULE = "approved-sources"


def schema(catalog: Path = CATALOG_PATH) -> dict[str, dict[str, Any]]:
    """Config schema; the default is read from the catalog when the pack starts."""
    return {
        "allowedSpecIds": {
            "type": "array",
            "items": {"type": "string", "minLength": 1},
            "default": verified_spec_ids(catalog),
            "description": "Connection spec ids connections may use. Default: every verified catalog id.",
        },
    }


@dataclass(frozen=True)
class Settings:
    allowed_spec_ids: frozenset[str]


def parse_settings(config: Optional[Mapping[str, Any]], catalog: Path = CATALOG_PATH) -> Settings:
    if config is None or config.get("allowedSpecIds") is None:
        return Settings(frozenset(verified_spec_ids(catalog)))
    return Settings(frozenset(string_list(config, RULE, "allowedSpecIds", [])))


def check(connection: Connection, settings: Settings, catalog: Path = CATALOG_PATH) -> list[str]:
    spec_id = connection.spec_id
    fix = (
        f"Fix: use a source on the list, or have the policy owners add the id to {RULE}.allowedSpecIds in the "
        "--policy-pack-config file."
    )
    if not isinstance(spec_id, str) or not spec_id:
        return [f"[{RULE}] {connection.label} has no connection_spec_id, so its source cannot be approved. {fix}"]
    if spec_id in settings.allowed_spec_ids:
        return []
    known = sources_for(spec_id, catalog)
    if len(known) > 1:
        why = (
            f"it is not approved: Adobe's docs give this id to {len(known)} sources "
            f"({', '.join(s.source for s in known)}), so it is unverified"
        )
    elif known:
        why = f"source '{known[0].source}' is not on the approved list"
    else:
        why = "it is not a spec id in the catalog, and not on the approved list"
    return [f"[{RULE}] {connection.label} uses connection spec id '{spec_id}': {why}. {fix}"]
