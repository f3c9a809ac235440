"""Pulumi program: one AEP base connection per entry of the stack's `aep:connections` config.

Each stack is one AEP sandbox (stacks/Pulumi.<sandbox>.yaml); the config format is documented in
provider/stack_config.py and the README. Exports `connection_ids`: resource name -> Flow Service id.
"""

import pulumi

from provider.stack_config import declare_connections

connections = declare_connections()
pulumi.export("connection_ids", {key: component.connection_id for key, component in connections.items()})
