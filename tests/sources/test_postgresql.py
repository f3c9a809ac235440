"""PostgreSqlConnection: Adobe's connection-string pattern, brace quoting end to end, SSL, the either/or rule."""

from __future__ import annotations

import pytest

from policy.rules.connection_string import parse_connection_string as policy_parse
from policy.rules.connection_string import passwords_in
from provider.sources import InvalidSourceArgument
from provider.sources.connection_string import parse_connection_string
from provider.sources.postgresql import PostgreSqlBasicConnection, PostgreSqlConnection, postgresql_connection_string

NASTY_PASSWORD = "p;w}d={x} 'q\" ;UID=admin"
PARTS = dict(host="db.example.com", database="orders", username="aep_reader", password=NASTY_PASSWORD)


def test_plain_values_follow_adobes_pattern_exactly():
    assert postgresql_connection_string("h", 5432, "d", "u", "p") == "Server=h;Database=d;Port=5432;UID=u;Password=p"


@pytest.mark.parametrize(("ssl_mode", "suffix"), [
    (None, ""),
    ("disable", ";EncryptionMethod=0"),
    ("prefer", ";EncryptionMethod=6"),
    ("require", ";EncryptionMethod=1;ValidateServerCertificate=0"),
    ("verify-full", ";EncryptionMethod=1;ValidateServerCertificate=1"),
])
def test_ssl_mode_adds_adobes_documented_properties(ssl_mode, suffix):
    text = postgresql_connection_string("h", 5432, "d", "u", "p", ssl_mode=ssl_mode)
    assert text == "Server=h;Database=d;Port=5432;UID=u;Password=p" + suffix


def test_nasty_password_reaches_flow_service_intact_and_injects_nothing(run_component, emulator):
    run_component("PostgreSqlConnection", {**PARTS, "port": 6543, "ssl_mode": "verify-full"}).raise_for_error()
    (stored,) = emulator.connections()
    assert stored["auth"]["specName"] == "Connection String Based Authentication"
    pairs = parse_connection_string(stored["auth"]["params"]["connectionString"])
    assert pairs == [("Server", "db.example.com"), ("Database", "orders"), ("Port", "6543"), ("UID", "aep_reader"),
                     ("Password", NASTY_PASSWORD), ("EncryptionMethod", "1"), ("ValidateServerCertificate", "1")]


def test_the_policy_pack_reads_what_the_component_writes():
    text = postgresql_connection_string("h", 5432, "d", "u", NASTY_PASSWORD, ssl_mode="require")
    assert passwords_in(text) == [NASTY_PASSWORD]
    assert policy_parse(text)["uid"] == ["u"]
    assert policy_parse(text)["encryptionmethod"] == ["1"]


def test_a_given_connection_string_is_sent_as_is(run_component, emulator):
    given = "Server=h;Database=d;Port=5432;UID=u;Password={a;b}"
    run_component("PostgreSqlConnection", {"connection_string": given}).raise_for_error()
    assert emulator.connections()[0]["auth"]["params"] == {"connectionString": given}


def test_connection_string_is_secret_in_registered_inputs(run_component):
    run = run_component("PostgreSqlConnection", PARTS).raise_for_error()
    base = run.resource("subject", "pulumi-python:dynamic/aep:BaseConnection")
    assert "auth_params" in base.secret_paths
    assert NASTY_PASSWORD not in str({k: v for k, v in base.inputs.items() if k != "auth_params"})


def test_parts_and_connection_string_are_exclusive():
    with pytest.raises(InvalidSourceArgument, match="pass either connection_string or host, database"):
        PostgreSqlConnection("pg", **PARTS, connection_string="Server=h;Database=d;UID=u;Password=p")


def test_missing_parts_are_named():
    with pytest.raises(InvalidSourceArgument, match=r"argument\(s\) username, password are required"):
        PostgreSqlConnection("pg", host="h", database="d")


@pytest.mark.parametrize(("args", "argument"), [
    ({**PARTS, "port": 0}, "port"),
    ({**PARTS, "host": "db example"}, "host"),
    ({**PARTS, "ssl_mode": "always"}, "ssl_mode"),
    ({"connection_string": "Server=h;Database=d;Password={hunter2"}, "connection_string"),
    ({"connection_string": "Server=h;Password=hunter2"}, "connection_string"),
])
def test_invalid_values_are_rejected_naming_the_argument(args, argument):
    with pytest.raises(InvalidSourceArgument) as err:
        PostgreSqlConnection("pg", **args)
    assert f"argument '{argument}' is invalid" in str(err.value)
    assert "hunter2" not in str(err.value)


def test_basic_authentication_variant_sends_separate_params(run_component, emulator):
    args = dict(server="db", database="orders", username="u", password="pw", ssl_mode="require")
    run_component("PostgreSqlBasicConnection", args).raise_for_error()
    params = emulator.connections()[0]["auth"]["params"]
    assert params == {"server": "db", "port": 5432, "database": "orders", "username": "u", "password": "pw",
                      "sslMode": "require"}
    assert PostgreSqlBasicConnection.auth_spec_name == "Basic Authentication"
