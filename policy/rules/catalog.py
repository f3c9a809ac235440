"""The connection-spec catalog as the policies need it, read straight from the data file.

The pack reads `provider/catalog/connection_specs.json` (a JSON file) and imports none of the provider's code: a
policy pack must not depend on the program it judges.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

CATALOG_PATH = Path(__file__).resolve().parents[2] / "provider" / "catalog" / "connection_specs.json"


@dataclass(frozen=True)
class CatalogSpec:
    source: str
    spec_id: str
    verified: bool


class CatalogError(RuntimeError):
    """The catalog file is missing or malformed."""


@lru_cache(maxsize=4)
def load_catalog(path: Path = CATALOG_PATH) -> tuple[CatalogSpec, ...]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return tuple(
            CatalogSpec(source=s["source"], spec_id=s["id"], verified=bool(s["verified"])) for s in data["specs"]
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CatalogError(
            f"approved-sources: cannot read the connection-spec catalog at {path} ({exc.__class__.__name__}); "
            "fix: run the pack from this repository, or set approved-sources.allowedSpecIds in the policy config"
        ) from None


def verified_spec_ids(path: Path = CATALOG_PATH) -> list[str]:
    """Every verified spec id, sorted, without duplicates (the approved-sources default allow-list)."""
    return sorted({spec.spec_id for spec in load_catalog(path) if spec.verified})


def sources_for(spec_id: str, path: Path = CATALOG_PATH) -> list[CatalogSpec]:
    """Catalog entries using `spec_id` (two for the ids Adobe's docs give to two sources)."""
    return [spec for spec in load_catalog(path) if spec.spec_id == spec_id]
