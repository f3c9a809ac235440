"""Tells the pack which stack it analyses, whichever way the engine says it.

Older engines start a pack with the stack in its environment (`PULUMI_STACK`, `PULUMI_PROJECT`, `PULUMI_DRY_RUN`,
`PULUMI_ORGANIZATION`, the stack's config as JSON in `PULUMI_CONFIG`). Pulumi v3.274.1 sets none of these: it sends
the same facts in the analyzer's `ConfigureStack` call, before any Analyze. pulumi-policy 1.21.0 reads them only
from the environment (its ConfigureStack keeps the stack's tags and nothing else), so under that engine every
analysis would run without a stack, and `sandbox-matches-stack` would refuse every stack.

`install()` makes ConfigureStack also write the request into those variables; pulumi-policy then applies them (to
`pulumi.Config`, `pulumi.get_stack()`) before every Analyze and AnalyzeStack, as it does under older engines.
Empty fields are left out, so a pack told no stack still fails closed.
"""

from __future__ import annotations

import json
import os
from collections.abc import MutableMapping
from typing import Any

from pulumi_policy import policy as _sdk

_MARK = "_aep_stack_from_configure_stack"


def stack_environment(request: Any) -> dict[str, str]:
    """The variables an older engine would have set, from an `AnalyzerStackConfigureRequest`."""
    env = {"PULUMI_DRY_RUN": "true" if request.dry_run else "false"}
    for variable, value in (("PULUMI_STACK", request.stack), ("PULUMI_PROJECT", request.project),
                            ("PULUMI_ORGANIZATION", request.organization)):
        if value:
            env[variable] = value
    if request.config:
        env["PULUMI_CONFIG"] = json.dumps(dict(request.config), sort_keys=True)
    if request.config_secret_keys:
        env["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(sorted(request.config_secret_keys))
    return env


def apply(request: Any, environ: MutableMapping[str, str] = os.environ) -> None:
    """Write `request` into `environ`; a stack the engine names replaces whatever the environment said before."""
    env = stack_environment(request)
    if "PULUMI_STACK" in env:
        for stale in ("PULUMI_CONFIG", "PULUMI_CONFIG_SECRET_KEYS"):
            environ.pop(stale, None)
    environ.update(env)


def install() -> None:
    """Have pulumi-policy's analyzer service apply every ConfigureStack request (idempotent)."""
    servicer = _sdk._PolicyAnalyzerServicer
    original = servicer.ConfigureStack
    if getattr(original, _MARK, False):
        return

    def configure_stack(self, request, context):
        apply(request)
        return original(self, request, context)

    setattr(configure_stack, _MARK, True)
    servicer.ConfigureStack = configure_stack
