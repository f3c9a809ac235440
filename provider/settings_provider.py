"""The explicit ``pulumi-python`` provider our dynamic resources are registered with: it is configured with the
stack's ``aep:*`` provider settings (provider/settings.py ``KEYS``) and nothing else.

Without it the engine configures the *default* ``pulumi-python`` provider with the whole stack config (dynamic
providers get every namespace: pkg/resource/deploy/target.go) and records that config as the provider's inputs and
outputs in every checkpoint: with the config-driven program, each ``aep:connections`` entry twice (about 480 of a
connection's 3,039 bytes at N = 100, rewritten by every save), and other namespaces' secrets as well.

One provider per program run (per resource monitor), named ``aep``, at the stack's root. Keys not set in config
are left out, so the plugin still falls back to their ``AEP_*`` variables; a key set as a secret stays one.

A stack written before this provider existed keeps every URN and object: each resource's provider reference
changes from the default provider to this one; the engine asks the new provider's ``DiffConfig``, which the dynamic
provider does not implement, which never means a replacement (step_generator.go ``providerChanged``), and then
diffs each resource as usual. That first ``up`` creates this provider, drops the default one and calls no API.
"""

from __future__ import annotations

import weakref
from typing import Any, Mapping, Optional

import pulumi

from provider.program_guard import CONFIG_NAMESPACE, is_secret_key
from provider.settings import KEYS

NAME = "aep"
PACKAGE = "pulumi-python"

_BY_MONITOR: "weakref.WeakKeyDictionary[Any, pulumi.ProviderResource]" = weakref.WeakKeyDictionary()


def provider_inputs(config: Optional[pulumi.Config] = None) -> dict[str, Any]:
    """The ``aep:*`` settings set in stack config, keyed as the plugin reads them (``"aep:orgId"``); secret
    config as secret Outputs."""
    config = config or pulumi.Config(CONFIG_NAMESPACE)
    inputs: dict[str, Any] = {}
    for key, _env, secret in KEYS.values():
        name = key.split(":", 1)[1]
        if secret or is_secret_key(key):
            value: Any = config.get_secret(name)
        else:
            value = config.get(name)
        if value is not None:
            inputs[key] = value
    return inputs


def settings_provider() -> pulumi.ProviderResource:
    """This program run's provider (registered on first use)."""
    monitor = pulumi.runtime.settings.get_monitor()
    provider = _BY_MONITOR.get(monitor) if monitor is not None else None
    if provider is None:
        provider = pulumi.ProviderResource(PACKAGE, NAME, provider_inputs())
        if monitor is not None:
            _BY_MONITOR[monitor] = provider
    return provider


def chosen_provider(opts: Optional[pulumi.ResourceOptions]) -> Optional[pulumi.ProviderResource]:
    """The ``pulumi-python`` provider the caller chose: ``opts.provider``, one in ``opts.providers``, or one a
    parent was given (``providers=`` on a component); None when there is none (a provider of another package
    does not count: the SDK would drop it and fall back to the default provider)."""
    if opts is None:
        return None
    given = [opts.provider, *(opts.providers.values() if isinstance(opts.providers, Mapping)
                              else opts.providers or [])]
    for provider in given:
        if isinstance(provider, pulumi.ProviderResource) and provider.package == PACKAGE:
            return provider
    parent = opts.parent
    return parent.get_provider(f"{PACKAGE}:dynamic:Resource") if isinstance(parent, pulumi.Resource) else None


def with_settings_provider(opts: Optional[pulumi.ResourceOptions]) -> pulumi.ResourceOptions:
    """``opts`` as they are when the caller chose a provider (see ``chosen_provider``: the SDK resolves it),
    else with this run's."""
    if chosen_provider(opts) is not None:
        return opts  # type: ignore[return-value]
    return pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(provider=settings_provider()))
