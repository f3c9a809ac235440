"""Entry point the Pulumi engine runs (`python -m pulumi.policy <engine> .` in this directory): builds the pack.

PolicyPack starts the analyzer gRPC server, prints its port and serves until the engine stops it.
"""

import sys
from pathlib import Path

# The engine runs this file with the pack directory as cwd; make `policy.*` importable under the name tests use.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pulumi_policy import EnforcementLevel, PolicyPack  # noqa: E402

from policy.policies import PACK_NAME, build_policies  # noqa: E402

PolicyPack(
    name=PACK_NAME,
    policies=build_policies(),
    enforcement_level=EnforcementLevel.MANDATORY,
    description="Guard rails for AEP Flow Service base connections: one stack per sandbox, TLS, approved sources.",
)
