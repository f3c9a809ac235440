"""Ambiguous writes: a POST or PATCH whose outcome is unknown is resolved by reading, never by blind repetition.
Faults come from the emulator's one-shot script: `drop` closes the connection before the write, `commit_drop`
after it, 5xx answer without writing."""

from __future__ import annotations

import pytest

from provider.errors import TransportError
from tests.provider.client.test_flow_service import PASSWORD, bigquery, pg
from tests.provider.conftest import flow_counts

LIST = "/data/foundation/flowservice/connections"
ONE = "/data/foundation/flowservice/connections/{id}"


def calls(emulator):
    return [(r["method"], r["template"].replace("/data/foundation/flowservice", ""), r["status"])
            for r in emulator.requests() if not r["template"].startswith("/ims")]


@pytest.mark.parametrize("fault", ["drop", "500", "502", "503"])
def test_post_not_applied_is_looked_up_then_sent_again(emulator, client, fault):
    emulator.set_faults(script=[{"method": "POST", "template": LIST, "fault": fault}])
    result, adopted = client.create_connection("prod", pg())
    assert not adopted
    status = None if fault == "drop" else int(fault)
    assert calls(emulator) == [("POST", "/connections", status), ("GET", "/connections", 200),
                               ("POST", "/connections", 201)]
    assert [c["id"] for c in emulator.connections()] == [result.id]


def test_post_applied_but_reply_lost_is_adopted_not_duplicated(emulator, client):
    emulator.set_faults(script=[{"method": "POST", "template": LIST, "fault": "commit_drop"}])
    result, adopted = client.create_connection("prod", pg())
    assert adopted
    stored = emulator.connections()
    assert [c["id"] for c in stored] == [result.id] and result.etag == stored[0]["etag"]
    assert calls(emulator) == [("POST", "/connections", 201), ("GET", "/connections", 200)]


def test_lookup_ignores_same_name_of_another_spec(emulator, client):
    other, _ = client.create_connection("prod", bigquery("pg"))
    emulator.set_faults(script=[{"method": "POST", "template": LIST, "fault": "drop"}])
    result, adopted = client.create_connection("prod", pg("pg"))
    assert not adopted and result.id != other.id
    assert len(emulator.connections()) == 2


def test_gives_up_after_three_ambiguous_posts_and_says_nothing_was_created(emulator, client):
    emulator.set_faults(script=[{"method": "POST", "template": LIST, "fault": "drop"}] * 3)
    with pytest.raises(TransportError) as info:
        client.create_connection("prod", pg())
    assert "No connection named 'pg' was created; it is safe to run again" in str(info.value)
    assert PASSWORD not in str(info.value)
    assert emulator.connections() == []
    assert flow_counts(emulator)["POST /connections"] == 3


def test_patch_dropped_before_the_write_is_sent_again(emulator, client):
    created, _ = client.create_connection("prod", pg())
    emulator.set_faults(script=[{"method": "PATCH", "template": ONE, "fault": "drop"}])
    result = client.update_connection("prod", created.id, created.etag,
                                      [{"op": "replace", "path": "/name", "value": "renamed"}],
                                      applied=lambda c: c.name == "renamed")
    assert result.etag == emulator.connections()[0]["etag"] and emulator.connections()[0]["name"] == "renamed"
    assert calls(emulator)[1:] == [("PATCH", "/connections/{id}", None), ("GET", "/connections/{id}", 200),
                                   ("PATCH", "/connections/{id}", 200)]


def test_patch_applied_but_reply_lost_is_not_sent_twice(emulator, client):
    created, _ = client.create_connection("prod", pg())
    emulator.set_faults(script=[{"method": "PATCH", "template": ONE, "fault": "commit_drop"}])
    result = client.update_connection("prod", created.id, created.etag,
                                      [{"op": "replace", "path": "/name", "value": "renamed"}],
                                      applied=lambda c: c.name == "renamed")
    stored = emulator.connections()[0]
    assert stored["name"] == "renamed" and result.etag == stored["etag"]
    assert flow_counts(emulator)["PATCH /connections/{id}"] == 1


def test_patch_reply_lost_and_values_differ_is_a_stale_etag(emulator, client):
    """The etag moved but the connection does not show our values: someone else wrote; do not overwrite."""
    created, _ = client.create_connection("prod", pg())
    emulator.set_faults(script=[{"method": "PATCH", "template": ONE, "fault": "commit_drop"}])
    with pytest.raises(Exception, match="changed outside Pulumi"):
        client.update_connection("prod", created.id, created.etag,
                                 [{"op": "replace", "path": "/name", "value": "renamed"}],
                                 applied=lambda c: False)
    assert flow_counts(emulator)["PATCH /connections/{id}"] == 1


def test_failed_lookup_after_an_ambiguous_post_says_it_may_exist(emulator, client):
    lookup_fails = [{"method": "GET", "template": LIST, "fault": "500"}] * 5  # first try + aep:maxRetries (4)
    emulator.set_faults(script=[{"method": "POST", "template": LIST, "fault": "commit_drop"}, *lookup_fails])
    with pytest.raises(TransportError) as info:
        client.create_connection("prod", pg())
    text = str(info.value)
    assert "the outcome is unknown" in text and "looking it up failed too" in text
    assert "look for a connection named 'pg' in sandbox prod: the next `pulumi up` takes it over" in text
    assert "otherwise set adopt_id to its id" in text
    assert PASSWORD not in text
    assert flow_counts(emulator)["POST /connections"] == 1  # never re-sent blindly
