"""The program's half of crash-safe creates (provider/client/create_marker.py has the design).

``create_key`` hashes what makes a resource's URN, computed while the program declares it: the Pulumi
organization, project and stack, the parent's type and name, the resource's own type and name. The plugin is
never told the URN (pulumi.dynamic passes Create only the inputs), so the key travels as an input. It changes
nothing about the resource: Diff ignores it and it is not an output.
"""

from __future__ import annotations

from typing import Optional

import pulumi

from provider.client.create_marker import RESOURCE_HASH, STACK_HASH, digest


def create_key(resource_type: str, name: str, parent: Optional[pulumi.Resource]) -> str:
    stack = (_organization(), pulumi.get_project(), pulumi.get_stack())
    owner = (parent.pulumi_resource_type, parent.pulumi_resource_name) if parent is not None else None
    return f"{digest(*stack, size=STACK_HASH)}.{digest(*stack, owner, resource_type, name, size=RESOURCE_HASH)}"


def _organization() -> str:
    try:
        return pulumi.get_organization()
    except Exception:  # an engine too old to tell (before organizations): the DIY backends' own default
        return "organization"
