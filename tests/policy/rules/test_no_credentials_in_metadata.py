"""no-credentials-in-metadata: auth param values (and connection-string passwords) stay out of name/description."""

import pytest

from policy.rules.no_credentials_in_metadata import check, credentials, parse_settings
from tests.policy.sample_connections import BQ_CLIENT_SECRET, PG_PASSWORD, bigquery, connection, postgres

DEFAULTS = parse_settings(None)


def test_clean_metadata_passes():
    assert check(connection(postgres()), DEFAULTS) == []
    assert check(connection(bigquery()), DEFAULTS) == []


def test_password_inside_connection_string_found_in_description():
    [message] = check(connection(postgres(description=f"replica, login {PG_PASSWORD}")), DEFAULTS)
    assert message.startswith("[no-credentials-in-metadata] the description of connection 'orders'")
    assert "the password inside auth param 'connectionString'" in message
    assert PG_PASSWORD not in message and "Fix:" in message


def test_plain_auth_param_found_in_name():
    [message] = check(connection(bigquery(name=f"bq-{BQ_CLIENT_SECRET}")), DEFAULTS)
    assert "the name of connection 'orders' contains the value of auth param 'clientSecret'" in message
    assert BQ_CLIENT_SECRET not in message


def test_each_leak_is_reported():
    conn = connection(bigquery(name=BQ_CLIENT_SECRET, description=f"{BQ_CLIENT_SECRET} and acme-marketing"))
    assert len(check(conn, DEFAULTS)) == 3   # clientSecret in name and description, project in description


def test_short_values_and_ignored_params_are_not_looked_for():
    conn = connection(bigquery(description="project acme-marketing", auth_params={"project": "acme-marketing",
                                                                                    "clientId": "abc"}))
    assert len(check(conn, DEFAULTS)) == 1
    assert check(conn, parse_settings({"ignoreParams": ["project"]})) == []
    assert [w for w, _ in credentials(conn, parse_settings({"minimumLength": 3}))] == [
        "auth param 'project'", "auth param 'clientId'"]


def test_non_string_values_are_skipped_and_matching_is_case_sensitive():
    conn = connection(postgres(description=f"port 54321 {PG_PASSWORD.upper()}",
                               auth_params={"port": 54321, "password": PG_PASSWORD}))
    assert check(conn, DEFAULTS) == []


@pytest.mark.parametrize("config", [{"minimumLength": 0}, {"ignoreParams": "server"}])
def test_bad_config_is_rejected(config):
    with pytest.raises(ValueError):
        parse_settings(config)
