"""Method semantics where Adobe's docs are silent (RFC 9110): 405 with a complete Allow, OPTIONS, HEAD."""
from __future__ import annotations

import pytest
import requests

from tests.support.conformance import check_response

SPEC_ID = "74a1c565-4e59-48d7-9d67-7c03b8a13137"


@pytest.mark.parametrize("method,path,allowed", [
    ("PUT", "/connections", "GET, HEAD, POST, OPTIONS"),
    ("DELETE", "/connections/", "GET, HEAD, POST, OPTIONS"),
    ("POST", "/connections/x", "GET, HEAD, PATCH, DELETE, OPTIONS"),
    ("PUT", "/connections/x/", "GET, HEAD, PATCH, DELETE, OPTIONS"),
    ("DELETE", "/connections/x/test", "GET, HEAD, OPTIONS"),
    ("POST", f"/connectionSpecs/{SPEC_ID}", "GET, HEAD, OPTIONS"),
    ("TRACE", "/connectionSpecs", "GET, HEAD, OPTIONS"),
])
def test_405_lists_every_allowed_method(flow, method, path, allowed):
    response = flow.request(method, path)
    assert response.status_code == 405 and response.headers["Allow"] == allowed
    assert response.json()["error_code"] == "405000" and allowed in response.json()["message"]


def test_405_on_the_token_endpoint_is_an_oauth_error(emulator):
    response = requests.get(emulator.ims_url, timeout=10)
    check_response(response)
    assert response.status_code == 405 and response.headers["Allow"] == "POST, OPTIONS"
    assert response.json()["error"] == "invalid_request"


@pytest.mark.parametrize("path,allowed", [("/connections", "GET, HEAD, POST, OPTIONS"),
                                          ("/connections/anything", "GET, HEAD, PATCH, DELETE, OPTIONS")])
def test_options_is_204_with_allow_and_needs_no_credentials(emulator, path, allowed):
    response = requests.options(emulator.flow_url + path, timeout=10)
    check_response(response)
    assert response.status_code == 204 and response.headers["Allow"] == allowed and response.content == b""


def test_options_on_an_unknown_path_is_404(emulator):
    assert requests.options(emulator.url + "/nowhere", timeout=10).status_code == 404


def test_head_is_get_without_a_body(flow):
    created = flow.create()
    for path in ("/connections", f"/connections/{created['id']}", f"/connectionSpecs/{SPEC_ID}"):
        head, get = flow.request("HEAD", path), flow.get(path)
        assert head.status_code == get.status_code == 200 and head.content == b""
        assert head.headers.get("ETag") == get.headers.get("ETag")


def test_head_keeps_the_gateway_checks(flow):
    response = flow.request("HEAD", "/connections", headers={"Authorization": None})
    assert response.status_code == 403 and response.content == b""
