"""The stack's `aep:dataflows` config: one batch ingestion pipeline per entry, on an `aep:connections` entry.

    config:
      aep:dataflows:
        orders-hourly:                      # resource name (keep it stable: renaming replaces the pipeline)
          connection: orders-db             # an aep:connections entry of the same stack
          source: {table: public.orders}    # databases and CRMs: table; cloud storage: path, format
          dataset: {name: Orders}           # a dataset id, or {name: ...} looked up in the stack's sandbox
          mapping: {order_id: _acme.orderId, total: _acme.total}   # source field -> XDM path
          schedule: {frequency: hour, interval: 1, start: "2027-01-01T00:00:00Z"}
          enabled: true                     # optional (default true)
          name: Orders, hourly              # optional display name; default: the resource name
          description: ...                  # optional
          adopt_id: 9e1c...                 # optional: take over this existing dataflow and the objects it uses

A dataset by name makes the entry deployable unchanged to every sandbox: promoting dev to prod is copying the
entry. Entries may also be declared in a file named by `aep:dataflowsFile` (provider/declaration_file.py). Every
problem of `aep:connections` and `aep:dataflows` is reported at once, each under its config path, before anything
is declared (`declare_stack`).
"""

from __future__ import annotations

import difflib
import os
import re
from typing import Any, Mapping, Optional

import pulumi
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from provider.declaration_file import bad_key, with_file_entries
from provider.pipeline.arguments import dataset_of, flow_spec_for, mappings_of, schedule_of, source_problems
from provider.pipeline.ingestion import FileIngestion, Ingestion, TableIngestion
from provider.program_guard import CONFIG_NAMESPACE, is_secret_key, refuse_problems
from provider.sources.component import BaseConnectionComponent
from provider.stack_config import RESOURCE_NAME, plan_connections

Plan = tuple[type[Ingestion], str, dict[str, Any]]  # component class, connection key, keyword arguments


class DataflowEntry(BaseModel):
    """One entry of `aep:dataflows`."""

    model_config = ConfigDict(extra="forbid")

    connection: str = Field(min_length=1)
    source: dict[str, Any]
    dataset: Any
    mapping: Any
    schedule: Any
    enabled: bool = True
    name: Optional[str] = Field(default=None, min_length=1, max_length=256)
    description: Optional[str] = Field(default=None, max_length=2048)
    adopt_id: Optional[str] = Field(default=None, min_length=1)


def declare_stack(
    config: Optional[pulumi.Config] = None, env: Optional[Mapping[str, str]] = None
) -> tuple[dict[str, BaseConnectionComponent], dict[str, Ingestion]]:
    """Declare every connection and every dataflow of the stack config, or raise one `ProgramConfigError` listing
    every problem of both, with nothing declared."""
    config = config or pulumi.Config(CONFIG_NAMESPACE)
    connections, problems = plan_connections(config, os.environ if env is None else env)
    inline = config.get_object("connections")
    declared_keys = set(with_file_entries(config, "connections", inline if isinstance(inline, dict) else {}, [])[0])
    dataflows = plan_dataflows(config, {k: c for k, (c, _) in connections.items()}, declared_keys, problems)
    refuse_problems(problems)
    components = {key: component(key, **kwargs) for key, (component, kwargs) in connections.items()}
    return components, {key: cls(key, connection=components[conn], **kwargs)
                        for key, (cls, conn, kwargs) in dataflows.items()}


def plan_dataflows(
    config: pulumi.Config, connections: Mapping[str, type[BaseConnectionComponent]], declared: set[str],
    problems: list[str],
) -> dict[str, Plan]:
    """The plans of the good `aep:dataflows` entries; a line in ``problems`` for each problem of the others.
    ``connections``: the connection entries that passed (key -> component class); ``declared``: every key."""
    raw = config.get_object("dataflows")
    if raw is None:
        raw = {}
    elif is_secret_key(f"{CONFIG_NAMESPACE}:dataflows"):
        problems.append("aep:dataflows holds a secure value; a dataflow has no secrets: set it in plain text")
        raw = {}
    elif not isinstance(raw, dict):
        problems.append("aep:dataflows must be a map of resource name -> {connection, source, dataset, mapping, "
                        "schedule}; see the README's pipeline example")
        raw = {}
    entries, where = with_file_entries(config, "dataflows", raw, problems)
    plans = {}
    for key, value in entries.items():
        plan = _plan(str(key), value, connections, declared, problems, where[key])
        if plan is not None:
            plans[str(key)] = plan
    return plans


def _plan(key: str, value: Any, connections: Mapping[str, type[BaseConnectionComponent]], declared: set[str],
          problems: list[str], where: str) -> Optional[Plan]:
    before = len(problems)
    if not re.match(RESOURCE_NAME, key):
        problems.append(bad_key(where, key))
    try:
        entry = DataflowEntry.model_validate(value)
    except PydanticValidationError as err:
        for e in err.errors(include_input=False, include_url=False):
            why = (f"unknown field; an entry takes {', '.join(DataflowEntry.model_fields)}"
                   if e["type"] == "extra_forbidden" else e["msg"])
            problems.append(f"{'.'.join([where, *map(str, e['loc'])])}: {why}")
        return None
    component = connections.get(entry.connection)
    if component is None and entry.connection not in declared:
        close = difflib.get_close_matches(entry.connection, sorted(declared), n=1)
        hint = f"did you mean {close[0]}? " if close else ""
        problems.append(f"{where}.connection: no connection entry {entry.connection!r}; {hint}entries: "
                        f"{', '.join(sorted(declared)) or '(none)'}")
    files = "path" in entry.source
    found: list[tuple[str, str]] = []
    if component is not None:
        _, why = flow_spec_for(component.connection_spec_id, files)
        found += [("connection", f"{entry.connection}: {why}")] if why else []
    unknown = set(entry.source) - ({"path", "format"} if files else {"table"})
    found += [(f"source.{k}", "unknown key; a database or CRM source takes table, a cloud-storage source path and "
               "format") for k in sorted(unknown)]
    found += [(f"source.{arg}", why) for arg, why in source_problems(
        files, entry.source.get("table"), entry.source.get("path"), entry.source.get("format", "delimited"))]
    found += dataset_of(entry.dataset)[1] + mappings_of(entry.mapping)[1] + schedule_of(entry.schedule)[1]
    problems += [f"{where}.{arg}: {why}" for arg, why in found]
    if len(problems) != before or component is None:
        return None
    kwargs: dict[str, Any] = {"dataset": entry.dataset, "mapping": entry.mapping, "schedule": entry.schedule,
                              "enabled": entry.enabled, "name": entry.name, "description": entry.description,
                              "adopt_id": entry.adopt_id}
    if files:
        return FileIngestion, entry.connection, {**kwargs, "path": entry.source["path"],
                                                 "format": entry.source.get("format", "delimited")}
    return TableIngestion, entry.connection, {**kwargs, "table": entry.source["table"]}
