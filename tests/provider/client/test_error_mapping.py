"""provider/client/error_mapping.py: Adobe's error shapes (real replies from the emulator) → the error tree."""

from __future__ import annotations

import pytest
import requests

from provider.client.error_mapping import REDACTED, error_from_response, redact
from provider.errors import (
    AepError,
    AuthError,
    NotFoundError,
    ServerError,
    StaleEtagError,
    ThrottledError,
    ValidationError,
)
from tests.provider.conftest import POSTGRESQL_SPEC_ID, pg_connection_string


def pg_body(**params):
    return {"name": "pg", "auth": {"specName": "Connection String Based Authentication",
                                   "params": params or {"connectionString": pg_connection_string()}},
            "connectionSpec": {"id": POSTGRESQL_SPEC_ID, "version": "1.0"}}


def call(emulator, method, path, headers=None, **kwargs):
    return requests.request(method, emulator.flow_url + path, headers={**emulator.headers(), **(headers or {})},
                            timeout=10, **kwargs)


def test_flow_service_400_is_a_validation_error_with_code_and_detail(emulator):
    response = call(emulator, "POST", "/connections", json=pg_body(connectionString="x", port=1))
    error = error_from_response(response, "creating connection 'pg' in sandbox prod")
    assert isinstance(error, ValidationError) and error.status == 400
    assert error.code == "FLOW-1304-400"
    assert str(error).startswith("creating connection 'pg' in sandbox prod failed: HTTP 400 FLOW-1304-400: ")
    assert "auth.params.port is not a parameter" in str(error)


def test_404_is_not_found_with_refresh_hint(emulator):
    error = error_from_response(call(emulator, "GET", "/connections/nope"), "reading connection nope")
    assert isinstance(error, NotFoundError) and error.code == "FLOW-1101-404"
    assert "run `pulumi refresh`" in str(error)


def test_412_is_a_stale_etag_error(emulator):
    created = call(emulator, "POST", "/connections", json=pg_body()).json()
    response = call(emulator, "PATCH", f"/connections/{created['id']}", headers={"If-Match": '"stale"'}, json=[{"op": "replace", "path": "/name", "value": "x"}])
    error = error_from_response(response, "updating")
    assert isinstance(error, StaleEtagError) and error.status == 412


def test_gateway_shapes_for_401_and_429(emulator):
    response = requests.get(emulator.flow_url + "/connections", timeout=10,
                            headers={**emulator.headers(), "Authorization": "Bearer not-a-token"})
    error = error_from_response(response, "listing")
    assert isinstance(error, AuthError) and error.code == response.json()["error_code"]
    assert "aep:clientId / aep:clientSecret / aep:orgId" in str(error)
    emulator.set_faults(script=[{"method": "GET", "fault": "429"}])
    throttled = error_from_response(call(emulator, "GET", "/connections"), "listing")
    assert isinstance(throttled, ThrottledError) and throttled.code == "429001"


def test_ims_shape(emulator):
    response = requests.post(emulator.ims_url, timeout=10, data={
        "grant_type": "client_credentials", "client_id": emulator.client_id, "client_secret": "nope",
        "scope": "openid"})
    error = error_from_response(response, "IMS token request")
    assert isinstance(error, AuthError) and error.code == "invalid_client"
    assert "invalid client_secret parameter" in str(error)


def test_5xx_is_a_server_error(emulator):
    emulator.set_faults(script=[{"method": "GET", "fault": "503"}])
    error = error_from_response(call(emulator, "GET", "/connections"), "listing")
    assert isinstance(error, ServerError) and error.status == 503


def test_every_mapped_error_is_an_aep_error(emulator):
    assert issubclass(StaleEtagError, AepError)
    error = error_from_response(call(emulator, "GET", "/connections/nope"), "x")
    assert isinstance(error, AepError)


def test_secrets_echoed_by_a_server_are_redacted(emulator):
    """If a service ever echoed input, the caller's secrets are cut out of the message."""
    response = call(emulator, "POST", "/connections", json=pg_body(connectionString="x", port=1))
    echoed = "auth.params.port"  # stands for a value the server quoted back
    error = error_from_response(response, "creating", secrets=[echoed, None, "ab"])
    assert echoed not in str(error) and REDACTED in str(error)


@pytest.mark.parametrize(
    ("text", "secrets", "expected"),
    [
        ("pw=hunter22 and hunter22x", ["hunter22"], f"pw={REDACTED} and {REDACTED}x"),
        ("abc", ["ab"], "abc"),  # too short to redact safely
        ("token tok-long-value", ["tok-long", "tok-long-value"], f"token {REDACTED}"),  # longest first
        ("n=5432", [5432], f"n={REDACTED}"),
    ],
)
def test_redact(text, secrets, expected):
    assert redact(text, secrets) == expected
