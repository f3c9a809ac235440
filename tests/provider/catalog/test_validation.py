"""provider/catalog/validation.py: offline checks of spec id, auth spec, params and their types."""

from __future__ import annotations

from provider.catalog import normalize_param, validate_connection

PG = "74a1c565-4e59-48d7-9d67-7c03b8a13137"
BQ = "3c9b37f8-13a6-43d8-bad3-b863b941fedd"
BASIC = {"server": "db", "port": 5432, "database": "sales", "username": "u", "password": "hunter2-SECRET"}


def problems(**kwargs):
    kwargs.setdefault("connection_spec_id", PG)
    kwargs.setdefault("auth_spec_name", "Basic Authentication")
    kwargs.setdefault("auth_params", dict(BASIC))
    return {p: r for p, r in validate_connection(**kwargs)}


def test_valid_inputs_have_no_problems():
    assert problems() == {}
    assert problems(auth_params={**BASIC, "port": 5432.0, "sslMode": "Require"}) == {}  # doubles from gRPC


def test_unknown_spec_id():
    found = problems(connection_spec_id="00000000-0000-0000-0000-000000000000")
    assert list(found) == ["connection_spec_id"] and "connection_specs.json" in found["connection_spec_id"]


def test_unknown_auth_spec_lists_the_valid_ones():
    found = problems(auth_spec_name="OAuth")
    assert found["auth_spec_name"] == (
        "must be one of ['Connection String Based Authentication', 'Basic Authentication'] for this connection spec"
    )


def test_missing_required_unknown_and_mistyped_params():
    params = {k: v for k, v in BASIC.items() if k != "database"}
    params.update(port="5432", colour="blue")
    found = problems(auth_params=params)
    assert set(found) == {"auth_params.database", "auth_params.port", "auth_params.colour"}
    assert "required" in found["auth_params.database"]
    assert found["auth_params.port"] == "must be of type integer (got str); pass a whole number such as 5432"
    assert "allowed: database, password, port, server, sslMode, username" in found["auth_params.colour"]


def test_wrong_type_reason_never_quotes_the_value():
    found = problems(auth_params={**BASIC, "password": ["hunter2-SECRET"]})
    assert found == {"auth_params.password": "must be of type string (got list); pass text"}


def test_booleans_are_not_integers_and_fractions_are_not_either():
    assert "auth_params.port" in problems(auth_params={**BASIC, "port": True})
    assert "auth_params.port" in problems(auth_params={**BASIC, "port": 5432.5})


def test_empty_required_string_and_non_mapping_params():
    assert problems(auth_params={**BASIC, "server": "  "}) == {
        "auth_params.server": "must not be empty; pass the value (or a pulumi secret holding it)"}
    assert "must be a mapping" in problems(auth_params="server=db")["auth_params"]


def test_version_and_auth_type():
    assert "connection_spec_version" in problems(connection_spec_version="2.0")
    bq = dict(connection_spec_id=BQ, auth_spec_name="Basic Authentication",
              auth_params={"project": "p", "clientId": "c", "clientSecret": "s", "refreshToken": "r"})
    assert problems(**bq) == {}
    assert problems(**bq, auth_type="OAuth2.0") == {}
    assert problems(**bq, auth_type="Basic") == {"auth_type": "must be 'OAuth2.0' for auth spec 'Basic Authentication'"}
    assert problems(auth_type="OAuth2.0") == {"auth_type": "must be left unset for auth spec 'Basic Authentication'"}


def test_unknown_values_are_skipped():
    unknown = object()
    is_unknown = lambda v: v is unknown  # noqa: E731
    assert validate_connection(connection_spec_id=unknown, auth_spec_name="x", auth_params=None,
                               is_unknown=is_unknown) == []
    params = {**BASIC, "password": unknown, "port": unknown}
    assert validate_connection(connection_spec_id=PG, auth_spec_name="Basic Authentication", auth_params=params,
                               is_unknown=is_unknown) == []
    assert validate_connection(connection_spec_id=PG, auth_spec_name="Basic Authentication", auth_params=unknown,
                               is_unknown=is_unknown) == []


def test_normalize_param_restores_integers_only():
    assert normalize_param("integer", 5432.0) == 5432 and isinstance(normalize_param("integer", 5432.0), int)
    assert normalize_param("integer", 5432.5) == 5432.5
    assert normalize_param("string", 1.0) == 1.0


def test_ports_lengths_and_control_characters_are_bounded_without_quoting_the_value():
    assert problems(auth_params={**BASIC, "port": 0}) == {"auth_params.port": "must be a TCP port, 1-65535 (got 0)"}
    assert "auth_params.port" in problems(auth_params={**BASIC, "port": 65536})
    assert problems(auth_params={**BASIC, "port": 65535}) == {}
    huge = problems(auth_params={**BASIC, "password": "p" * 70000})["auth_params.password"]
    assert huge.startswith("must be at most 65536 characters (got 70000)")
    nul = problems(auth_params={**BASIC, "password": "hunter2\x00SECRET"})["auth_params.password"]
    assert "(found U+0000)" in nul and "hunter2" not in nul
    assert problems(auth_params={**BASIC, "password": "line one\nline two\ttab"}) == {}
