"""postgres-tls-required: every TLS statement must ask for TLS; scope is PostgreSQL in listed sandboxes."""

import pytest

from policy.rules.model import StackContext
from policy.rules.postgres_tls import applies, check, is_tls_mode, parse_settings, tls_settings
from tests.policy.sample_connections import PG_PASSWORD, bigquery, connection, pg_connection_string, postgres

DEFAULTS = parse_settings(None)


def pg_with(tls: str, **overrides):
    return connection(postgres(auth_params={"connectionString": pg_connection_string(tls)}, **overrides))


@pytest.mark.parametrize("tls", [
    "EncryptionMethod=1;ValidateServerCertificate=1",   # what PostgreSqlConnection(ssl_mode="verify-full") writes
    "EncryptionMethod=1;ValidateServerCertificate=0",   # ssl_mode="require"
    "sslmode=require", "SSL Mode=Require", "ssl_mode=verify-ca", "SslMode=VerifyFull", "sslmode=Verify Full",
])
def test_connection_strings_that_ask_for_tls_pass(tls):
    assert check(pg_with(tls), DEFAULTS) == []


@pytest.mark.parametrize("tls, shown", [
    ("EncryptionMethod=0", "EncryptionMethod in the connection string is '0'"),
    ("EncryptionMethod=6", "EncryptionMethod in the connection string is '6'"),
    ("sslmode=prefer", "sslmode in the connection string is 'prefer'"),
    ("SSL Mode=Disable", "sslmode in the connection string is 'Disable'"),
    ("sslmode=require;EncryptionMethod=6", "EncryptionMethod in the connection string is '6'"),
])
def test_weak_or_conflicting_tls_fails_and_says_where(tls, shown):
    [message] = check(pg_with(tls), DEFAULTS)
    assert message.startswith("[postgres-tls-required] PostgreSQL connection 'orders' in sandbox 'prod'")
    assert shown in message and "Fix:" in message
    assert PG_PASSWORD not in message


def test_no_tls_statement_at_all_fails():
    [message] = check(pg_with(""), DEFAULTS)
    assert "does not ask for TLS" in message


def test_libpq_and_uri_connection_strings():
    uri = connection(postgres(auth_params={"connectionString": "postgresql://u:p@h/db?sslmode=verify-full"}))
    libpq = connection(postgres(auth_params={"connectionString": "host=h user=u password=p sslmode=allow"}))
    assert check(uri, DEFAULTS) == []
    assert "'allow'" in check(libpq, DEFAULTS)[0]


@pytest.mark.parametrize("mode, ok", [("require", True), ("Verify Ca", True), ("verify_full", True), (True, True),
                                      ("true", True), ("Prefer", False), ("disable", False), (False, False),
                                      (1, False), (None, False)])
def test_basic_auth_ssl_mode_param(mode, ok):
    conn = connection(postgres(auth_spec_name="Basic Authentication",
                               auth_params={"server": "h", "port": 5432, "database": "d", "username": "u",
                                            "password": PG_PASSWORD, "sslMode": mode}))
    assert (check(conn, DEFAULTS) == []) is ok
    assert is_tls_mode(mode) is ok


def test_basic_auth_without_ssl_mode_fails():
    conn = connection(postgres(auth_spec_name="Basic Authentication", auth_params={"server": "h", "password": "p"}))
    assert "does not ask for TLS" in check(conn, DEFAULTS)[0]


def test_tls_settings_lists_every_statement():
    conn = connection(postgres(auth_params={"sslMode": "require",
                                            "connectionString": "Server=h;sslmode=disable;EncryptionMethod=1"}))
    assert [(s.where, s.asks_for_tls) for s in tls_settings(conn)] == [
        ("auth param 'sslMode'", True), ("sslmode in the connection string", False),
        ("EncryptionMethod in the connection string", True)]


def test_out_of_scope_connections_are_not_applicable():
    assert applies(connection(bigquery()), DEFAULTS) == "not a PostgreSQL connection"
    assert check(connection(bigquery()), DEFAULTS) == []
    dev = pg_with("sslmode=disable", sandbox="dev")
    assert "not one of ['prod']" in applies(dev, DEFAULTS)
    assert check(dev, DEFAULTS) == []


def test_configured_sandboxes_widen_the_scope():
    dev = pg_with("sslmode=disable", sandbox="dev")
    assert check(dev, parse_settings({"sandboxes": ["prod", "dev"]}))


def test_a_connection_cannot_leave_scope_by_naming_another_sandbox_on_a_prod_stack():
    dev_claim = pg_with("sslmode=disable", sandbox="dev")
    [message] = check(dev_claim, DEFAULTS, StackContext("prod"))
    assert "in sandbox 'prod'" in message
