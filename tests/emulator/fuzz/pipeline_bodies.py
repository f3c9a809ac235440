"""Hypothesis strategies for the pipeline routes: a create body that would pass (built on a real pipeline's ids,
tests/emulator/pipeline.py), then bent or not, and JSON Patch documents for dataflows on the paths Adobe allows
and on the ones it refuses."""
from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

from tests.emulator.fuzz.bodies import json_values
from tests.emulator.pipeline import dataset_body, flow_body, mapping_body, source_body, target_body


def _valid(collection: str, made: Any) -> dict[str, Any]:
    return {"sourceConnections": lambda: source_body(made.base),
            "targetConnections": lambda: target_body(made.dataset),
            "flows": lambda: flow_body(made.source, made.target, made.mapping),
            "mappingSets": mapping_body, "dataSets": dataset_body}[collection]()


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*prefix, i))
    return out


@st.composite
def pipeline_bodies(draw: st.DrawFn, collection: str, made: Any) -> Any:
    body = copy.deepcopy(_valid(collection, made))
    bend = draw(st.sampled_from(["none", "none", "drop", "replace", "extra"]))
    paths = _paths(body)
    if bend == "none" or not paths:
        return body
    path = draw(st.sampled_from(paths))
    parent = body
    for part in path[:-1]:
        parent = parent[part]
    if bend == "drop":
        del parent[path[-1]]
    elif bend == "replace":
        parent[path[-1]] = draw(json_values)
    elif isinstance(parent, dict):
        parent[draw(st.text(max_size=10))] = draw(json_values)
    return body


FLOW_PATHS = ["/name", "/description", "/scheduleParams/frequency", "/scheduleParams/interval",
              "/scheduleParams/startTime", "/scheduleParams/backfill", "/scheduleParams", "/transformations/0",
              "/transformations/-", "/transformations/1", "/transformations/0/params/mappingId",
              "/transformations/0/params/mappingVersion", "/transformations/x/params", "/sourceConnectionIds",
              "/targetConnectionIds/0", "/flowSpec/id", "/state", "/inheritedAttributes", "/", ""]
FLOW_VALUES = st.one_of(json_values, st.sampled_from(["minute", "once", "week", 15, "15", 0, 2000000000, "0",
                                                      {"name": "Mapping", "params": {}}]))
FLOW_PATCHES = st.lists(st.fixed_dictionaries(
    {"op": st.sampled_from(["add", "replace", "remove"]), "path": st.sampled_from(FLOW_PATHS)},
    optional={"value": FLOW_VALUES}), min_size=1, max_size=3)
