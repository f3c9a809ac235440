"""The stack's `aep:connections` config: one entry per base connection, turned into source components.

    config:
      aep:connections:
        orders-db:                        # Pulumi resource name (keep it stable: renaming replaces)
          source: postgresql              # catalog source id (README, "Supported sources")
          auth: Connection String Based Authentication   # optional; default: the source's first auth method
          name: Orders database           # optional display name in AEP; default: the resource name
          description: Nightly order export
          verify: true                    # optional: test the connection after each create/update
          adopt_id: 0f2b...               # optional: take over this existing connection instead of creating one
          force_delete: true              # optional: delete even while source connections or dataflows use it;
                                          # `pulumi up` it before removing the entry (the recorded value counts)
          params:                         # non-secret keyword arguments of the component
            host: orders.db.internal
            database: orders
            username: aep_reader
          secrets:                        # secret keyword argument -> config key holding it
            password: ordersDbPassword    # pulumi config set --secret ordersDbPassword ...
      aep:ordersDbPassword:
        secure: v1:...

A secret's value comes from that `secure:` config key, or else from the environment variable named after it
(ordersDbPassword -> ORDERS_DB_PASSWORD), for CI. A secret stored in plain text in the stack file, or a secret
argument written under `params`, is refused before any resource is declared.
"""

from __future__ import annotations

import os
import re
from typing import Any, Mapping, Optional

import pulumi
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from provider.sources.component import SourceConnection
from provider.sources.params import InvalidSourceArgument
from provider.sources.registry import component_for

CONFIG_NAMESPACE = "aep"
RESOURCE_NAME = r"^[a-z0-9][a-z0-9-]{0,62}$"


class ConnectionEntry(BaseModel):
    """One entry of `aep:connections`."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(min_length=1)
    auth: Optional[str] = None
    name: Optional[str] = None
    description: Optional[str] = None
    verify: bool = False
    adopt_id: Optional[str] = Field(default=None, min_length=1)
    force_delete: bool = False
    params: dict[str, Any] = Field(default_factory=dict)
    secrets: dict[str, str] = Field(default_factory=dict)


def env_name(config_key: str) -> str:
    """The environment fallback for a secret config key: ordersDbPassword -> ORDERS_DB_PASSWORD."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|[^A-Za-z0-9]+", "_", config_key).upper()


def read_connections(config: pulumi.Config) -> dict[str, ConnectionEntry]:
    """Parse and validate `aep:connections`; errors name the entry and field."""
    raw = config.get_object("connections")
    if raw is None:
        return {}
    if _is_secret_key(f"{CONFIG_NAMESPACE}:connections"):
        raise InvalidSourceArgument(
            "aep:connections holds a secure value; keep secrets out of it: give each its own key "
            "(pulumi config set --secret <key>) and name that key under the entry's `secrets:`"
        )
    if not isinstance(raw, dict):
        raise InvalidSourceArgument(
            "aep:connections must be a map of resource name -> {source, params, secrets}; see stacks/Pulumi.local.yaml"
        )
    entries = {}
    for key, value in raw.items():
        if not re.match(RESOURCE_NAME, str(key)):
            raise InvalidSourceArgument(
                f"aep:connections key {key!r} must be lowercase letters, digits and '-' (it is the resource name)"
            )
        try:
            entries[key] = ConnectionEntry.model_validate(value)
        except PydanticValidationError as err:
            problems = "; ".join(
                f"{'.'.join(map(str, e['loc'])) or 'entry'}: {e['msg']}"
                for e in err.errors(include_input=False, include_url=False)
            )
            raise InvalidSourceArgument(f"aep:connections.{key}: {problems}") from None
    return entries


def _refuse_plain_client_secret(config: pulumi.Config) -> None:
    """Pulumi.yaml cannot mark aep:clientSecret `secret: true` (it needs an empty default for the AEP_* fallback)."""
    if config.get("clientSecret") and not _is_secret_key(f"{CONFIG_NAMESPACE}:clientSecret"):
        raise InvalidSourceArgument(
            "aep:clientSecret is stored in plain text in the stack file; run "
            "`pulumi config set --secret aep:clientSecret <value>` (or leave it unset and export AEP_CLIENT_SECRET)"
        )


def _is_secret_key(full_key: str) -> bool:
    return pulumi.runtime.is_config_secret(full_key) or full_key in pulumi.runtime.get_config_secret_keys_env()


def _secret_value(
    config: pulumi.Config, entry_key: str, argument: str, config_key: str, env: Mapping[str, str]
) -> pulumi.Input[str]:
    full_key = f"{CONFIG_NAMESPACE}:{config_key}"
    if config.get(config_key) is not None:
        if not _is_secret_key(full_key):
            raise InvalidSourceArgument(
                f"aep:connections.{entry_key}: {full_key} (secret argument {argument!r}) is stored in plain text; "
                f"run `pulumi config set --secret {full_key} <value>`"
            )
        return config.require_secret(config_key)
    fallback = env.get(env_name(config_key))
    if fallback:
        return pulumi.Output.secret(fallback)
    raise InvalidSourceArgument(
        f"aep:connections.{entry_key}: secret argument {argument!r} is not set; run "
        f"`pulumi config set --secret {full_key} <value>` or export {env_name(config_key)}"
    )


def plan_entry(
    key: str, entry: ConnectionEntry, secrets: Mapping[str, pulumi.Input[str]]
) -> tuple[type[SourceConnection], dict[str, Any]]:
    """The component class and its validated keyword arguments for one entry, given its secret values."""
    component = component_for(entry.source, entry.auth)
    fields = component.Params.model_fields
    secret_fields = set(component.Params.secret_fields())
    where = f"aep:connections.{key}"
    unknown = sorted((set(entry.params) | set(entry.secrets)) - set(fields))
    if unknown:
        raise InvalidSourceArgument(
            f"{where}: {component.__name__} has no argument(s) {', '.join(unknown)}; it takes {', '.join(fields)}"
        )
    in_plain_text = sorted(secret_fields & set(entry.params))
    if in_plain_text:
        raise InvalidSourceArgument(
            f"{where}: {', '.join(in_plain_text)} is secret; move it from params to secrets "
            f"(e.g. secrets: {{{in_plain_text[0]}: <configKey>}}) and set that key with `pulumi config set --secret`"
        )
    both = sorted(set(entry.params) & set(entry.secrets))
    if both:
        raise InvalidSourceArgument(f"{where}: {', '.join(both)} given under both params and secrets; keep one")
    kwargs: dict[str, Any] = {**entry.params, **secrets}
    common = {
        "name": entry.name, "description": entry.description, "adopt_id": entry.adopt_id, "verify": entry.verify,
        "force_delete": entry.force_delete,
    }
    component.validate_arguments(key, kwargs, common)
    return component, {**kwargs, **common}


def component_arguments(
    key: str, entry: ConnectionEntry, config: pulumi.Config, env: Mapping[str, str]
) -> tuple[type[SourceConnection], dict[str, Any]]:
    """`plan_entry` with each secret read from its `secure:` config key, or else the environment."""
    component_for(entry.source, entry.auth)  # an unknown source is the first thing to report
    secrets = {
        argument: _secret_value(config, key, argument, config_key, env)
        for argument, config_key in entry.secrets.items()
    }
    return plan_entry(key, entry, secrets)


def declare_connections(
    config: Optional[pulumi.Config] = None, env: Optional[Mapping[str, str]] = None
) -> dict[str, SourceConnection]:
    """Declare one component per `aep:connections` entry; every entry is checked before any is declared."""
    config = config or pulumi.Config(CONFIG_NAMESPACE)
    env = os.environ if env is None else env
    _refuse_plain_client_secret(config)
    planned = {key: component_arguments(key, entry, config, env) for key, entry in read_connections(config).items()}
    return {key: component(key, **kwargs) for key, (component, kwargs) in planned.items()}
