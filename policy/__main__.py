"""Entry point the Pulumi engine runs (`python -m pulumi.policy <engine> <this directory>`): builds the pack.

The Python language host runs it for `--policy-pack policy` (RunPlugin, with the virtualenv PulumiPolicy.yaml
names). PolicyPack starts the analyzer gRPC server, prints its port and serves until the engine
stops it; `engine_stack.install()` first lets the engine's ConfigureStack call name the stack (Pulumi v3.274.1).
"""

import sys
from pathlib import Path

# Whatever the working directory, make `policy.*` importable under the name the tests use.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi_policy import EnforcementLevel, PolicyPack  # noqa: E402

from policy import engine_stack  # noqa: E402
from policy.policies import PACK_NAME, build_policies  # noqa: E402

engine_stack.install()

PolicyPack(
    name=PACK_NAME,
    policies=build_policies(),
    enforcement_level=EnforcementLevel.MANDATORY,
    description="Guard rails for AEP Flow Service base connections and dataflows: one stack per sandbox, TLS, "
                "approved sources and datasets, schedules.",
)
