"""Regressions found by the fuzz suite (tests/emulator/fuzz): JSON bodies that crashed a handler into a 500,
or poisoned stored state so that later reads did, now get a 400 that says what is wrong."""
from __future__ import annotations

import json

import pytest

from tests.emulator.seeds import POSTGRESQL


def _flow_400(response, words: str) -> None:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["type"].endswith("FLOW-1100-400") and words in body["detail"], body
    assert body["report"]["additionalContext"]["field"] == "body"


def _with_name(raw_name: str) -> str:
    return json.dumps({**POSTGRESQL, "name": "NAME"}).replace('"NAME"', raw_name)


def test_lone_surrogate_in_a_key_is_400_not_500(flow):
    _flow_400(flow.post("/connections", data=b'{"\\ud800": 1}'), "unpaired UTF-16 surrogate")


def test_lone_surrogate_in_a_value_is_refused_so_lists_never_break(flow, emulator):
    _flow_400(flow.post("/connections", data=_with_name('"\\udc00x"')), "surrogate")
    assert emulator.connections() == []
    assert flow.get("/connections").status_code == 200


def test_a_surrogate_pair_is_fine(flow):
    created = flow.create(json.loads(_with_name('"emoji \\ud83d\\ude00"')))
    assert flow.fetch(created["id"])["name"] == "emoji \U0001F600"


@pytest.mark.parametrize("depth", [33, 5000, 200_000])
def test_deep_nesting_is_400_not_500(flow, depth):
    _flow_400(flow.post("/connections", data="[" * depth + "]" * depth), "nested more than 32 levels")


def test_nesting_within_the_limit_reaches_validation(flow):
    response = flow.post("/connections", json={**POSTGRESQL, "description": [[["ok"]]]})
    assert response.status_code == 400 and response.json()["report"]["additionalContext"]["field"] == "description"


@pytest.mark.parametrize("raw,words", [
    ("1" * 5000, "more than 4300 digits"), ('{"name": 1e999}', "out of range"), ("NaN", "NaN is not valid JSON"),
    ('{"name": -Infinity}', "-Infinity is not valid JSON"),
])
def test_numbers_python_cannot_hold_or_json_does_not_allow_are_400(flow, raw, words):
    _flow_400(flow.post("/connections", data=raw), words)


def test_non_finite_numbers_never_reach_documents_that_keep_any_json(flow, emulator):
    created = flow.create()
    body = {"name": "s", "baseConnectionId": created["id"], "data": {"format": "tabular"},
            "params": {"tableName": "t", "weight": "WEIGHT"}, "connectionSpec": POSTGRESQL["connectionSpec"]}
    _flow_400(flow.post("/sourceConnections", data=json.dumps(body).replace('"WEIGHT"', "1e400")), "out of range")
    assert flow.get("/sourceConnections").status_code == 200


def test_integer_param_out_of_int64_is_1304(flow):
    body = {"name": "pg", "connectionSpec": POSTGRESQL["connectionSpec"],
            "auth": {"specName": "Basic Authentication",
                     "params": {"server": "h", "port": 2**70, "database": "d", "username": "u", "password": "p"}}}
    response = flow.post("/connections", json=body)
    assert response.status_code == 400 and "out of range" in response.json()["detail"]


def test_utf8_byte_order_mark_is_skipped(flow):
    response = flow.post("/connections", data=b"\xef\xbb\xbf" + json.dumps(POSTGRESQL).encode())
    assert response.status_code == 201, response.text


def test_compressed_body_is_415_with_accept_encoding(flow):
    response = flow.post("/connections", data=b"\x1f\x8b\x08\x00", headers={"Content-Encoding": "gzip"})
    assert response.status_code == 415 and response.headers["Accept-Encoding"] == "identity"
    assert response.json()["report"]["additionalContext"]["field"] == "Content-Encoding"
