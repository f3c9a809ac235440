"""Typed ingestion components: a base connection, what to read, the dataset, the mapping and the schedule in,
the four Flow Service objects of a batch pipeline out.

    orders = PostgreSqlConnection("orders-db", host=..., password=cfg.require_secret("ordersDbPassword"))
    TableIngestion("orders-hourly", connection=orders, table="public.orders", dataset={"name": "Orders"},
                   mapping={"order_id": "_acme.orderId", "total": "_acme.total"},
                   schedule={"frequency": "hour", "interval": 1, "start": "2027-01-01T00:00:00Z"})

Children, in the order the engine creates them (the connections named after the resource name, so renaming the
flow is one call on the flow alone; adopted ones keep the names they have until ``adopt_id`` is removed): a source connection (the table or path), a target connection
(the dataset, looked up by name in the sandbox when given so), a mapping set (for the dataset's XDM schema) and
the dataflow joining them. Every argument is checked before anything is registered; problems are reported at
once in one ``InvalidSourceArgument``. Type tokens ``aep:pipelines:TableIngestion`` / ``FileIngestion``.
"""

from __future__ import annotations

from typing import Any, ClassVar, Mapping, Optional

import pulumi

from provider.pipeline.arguments import Problem, dataset_of, flow_spec_for, mappings_of, schedule_of, source_problems
from provider.pipeline.dataflow import FlowServiceDataflow
from provider.pipeline.mapping_set import DataPrepMappingSet
from provider.pipeline.source_connection import FlowServiceSourceConnection
from provider.pipeline.target_connection import FlowServiceTargetConnection
from provider.program_guard import refuse_bad_provider_config
from provider.sources.component import BaseConnectionComponent
from provider.sources.params import ArgumentProblem, InvalidSourceArgument
from provider.state_footprint import short_stack_trace


class Ingestion(pulumi.ComponentResource):
    """The shared body of ``TableIngestion`` and ``FileIngestion``. Outputs: ``dataflow_id``,
    ``source_connection_id``, ``target_connection_id``, ``mapping_set_id``, ``mapping_version``, ``dataset_id``
    (the dataset found) and ``state`` (enabled or disabled): Python attributes holding the children's outputs, not
    recorded again in the component's state."""

    files: ClassVar[bool]

    def __init__(
        self,
        resource_name: str,
        *,
        connection: BaseConnectionComponent,
        source: dict[str, Any],
        source_problems_: list[Problem],
        dataset: Any,
        mapping: Any,
        schedule: Any,
        enabled: bool = True,
        name: Optional[str] = None,
        description: Optional[str] = None,
        adopt_id: Optional[str] = None,
        opts: Optional[pulumi.ResourceOptions] = None,
    ) -> None:
        refuse_bad_provider_config()
        owner = f"{type(self).__name__}({resource_name!r})"
        problems = list(source_problems_)
        if not isinstance(connection, BaseConnectionComponent):
            problems.append(("connection", "must be a base-connection component such as PostgreSqlConnection(...)"))
            flow_spec = None
        else:
            flow_spec, why = flow_spec_for(connection.connection_spec_id, self.files)
            problems += [("connection", why)] if why else []
        found, more = dataset_of(dataset)
        mappings, mapping_issues = mappings_of(mapping)
        params, schedule_issues = schedule_of(schedule)
        problems += more + mapping_issues + schedule_issues
        if not isinstance(enabled, bool):
            problems.append(("enabled", "must be True or False"))
        if name is not None and (not isinstance(name, str) or not name.strip()):
            problems.append(("name", "must be a non-empty display name"))
        if problems:
            raise InvalidSourceArgument(f"{owner}: " + "; ".join(f"{arg}: {why}" for arg, why in problems),
                                        [ArgumentProblem((arg,), why) for arg, why in problems])
        assert found is not None and params is not None and flow_spec is not None
        with short_stack_trace(opts):
            super().__init__(f"aep:pipelines:{type(self).__name__}", resource_name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        base = connection.connection
        sandbox = base.sandbox
        self.source_connection = FlowServiceSourceConnection(
            resource_name, name=None if adopt_id else f"{resource_name} (source)", base_connection_id=connection.connection_id,
            connection_spec_id=connection.connection_spec_id,
            connection_spec_version=connection.connection_spec_version, data_format=source["format"],
            params=source["params"], sandbox=sandbox, adopt_from_flow=adopt_id, opts=child)
        self.target_connection = FlowServiceTargetConnection(
            resource_name, name=None if adopt_id else f"{resource_name} (target)", dataset_id=found.id, dataset_name=found.name,
            sandbox=sandbox, adopt_from_flow=adopt_id, opts=child)
        self.mapping_set = DataPrepMappingSet(
            resource_name, schema_id=self.target_connection.schema_id, mappings=mappings, sandbox=sandbox,
            adopt_from_flow=adopt_id, opts=child)
        self.dataflow = FlowServiceDataflow(
            resource_name, name=name or (None if adopt_id else resource_name), description=description,
            flow_spec_id=flow_spec,
            source_connection_id=self.source_connection.id, target_connection_id=self.target_connection.id,
            mapping_id=self.mapping_set.id, mapping_version=self.mapping_set.version, schedule=params,
            enabled=enabled, sandbox=sandbox, adopt_id=adopt_id, opts=child)
        self.dataflow_id = self.dataflow.id
        self.source_connection_id = self.source_connection.id
        self.target_connection_id = self.target_connection.id
        self.mapping_set_id = self.mapping_set.id
        self.mapping_version = self.mapping_set.version
        self.dataset_id = self.target_connection.resolved_dataset_id
        self.state = self.dataflow.state
        self.register_outputs({})  # the attributes above are the children's outputs: not recorded twice


class TableIngestion(Ingestion):
    """Reads one table of a database or CRM source (flow spec ``CRMToAEP``) into a dataset on a schedule."""

    files = False

    def __init__(self, resource_name: str, *, connection: BaseConnectionComponent, table: str, dataset: Any,
                 mapping: Mapping[str, str], schedule: Mapping[str, Any], **kwargs: Any) -> None:
        super().__init__(resource_name, connection=connection,
                         source={"format": "tabular", "params": {"tableName": table}},
                         source_problems_=source_problems(False, table=table), dataset=dataset, mapping=mapping,
                         schedule=schedule, **kwargs)


class FileIngestion(Ingestion):
    """Reads a file or folder of a cloud-storage source (flow spec ``CloudStorageToAEP``) into a dataset."""

    files = True

    def __init__(self, resource_name: str, *, connection: BaseConnectionComponent, path: str, dataset: Any,
                 mapping: Mapping[str, str], schedule: Mapping[str, Any], format: str = "delimited",
                 **kwargs: Any) -> None:
        super().__init__(resource_name, connection=connection, source={"format": format, "params": {"path": path}},
                         source_problems_=source_problems(True, path=path, fmt=format), dataset=dataset,
                         mapping=mapping, schedule=schedule, **kwargs)
