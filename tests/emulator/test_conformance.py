"""tests/support/conformance.py must reject responses Adobe could not have sent, or its passes mean nothing."""
from __future__ import annotations

import json

import pytest
import requests
from requests.structures import CaseInsensitiveDict

from tests.support.conformance import ConformanceError, check_response

FLOW = "http://127.0.0.1:1/data/foundation/flowservice"
ITEM = {"id": "x", "createdAt": 1, "updatedAt": 1, "name": "n", "state": "enabled", "etag": '"e"',
        "auth": {"specName": "Basic Authentication", "params": {}}, "connectionSpec": {"id": "s", "version": "1.0"}}
FLOW_ERROR = {"type": "https://ns.adobe.com/aep/errors/FLOW-1101-404", "title": "Resource not found", "status": 404,
              "detail": "d", "report": {}}


def _response(method: str, url: str, status: int, body=None, headers: dict | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = b"" if body is None else json.dumps(body).encode()
    response.headers = CaseInsensitiveDict({"Content-Type": "application/json", **(headers or {})})
    response.request = requests.Request(method, url).prepare()
    response.url = url
    return response


GOOD = [
    ("GET", f"{FLOW}/connections/x", 200, {"items": [ITEM]}, None),
    ("GET", f"{FLOW}/connections?count=true", 200, {"count": 2}, None),
    ("POST", f"{FLOW}/connections", 201, {"id": "x", "etag": '"e"'}, {"Location": "http://h/x"}),
    ("DELETE", f"{FLOW}/connections/x", 204, None, None),
    ("GET", f"{FLOW}/connections/x", 404, FLOW_ERROR, None),
    ("GET", f"{FLOW}/connections", 403, {"error_code": "403010", "message": "Oauth token is missing."}, None),
    ("GET", f"{FLOW}/connections/x/test", 200, {"result": False}, None),
    ("POST", "http://127.0.0.1:1/ims/token/v3", 200, {"access_token": "a" * 30, "token_type": "bearer",
                                                      "expires_in": 5}, None),
    ("POST", "http://127.0.0.1:1/ims/token/v3", 401, {"error": "invalid_client", "error_description": "d"}, None),
]

BAD = [
    ("GET", f"{FLOW}/connections/x", 200, {"items": [ITEM | {"createdAt": "yesterday"}]}, "createdAt"),
    ("GET", f"{FLOW}/connections/x", 200, {"items": {"id": "x"}}, "spec"),
    ("GET", f"{FLOW}/connections/x/test", 200, {"result": "yes"}, "spec"),
    ("DELETE", f"{FLOW}/connections/x", 204, {"deleted": True}, "no body"),
    ("GET", f"{FLOW}/connections/x", 404, {"message": "not found"}, "Flow Service error"),
    ("GET", f"{FLOW}/connections/x", 404, FLOW_ERROR | {"status": 400}, "says status"),
    ("GET", f"{FLOW}/connections", 403, {"error_code": "forbidden", "message": "m"}, "gateway error"),
    ("GET", f"{FLOW}/connections", 202, {}, "not declared"),
    ("GET", f"{FLOW}/nowhere", 200, {}, "spec has no"),
    ("POST", "http://127.0.0.1:1/ims/token/v3", 200, {"access_token": "short", "token_type": "mac",
                                                      "expires_in": 5}, "IMS token"),
]


@pytest.mark.parametrize("method,url,status,body,headers", GOOD)
def test_conforming_responses_pass(method, url, status, body, headers):
    check_response(_response(method, url, status, body, headers))


@pytest.mark.parametrize("method,url,status,body,words", BAD)
def test_nonconforming_responses_fail(method, url, status, body, words):
    with pytest.raises(ConformanceError, match=words):
        check_response(_response(method, url, status, body))


def test_control_api_is_not_checked():
    check_response(_response("GET", "http://127.0.0.1:1/_emulator/requests", 200, {"anything": 1}))


def _semantic(method, url, status, body=None, headers=None, request_headers=None) -> requests.Response:
    response = _response(method, url, status, body, headers)
    response.request = requests.Request(method, url, headers=request_headers or {}).prepare()
    if body is None:
        response._content = b""
    return response


SEMANTIC_GOOD = [
    ("HEAD", f"{FLOW}/connections", 200, None, None, None),
    ("HEAD", f"{FLOW}/connections/x", 404, None, None, None),
    ("OPTIONS", f"{FLOW}/connections", 204, None, {"Allow": "GET, HEAD, POST, OPTIONS"}, None),
    ("GET", f"{FLOW}/connections/x", 304, None, {"ETag": '"e"'}, {"If-None-Match": '"e"'}),
    ("PUT", f"{FLOW}/connections", 405, {"error_code": "405000", "message": "m"}, {"Allow": "GET"}, None),
    ("PUT", f"{FLOW}/connections", 431, {"error_code": "431000", "message": "m"}, None, None),
]
SEMANTIC_BAD = [
    ("PUT", f"{FLOW}/connections", 405, {"error_code": "405000", "message": "m"}, None, None, "Allow"),
    ("HEAD", f"{FLOW}/connections", 200, {"items": []}, None, None, "HEAD response has a body"),
    ("HEAD", f"{FLOW}/connections", 201, None, None, None, "GET declares no such"),
    ("OPTIONS", f"{FLOW}/connections", 200, {"x": 1}, {"Allow": "GET"}, None, "OPTIONS must be a 204"),
    ("GET", f"{FLOW}/connections/x", 304, None, {"ETag": '"e"'}, None, "conditional GET"),
    ("GET", f"{FLOW}/connections/x", 404, FLOW_ERROR | {"detail": 'Traceback (most recent call last):\n  File "/x'},
     None, None, "internals"),
]


@pytest.mark.parametrize("method,url,status,body,headers,request_headers", SEMANTIC_GOOD)
def test_http_semantics_that_hold_pass(method, url, status, body, headers, request_headers):
    check_response(_semantic(method, url, status, body, headers, request_headers))


@pytest.mark.parametrize("method,url,status,body,headers,request_headers,words", SEMANTIC_BAD)
def test_http_semantics_that_break_fail(method, url, status, body, headers, request_headers, words):
    with pytest.raises(ConformanceError, match=words):
        check_response(_semantic(method, url, status, body, headers, request_headers))


def test_internals_echoed_from_the_request_are_not_blamed_on_the_emulator():
    url = f"{FLOW}/connections/site-packages"
    check_response(_semantic("GET", url, 404, FLOW_ERROR | {"detail": "No connection site-packages"}))


def test_internals_echoed_from_a_percent_encoded_query_are_not_blamed_either():
    """Regression (make fuzz, seed 424242): ``property=emulator%2F`` came back decoded in the 400's detail."""
    url = f"{FLOW}/connectionSpecs?property=emulator%2F"
    check_response(_semantic("GET", url, 400, FLOW_ERROR | {"status": 400, "type": FLOW_ERROR["type"][:-3] + "400",
                                                           "detail": "Invalid property filter 'emulator/'"}))
