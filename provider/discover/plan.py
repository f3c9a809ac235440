"""What a live base connection becomes in `aep:connections`: its component, plain params and secret arguments.

The component is the one declaring the connection's spec id and auth spec name (the same lookup `adopt_id`
checks). Each live param maps to the keyword whose API name it is; a param the component's Params or the catalog
marks secret, or that comes back masked, is a secret argument: its value is never read, the user sets it. A
required secret the API left out of its reply is listed too. Non-secret values are kept as the API shows them
(integers that came as doubles made ints again), so adopting finds them equal and sends no PATCH. A connection
no component can declare is `Skipped`, with why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Union

from provider.catalog import load_catalog, normalize_param
from provider.service_fields import looks_masked
from provider.client.models import Connection
from provider.discover.connection_strings import split_postgresql
from provider.sources import COMPONENTS
from provider.sources.component import BaseConnectionComponent
from provider.sources.postgresql import PostgreSqlConnection

CATALOG_FILE = "provider/catalog/connection_specs.json"


@dataclass(frozen=True)
class Adoptable:
    connection: Connection
    component: type[BaseConnectionComponent]
    params: dict[str, Any] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skipped:
    connection: Connection
    reason: str


Planned = Union[Adoptable, Skipped]


def plan(conn: Connection) -> Planned:
    """The `aep:connections` entry content for one live connection, or why there can be none."""
    spec_id = conn.connectionSpec.id
    specs = load_catalog().by_id(spec_id)
    if not specs:
        return Skipped(conn, f"its connection spec {spec_id} is not in the catalog ({CATALOG_FILE})")
    if conn.auth is None:
        return Skipped(conn, "the API returned it without an auth spec name")
    component = _component(spec_id, conn.auth.specName)
    if component is None:
        return Skipped(conn, _no_component(conn, specs))
    if conn.connectionSpec.version != component.connection_spec_version:
        return Skipped(conn, f"its connection spec version is {conn.connectionSpec.version}; "
                             f"{component.__name__} declares {component.connection_spec_version}")
    if component is PostgreSqlConnection:
        return _postgresql(conn)
    return _generic(conn, component)


def _component(spec_id: str, auth_spec_name: str) -> Optional[type[BaseConnectionComponent]]:
    return next(
        (c for c in COMPONENTS if c.connection_spec_id == spec_id and c.auth_spec_name == auth_spec_name), None
    )


def _no_component(conn: Connection, specs: tuple[Any, ...]) -> str:
    if len(specs) > 1 or not specs[0].verified:
        sources = " or ".join(s.displayName for s in specs)
        return (f"Adobe's docs give its connection spec {conn.connectionSpec.id} to {sources}, so no component "
                "can tell which; declare it with FlowServiceBaseConnection")
    return f"{specs[0].displayName} has no component for auth spec {conn.auth.specName!r}"


def _postgresql(conn: Connection) -> Planned:
    """Split the connection string into parts where exact (see connection_strings.py), else keep it whole."""
    parts = split_postgresql(conn.auth.params.get("connectionString"))
    if parts is None:
        return Adoptable(conn, PostgreSqlConnection, {}, ("connection_string",))
    return Adoptable(conn, PostgreSqlConnection, parts, ("password",))


def _generic(conn: Connection, component: type[BaseConnectionComponent]) -> Planned:
    model = component.Params
    by_api = {model.api_name(name): name for name in model.model_fields}
    auth = load_catalog().auth_spec(conn.connectionSpec.id, conn.auth.specName)
    live = conn.auth.params
    unknown = sorted(set(live) - set(by_api))
    if unknown:
        return Skipped(conn, f"its param(s) {', '.join(unknown)} are not arguments of {component.__name__}")
    params: dict[str, Any] = {}
    secrets: list[str] = []
    for name, info in model.model_fields.items():
        api_name = model.api_name(name)
        catalog_param = auth.param(api_name) if auth else None
        secret = model.is_secret(name) or (catalog_param is not None and catalog_param.secret)
        if api_name not in live:
            if secret and info.is_required():
                secrets.append(name)
            elif info.is_required():
                return Skipped(conn, f"the API returned it without its required param {api_name}")
            continue
        value = live[api_name]
        if secret or looks_masked(value):
            secrets.append(name)
        elif value is not None:
            params[name] = normalize_param(catalog_param.type, value) if catalog_param else value
    return Adoptable(conn, component, params, tuple(secrets))
