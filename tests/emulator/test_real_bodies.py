"""Create bodies as Adobe's streaming tutorials and the aepp client send them: they carry a top-level
``providerId``, which the emulator accepts and does not store; fields that are genuinely wrong stay a 400."""
from __future__ import annotations

import pytest

STREAMING_PROVIDER = "521eee4d-8cbe-4906-bb48-fb6bd4450033"
HTTP_API = {"id": "bc7b00d6-623a-4dfc-9fdb-f1240aeadaeb", "version": "1.0"}
KINESIS = {"id": "86043421-563b-46ec-8e6c-e23184711bf6", "version": "1.0"}


def _http_api(params: dict) -> dict:
    return {"name": "Sample streaming connection", "providerId": STREAMING_PROVIDER,
            "description": "Sample description", "connectionSpec": HTTP_API,
            "auth": {"specName": "Streaming Connection", "params": params}}


TUTORIAL_BODIES = {
    "http api, not authenticated": _http_api({"sourceId": "Sample connection", "dataType": "xdm",
                                              "name": "Sample connection"}),
    "http api, authenticated": _http_api({"sourceId": "Sample connection", "dataType": "xdm",
                                          "name": "Sample connection", "authenticationRequired": True}),
    "amazon kinesis": {"name": "Amazon Kinesis connection", "description": "Connector for Amazon Kinesis",
                       "providerId": STREAMING_PROVIDER, "connectionSpec": KINESIS,
                       "auth": {"specName": "Aws Kinesis authentication credentials",
                                "params": {"accessKeyId": "{ACCESS_KEY_ID}", "secretKey": "{SECRET_KEY}",
                                           "region": "{REGION}"}}},
    "aepp createStreamingConnection": _http_api({"sourceId": "AnIDString", "dataType": "raw", "name": "New"}),
}


@pytest.mark.parametrize("body", TUTORIAL_BODIES.values(), ids=TUTORIAL_BODIES.keys())
def test_streaming_tutorial_bodies_are_created(flow, emulator, body):
    created = flow.create(body)
    stored = flow.fetch(created["id"])
    assert stored["name"] == body["name"] and "providerId" not in stored
    assert "providerId" not in emulator.connections()[0]


@pytest.mark.parametrize("value", [7, None, ["x"], {"id": STREAMING_PROVIDER}])
def test_provider_id_that_is_not_a_string_is_400(flow, value):
    response = flow.post("/connections", json={**TUTORIAL_BODIES["amazon kinesis"], "providerId": value})
    assert response.status_code == 400 and response.json()["report"]["additionalContext"]["field"] == "providerId"


@pytest.mark.parametrize("field", ["providerID", "connectionSpecId", "params"])
def test_fields_no_tutorial_shows_are_still_refused_by_name(flow, field):
    response = flow.post("/connections", json={**TUTORIAL_BODIES["amazon kinesis"], field: "x"})
    assert response.status_code == 400 and field in response.json()["detail"]
