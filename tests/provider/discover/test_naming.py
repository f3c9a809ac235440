"""provider/discover/naming.py: resource names (slug, unique, stable) and suggested secret config keys."""

from __future__ import annotations

import random
import re

from provider.client.models import Connection
from provider.discover.naming import RESERVED_KEYS, ConfigKeys, config_key, oldest_first, resource_names, slug
from provider.stack_config import RESOURCE_NAME


def conn(ident: str, name: str, created: int | None = 1) -> Connection:
    return Connection.model_validate({"id": ident, "name": name, "createdAt": created,
                                      "connectionSpec": {"id": "spec"}})


def test_slug_is_a_valid_resource_name():
    assert slug("Orders DB (PostgreSQL)") == "orders-db-postgresql"
    assert slug("Café Données — EU") == "cafe-donnees-eu"
    assert slug("  --Sales__2024--  ") == "sales-2024"
    assert slug("注文") == "connection" and slug("") == "connection"
    long = slug("x" * 62 + " tail")
    assert len(long) <= 63 and not long.endswith("-")
    for text in ("Orders DB (PostgreSQL)", "注文", "a" * 100, "-x-", "A/B\\C"):
        assert re.match(RESOURCE_NAME, slug(text))


def test_duplicates_get_suffixes_in_creation_order_then_id():
    conns = [conn("b", "Sales", 2), conn("a", "Sales", 2), conn("c", "Sales", 1), conn("d", "Other", None)]
    assert resource_names(conns) == {"c": "sales", "a": "sales-2", "b": "sales-3", "d": "other"}
    assert [c.id for c in oldest_first(conns)] == ["c", "a", "b", "d"]


def test_a_unique_slug_keeps_its_name_even_when_it_looks_like_a_suffix():
    conns = [conn("1", "Sales", 1), conn("2", "Sales", 2), conn("3", "Sales 2", 3)]
    assert resource_names(conns) == {"1": "sales", "3": "sales-2", "2": "sales-3"}


def test_names_do_not_depend_on_the_order_the_api_lists_them():
    conns = [conn(f"id-{i}", f"Feed {i % 3}", i % 4) for i in range(12)]
    expected = resource_names(conns)
    shuffled = conns[:]
    random.Random(7).shuffle(shuffled)
    assert resource_names(shuffled) == expected
    assert len(set(expected.values())) == 12


def test_suffixes_fit_the_length_limit():
    conns = [conn(str(i), "y" * 80, i) for i in range(3)]
    names = resource_names(conns)
    assert names["1"] == "y" * 61 + "-2" and all(re.match(RESOURCE_NAME, n) for n in names.values())


def test_config_key_is_camel_case_of_name_and_argument():
    assert config_key("orders-db", "password") == "ordersDbPassword"
    assert config_key("marketing-bigquery", "refresh_token") == "marketingBigqueryRefreshToken"
    assert config_key("db-2", "connection_string") == "db2ConnectionString"


def test_config_keys_are_unique_and_never_a_provider_setting():
    keys = ConfigKeys()
    assert keys.take("a-b", "c") == "aBC"
    assert keys.take("a", "b_c") == "aBC2"
    assert keys.take("client", "secret") == "clientSecret2"
    assert {"clientSecret", "orgId", "connections", "endpoint"} <= RESERVED_KEYS
