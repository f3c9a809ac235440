"""ODBC-style brace quoting: any character in any value round-trips and cannot add or change a key."""

from __future__ import annotations

import random

import pytest

from provider.sources.connection_string import (
    ConnectionStringError,
    format_connection_string,
    parse_connection_string,
    quote_value,
)

NASTY = ["p;w", "a=b", "{x}", "}", "{", "}}{{", " lead", "trail ", "in side", "'q'", '"dq"', "x;UID=admin",
         "Password=1;Server=evil", "semi;colon}brace", "tab\there", "new\nline", "ünïcødé;€", ""]


@pytest.mark.parametrize(("value", "written"), [
    ("plain", "plain"),
    ("db.example.com", "db.example.com"),
    ("p;w}d", "{p;w}}d}"),
    ("a=b", "{a=b}"),
    ("{x}", "{{x}}}"),
    ("two words", "{two words}"),
    ("", "{}"),
])
def test_quoting_rule(value, written):
    assert quote_value(value) == written


def test_plain_values_read_exactly_like_adobes_pattern():
    pairs = [("Server", "h"), ("Database", "d"), ("Port", "5432"), ("UID", "u"), ("Password", "p")]
    assert format_connection_string(pairs) == "Server=h;Database=d;Port=5432;UID=u;Password=p"


@pytest.mark.parametrize("password", NASTY)
def test_every_special_value_round_trips_without_adding_keys(password):
    pairs = [("Server", "db"), ("UID", "u"), ("Password", password), ("Database", "orders")]
    text = format_connection_string(pairs)
    assert parse_connection_string(text) == pairs


def test_random_values_round_trip():
    rng = random.Random(20240611)
    alphabet = ";={}[]()?,*!@'\" \t\\abcXYZ019é€\n"
    for _ in range(500):
        pairs = [(f"K{i}", "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))) for i in range(4)]
        assert parse_connection_string(format_connection_string(pairs)) == pairs


def test_injected_keys_stay_inside_the_value():
    text = format_connection_string([("UID", "reader"), ("Password", "x;UID=admin;Server=evil")])
    parsed = parse_connection_string(text)
    assert [k for k, _ in parsed] == ["UID", "Password"]
    assert dict(parsed)["UID"] == "reader"


@pytest.mark.parametrize(("text", "problem"), [
    ("Server=h;Password={hunter2", "never closed"),
    ("Server=h;Password={hunter2}x", "after the closing brace"),
    ("Server=h;hunter2", "missing '='"),
    ("Server=h;Password=hunter2}", "brace"),
    ("=hunter2", "malformed key"),
])
def test_malformed_text_is_rejected_without_quoting_it(text, problem):
    with pytest.raises(ConnectionStringError) as err:
        parse_connection_string(text)
    assert problem in str(err.value)
    assert "hunter2" not in str(err.value)


def test_keys_must_be_words_and_unique():
    with pytest.raises(ConnectionStringError, match="appears twice"):
        format_connection_string([("UID", "a"), ("uid", "b")])
    with pytest.raises(ConnectionStringError, match="letters, digits"):
        format_connection_string([("U;ID", "a")])


def test_nul_is_refused():
    with pytest.raises(ConnectionStringError, match="NUL"):
        quote_value("a\x00b")
