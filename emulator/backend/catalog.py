"""Connection specs the emulator knows, loaded from ``emulator/data/connection_specs.json``.

Only entries marked ``verified`` are served: the unverified ones share one connection spec id between two
sources in Adobe's docs, so the emulator cannot know which source the id really belongs to.
"""
from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "connection_specs.json"
_JSON_TYPES = {"string": "string", "integer": "integer", "boolean": "boolean"}
_PROVIDER_NAMESPACE = uuid.UUID("0ed90a81-07f4-4586-8190-b40eccef1c5a")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    secret: bool
    required: bool
    description: str


@dataclass(frozen=True)
class AuthSpec:
    name: str
    type: str | None
    params: tuple[Param, ...]

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    @property
    def secret_names(self) -> frozenset[str]:
        return frozenset(p.name for p in self.params if p.secret)

    def to_api(self) -> dict[str, Any]:
        """``type`` is only given where Adobe's docs name one; the emulator does not invent it."""
        out: dict[str, Any] = {"name": self.name, "spec": self.json_schema()}
        if self.type:
            out["type"] = self.type
        return out

    def json_schema(self) -> dict[str, Any]:
        """Adobe publishes each auth spec as a JSON schema; secret params carry ``format: password``."""
        properties: dict[str, Any] = {}
        for p in self.params:
            prop: dict[str, Any] = {"type": _JSON_TYPES[p.type], "description": p.description}
            if p.secret:
                prop["format"] = "password"
            properties[p.name] = prop
        return {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "object",
            "description": f"Defines auth params required for connecting with {self.name}",
            "properties": properties,
            "required": [p.name for p in self.params if p.required],
            "additionalProperties": False,
        }


@dataclass(frozen=True)
class ConnectionSpec:
    id: str
    source: str
    display_name: str
    category: str
    version: str
    auth_specs: tuple[AuthSpec, ...]

    def auth_spec(self, name: str) -> AuthSpec | None:
        return next((a for a in self.auth_specs if a.name == name), None)

    def to_api(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.display_name,
            "providerId": str(uuid.uuid5(_PROVIDER_NAMESPACE, self.category)),
            "version": self.version,
            "authSpec": [a.to_api() for a in self.auth_specs],
            "attributes": {"category": self.category, "connectorName": self.display_name, "isSource": True},
        }


class Catalog:
    def __init__(self, specs: list[ConnectionSpec]):
        self._by_id = {s.id: s for s in specs}

    def get(self, spec_id: str) -> ConnectionSpec | None:
        return self._by_id.get(spec_id)

    def all(self) -> list[ConnectionSpec]:
        return list(self._by_id.values())


def _param(raw: dict[str, Any]) -> Param:
    return Param(raw["name"], raw["type"], bool(raw["secret"]), bool(raw["required"]), raw.get("description", ""))


@lru_cache(maxsize=None)
def load_catalog(path: Path = DATA_FILE) -> Catalog:
    data = json.loads(path.read_text(encoding="utf-8"))
    specs = []
    for raw in data["specs"]:
        if not raw.get("verified"):
            continue
        auth = tuple(
            AuthSpec(a["name"], a.get("type"), tuple(_param(p) for p in a["params"])) for a in raw["authSpecs"]
        )
        specs.append(
            ConnectionSpec(raw["id"], raw["source"], raw["displayName"], raw["category"], raw["version"], auth)
        )
    return Catalog(specs)
