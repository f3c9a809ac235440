"""Conditional requests on /connections/{id} as RFC 9110 section 13 says (backend/preconditions.py)."""
from __future__ import annotations

from email.utils import formatdate

import pytest

RENAME = [{"op": "replace", "path": "/name", "value": "renamed"}]
PAST, FUTURE = "Sun, 06 Nov 1994 08:49:37 GMT", "Tue, 01 Jan 2999 00:00:00 GMT"


@pytest.fixture
def conn(flow) -> dict:
    return flow.create()


def test_get_carries_etag_and_last_modified(flow, conn):
    response = flow.get(f"/connections/{conn['id']}")
    item = response.json()["items"][0]
    assert response.headers["ETag"] == conn["etag"]
    assert response.headers["Last-Modified"] == formatdate(item["updatedAt"] // 1000, usegmt=True)


@pytest.mark.parametrize("value", ["{etag}", "*", '"other", {etag}', "W/{etag}"])
def test_if_none_match_that_matches_is_304_without_body(flow, conn, value):
    response = flow.get(f"/connections/{conn['id']}", headers={"If-None-Match": value.format(etag=conn["etag"])})
    assert response.status_code == 304 and response.content == b"" and response.headers["ETag"] == conn["etag"]


def test_if_none_match_that_does_not_match_is_200(flow, conn):
    assert flow.get(f"/connections/{conn['id']}", headers={"If-None-Match": '"other"'}).status_code == 200


@pytest.mark.parametrize("since,status", [(FUTURE, 304), (PAST, 200), ("not a date", 200)])
def test_if_modified_since(flow, conn, since, status):
    assert flow.get(f"/connections/{conn['id']}", headers={"If-Modified-Since": since}).status_code == status


def test_if_none_match_wins_over_if_modified_since(flow, conn):
    headers = {"If-None-Match": '"other"', "If-Modified-Since": FUTURE}
    assert flow.get(f"/connections/{conn['id']}", headers=headers).status_code == 200


def test_stale_if_match_on_get_is_412(flow, conn):
    response = flow.get(f"/connections/{conn['id']}", headers={"If-Match": '"stale"'})
    assert response.status_code == 412 and response.json()["type"].endswith("FLOW-1404-412")


@pytest.mark.parametrize("value", ["*", '"other", {etag}', "{bare}"])
def test_patch_if_match_star_list_or_bare_tag_is_applied(flow, conn, value):
    if_match = value.format(etag=conn["etag"], bare=conn["etag"].strip('"'))
    response = flow.patch(f"/connections/{conn['id']}", json=RENAME, headers={"If-Match": if_match})
    assert response.status_code == 200, response.text
    assert flow.fetch(conn["id"])["name"] == "renamed"


def test_weak_tag_never_matches_if_match(flow, conn):
    response = flow.patch(f"/connections/{conn['id']}", json=RENAME, headers={"If-Match": f"W/{conn['etag']}"})
    assert response.status_code == 412


def test_if_unmodified_since_in_the_past_is_412_and_in_the_future_applies(flow, conn):
    stale = flow.patch(f"/connections/{conn['id']}", json=RENAME,
                       headers={"If-Match": None, "If-Unmodified-Since": PAST})
    assert stale.status_code == 400 and stale.json()["type"].endswith("FLOW-1403-400")  # Adobe: If-Match required
    assert flow.delete(f"/connections/{conn['id']}", headers={"If-Unmodified-Since": PAST}).status_code == 412
    assert flow.delete(f"/connections/{conn['id']}", headers={"If-Unmodified-Since": FUTURE}).status_code == 204


def test_delete_with_if_none_match_star_is_412(flow, conn):
    assert flow.delete(f"/connections/{conn['id']}", headers={"If-None-Match": "*"}).status_code == 412
    assert flow.delete(f"/connections/{conn['id']}", headers={"If-Match": "*"}).status_code == 204
