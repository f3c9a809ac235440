"""Hypothesis strategies for request bodies: JSON documents, raw bytes the spec does not describe, create
bodies built from the emulator's catalog (valid, then bent), and JSON Patch documents."""
from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from emulator.backend.catalog import load_catalog
from tests.emulator.seeds import POSTGRESQL_SPEC_ID

CATALOG = load_catalog().all()
CLOSED_PORT_DSN = "Server=127.0.0.1;Port=1;Database=d;UID=u;Password=p"
JSON_TYPES = ["application/json", "application/json; charset=utf-8", "application/json-patch+json",
              "APPLICATION/JSON", "application/json;charset=latin-1"]
OTHER_TYPES = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
               "application/xml", "application/merge-patch+json", "", "application/json/extra", "*/*", "json"]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=2**63 - 2, max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=40),
    st.sampled_from(["", " ", "***", "\x00", "{PASSWORD}", "Server=a;Password={p;w}", "1.0", "true", "5432"]),
)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)


def _nested(depth: int, leaf: str = "1") -> str:
    return "[" * depth + leaf + "]" * depth


# JSON text the spec never shows: numbers out of range, non-JSON constants, lone surrogates, deep nesting,
# byte order marks, broken syntax, other encodings, plain garbage.
odd_json_texts = st.one_of(
    st.sampled_from([
        "NaN", "-Infinity", '{"name": NaN}', "1e999", "-1e999", '{"a": 1e400}', "1" * 5000, "-" + "9" * 4301,
        '"\\ud800"', '{"\\udfff": 1}', '{"name": "\\ud83d"}', "\ufeff{}", "{}garbage", '{"a":1,}', "[1,2",
        "{'name': 'single quotes'}", "null", "true", "0", '""', "[]", "{}", '{"__proto__": {}}',
        _nested(33), _nested(5000), '{"a":' * 3000 + "1" + "}" * 3000,
    ]),
    st.integers(min_value=1, max_value=200).map(_nested),
    json_values.map(json.dumps),
)
raw_bodies = st.one_of(
    odd_json_texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
    odd_json_texts.map(lambda t: t.encode("utf-16")),
    st.binary(max_size=300),
    st.sampled_from([b"\xff\xfe{}", b"\xc3\x28", b'{"name": "\xe9"}', b"\x00" * 64, b"\x1f\x8b\x08\x00"]),
)


@st.composite
def catalog_bodies(draw: st.DrawFn) -> dict[str, Any]:
    """A create body for a catalogued source, valid or bent in one of the ways real clients bend them."""
    spec = draw(st.sampled_from(CATALOG))
    auth = draw(st.sampled_from(spec.auth_specs))
    params: dict[str, Any] = {}
    for p in auth.params:
        if not p.required and draw(st.booleans()):
            continue
        if spec.id == POSTGRESQL_SPEC_ID:
            text = "127.0.0.1" if p.name == "server" else CLOSED_PORT_DSN
            params[p.name] = {"integer": 1, "boolean": False}.get(p.type, text)
        else:
            params[p.name] = draw({"integer": st.integers(-1, 70000), "boolean": st.booleans()}
                                  .get(p.type, st.text(min_size=1, max_size=30)))
    body: dict[str, Any] = {"name": draw(st.text(min_size=1, max_size=30)),
                            "auth": {"specName": auth.name, "params": params},
                            "connectionSpec": {"id": spec.id, "version": spec.version}}
    bends = ["none", "providerId", "description", "auth.type", "extra", "drop", "wrong type", "version",
             "string number", "json value"]
    # PostgreSQL connections are really logged in to by /test: keep them pointed at a closed local port.
    bend = draw(st.sampled_from(bends[:2] if spec.id == POSTGRESQL_SPEC_ID else bends))
    if bend == "providerId":
        body["providerId"] = draw(st.sampled_from(["521eee4d-8cbe-4906-bb48-fb6bd4450033", "", 7]))
    elif bend == "description":
        body["description"] = draw(json_values)
    elif bend == "auth.type":
        body["auth"]["type"] = draw(json_values)
    elif bend == "extra":
        body[draw(st.text(max_size=10))] = draw(json_values)
    elif bend == "drop" and params:
        params.pop(draw(st.sampled_from(sorted(params))))
    elif bend == "wrong type" and params:
        params[draw(st.sampled_from(sorted(params)))] = draw(json_values)
    elif bend == "version":
        body["connectionSpec"]["version"] = draw(json_values)
    elif bend == "string number" and params:
        params[draw(st.sampled_from(sorted(params)))] = str(draw(st.integers()))
    elif bend == "json value":
        body[draw(st.sampled_from(["name", "auth", "connectionSpec"]))] = draw(json_values)
    return body


PATCH_PATHS = ["/name", "/description", "/auth/params", "/auth/params/password", "/auth/params/port",
               "/auth/params/connectionString", "/auth/params/x~1y", "/auth/specName", "/connectionSpec/id", "/id",
               "/", "", "name", "/auth/params/", "/etag", "/state", "/auth/params/~2"]
patch_ops = st.fixed_dictionaries(
    {"op": st.sampled_from(["add", "replace", "remove", "ADD", "REPLACE", "REMOVE", "move", "test", "", "Add"]),
     "path": st.sampled_from(PATCH_PATHS) | st.text(max_size=20)},
    optional={"value": json_values, "from": st.text(max_size=10)},
)
valid_patches = st.lists(st.one_of(
    st.fixed_dictionaries({"op": st.sampled_from(["replace", "REPLACE", "add"]), "path": st.just("/name"),
                           "value": st.text(min_size=1, max_size=30)}),
    st.fixed_dictionaries({"op": st.sampled_from(["add", "replace"]), "path": st.just("/description"),
                           "value": st.text(max_size=30)}),
    st.just({"op": "remove", "path": "/description"}),
), min_size=1, max_size=3)
patch_bodies = st.one_of(valid_patches, st.lists(patch_ops, max_size=4), patch_ops, json_values)
