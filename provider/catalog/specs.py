"""Typed, read-only access to the connection-spec catalog in ``connection_specs.json``.

The data is curated from Adobe's docs (see its ``_about``). A few connection spec ids are shared by two sources
in those docs (``verified: false``); lookups by id therefore return every spec with that id, and an auth spec
name is accepted if any of them defines it. Loading is cached: the file is read once per process.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict

CATALOG_PATH = Path(__file__).with_name("connection_specs.json")

ParamType = Literal["string", "integer", "boolean"]


class AuthParam(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    type: ParamType
    secret: bool
    required: bool
    description: str = ""


class AuthSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    type: Optional[str] = None
    params: tuple[AuthParam, ...]
    serviceParams: tuple[str, ...] = ()  # added by the service on create (read back once after the POST)

    def param(self, name: str) -> Optional[AuthParam]:
        return next((p for p in self.params if p.name == name), None)

    @property
    def secret_params(self) -> frozenset[str]:
        return frozenset(p.name for p in self.params if p.secret)


class ConnectionSpec(BaseModel):
    model_config = ConfigDict(frozen=True)

    source: str
    displayName: str
    category: str
    id: str
    version: str
    verified: bool
    authSpecs: tuple[AuthSpec, ...]

    def auth_spec(self, name: str) -> Optional[AuthSpec]:
        return next((a for a in self.authSpecs if a.name == name), None)


class Catalog:
    """All known connection specs, indexed by source slug and by id."""

    def __init__(self, specs: tuple[ConnectionSpec, ...]) -> None:
        self.specs = specs
        self._by_source = {s.source: s for s in specs}

    def by_source(self, source: str) -> ConnectionSpec:
        """The spec for a source slug such as ``postgresql``; KeyError lists nothing secret."""
        try:
            return self._by_source[source]
        except KeyError:
            raise KeyError(f"unknown source {source!r}; see provider/catalog/connection_specs.json") from None

    def by_id(self, spec_id: str) -> tuple[ConnectionSpec, ...]:
        """Every spec with this id (more than one only for the unverified shared ids)."""
        return tuple(s for s in self.specs if s.id == spec_id)

    def auth_spec(self, spec_id: str, auth_spec_name: str) -> Optional[AuthSpec]:
        """The auth spec of that name under that spec id, or None."""
        for spec in self.by_id(spec_id):
            found = spec.auth_spec(auth_spec_name)
            if found is not None:
                return found
        return None

    def auth_spec_names(self, spec_id: str) -> list[str]:
        names: list[str] = []
        for spec in self.by_id(spec_id):
            names.extend(a.name for a in spec.authSpecs if a.name not in names)
        return names

    def secret_params(self, spec_id: str, auth_spec_name: str) -> frozenset[str]:
        """Names of the secret params of that auth spec (empty if the spec is unknown)."""
        auth = self.auth_spec(spec_id, auth_spec_name)
        return auth.secret_params if auth else frozenset()

    def secret_names(self) -> frozenset[str]:
        """Every param name that is secret in some auth spec of the catalog (connectionString, sasKey, ...)."""
        return frozenset(p.name for s in self.specs for a in s.authSpecs for p in a.params if p.secret)

    def service_params(self, spec_id: str, auth_spec_name: str) -> tuple[str, ...]:
        """Params the service adds when it creates such a connection (empty if none or the spec is unknown)."""
        auth = self.auth_spec(spec_id, auth_spec_name)
        return auth.serviceParams if auth else ()


@lru_cache(maxsize=1)
def load_catalog() -> Catalog:
    data = json.loads(CATALOG_PATH.read_text(encoding="utf-8"))
    return Catalog(tuple(ConnectionSpec.model_validate(s) for s in data["specs"]))
