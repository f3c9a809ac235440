"""Connection-string parsing for the TLS and credential rules: the three shapes, quoting, odd input."""

import pytest

from policy.rules.connection_string import normalize_key, parse_connection_string, passwords_in


def test_adobe_tutorial_shape_with_ado_ssl_mode_key():
    parsed = parse_connection_string("Server=h;Database=d;Port=5432;UID=u;Password=p;SSL Mode=Require")
    assert parsed == {"server": ["h"], "database": ["d"], "port": ["5432"], "uid": ["u"], "password": ["p"],
                      "sslmode": ["Require"]}


def test_odbc_braced_values_keep_semicolons_and_doubled_braces():
    parsed = parse_connection_string("Server=h;Password={p;w}}d=x};EncryptionMethod=1")
    assert parsed["password"] == ["p;w}d=x"]
    assert parsed["encryptionmethod"] == ["1"]


def test_quoted_values_with_doubled_quote():
    parsed = parse_connection_string("Password='it''s;here';sslmode=\"verify-full\"")
    assert parsed == {"password": ["it's;here"], "sslmode": ["verify-full"]}


def test_libpq_key_value_form():
    parsed = parse_connection_string("host=db port=5432 dbname=orders user=u password='a b\\'c' sslmode=verify-ca")
    assert parsed["password"] == ["a b'c"]
    assert parsed["sslmode"] == ["verify-ca"]


def test_uri_form_reads_query_and_userinfo():
    parsed = parse_connection_string("postgresql://reader:s%40cret@db:5432/orders?sslmode=require&application_name=x")
    assert parsed["sslmode"] == ["require"]
    assert parsed["password"] == ["s@cret"]
    assert parsed["user"] == ["reader"]


@pytest.mark.parametrize("key", ["sslmode", "SSL Mode", "ssl_mode", "Ssl-Mode", "SSLMODE"])
def test_key_spellings_normalise_to_one(key):
    assert normalize_key(key) == "sslmode"
    assert parse_connection_string(f"Server=h;{key}=require")["sslmode"] == ["require"]


def test_repeated_key_keeps_every_value_in_order():
    assert parse_connection_string("sslmode=require;SSL Mode=disable")["sslmode"] == ["require", "disable"]


@pytest.mark.parametrize("text", ["", "   ", "no pairs here", ";;;"])
def test_text_without_pairs_gives_nothing(text):
    assert parse_connection_string(text) == {}


def test_passwords_in_finds_pwd_and_password_keys():
    assert passwords_in("Server=h;PWD=one;Password=two") == ["two", "one"]
    assert passwords_in("postgres://u:three@h/db") == ["three"]
    assert passwords_in("Server=h;UID=u") == []
