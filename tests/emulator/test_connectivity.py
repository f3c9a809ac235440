"""GET /connections/{id}/test: a real PostgreSQL login (right and wrong password), other sources by shape."""
from __future__ import annotations

import pytest

from emulator.backend.connectivity import parse_connection_string
from tests.emulator.seeds import BIGQUERY_FIXED, postgresql_body


def _test(flow, created) -> bool:
    response = flow.get(f"/connections/{created['id']}/test")
    assert response.status_code == 200, response.text
    return response.json()["result"]


def _pg(postgres, **overrides):
    args = {"host": postgres.host, "port": postgres.port, "db": postgres.database, "user": postgres.user,
            "password": postgres.password} | overrides
    return postgresql_body(**args)


def test_right_password_logs_in(flow, postgres):
    assert _test(flow, flow.create(_pg(postgres))) is True


def test_wrong_password_fails(flow, postgres):
    assert _test(flow, flow.create(_pg(postgres, password="wrong-" + postgres.password))) is False


def test_password_rotation_through_patch_takes_effect(flow, postgres):
    created = flow.create(_pg(postgres, password="stale"))
    assert _test(flow, created) is False
    good = _pg(postgres)["auth"]["params"]
    response = flow.patch(f"/connections/{created['id']}", headers={"If-Match": created["etag"]},
                          json=[{"op": "replace", "path": "/auth/params", "value": good}])
    assert response.status_code == 200
    assert _test(flow, created) is True


def test_basic_authentication_logs_in_too(flow, postgres):
    body = {"name": "pg basic", "connectionSpec": {"id": "74a1c565-4e59-48d7-9d67-7c03b8a13137"},
            "auth": {"specName": "Basic Authentication", "params": {
                "server": postgres.host, "port": postgres.port, "database": postgres.database,
                "username": postgres.user, "password": postgres.password, "sslMode": "Disable"}}}
    assert _test(flow, flow.create(body)) is True
    body["auth"]["params"]["password"] = "nope"
    assert _test(flow, flow.create(body)) is False


def test_wrong_database_or_unreachable_port_fails(flow, postgres):
    assert _test(flow, flow.create(_pg(postgres, db="no_such_db"))) is False
    closed_port = postgres.port + 1 if postgres.port < 65535 else postgres.port - 1
    assert _test(flow, flow.create(_pg(postgres, port=closed_port))) is False


def test_seed_placeholders_do_not_log_in(flow):
    assert _test(flow, flow.create(postgresql_body())) is False


@pytest.mark.parametrize("port", ["\u00b2", "\u0663", "9" * 5000, "0", "70000"])
def test_a_port_that_is_not_an_ascii_number_in_range_is_false_not_500(flow, port):
    """Regression: ``Port=\u00b2`` passed ``str.isdigit`` and crashed ``int()`` into a 500."""
    created = flow.create(postgresql_body(host="127.0.0.1", port=port))
    assert _test(flow, created) is False


def test_other_sources_are_true_when_well_formed(flow):
    assert _test(flow, flow.create(BIGQUERY_FIXED)) is True


def test_unknown_connection_is_404(flow):
    assert flow.get("/connections/missing/test").status_code == 404


@pytest.mark.parametrize("text,expected", [
    ("Server=h;Database=d;Port=5432;UID=u;Password=p",
     {"host": "h", "dbname": "d", "port": "5432", "user": "u", "password": "p"}),
    ("host=h; dbname=d; user id=u; pwd=p; SSLMode=Require",
     {"host": "h", "dbname": "d", "user": "u", "password": "p", "sslmode": "Require"}),
    ("Server=h;Database=d;UID=u", None),
    ("Server=h;Database=d;UID=u;Password=p;Colour=blue", None),
    ("just text", None),
    ("Server=h;Database=d;UID=u;Password={p;w=}}x{y}",
     {"host": "h", "dbname": "d", "user": "u", "password": "p;w=}x{y"}),
    ("Server=h;Database=d;UID=u;Password={unterminated", None),
    ("Server=h;Database=d;UID=u;Password={p}junk", None),
    ("Server=h;Database=d;UID=u;Password=p;EncryptionMethod=1;ValidateServerCertificate=1",
     {"host": "h", "dbname": "d", "user": "u", "password": "p", "sslmode": "verify-full"}),
    ("Server=h;Database=d;UID=u;Password=p;EncryptionMethod=1",
     {"host": "h", "dbname": "d", "user": "u", "password": "p", "sslmode": "require"}),
    ("Server=h;Database=d;UID=u;Password=p;EncryptionMethod=0",
     {"host": "h", "dbname": "d", "user": "u", "password": "p", "sslmode": "disable"}),
])
def test_connection_string_parsing(text, expected):
    assert parse_connection_string(text) == expected


def test_brace_quoted_password_logs_in(flow, postgres):
    """A password holding ; = { } travels brace-quoted (ODBC rule) and still logs in for real."""
    import psycopg
    from psycopg import sql

    special = "p;w={x}}" + postgres.password
    with psycopg.connect(host=postgres.host, port=postgres.port, dbname="postgres", user="postgres",
                         password=postgres.superuser_password, autocommit=True) as conn:
        conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(postgres.user),
                                                                 sql.Literal(special)))
    try:
        body = _pg(postgres)
        quoted = "{" + special.replace("}", "}}") + "}"
        body["auth"]["params"]["connectionString"] = (
            f"Server={postgres.host};Database={postgres.database};Port={postgres.port};"
            f"UID={postgres.user};Password={quoted};EncryptionMethod=0")
        assert _test(flow, flow.create(body)) is True
        body["auth"]["params"]["connectionString"] = body["auth"]["params"]["connectionString"].replace(
            quoted, "{" + special + "}")
        assert _test(flow, flow.create(body)) is False
    finally:
        with psycopg.connect(host=postgres.host, port=postgres.port, dbname="postgres", user="postgres",
                             password=postgres.superuser_password, autocommit=True) as conn:
            conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(postgres.user),
                                                                     sql.Literal(postgres.password)))
