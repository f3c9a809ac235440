"""POST /ims/token/v3 as real clients send it, and the form shapes the fuzz suite found crashing: every answer
is a token or an OAuth error (``error``/``error_description``), never a 500 or the gateway's shape."""
from __future__ import annotations

import base64

import pytest

from tests.support.conformance import conforming_session

GRANT = {"grant_type": "client_credentials", "scope": "openid,AdobeID,read_organizations"}


def _post(emulator, **kwargs):
    return conforming_session().post(emulator.ims_url, timeout=10, **kwargs)


def _oauth_error(response, status: int, error: str, words: str = "") -> None:
    assert response.status_code == status, response.text
    assert response.json()["error"] == error and words in response.json()["error_description"]


def test_client_id_in_the_query_string_as_in_adobes_postman_guide(emulator):
    response = _post(emulator, params={"client_id": emulator.client_id},
                     data={**GRANT, "client_secret": emulator.client_secret})
    assert response.status_code == 200, response.text


def test_everything_in_the_query_string_with_no_body(emulator):
    params = {**GRANT, "client_id": emulator.client_id, "client_secret": emulator.client_secret}
    assert _post(emulator, params=params).status_code == 200


def test_multipart_form_as_adobes_node_library_sends(emulator):
    fields = {**GRANT, "client_id": emulator.client_id, "client_secret": emulator.client_secret}
    assert _post(emulator, files={k: (None, v) for k, v in fields.items()}).status_code == 200


def test_http_basic_client_authentication(emulator):
    assert _post(emulator, data=GRANT, auth=(emulator.client_id, emulator.client_secret)).status_code == 200
    _oauth_error(_post(emulator, data=GRANT, auth=(emulator.client_id, "wrong")), 401, "invalid_client")


def test_basic_and_a_form_secret_together_is_invalid_request(emulator):
    response = _post(emulator, data={**GRANT, "client_secret": emulator.client_secret},
                     auth=(emulator.client_id, emulator.client_secret))
    _oauth_error(response, 400, "invalid_request", "not both")


@pytest.mark.parametrize("value", ["Basic !!!", "Basic " + base64.b64encode(b"no-colon").decode(),
                                   "Basic " + base64.b64encode(b"\xff:\xfe").decode()])
def test_malformed_basic_credentials_are_401(emulator, value):
    response = _post(emulator, data=GRANT, headers={"Authorization": value})
    _oauth_error(response, 401, "invalid_client")
    assert response.headers["WWW-Authenticate"].startswith("Basic")


def test_a_file_part_where_a_field_belongs_is_400_not_500(emulator):
    files = {"client_id": ("id.txt", emulator.client_id.encode()), "client_secret": (None, emulator.client_secret),
             "grant_type": (None, "client_credentials")}
    _oauth_error(_post(emulator, files=files), 400, "invalid_request", "client_id must be a plain form field")


def test_conflicting_values_for_one_parameter_are_400(emulator):
    data = [("grant_type", "client_credentials"), ("client_id", emulator.client_id), ("client_id", "other"),
            ("client_secret", emulator.client_secret)]
    _oauth_error(_post(emulator, data=data), 400, "invalid_request", "client_id is given more than once")
    _oauth_error(_post(emulator, params={"client_id": "other"},
                       data={**GRANT, "client_id": emulator.client_id, "client_secret": "s"}), 400, "invalid_request")


def _part(name: bytes, value: bytes) -> bytes:
    return b'--x\r\nContent-Disposition: form-data; name="' + name + b'"\r\n\r\n' + value + b"\r\n--x--\r\n"


@pytest.mark.parametrize("content_type,body", [
    ("multipart/form-data", b"no boundary"),
    ("multipart/form-data; boundary=x; charset=bogus", _part(b"a", b"b")),
    ("multipart/form-data; boundary=x", _part(b"client_id", b"\xff")),
    ("multipart/form-data; boundary=x", _part(b"\xff", b"v")),
])
def test_unparseable_forms_are_oauth_errors(emulator, content_type, body):
    response = _post(emulator, data=body, headers={"Content-Type": content_type})
    assert response.status_code == 400 and "error" in response.json()


def test_a_form_with_more_than_32_fields_is_400(emulator):
    data = [(f"f{i}", "v") for i in range(40)] + [("client_id", emulator.client_id)]
    _oauth_error(_post(emulator, data=data), 400, "invalid_request", "Maximum number of fields is 32")
