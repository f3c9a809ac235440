"""Hypothesis over what the spec does not describe: raw bodies in any Content-Type, query strings, header
fields, methods and paths. Valid credentials unless a case replaces them; no 5xx, every response conforms."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tests.emulator.fuzz.bodies import JSON_TYPES, OTHER_TYPES, raw_bodies
from tests.emulator.fuzz.harness import fuzz
from tests.emulator.fuzz.parts import METHODS, header_sets, paths, query_pairs

CONVERSION, CATALOG = "/data/foundation/conversion", "/data/foundation/catalog"
BODY_ROUTES = [("POST", "/connections"), ("PATCH", "/connections/{id}"), ("PATCH", "/connections/{id}/"),
               ("POST", "/sourceConnections"), ("POST", "/flows"), ("PUT", "/_emulator/faults"),
               ("POST", "/_emulator/clients"), ("POST", "/targetConnections"), ("PATCH", "/flows/{flow}"),
               ("PATCH", "/sourceConnections/{source}"), ("PATCH", "/targetConnections/{target}"),
               ("POST", f"{CONVERSION}/mappingSets"), ("PUT", f"{CONVERSION}/mappingSets/{{mapping}}"),
               ("POST", f"{CATALOG}/dataSets"), ("POST", "/_emulator/sandboxes/prod/datasets"),
               ("PATCH", "/_emulator/sandboxes/prod/flows/{flow}")]
LIST_ROUTES = ["/connections", "/connectionSpecs", "/sourceConnections", "/flows", "/targetConnections",
               "/flowSpecs", f"{CONVERSION}/mappingSets", f"{CATALOG}/dataSets"]
ANY_ROUTES = ["/connections", "/connections/{id}", "/connections/{id}/test", "/connectionSpecs",
              "/connectionSpecs/74a1c565-4e59-48d7-9d67-7c03b8a13137", "/sourceConnections", "/flows",
              "/flows/{flow}", "/flows/{flow}/action?op=disable", "/targetConnections/{target}",
              "/sourceConnections/{source}", "/flowSpecs/14518937-270c-4525-bdec-c2ba7cce3860",
              f"{CONVERSION}/mappingSets/{{mapping}}", f"{CATALOG}/dataSets/{{dataset}}"]


def _url(emulator, path: str, ident: str, made=None) -> str:
    path = path.replace("{id}", ident)
    if made is not None:
        for key in ("flow", "source", "target", "mapping", "dataset"):
            path = path.replace(f"{{{key}}}", getattr(made, key))
    return (emulator.url if path.startswith(("/_emulator", "/data/")) else emulator.flow_url) + path


def test_raw_bodies(fuzz_client, emulator):
    ident = fuzz_client.seed_connections(1)[0]
    made = fuzz_client.pipeline("prod")

    @fuzz(examples=300)
    @given(route=st.sampled_from(BODY_ROUTES), body=raw_bodies,
           content_type=st.sampled_from(JSON_TYPES + OTHER_TYPES) | st.none(),
           etag=st.sampled_from(["current", '"stale"', "*"]))
    def run(route, body, content_type, etag):
        fuzz_client.case()
        headers = emulator.headers()
        headers.pop("Content-Type")
        if content_type is not None:
            headers["Content-Type"] = content_type
        headers["If-Match"] = fuzz_client.etag("connections", ident, "prod") or '"gone"' if etag == "current" else etag
        fuzz_client.send(route[0], _url(emulator, route[1], ident, made), data=body, headers=headers)
        if route[1] == "/_emulator/faults":
            emulator.clear_faults()

    run()


def test_query_strings_on_lists(fuzz_client, emulator):
    fuzz_client.seed_connections(4)

    @fuzz(examples=400)
    @given(path=st.sampled_from(LIST_ROUTES), query=query_pairs, method=st.sampled_from(["GET", "HEAD"]))
    def run(path, query, method):
        fuzz_client.case()
        fuzz_client.send(method, _url(emulator, path, ""), params=query, headers=emulator.headers())

    run()


def test_header_fields(fuzz_client, emulator):
    ident = fuzz_client.seed_connections(1)[0]
    made = fuzz_client.pipeline("prod")

    @fuzz(examples=300)
    @given(path=st.sampled_from(ANY_ROUTES), method=st.sampled_from(METHODS), extra=header_sets,
           drop=st.sets(st.sampled_from(["Authorization", "x-api-key", "x-gw-ims-org-id", "x-sandbox-name"])))
    def run(path, method, extra, drop):
        fuzz_client.case()
        headers = {k: v for k, v in emulator.headers().items() if k not in drop}
        headers.update(extra)
        body = b'[{"op": "replace", "path": "/name", "value": "renamed"}]' if method == "PATCH" else None
        fuzz_client.send(method, _url(emulator, path, ident, made), headers=headers, data=body)

    run()


def test_methods_and_paths(fuzz_client, emulator):
    @fuzz(examples=300)
    @given(method=st.sampled_from(METHODS), path=paths, query=query_pairs, body=st.none() | raw_bodies,
           authenticated=st.booleans())
    def run(method, path, query, body, authenticated):
        fuzz_client.case()
        headers = emulator.headers() if authenticated else {}
        url = emulator.url + path
        fuzz_client.send(method, url, params=query, data=body, headers=headers)
        if path.startswith("/_emulator"):
            emulator.clear_faults()

    run()
