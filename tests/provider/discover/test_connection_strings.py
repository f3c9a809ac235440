"""provider/discover/connection_strings.py: a PostgreSQL connection string is split only where the component
would rebuild exactly the same text."""

from __future__ import annotations

import pytest

from provider.discover.connection_strings import split_postgresql
from provider.sources.postgresql import postgresql_connection_string


@pytest.mark.parametrize("ssl_mode", [None, "disable", "prefer", "require", "verify-full"])
@pytest.mark.parametrize("password", ["***", "plain", "p;w}d {x}=y"])
def test_what_the_component_builds_splits_back(ssl_mode, password):
    text = postgresql_connection_string("db.internal", 6432, "sales;eu", "aep reader", password, ssl_mode)
    parts = split_postgresql(text)
    expected = {"host": "db.internal", "port": 6432, "database": "sales;eu", "username": "aep reader"}
    assert parts == {**expected, **({"ssl_mode": ssl_mode} if ssl_mode else {})}
    assert "password" not in parts and password not in parts.values()


@pytest.mark.parametrize("text", [
    "***",                                                                  # masked whole, as the API returns it
    None,
    "Server=h;Port=5432;Database=d;UID=u;Password=p",                       # another key order
    "server=h;database=d;port=5432;uid=u;password=p",                        # other key spelling
    "Server=h;Database=d;Port=05432;UID=u;Password=p",                       # port the component would not write
    "Server=h;Database=d;Port=5432;UID=u",                                  # no password
    "Server=h;Database=d;Port=5432;UID=u;Password=p;Timeout=30",            # a key no argument makes
    "Server=h;Database=d;Port=5432;UID=u;Password=p;EncryptionMethod=2",    # SSL properties of no ssl_mode
    "Server={h}};Database=d;Port=5432;UID=u;Password=p",                    # quoting the component would not use
    "Server={my host};Database=d;Port=5432;UID=u;Password=p",                # a host the component refuses
    "Server=h;Database=d;Port=99999;UID=u;Password=p",                      # a port it refuses
    "Server=h;Database={d",                                                 # not a connection string
])
def test_anything_else_stays_whole(text):
    assert split_postgresql(text) is None
