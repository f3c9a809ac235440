"""tests/emulator/service_conformance.py must reject Data Prep and Catalog responses Adobe could not have sent."""
from __future__ import annotations

import pytest

from tests.emulator.service_conformance import check_any
from tests.emulator.test_conformance import _response, _semantic
from tests.support.conformance import ConformanceError

PREP = "http://127.0.0.1:1/data/foundation/conversion"
CAT = "http://127.0.0.1:1/data/foundation/catalog"
CONV_404 = {"type": "https://ns.adobe.com/aep/errors/CONV-1101-404", "title": "Resource not found", "status": 404,
            "detail": "d", "report": {}}
SIMPLE = {"id": "e7c80e4c0d8f4a98a7d400b4e178b635", "version": 0, "createdDate": 1614901254724,
          "modifiedDate": 1614901254724, "createdBy": "c", "modifiedBy": "c"}

GOOD = [
    ("POST", f"{PREP}/mappingSets", 200, SIMPLE),
    ("GET", f"{PREP}/mappingSets/x", 200, {**SIMPLE, "mappings": [{"sourceType": "ATTRIBUTE", "source": "a"}]}),
    ("GET", f"{PREP}/mappingSets?limit=1", 200, {"data": [SIMPLE], "_page": {"count": 1, "limit": 1}, "_links": {}}),
    ("GET", f"{PREP}/mappingSets/x", 404, CONV_404),
    ("POST", f"{CAT}/dataSets", 201, ["@/dataSets/5f0123456789abcdef012345"]),
    ("GET", f"{CAT}/dataSets/x", 200, {"x": {"name": "n", "created": 1, "schemaRef": {"id": "s"}}}),
    ("DELETE", f"{CAT}/dataSets/x", 200, ["@/dataSets/x"]),
    ("GET", f"{CAT}/dataSets", 403, {"error_code": "403010", "message": "Oauth token is missing."}),
]
BAD = [
    ("POST", f"{PREP}/mappingSets", 200, {**SIMPLE, "version": "0"}, "spec"),
    ("GET", f"{PREP}/mappingSets/x", 200, {**SIMPLE, "mappings": [{"sourceType": "CONSTANT"}]}, "spec"),
    ("GET", f"{PREP}/mappingSets/x", 404, {**CONV_404, "type": CONV_404["type"].replace("CONV", "FLOW")}, "Adobe"),
    ("GET", f"{PREP}/mappingSets/x", 404, {**CONV_404, "status": 400}, "says status"),
    ("POST", f"{PREP}/mappingSets", 201, SIMPLE, "no such success"),
    ("GET", f"{CAT}/dataSets/x", 200, {"x": {"created": "yesterday"}}, "spec"),
    ("POST", f"{CAT}/dataSets", 201, {"id": "x"}, "spec"),
    ("GET", f"{CAT}/dataSets/x", 404, {"message": "gone"}, "Adobe"),
]


@pytest.mark.parametrize("method,url,status,body", GOOD)
def test_conforming_responses_pass(method, url, status, body):
    check_any(_response(method, url, status, body, {"Location": "http://h/x"} if status == 201 else None))


@pytest.mark.parametrize("method,url,status,body,words", BAD)
def test_nonconforming_responses_fail(method, url, status, body, words):
    with pytest.raises(ConformanceError, match=words):
        check_any(_response(method, url, status, body))


def test_head_is_checked_against_the_services_get():
    check_any(_semantic("HEAD", f"{CAT}/dataSets", 200))
    with pytest.raises(ConformanceError, match="HEAD response has a body"):
        check_any(_semantic("HEAD", f"{CAT}/dataSets", 200, {"x": {}}))
    with pytest.raises(ConformanceError, match="GET declares no such"):
        check_any(_semantic("HEAD", f"{CAT}/dataSets", 201))
