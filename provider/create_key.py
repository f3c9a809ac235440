"""The program's half of crash-safe creates (provider/client/create_marker.py has the design).

``create_key`` hashes what tells this resource apart from every other, computed while the program declares it:
the Pulumi organization, project and stack, the stack's own random salt, the parent's type and name, and the
resource's type and name. The plugin is never told the URN (pulumi.dynamic passes Create only the inputs), so the
key travels as an input. It changes nothing about the resource: Diff ignores it; it is kept in the outputs only so
that a refresh, which sees nothing but the outputs, hands it back unchanged.

The salt is what `pulumi stack init` wrote to the stack's config file (``encryptionsalt`` with a passphrase,
``encryptedkey`` with a cloud KMS): random per stack, so two stacks of one name on two DIY backends (a laptop's
and CI's `dev`), or a stack initialised under the name of a renamed one, never share a marker. Stacks whose
secrets Pulumi Cloud keeps have neither; there the organization tells them apart, except a stack re-created
under a renamed stack's name in the same project, whose unrecorded creates the new one could take over.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Optional

import pulumi
import yaml
from pulumi.runtime import settings

from provider.client.create_marker import RESOURCE_HASH, STACK_HASH, digest


def create_key(resource_type: str, name: str, parent: Optional[pulumi.Resource]) -> str:
    given = settings.get_root_directory()  # unset, the SDK returns the placeholder "root_directory"
    root = given if given and os.path.isabs(given) else os.getcwd()
    stack = (_organization(), pulumi.get_project(), pulumi.get_stack(), _stack_salt(root, pulumi.get_stack()))
    owner = (parent.pulumi_resource_type, parent.pulumi_resource_name) if parent is not None else None
    return f"{digest(*stack, size=STACK_HASH)}.{digest(*stack, owner, resource_type, name, size=RESOURCE_HASH)}"


@functools.lru_cache(maxsize=8)
def _stack_salt(project_root: str, stack: str) -> str:
    """The stack config file's ``encryptionsalt`` or ``encryptedkey``; "" without one or without the file."""
    root = Path(project_root)
    try:
        project = next((root / n for n in ("Pulumi.yaml", "Pulumi.yml") if (root / n).is_file()), None)
        folder = root / ((yaml.safe_load(project.read_text()) or {}).get("stackConfigDir") or ".") if project else root
        config = yaml.safe_load((folder / f"Pulumi.{stack}.yaml").read_text()) or {}
    except (OSError, yaml.YAMLError, AttributeError):
        return ""
    return str(config.get("encryptionsalt") or config.get("encryptedkey") or "")


def _organization() -> str:
    try:
        return pulumi.get_organization()
    except Exception:  # an engine too old to tell (before organizations): the DIY backends' own default
        return "organization"
