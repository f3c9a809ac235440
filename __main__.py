"""Pulumi program: the stack's `aep:connections` (one base connection each) and `aep:dataflows` (one batch
ingestion pipeline each: source connection, target connection, mapping set, dataflow).

Each stack is one AEP sandbox (stacks/Pulumi.<sandbox>.yaml); the config formats are documented in
provider/stack_config.py, provider/dataflow_config.py and the README. Exports `connection_ids` (resource name ->
Flow Service id), `service_params` (resource name -> the params the service added by itself, e.g. an HTTP API
connection's `inletUrl`; entries without any are left out) and `dataflow_ids` (resource name -> dataflow id).
"""

import pulumi

from provider.dataflow_config import declare_stack

connections, dataflows = declare_stack()
pulumi.export("connection_ids", {key: component.connection_id for key, component in connections.items()})
pulumi.export("service_params", pulumi.Output.all(*(c.service_params for c in connections.values())).apply(
    lambda added: {key: params for key, params in zip(connections, added) if params}))
if dataflows:
    pulumi.export("dataflow_ids", {key: flow.dataflow_id for key, flow in dataflows.items()})
