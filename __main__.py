"""Pulumi program: one AEP base connection per entry of the stack's `aep:connections` config.

Each stack is one AEP sandbox (stacks/Pulumi.<sandbox>.yaml); the config format is documented in
provider/stack_config.py and the README. Exports `connection_ids` (resource name -> Flow Service id) and
`service_params` (resource name -> the params the service added by itself, e.g. an HTTP API connection's
`inletUrl`; entries without any are left out).
"""

import pulumi

from provider.stack_config import declare_connections

connections = declare_connections()
pulumi.export("connection_ids", {key: component.connection_id for key, component in connections.items()})
pulumi.export("service_params", pulumi.Output.all(*(c.service_params for c in connections.values())).apply(
    lambda added: {key: params for key, params in zip(connections, added) if params}))
