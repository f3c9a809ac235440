"""Schemathesis against Adobe's OpenAPI specs (tests/emulator/spec/: Flow Service, Data Prep, Catalog), for
every operation the emulator serves.

Cases come from the spec in both modes (positive: what the schema allows; negative: what it forbids), with
valid credentials laid over whatever headers were generated. Often the path names an object that exists and
``If-Match`` carries its current etag, and a create or patch body is drawn from the catalog or from a real
pipeline (bent or not) instead, so cases reach past the gateway and the 404s. Every response must be under 500
and pass the conformance checks (tests/support/conformance.py, tests/emulator/service_conformance.py).
"""
from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import given
from hypothesis import strategies as st
from schemathesis import GenerationMode
from starlette.routing import Route

from emulator.app import build_app
from emulator.backend import Backend
from emulator.settings import EmulatorSettings
from tests.emulator.fuzz.bodies import catalog_bodies, patch_bodies
from tests.emulator.fuzz.harness import fuzz
from tests.emulator.fuzz.pipeline_bodies import FLOW_PATCHES, pipeline_bodies
from tests.emulator.service_conformance import SERVICES, load
from tests.support.conformance import FLOW_PREFIX, SPEC_FILE

SCHEMAS = [(FLOW_PREFIX, schemathesis.openapi.from_path(SPEC_FILE)),
           *((prefix, schemathesis.openapi.from_dict(load(prefix)[0])) for prefix in SERVICES)]


def _routes() -> list[Route]:
    backend = Backend(EmulatorSettings())
    try:
        app = build_app(backend)
    finally:
        backend.close()
    while not hasattr(app, "router"):
        app = app.app
    return [r for r in app.router.routes if isinstance(r, Route)]


def _served() -> list:
    routes, served = _routes(), []
    for prefix, schema in SCHEMAS:
        for result in schema.get_all_operations():
            op = result.ok()
            path = prefix + re.sub(r"\{[^}]+\}", "x", op.path)
            if any(r.path_regex.match(path) and op.method.upper() in (r.methods or ()) for r in routes):
                served.append((prefix, op))
    return served


SERVED = _served()


def _overrides(op, data, fuzz_client, emulator, prefix: str) -> dict:
    """Valid gateway headers, and sometimes a real id, its etag and a catalog-built body."""
    sandbox = data.draw(st.sampled_from(["prod", "dev", None]), label="sandbox")
    headers = emulator.headers(sandbox)
    headers.pop("Content-Type")
    path_params, body = {}, None
    names = re.findall(r"\{([^}]+)\}", op.path)
    if names and data.draw(st.integers(0, 2), label="existing id"):
        collection = op.path.strip("/").split("/")[0]
        ident = data.draw(st.sampled_from(fuzz_client.existing_ids(collection, sandbox)), label="id")
        path_params[names[0]] = ident
        if data.draw(st.integers(0, 2), label="current etag"):
            headers["if-match"] = fuzz_client.etag(collection, ident, sandbox) or '"gone"'
    collection = op.path.strip("/").split("/")[0]
    pipeline_kind = collection in ("sourceConnections", "targetConnections", "flows", "mappingSets", "dataSets")
    if op.method.upper() in ("POST", "PUT") and pipeline_kind and data.draw(st.integers(0, 2), label="pipeline"):
        made = fuzz_client.pipeline(sandbox)
        body = data.draw(pipeline_bodies(collection, made), label="pipeline body")
    elif op.method.upper() == "POST" and data.draw(st.integers(0, 2), label="catalog body"):
        body = data.draw(catalog_bodies())
    elif op.method.upper() == "PATCH" and collection == "flows" and data.draw(st.integers(0, 2), label="ops"):
        body = data.draw(FLOW_PATCHES, label="flow patch")
    elif op.method.upper() == "PATCH" and data.draw(st.integers(0, 2), label="patch body"):
        body = data.draw(patch_bodies)
    return {"headers": headers, "path_params": path_params, "body": body}


@pytest.mark.parametrize("prefix, op", SERVED, ids=[f"{op.method.upper()} {prefix.rsplit('/', 1)[1]}{op.path}"
                                                    for prefix, op in SERVED])
def test_no_5xx_and_every_response_conforms(prefix, op, fuzz_client, emulator):
    fuzz_client.seed_connections()
    strategy = st.one_of(op.as_strategy(GenerationMode.POSITIVE), op.as_strategy(GenerationMode.NEGATIVE))

    @fuzz(examples=100)
    @given(case=strategy, data=st.data())
    def run(case, data):
        fuzz_client.case()
        extra = _overrides(op, data, fuzz_client, emulator, prefix)
        case.path_parameters = {**(case.path_parameters or {}), **extra["path_params"]}
        if extra["body"] is not None:
            case.body = extra["body"]
        kwargs = case.as_transport_kwargs(base_url=emulator.url + prefix)
        replaced = {name.lower() for name in extra["headers"]} | {"x-sandbox-name"}
        kwargs["headers"] = {**{k: v for k, v in kwargs["headers"].items() if k.lower() not in replaced},
                             **extra["headers"]}
        fuzz_client.send(**kwargs)

    run()


def test_the_served_operations_are_the_ones_the_readme_lists():
    labels = {f"{op.method.upper()} {op.path.rstrip('/')}" for _, op in SERVED}
    assert {"GET /connections", "POST /connections", "GET /connections/{BASE_CONNECTION_ID}",
            "GET /connections/{BASE_CONNECTION_ID}/test", "PATCH /connections/{BASE_CONNECTION_ID}",
            "DELETE /connections/{BASE_CONNECTION_ID}", "GET /connectionSpecs",
            "GET /connectionSpecs/{CONNECTION_SPEC_ID}", "PATCH /sourceConnections/{SOURCE_CONNECTION_ID}",
            "POST /targetConnections", "GET /targetConnections", "GET /targetConnections/{TARGET_CONNECTION_ID}",
            "PATCH /targetConnections/{TARGET_CONNECTION_ID}", "DELETE /targetConnections/{TARGET_CONNECTION_ID}",
            "GET /flowSpecs", "GET /flowSpecs/{FLOW_SPEC_ID}", "PATCH /flows/{FLOW_ID}",
            "POST /flows/{FLOW_ID}/action", "POST /mappingSets", "GET /mappingSets",
            "GET /mappingSets/{MAPPING_SET_ID}", "PUT /mappingSets/{MAPPING_SET_ID}", "POST /dataSets",
            "GET /dataSets", "GET /dataSets/{DATASET_ID}", "DELETE /dataSets/{DATASET_ID}"} <= labels
