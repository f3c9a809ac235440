"""State and rules of the emulated services; the routes only parse requests and format responses."""
from __future__ import annotations

from typing import Any

from emulator.errors import not_found
from emulator.settings import EmulatorSettings

from . import listing
from .catalog import Catalog, load_catalog
from .connections import Caller, Connections
from .datasets import Datasets
from .flow_checks import FlowChecks
from .flow_specs import FlowSpecs
from .flows import Flows
from .mapping_sets import MappingSets
from .source_connections import SourceConnections
from .store import Store
from .target_connections import TargetConnections
from .tokens import Tokens

__all__ = ["Backend", "Caller"]


class Backend:
    def __init__(self, settings: EmulatorSettings, catalog: Catalog | None = None):
        self.settings = settings
        self.store = Store(settings.db)
        self.catalog = catalog or load_catalog()
        self.tokens = Tokens(self.store, settings)
        self.connections = Connections(self.store, self.catalog, settings.service_update_delay)
        self.source_connections = SourceConnections(self.store)
        self.datasets = Datasets(self.store)
        self.target_connections = TargetConnections(self.store, self.datasets)
        self.mapping_sets = MappingSets(self.store)
        self.flow_specs = FlowSpecs(self.catalog)
        self.flows = Flows(self.store, FlowChecks(self.flow_specs, self.source_connections, self.target_connections,
                                                  self.mapping_sets, self.datasets))
        self.connections.reading = self.flows.reading

    def connection_specs(self, query: list[tuple[str, str]]) -> dict[str, Any]:
        """Connection specs are org- and sandbox-agnostic; the same list filters apply as for connections."""
        return listing.run([s.to_api() for s in self.catalog.all()], listing.parse(query), "/connectionSpecs")

    def connection_spec(self, spec_id: str) -> dict[str, Any]:
        spec = self.catalog.get(spec_id)
        if spec is None:
            raise not_found("connection spec", spec_id)
        return spec.to_api()

    def flow_spec(self, spec_id: str) -> dict[str, Any]:
        spec = self.flow_specs.get(spec_id)
        if spec is None:
            raise not_found("flow spec", spec_id)
        return spec

    def runs(self, query: list[tuple[str, str]]) -> dict[str, Any]:
        """Flow runs: none, ever. The emulator schedules nothing, so no flow has run (the list query is still
        checked as for any collection)."""
        return listing.run([], listing.parse(query), "/runs")

    def reset(self) -> None:
        """Forget connections, every other document (source and target connections, flows, mapping sets,
        datasets) and extra IMS clients, and restore the service-update delay; tokens of the configured client
        stay valid."""
        self.store.clear_connections()
        self.store.clear_documents()
        self.store.clear_clients()
        self.connections.service_delay_seconds = self.settings.service_update_delay

    def close(self) -> None:
        self.store.close()
