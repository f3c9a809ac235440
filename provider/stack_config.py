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
          force_delete: true              # optional: delete even while source connections use it (not flows:
                                          # Flow Service refuses that itself, FLOW-1418);
                                          # `pulumi up` it before removing the entry (the recorded value counts)
          params:                         # non-secret keyword arguments of the component
            host: orders.db.internal
            database: orders
            username: aep_reader
          secrets:                        # secret keyword argument -> config key holding it
            password: ordersDbPassword    # pulumi config set --secret ordersDbPassword ...
      aep:ordersDbPassword:
        secure: v1:...

Entries may also be declared in a YAML file named by `aep:connectionsFile` (provider/declaration_file.py: the way
past the engine's 128 KiB limit on the stack config, about 600 entries). A secret's value comes from that
`secure:` config key, or else from the environment variable named after it (ordersDbPassword ->
ORDERS_DB_PASSWORD), for CI. A secret stored in plain text in the stack file, or a secret
argument written under `params`, is refused before any resource is declared.

The whole stack config is checked before anything is declared, and every problem is reported at once in one
`ProgramConfigError` ("stack config has N problems:"), one line each, starting with its config path
(`aep:connections.orders-db.params.port`, `aep:ordersDbPassword`, `aep:endpoint`) and saying the fix.
"""

from __future__ import annotations

import difflib
import os
import re
from typing import Any, Callable, Mapping, Optional

import pulumi
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from provider.declaration_file import bad_key, where_inline, with_file_entries
from provider.program_guard import (
    CONFIG_NAMESPACE,
    is_secret_key,
    provider_config_problems,
    refuse_problems,
)
from provider.sources.component import BaseConnectionComponent, CommonArgs
from provider.sources.params import ArgumentProblem, InvalidSourceArgument
from provider.sources.registry import component_for, components_by_source

RESOURCE_NAME = r"^[a-z0-9][a-z0-9-]{0,62}$"
Planned = tuple[type[BaseConnectionComponent], dict[str, Any]]
# (entry key, its config path, secret argument -> config key) -> (values found, arguments already reported)
SecretReader = Callable[[str, str, Mapping[str, str]], tuple[dict[str, Any], set[str]]]
_SCALAR_FIELDS = {"name", "description", "verify", "adopt_id", "force_delete"}


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


def declare_connections(
    config: Optional[pulumi.Config] = None, env: Optional[Mapping[str, str]] = None
) -> dict[str, BaseConnectionComponent]:
    """Declare one component per `aep:connections` entry, once the whole stack config passed; else raise one
    `ProgramConfigError` listing every problem, with nothing declared."""
    planned, problems = plan_connections(config, env)
    refuse_problems(problems)
    return {key: component(key, **kwargs) for key, (component, kwargs) in planned.items()}


def plan_connections(
    config: Optional[pulumi.Config] = None, env: Optional[Mapping[str, str]] = None
) -> tuple[dict[str, Planned], list[str]]:
    """Every `aep:connections` entry checked, nothing declared: (the plans of the good entries, every problem of
    the provider config and the entries, one line each)."""
    config = config or pulumi.Config(CONFIG_NAMESPACE)
    env = os.environ if env is None else env
    problems = provider_config_problems(config, env)
    secrets = _SecretKeys(config, env)
    planned = {}
    entries, where = with_file_entries(config, "connections", raw_connections(config, problems), problems)
    for key, value in entries.items():
        entry = _parse_entry(key, value, problems, where[key])
        plan = _plan(key, entry, secrets.read, problems, where[key]) if entry is not None else None
        if plan is not None:
            planned[key] = plan
    from_secrets = secrets.problems()
    named = {line.split(" ", 1)[0] for line in from_secrets}  # said better there, with the entries using the key
    problems = [p for p in problems if not (p.split(" ", 1)[0] in named and " looks like a credential " in p)]
    return planned, problems + from_secrets


def plan_entry(key: str, entry: ConnectionEntry, secrets: Mapping[str, pulumi.Input[str]]) -> Planned:
    """The component class and its validated keyword arguments for one entry, given its secret values; or a
    `ProgramConfigError` listing every problem of the entry."""
    problems: list[str] = []
    plan = _plan(key, entry, lambda _key, _where, wanted: ({a: secrets[a] for a in wanted if a in secrets}, set()),
                 problems, where_inline("connections", key))
    refuse_problems(problems)
    assert plan is not None  # a failed plan always adds a problem
    return plan


def raw_connections(config: pulumi.Config, problems: list[str]) -> dict[Any, Any]:
    """`aep:connections` as a map of entries not yet parsed; empty, with a problem, if it is no such map."""
    raw = config.get_object("connections")
    if raw is None:
        return {}
    if is_secret_key(f"{CONFIG_NAMESPACE}:connections"):
        problems.append(
            "aep:connections holds a secure value; keep secrets out of it: give each its own key "
            "(pulumi config set --secret <key>) and name that key under the entry's `secrets:`"
        )
        return {}
    if not isinstance(raw, dict):
        problems.append(
            "aep:connections must be a map of resource name -> {source, params, secrets}; see stacks/Pulumi.local.yaml"
        )
        return {}
    return raw


def _parse_entry(key: Any, value: Any, problems: list[str], where: str) -> Optional[ConnectionEntry]:
    """One entry, with a problem for its key if it cannot be a resource name and one for each bad field."""
    if not re.match(RESOURCE_NAME, str(key)):
        problems.append(bad_key(where, key))
    try:
        return ConnectionEntry.model_validate(value)
    except PydanticValidationError as err:
        errors = err.errors(include_input=False, include_url=False)
        problems += [f"{'.'.join([where, *map(str, e['loc'])])}: {_entry_error(e)}" for e in errors]
        return _without_bad_fields(value, errors)


def _entry_error(error: Mapping[str, Any]) -> str:
    if error["type"] == "extra_forbidden":
        return f"unknown field; an entry takes {', '.join(ConnectionEntry.model_fields)}"
    return error["msg"]


def _without_bad_fields(value: Any, errors: list[Any]) -> Optional[ConnectionEntry]:
    """The entry without its unknown and bad scalar fields (name, verify, ...), to check the rest too; else None."""
    bad = {e["loc"][0] if e["loc"] else "" for e in errors}
    unknown = {e["loc"][0] for e in errors if e["type"] == "extra_forbidden"}
    if not isinstance(value, dict) or not bad <= _SCALAR_FIELDS | unknown:
        return None
    try:
        return ConnectionEntry.model_validate({k: v for k, v in value.items() if k not in bad})
    except PydanticValidationError:
        return None


class _SecretKeys:
    """Reads each entry's secrets from their `secure:` config keys (or the environment), and keeps the keys that
    are unset or stored in plain text, with the entries using them, to report each key once."""

    def __init__(self, config: pulumi.Config, env: Mapping[str, str]) -> None:
        self.config, self.env = config, env
        self.plain: dict[str, list[str]] = {}
        self.unset: dict[str, list[str]] = {}

    def read(self, key: str, where: str, wanted: Mapping[str, str]) -> tuple[dict[str, Any], set[str]]:
        """A `SecretReader`: the values found, and the arguments whose key is unset or in plain text."""
        values: dict[str, Any] = {}
        for argument, config_key in wanted.items():
            full_key = f"{CONFIG_NAMESPACE}:{config_key}"
            user = f"secret argument {argument!r} of {where}"
            if self.config.get(config_key) is not None:
                if is_secret_key(full_key):
                    values[argument] = self.config.require_secret(config_key)
                else:
                    self.plain.setdefault(full_key, []).append(user)
            elif self.env.get(env_name(config_key)):
                values[argument] = pulumi.Output.secret(self.env[env_name(config_key)])
            else:
                self.unset.setdefault(full_key, []).append(user)
        return values, set(wanted) - set(values)

    def problems(self) -> list[str]:
        plain = [
            f"{full_key} ({', '.join(users)}) is stored in plain text; "
            f"run `pulumi config set --secret {full_key} <value>`"
            for full_key, users in self.plain.items()
        ]
        unset = [
            f"{full_key} is not set ({', '.join(users)}); run `pulumi config set --secret {full_key} <value>` "
            f"or export {env_name(full_key.split(':', 1)[1])}"
            for full_key, users in self.unset.items()
        ]
        return plain + unset


def _plan(
    key: str, entry: ConnectionEntry, read_secrets: SecretReader, problems: list[str], where: str
) -> Optional[Planned]:
    """Check one entry, adding a line to `problems` for each of its problems (under ``where``, its config path);
    the plan if it has none."""
    try:
        component = component_for(entry.source, entry.auth)
    except InvalidSourceArgument as err:
        problems.append(f"{where}.{'auth' if entry.source in components_by_source() else 'source'}: {err}")
        return None
    fields = component.Params.model_fields
    secret_fields = set(component.Params.secret_fields())
    before = len(problems)
    wanted = {a: k for a, k in entry.secrets.items() if a in fields and a not in entry.params}
    secrets, reported = read_secrets(key, where, wanted)
    for section, names in (("params", entry.params), ("secrets", entry.secrets)):
        for name in (n for n in names if n not in fields):
            close = difflib.get_close_matches(name, fields, n=1)
            hint = f"did you mean {close[0]}? " if close else ""
            problems.append(f"{where}.{section}.{name}: {component.__name__} has no argument {name!r}; "
                            f"{hint}it takes {', '.join(fields)}")
    for name in sorted(secret_fields & set(entry.params)):
        problems.append(f"{where}.params.{name}: {name} is a secret argument; move it from params to secrets "
                        f"(secrets: {{{name}: <configKey>}}) and set that key with `pulumi config set --secret`")
        reported.add(name)
    for name in sorted(set(entry.params) & set(entry.secrets) - reported):
        problems.append(f"{where}.secrets.{name}: {name} is given under both params and secrets; keep one")
        reported.add(name)
    kwargs = {k: v for k, v in {**entry.params, **secrets}.items() if k in fields and k not in reported}
    common = {
        "name": entry.name, "description": entry.description, "adopt_id": entry.adopt_id, "verify": entry.verify,
        "force_delete": entry.force_delete,
    }
    try:
        component.validate_arguments(key, kwargs, common)
    except InvalidSourceArgument as err:
        for problem in err.problems or [ArgumentProblem((), str(err))]:
            problems += _lines(where, component, key, entry, problem, reported)
    return (component, {**kwargs, **common}) if len(problems) == before else None


def _lines(
    where: str, component: type[BaseConnectionComponent], key: str, entry: ConnectionEntry,
    problem: ArgumentProblem, reported: set[str],
) -> list[str]:
    """A component's problem in stack config terms: under its config path, each argument reported once."""
    arguments = [a for a in problem.arguments if a not in reported]
    reported.update(arguments)
    if problem.arguments and not arguments:
        return []
    if problem.missing:
        return [_missing(where, component, a) for a in arguments]
    path = where
    if len(arguments) == 1:
        (argument,) = arguments
        section = "" if argument in CommonArgs.model_fields else "secrets." if argument in entry.secrets else "params."
        path = f"{where}.{section}{argument}"
    line = f"{path}: {component.__name__}({key!r}): {problem.message}"
    if arguments == ["name"] and entry.name is not None:
        line += f' (got "{entry.name[:80]}")'
    return [line]


def _missing(where: str, component: type[BaseConnectionComponent], argument: str) -> str:
    if component.Params.is_secret(argument):
        return (f"{where}: secret argument {argument!r} is not set: add `secrets: {{{argument}: <configKey>}}` to "
                f"the entry and run `pulumi config set --secret aep:<configKey> <value>`")
    description = component.Params.model_fields[argument].description or "a value"
    return f"{where}.params.{argument}: argument {argument!r} is not set: add `{argument}: <{description}>` to params"
