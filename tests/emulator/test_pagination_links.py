"""Pagination links (backend/paging.py) and list parameters: regressions from the fuzz suite and from real
clients' habits. The property test behind these is tests/emulator/fuzz/test_pagination.py."""
from __future__ import annotations

import pytest

from tests.emulator.seeds import postgresql_body


@pytest.fixture
def five(flow) -> list[str]:
    return [flow.create(postgresql_body(name=n))["id"] for n in ("e", "d", "c", "b", "a")]


def _names(response) -> list[str]:
    assert response.status_code == 200, response.text
    return [c["name"] for c in response.json()["items"]]


def test_next_href_is_only_the_token_like_adobes_page_link(flow, five):
    body = flow.get("/connections", params={"limit": 2, "orderby": "name", "property": "name!=x"}).json()
    href = body["_links"]["next"]["href"]
    assert href.startswith("/connections?continuationToken=") and "&" not in href and href.count("=") == 1


def test_following_the_href_alone_keeps_the_query(flow, five):
    first = flow.get("/connections", params={"limit": 2, "orderby": "name"}).json()
    second = flow.get(first["_links"]["next"]["href"]).json()
    assert [c["name"] for c in second["items"]] == ["c", "d"]


def test_links_do_not_grow_when_the_client_resends_its_parameters(flow, five):
    params, hrefs, names = {"limit": 1, "orderby": "-name"}, [], []
    body = flow.get("/connections", params=params).json()
    while True:
        names += [c["name"] for c in body["items"]]
        if "_links" not in body:
            break
        hrefs.append(body["_links"]["next"]["href"])
        body = flow.get(hrefs[-1], params=params).json()
    assert names == ["e", "d", "c", "b", "a"]
    assert len({len(h) for h in hrefs}) == 1


def test_aepp_style_token_extraction_works(flow, five):
    """aepp reads ``href.split("=")[1]`` and sends it with its own params."""
    body = flow.get("/connections", params={"limit": 3, "count": "false"}).json()
    token = body["_links"]["next"]["href"].split("=")[1]
    rest = flow.get("/connections", params={"limit": 3, "count": "false", "continuationToken": token}).json()
    assert len(rest["items"]) == 2 and "_links" not in rest


def test_parameters_sent_with_a_token_replace_the_tokens(flow, five):
    body = flow.get("/connections", params={"limit": 1, "orderby": "name"}).json()
    token = body["_links"]["next"]["href"].split("=", 1)[1]
    assert _names(flow.get("/connections", params={"continuationToken": token, "limit": 10})) == ["b", "c", "d", "e"]


def test_two_different_tokens_are_400(flow, five):
    first = flow.get("/connections", params={"limit": 1}).json()["_links"]["next"]["href"].split("=", 1)[1]
    second = flow.get("/connections", params={"limit": 2}).json()["_links"]["next"]["href"].split("=", 1)[1]
    response = flow.get("/connections", params=[("continuationToken", first), ("continuationToken", second)])
    assert response.status_code == 400
    assert response.json()["report"]["additionalContext"]["field"] == "continuationToken"


@pytest.mark.parametrize("limit", ["\u00b2", "\u0663", "9" * 5000, "99999999999", "-1", "0"])
def test_limit_that_is_not_ascii_digits_in_range_is_400_not_500(flow, limit):
    response = flow.get("/connections", params={"limit": limit})
    assert response.status_code == 400 and response.json()["report"]["additionalContext"]["field"] == "limit"


@pytest.mark.parametrize("orderby", ["-", "+", "name,--id", "a b"])
def test_orderby_that_names_no_field_is_400(flow, orderby):
    response = flow.get("/connections", params={"orderby": orderby})
    assert response.status_code == 400 and response.json()["report"]["additionalContext"]["field"] == "orderby"


def test_empty_property_is_ignored(flow, five):
    assert len(_names(flow.get("/connections", params={"property": ""}))) == 5
