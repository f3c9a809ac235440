"""Checks that an HTTP response from the emulator is one Adobe's services could have sent.

* Flow Service paths: validated with openapi-core against Adobe's OpenAPI spec (tests/emulator/spec/, Apache-2.0).
  Where the spec declares the status with a schema, openapi-core validates body and headers. Where it declares
  the status with empty content (204, and the 403/503 it lists for every operation) the body must be empty (2xx)
  or an Adobe error shape. Statuses the spec does not declare (400, 401, 404, 412, 415, 429, 500, 502) must be
  errors in Adobe's gateway or Flow Service shape; their ``status`` must equal the HTTP status.
* IMS: the token response or the OAuth error shape.
* Everywhere: no tracebacks, source paths or exception names in a body; the RFC 9110 rules for HEAD, OPTIONS,
  304 and 405 that the spec does not describe (``check_http_semantics``).

Two mechanical adaptations, both listed in docs/emulator.md: the spec's server URL is scheme-relative
(``//{environment}.adobe.io/...``), which openapi-core cannot match, so it is loaded with ``https:`` in front and
each request is mapped onto ``https://platform.adobe.io``; and the spec declares DELETE/PATCH only at
``/connections/{id}/`` (trailing slash) and everything else without one, so a path is looked up with the
trailing slash toggled when the spec has no operation at it as sent.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus, urlsplit, urlunsplit

import jsonschema
import requests
import yaml
from openapi_core import OpenAPI
from openapi_core.contrib.requests import RequestsOpenAPIRequest, RequestsOpenAPIResponse

SPEC_FILE = Path(__file__).resolve().parent.parent / "emulator" / "spec" / "flow-service.openapi.yaml"
FLOW_PREFIX = "/data/foundation/flowservice"
ADOBE_ORIGIN = ("https", "platform.adobe.io")

GATEWAY_ERROR = {
    "type": "object",
    "required": ["error_code", "message"],
    "properties": {"error_code": {"type": "string", "pattern": r"^[0-9]{6}$"},
                   "message": {"type": "string", "minLength": 1}},
    "additionalProperties": False,
}
FLOW_ERROR = {
    "type": "object",
    "required": ["type", "title", "status", "report"],
    "properties": {
        "type": {"type": "string", "pattern": r"^https://ns\.adobe\.com/aep/errors/FLOW-[0-9]+-[0-9]{3}$"},
        "title": {"type": "string", "minLength": 1},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "report": {"type": "object"},
    },
}
IMS_TOKEN = {
    "type": "object",
    "required": ["access_token", "token_type", "expires_in"],
    "properties": {"access_token": {"type": "string", "minLength": 20}, "token_type": {"const": "bearer"},
                   "expires_in": {"type": "integer", "minimum": 1}},
}
IMS_ERROR = {
    "type": "object",
    "required": ["error", "error_description"],
    "properties": {"error": {"type": "string"}, "error_description": {"type": "string"}},
}


INTERNALS = ("Traceback (most recent call last)", 'File "/', "site-packages", "emulator/", ".py\", line",
             "Error: ", "Exception:", "sqlite3.", "psycopg.")


class ConformanceError(AssertionError):
    """The response is not one Adobe's API could have sent; the message says which rule it broke."""


@lru_cache(maxsize=1)
def load_spec() -> tuple[dict[str, Any], OpenAPI, list[tuple[re.Pattern, str]]]:
    spec = yaml.safe_load(SPEC_FILE.read_text(encoding="utf-8"))
    spec["servers"] = [{**s, "url": "https:" + s["url"] if s["url"].startswith("//") else s["url"]}
                       for s in spec["servers"]]
    paths = [(re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", p) + "$"), p) for p in spec["paths"]]
    return spec, OpenAPI.from_dict(spec), paths


def _operation(method: str, api_path: str) -> tuple[str, dict[str, Any]] | None:
    spec, _, paths = load_spec()
    other = api_path.rstrip("/") if api_path.endswith("/") and api_path != "/" else api_path + "/"
    candidates = [api_path, other]
    for candidate in candidates:
        for pattern, template in paths:
            op = spec["paths"][template].get(method.lower())
            if pattern.match(candidate) and op is not None:
                return candidate, op
    return None


def _json(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        raise ConformanceError(f"{_where(response)}: body is not JSON: {response.text[:200]!r}") from None


def _where(response: requests.Response) -> str:
    return f"{response.request.method} {urlsplit(response.request.url).path} -> {response.status_code}"


def _validate(instance: Any, schema: dict, response: requests.Response, what: str) -> None:
    try:
        jsonschema.validate(instance, schema)
    except jsonschema.ValidationError as exc:
        raise ConformanceError(f"{_where(response)}: not a valid {what}: {exc.message}") from None


def check_error(response: requests.Response) -> None:
    body = _json(response)
    if isinstance(body, dict) and "error_code" in body:
        _validate(body, GATEWAY_ERROR, response, "Adobe gateway error")
        return
    _validate(body, FLOW_ERROR, response, "Flow Service error")
    if body["status"] != response.status_code or not body["type"].endswith(f"-{response.status_code}"):
        raise ConformanceError(f"{_where(response)}: error body says status {body['status']} ({body['type']})")


def check_flow(response: requests.Response) -> None:
    request = response.request
    parts = urlsplit(request.url)
    api_path = parts.path[len(FLOW_PREFIX):] or "/"
    found = _operation(request.method, api_path)
    if found is None:
        if response.status_code >= 400:  # 404/405, or refused before routing (malformed, 413, 414, 431)
            check_error(response)
            return
        raise ConformanceError(f"{_where(response)}: the spec has no {request.method} {api_path}")
    lookup_path, op = found
    declared = op.get("responses", {}).get(str(response.status_code))
    if declared is None:
        if response.status_code < 400:
            raise ConformanceError(f"{_where(response)}: success status not declared by the spec")
        check_error(response)
        return
    if not declared.get("content"):
        if response.status_code < 400:
            if response.content:
                raise ConformanceError(f"{_where(response)}: the spec declares no body, got {response.text[:200]!r}")
        else:
            check_error(response)
        return
    mapped = request.copy()
    mapped.url = urlunsplit((*ADOBE_ORIGIN, FLOW_PREFIX + lookup_path, parts.query, ""))
    try:
        load_spec()[1].validate_response(RequestsOpenAPIRequest(mapped), RequestsOpenAPIResponse(response))
    except Exception as exc:  # openapi-core raises a family of errors; all mean "does not conform"
        detail = "; ".join(str(e) for e in getattr(exc, "schema_errors", []) or [exc])
        raise ConformanceError(f"{_where(response)}: does not match Adobe's OpenAPI spec: {detail}") from None


def check_ims(response: requests.Response) -> None:
    body = _json(response)
    if response.status_code == 200:
        _validate(body, IMS_TOKEN, response, "IMS token response")
    else:
        _validate(body, IMS_ERROR, response, "IMS error")


def _request_text(request: requests.PreparedRequest) -> str:
    body = request.body if isinstance(request.body, (bytes, str)) else b""
    body = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    url = request.url or ""
    return " ".join([url, unquote_plus(url), *(f"{k}: {v}" for k, v in request.headers.items()), body])


def check_no_internals(response: requests.Response) -> None:
    """No traceback, source path or exception name in a body, unless the request itself carried that text."""
    text, sent = response.text, _request_text(response.request)
    for marker in INTERNALS:
        if marker in text and marker not in sent:
            raise ConformanceError(f"{_where(response)}: the body exposes internals ({marker!r}): {text[:200]!r}")


def check_http_semantics(response: requests.Response, flow: bool) -> bool:
    """RFC 9110 rules the spec does not cover; True when the response is fully checked here.

    HEAD: no body, and a success status the spec declares for GET. OPTIONS: 204 with ``Allow`` and no body (or
    an error). 304: only for a conditional GET, with no body and an ``ETag``. 405: carries ``Allow``.
    """
    method, status = response.request.method, response.status_code
    if status == 405 and not response.headers.get("Allow"):
        raise ConformanceError(f"{_where(response)}: a 405 must say which methods are allowed (Allow)")
    if method == "HEAD":
        if response.content:
            raise ConformanceError(f"{_where(response)}: a HEAD response has a body")
        api_path = urlsplit(response.request.url).path[len(FLOW_PREFIX):] or "/"
        found = _operation("GET", api_path) if flow else None
        if status < 400 and status != 304 and (found is None or str(status) not in found[1].get("responses", {})):
            raise ConformanceError(f"{_where(response)}: GET declares no such success status")
        return True
    if method == "OPTIONS" and status < 400:
        if status != 204 or response.content or not response.headers.get("Allow"):
            raise ConformanceError(f"{_where(response)}: OPTIONS must be a 204 with Allow and no body")
        return True
    if status == 304:
        conditional = {"if-none-match", "if-modified-since"} & {k.lower() for k in response.request.headers}
        if method != "GET" or not conditional or response.content or not response.headers.get("ETag"):
            raise ConformanceError(f"{_where(response)}: 304 only answers a conditional GET, with ETag, no body")
        return True
    return False


def check_response(response: requests.Response) -> None:
    """Raise ``ConformanceError`` unless ``response`` conforms; control-API responses are not checked."""
    path = urlsplit(response.request.url).path
    check_no_internals(response)
    if path.startswith(FLOW_PREFIX):
        if not check_http_semantics(response, flow=True):
            check_flow(response)
    elif path.startswith("/ims/"):
        if not check_http_semantics(response, flow=False):
            check_ims(response)


def conforming_session() -> requests.Session:
    """A ``requests.Session`` whose every response is checked (a response hook raises on violations)."""
    session = requests.Session()
    session.hooks["response"].append(lambda response, *args, **kwargs: check_response(response))
    return session
