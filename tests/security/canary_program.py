"""A Pulumi program declaring every source component once, each secret argument set to its canary (run by the
canary tests through tests.harness.program). Secrets are passed as plain strings: the components must make them
secret themselves.

CANARY_VERSION picks the canaries' version (a new version rotates every secret); CANARY_FAILING_VERIFY=1 points
the PostgreSQL connection at a server that is not there, with verify=True, so its connection test fails.
"""

import os

import pulumi

from provider.sources import COMPONENTS
from tests.security.canary_values import UNREACHABLE_POSTGRES, canary_arguments
from tests.sources.samples import resource_name

version = os.environ["CANARY_VERSION"]
ids = {}
for component in COMPONENTS:
    args = canary_arguments(component, version)
    if component.__name__ == "PostgreSqlConnection" and os.environ.get("CANARY_FAILING_VERIFY") == "1":
        args.update(UNREACHABLE_POSTGRES, verify=True)
    ids[resource_name(component)] = component(resource_name(component), **args).connection_id
pulumi.export("ids", ids)
