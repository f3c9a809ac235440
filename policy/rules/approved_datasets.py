"""approved-datasets: target connections write only to datasets on the allow-list.

The list (`datasets`) holds dataset names and/or Catalog dataset ids; a target connection passes when the name or
id it declares (`dataset_name` / `dataset_id`, from `dataset: {name: ...}` or `dataset: <id>` in aep:dataflows) is
on it, compared exactly, as the provider looks names up. An empty or absent list approves every dataset, so the
rule does nothing until a platform team fills it in. A target connection declaring no dataset fails.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

from .config import string_list
from .pipeline_model import TargetConnection

RULE = "approved-datasets"
SHOWN = 10  # approved datasets listed in a message

SCHEMA: dict[str, dict[str, Any]] = {
    "datasets": {
        "type": "array",
        "items": {"type": "string", "minLength": 1},
        "default": [],
        "description": "Dataset names and/or ids dataflows may write to. Empty: every dataset is approved.",
    },
}


@dataclass(frozen=True)
class Settings:
    datasets: tuple[str, ...]


def parse_settings(config: Optional[Mapping[str, Any]]) -> Settings:
    return Settings(datasets=tuple(string_list(config, RULE, "datasets", SCHEMA["datasets"]["default"])))


def applies(settings: Settings) -> Optional[str]:
    """None when there is a list to check against, else why the rule does not apply."""
    return None if settings.datasets else f"no approved datasets configured ({RULE}.datasets is empty)"


def declared_dataset(target: TargetConnection) -> Optional[tuple[str, str]]:
    """("name" or "id", value) of the dataset the target connection declares; the name is read first, and the id
    (possibly unknown during preview) only when there is no name."""
    name = target.dataset_name
    if isinstance(name, str) and name:
        return "name", name
    dataset_id = target.dataset_id
    if isinstance(dataset_id, str) and dataset_id:
        return "id", dataset_id
    return None


def _approved(settings: Settings) -> str:
    listed = ", ".join(repr(d) for d in settings.datasets[:SHOWN])
    more = len(settings.datasets) - SHOWN
    return f"{listed} and {more} more" if more > 0 else listed


def check(target: TargetConnection, settings: Settings) -> list[str]:
    if applies(settings) is not None:
        return []
    fix = (f"Fix: write to an approved dataset ({_approved(settings)}), or have the policy owners add its name or "
           f"id to {RULE}.datasets in the --policy-pack-config file.")
    declared = declared_dataset(target)
    if declared is None:
        return [f"[{RULE}] {target.label} declares no dataset (dataset_name or dataset_id), so it cannot be "
                f"approved. {fix}"]
    kind, value = declared
    if value in settings.datasets:
        return []
    return [f"[{RULE}] {target.label} writes to dataset {kind} {value!r}, which is not on the approved list. {fix}"]
