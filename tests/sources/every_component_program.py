"""A Pulumi program declaring every source component once with `samples.sample_arguments` (run by the tests
through tests.harness.program). Exports each component's outputs by resource name."""

import pulumi

from provider.sources import COMPONENTS
from tests.sources.samples import resource_name, sample_arguments

components = {resource_name(c): c(resource_name(c), **sample_arguments(c)) for c in COMPONENTS}
pulumi.export("ids", {name: c.connection_id for name, c in components.items()})
pulumi.export("etags", {name: c.etag for name, c in components.items()})
