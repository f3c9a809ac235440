"""The conformance check for Data Prep and Catalog responses, beside tests/support/conformance.py's for Flow
Service and IMS: every response on ``/data/foundation/conversion`` or ``/data/foundation/catalog`` is validated
with openapi-core against Adobe's spec for that service (tests/emulator/spec/, Apache-2.0), the same way.

* A status the spec declares with a schema: body and headers validated. Declared with empty content: no body
  (2xx) or an error in Adobe's shape. Not declared: must be an error (gateway ``error_code``/``message``, or
  ``{"type": ".../<CONV|CAT>-<code>-<status>", ...}`` whose ``status`` is the HTTP status).
* Knowing adaptations (listed in docs/emulator.md): only the collections the emulator serves are loaded
  (``/mappingSets...``, ``/dataSets...``) and the spec documents themselves are not validated (Catalog's
  repeats a parameter and has a schema the OpenAPI 3.0 meta-schema refuses); the servers are scheme-relative
  (``https:`` added); Data Prep's ``createdDate``/``modifiedDate`` are declared ``date-time`` strings while every example Adobe publishes,
  the spec's own included, shows epoch milliseconds - the emulator sends those, so the check reads them as
  integers; the list's ``limit``/``start`` are declared required, and the guide's requests send them, but the
  emulator defaults them, so the check does not insist.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import jsonschema
import requests
import yaml
from openapi_core import Config, OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

from tests.support.conformance import (ADOBE_ORIGIN, GATEWAY_ERROR, ConformanceError, check_http_semantics,
                                       check_no_internals, check_response)

SPEC_DIR = Path(__file__).resolve().parent / "spec"
SERVICES = {"/data/foundation/conversion": ("data-prep.openapi.yaml", "CONV", "/mappingSets"),
            "/data/foundation/catalog": ("catalog.openapi.yaml", "CAT", "/dataSets")}
_DATES = ("createdDate", "modifiedDate")


def _service_error(prefix: str) -> dict[str, Any]:
    return {"type": "object", "required": ["type", "title", "status", "report"],
            "properties": {"type": {"type": "string",
                                    "pattern": rf"^https://ns\.adobe\.com/aep/errors/{prefix}-[0-9]+-[0-9]{{3}}$"},
                           "title": {"type": "string", "minLength": 1}, "status": {"type": "integer"},
                           "detail": {"type": "string"}, "report": {"type": "object"}}}


def _str_keys(node: Any) -> Any:
    """YAML reads an unquoted ``200:`` as an integer key; OpenAPI means the string."""
    if isinstance(node, dict):
        return {str(k): _str_keys(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_str_keys(v) for v in node]
    return node


def _adapt(node: Any) -> None:
    """Epoch-millisecond dates and optional list parameters, as described above (in place)."""
    if isinstance(node, dict):
        props = node.get("properties")
        if isinstance(props, dict):
            for name in _DATES:
                if name in props:
                    props[name] = {"type": "integer", "format": "int64"}
        if node.get("in") == "query" and node.get("name") in ("limit", "start"):
            node["required"] = False
        for value in node.values():
            _adapt(value)
    elif isinstance(node, list):
        for value in node:
            _adapt(value)


@lru_cache(maxsize=None)
def load(prefix: str) -> tuple[dict[str, Any], OpenAPI, list[tuple[re.Pattern, str]]]:
    spec = _str_keys(yaml.safe_load((SPEC_DIR / SERVICES[prefix][0]).read_text(encoding="utf-8")))
    spec["paths"] = {p: op for p, op in spec["paths"].items() if p.startswith(SERVICES[prefix][2])}
    spec["servers"] = [{**s, "url": "https:" + s["url"]} for s in spec["servers"]]
    _adapt(spec)
    paths = [(re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", p) + "/?$"), p) for p in spec["paths"]]
    return spec, OpenAPI.from_dict(spec, config=Config(spec_validator_cls=None)), paths


def _where(response: requests.Response) -> str:
    return f"{response.request.method} {urlsplit(response.request.url).path} -> {response.status_code}"


def check_error(response: requests.Response, prefix: str) -> None:
    try:
        body = response.json()
    except ValueError:
        raise ConformanceError(f"{_where(response)}: body is not JSON: {response.text[:200]!r}") from None
    schema = GATEWAY_ERROR if isinstance(body, dict) and "error_code" in body else _service_error(
        SERVICES[prefix][1])
    try:
        jsonschema.validate(body, schema)
    except jsonschema.ValidationError as exc:
        raise ConformanceError(f"{_where(response)}: not an Adobe error: {exc.message}") from None
    if "status" in body and body["status"] != response.status_code:
        raise ConformanceError(f"{_where(response)}: error body says status {body['status']}")


def check_service(response: requests.Response, prefix: str) -> None:
    parts = urlsplit(response.request.url)
    api_path = parts.path[len(prefix):] or "/"
    spec, openapi, paths = load(prefix)
    found = next(((template, spec["paths"][template][response.request.method.lower()]) for pattern, template in paths
                  if pattern.match(api_path) and response.request.method.lower() in spec["paths"][template]), None)
    status = response.status_code
    declared = found[1].get("responses", {}).get(str(status)) if found else None
    if declared is None:
        if status < 400:
            raise ConformanceError(f"{_where(response)}: the spec declares no such success")
        check_error(response, prefix)
        return
    if not declared.get("content"):
        if status >= 400:
            check_error(response, prefix)
        elif response.content:
            raise ConformanceError(f"{_where(response)}: the spec declares no body")
        return
    mapped = response.request.copy()
    mapped.url = urlunsplit((*ADOBE_ORIGIN, prefix + api_path.rstrip("/"), parts.query, ""))
    try:
        openapi.validate_response(RequestsOpenAPIRequest(mapped), RequestsOpenAPIResponse(response))
    except Exception as exc:  # openapi-core raises a family of errors; all mean "does not conform"
        detail = "; ".join(str(e) for e in getattr(exc, "schema_errors", []) or [exc])
        raise ConformanceError(f"{_where(response)}: does not match Adobe's OpenAPI spec: {detail}") from None


def check_any(response: requests.Response) -> None:
    """Every emulator response: Flow Service and IMS by tests/support/conformance.py, the others here."""
    path = urlsplit(response.request.url).path
    prefix = next((p for p in SERVICES if path == p or path.startswith(p + "/")), None)
    if prefix is None:
        check_response(response)
        return
    check_no_internals(response)
    if response.request.method == "HEAD":
        _check_head(response, prefix)
    elif not check_http_semantics(response, flow=False):
        check_service(response, prefix)


def _check_head(response: requests.Response, prefix: str) -> None:
    """HEAD is GET without a body: a success status must be one the spec declares for GET."""
    if response.content:
        raise ConformanceError(f"{_where(response)}: a HEAD response has a body")
    api_path = urlsplit(response.request.url).path[len(prefix):] or "/"
    spec, _, paths = load(prefix)
    get = next((spec["paths"][t]["get"] for pattern, t in paths if pattern.match(api_path)
                and "get" in spec["paths"][t]), None)
    if response.status_code < 400 and (get is None or str(response.status_code) not in get.get("responses", {})):
        raise ConformanceError(f"{_where(response)}: GET declares no such success status")


def checked_session() -> requests.Session:
    """A ``requests.Session`` whose every response passes ``check_any`` (a response hook raises)."""
    session = requests.Session()
    session.hooks["response"].append(lambda response, *args, **kwargs: check_any(response))
    return session
