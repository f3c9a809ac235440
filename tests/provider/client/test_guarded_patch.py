"""provider/client/guarded_patch.py against the emulator over real HTTP: a 412 or a lost reply after the service
changed the object by itself costs one GET and one resend, once; a change by a person is never overwritten."""

from __future__ import annotations

import pytest

from provider.errors import StaleEtagError
from tests.provider.client.test_flow_service import pg
from tests.provider.conftest import flow_counts

ONE = "/data/foundation/flowservice/connections/{id}"
RENAME = [{"op": "replace", "path": "/name", "value": "renamed"}]


def _still_recorded(conn) -> bool:
    """What the provider passes as ``unchanged``: the connection shows the values the state recorded."""
    return conn.name == "pg"


def _calls(emulator) -> list[tuple[str, int]]:
    return [(r["method"], r["status"]) for r in emulator.requests() if r["template"] == ONE]


def test_a_412_from_the_services_own_change_is_sent_again_once(emulator, client):
    created, _ = client.create_connection("prod", pg())
    emulator.service_edit(created.id, params={"region": "eu"})
    emulator.clear_log()
    result = client.update_connection("prod", created.id, created.etag, RENAME, applied=lambda c: False,
                                      unchanged=_still_recorded)
    assert _calls(emulator) == [("PATCH", 412), ("GET", 200), ("PATCH", 200)]
    stored = emulator.connections()[0]
    assert stored["name"] == "renamed" and stored["auth"]["params"]["region"] == "eu"
    assert result.etag == stored["etag"]


def test_a_second_change_while_resending_is_not_taken_over(emulator, client):
    """Only once: if the etag moves again before the resend lands, the user is told, nothing is overwritten."""
    created, _ = client.create_connection("prod", pg())
    emulator.service_edit(created.id, params={"region": "eu"})
    seen = []

    def unchanged(conn) -> bool:
        if not seen:  # the service changes it again between our GET and our resend
            seen.append(emulator.service_edit(created.id, params={"region": "us"}))
        return _still_recorded(conn)

    with pytest.raises(StaleEtagError, match="changed outside Pulumi"):
        client.update_connection("prod", created.id, created.etag, RENAME, applied=lambda c: False,
                                 unchanged=unchanged)
    assert emulator.connections()[0]["name"] == "pg"


def test_a_person_s_change_is_never_overwritten(emulator, client):
    created, _ = client.create_connection("prod", pg())
    client.update_connection("prod", created.id, created.etag, [{"op": "replace", "path": "/name", "value": "ui"}],
                             applied=lambda c: False)
    emulator.clear_log()
    with pytest.raises(StaleEtagError, match="Nothing was overwritten"):
        client.update_connection("prod", created.id, created.etag, RENAME, applied=lambda c: False,
                                 unchanged=_still_recorded)
    assert flow_counts(emulator) == {"PATCH /connections/{id}": 1, "GET /connections/{id}": 1}
    assert emulator.connections()[0]["name"] == "ui"


def test_a_secret_rotated_by_a_person_is_never_overwritten(emulator, client):
    """No GET shows a secret, so the visible values match the state; the last change is a person's all the same."""
    created, _ = client.create_connection("prod", pg())
    client.update_connection("prod", created.id, created.etag, [{"op": "add", "path": "/auth/params/connectionString",
                                                               "value": "Server=db;Password=rotated-in-ui"}],
                             applied=lambda c: False)
    with pytest.raises(StaleEtagError, match="Nothing was overwritten"):
        client.update_connection("prod", created.id, created.etag, RENAME, applied=lambda c: False,
                                 unchanged=lambda c: True)
    assert "rotated-in-ui" in emulator.connections()[0]["auth"]["params"]["connectionString"]


@pytest.mark.parametrize("fault", ["drop", "500"])
def test_a_lost_reply_after_the_services_own_change_is_resent(emulator, client, fault):
    """The reply is lost and the etag has moved, yet the new name is not there: the service's change, not ours."""
    created, _ = client.create_connection("prod", pg())
    emulator.service_edit(created.id, params={"region": "eu"})
    emulator.set_faults(script=[{"method": "PATCH", "template": ONE, "fault": fault}])
    emulator.clear_log()
    client.update_connection("prod", created.id, created.etag, RENAME, applied=lambda c: c.name == "renamed",
                             unchanged=_still_recorded)
    assert [method for method, _status in _calls(emulator)] == ["PATCH", "GET", "PATCH"]
    assert emulator.connections()[0]["name"] == "renamed"


def test_a_lost_secret_rotation_after_the_services_own_change_is_sent_again(emulator, client):
    """A secret-only change always looks applied; after the service's own change it is sent again, not assumed."""
    created, _ = client.create_connection("prod", pg())
    emulator.service_edit(created.id, params={"region": "eu"})
    emulator.set_faults(script=[{"method": "PATCH", "template": ONE, "fault": "drop"}])
    rotate = [{"op": "add", "path": "/auth/params/connectionString", "value": "Server=db;Password=rotated-77"}]
    client.update_connection("prod", created.id, created.etag, rotate, applied=lambda c: True,
                             unchanged=lambda c: True)
    assert "rotated-77" in emulator.connections()[0]["auth"]["params"]["connectionString"]
