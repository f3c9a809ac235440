"""What tools/generate_sources.py plans and tools/source_templates.py renders: one module per source, one
component class per auth spec, one param per auth-spec property. Plain data, shared by both without either
importing the other."""

from __future__ import annotations

from dataclasses import dataclass

# Integer bounds by API param name, beyond "non-empty" for strings.
INTEGER_BOUNDS = {"port": (1, 65535), "maxConcurrentConnections": (1, None)}


@dataclass(frozen=True)
class Param:
    api_name: str
    keyword: str
    type: str  # "string" | "integer" | "boolean"
    secret: bool
    required: bool
    description: str

    @property
    def bounds(self) -> tuple[int | None, int | None]:
        return INTEGER_BOUNDS.get(self.api_name, (None, None))


@dataclass(frozen=True)
class Component:
    class_name: str
    source: str
    display_name: str
    category: str
    spec_id: str
    spec_version: str
    auth_spec_name: str
    auth_type: str | None
    params: tuple[Param, ...]


@dataclass(frozen=True)
class SourceModule:
    module: str
    source: str
    display_name: str
    category: str
    components: tuple[Component, ...]
