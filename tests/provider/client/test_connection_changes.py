"""provider/client/connection_changes.py: resource properties ↔ Flow Service wire shapes (pure functions)."""

from __future__ import annotations

from provider.client.connection_changes import (
    create_body,
    observe_params,
    patch_operations,
    shows_values,
)
from provider.client.models import Connection
from tests.provider.conftest import BIGQUERY_SPEC_ID, POSTGRESQL_SPEC_ID

BASIC = "Basic Authentication"
PG_BASIC = {"server": "db", "port": 5432.0, "database": "sales", "username": "u", "password": "pw-1"}


def props(**overrides):
    base = dict(name="pg", description="d", connection_spec_id=POSTGRESQL_SPEC_ID, auth_spec_name=BASIC,
                auth_params=dict(PG_BASIC), connection_spec_version="1.0", sandbox="prod")
    base.update(overrides)
    return base


def test_create_body_restores_integers_and_drops_none():
    body = create_body(props(description=None)).body()
    assert body == {"name": "pg", "connectionSpec": {"id": POSTGRESQL_SPEC_ID, "version": "1.0"},
                    "auth": {"specName": BASIC, "params": {**PG_BASIC, "port": 5432}}}
    assert isinstance(body["auth"]["params"]["port"], int)


def test_create_body_sends_auth_type_only_when_set():
    params = {"project": "p", "clientId": "c", "clientSecret": "s", "refreshToken": "r"}
    p = props(connection_spec_id=BIGQUERY_SPEC_ID, auth_params=params, auth_type="OAuth2.0")
    assert create_body(p).body()["auth"]["type"] == "OAuth2.0"


def test_create_body_repr_hides_params():
    assert "pw-1" not in repr(create_body(props()))


def test_no_change_no_operations():
    assert patch_operations(props(), props(auth_params={**PG_BASIC, "port": 5432})) == []


def test_rename_description_and_rotation():
    ops = patch_operations(props(), props(name="pg2", description=None,
                                          auth_params={**PG_BASIC, "password": "pw-2"}))
    assert ops == [
        {"op": "replace", "path": "/name", "value": "pg2"},
        {"op": "remove", "path": "/description"},
        {"op": "add", "path": "/auth/params/password", "value": "pw-2"},
    ]
    assert patch_operations(props(description=None), props()) == [
        {"op": "add", "path": "/description", "value": "d"}]


def test_params_are_patched_key_by_key_and_dropped_keys_left_alone():
    old = props(auth_params={**PG_BASIC, "sslMode": "require"})
    new = props(auth_params={**PG_BASIC, "server": "db2", "port": "5432"})
    assert patch_operations(old, new) == [{"op": "add", "path": "/auth/params/server", "value": "db2"}]


def live(**overrides) -> Connection:
    doc = {"id": "c1", "name": "pg", "description": "d", "connectionSpec": {"id": POSTGRESQL_SPEC_ID},
           "auth": {"specName": BASIC, "params": {**PG_BASIC, "port": 5432, "password": "***"}}}
    doc.update(overrides)
    return Connection.model_validate(doc)


def test_shows_values_compares_only_what_the_api_shows():
    assert shows_values(live(), props(auth_params={**PG_BASIC, "password": "rotated"}))
    assert not shows_values(live(name="other"), props())
    assert not shows_values(live(), props(auth_params={**PG_BASIC, "server": "db2"}))


def test_shows_values_ignores_what_the_service_added_and_compares_by_value():
    conn = live(auth={"specName": BASIC, "params": {**PG_BASIC, "port": "5432", "password": "***", "region": "eu"}})
    assert shows_values(conn, props())


def test_observe_params_keeps_secrets_from_state_and_shows_drift():
    declared, added = observe_params(POSTGRESQL_SPEC_ID, BASIC,
                                     {**PG_BASIC, "server": "moved", "password": "***", "tier": "gold"}, PG_BASIC)
    assert declared == {**PG_BASIC, "port": 5432, "server": "moved", "password": "pw-1"}
    assert added == {"tier": "gold"}
    # a secret the API leaves out entirely is still kept from state
    omitted = {k: v for k, v in PG_BASIC.items() if k != "password"}
    assert observe_params(POSTGRESQL_SPEC_ID, BASIC, omitted, PG_BASIC)[0]["password"] == "pw-1"
    # without state a masked secret cannot be known, so it is left out rather than recorded as "***"
    declared, added = observe_params(POSTGRESQL_SPEC_ID, BASIC, {"password": "***"}, None)
    assert declared == {} and added == {}
