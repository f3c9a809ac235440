"""Hypothesis over the IMS token endpoint: forms, multipart parts (fields and files), query parameters, Basic
credentials and raw bodies, right and wrong. No 5xx; every answer is a token or an OAuth error."""
from __future__ import annotations

from hypothesis import given

from tests.emulator.fuzz.harness import fuzz
from tests.emulator.fuzz.parts import ims_requests


def test_token_requests(fuzz_client, emulator):
    @fuzz(examples=400)
    @given(kwargs=ims_requests(emulator.client_id, emulator.client_secret))
    def run(kwargs):
        fuzz_client.case()
        response = fuzz_client.send("POST", emulator.ims_url, **kwargs)
        assert response.status_code in (200, 400, 401, 413), response.text

    run()
