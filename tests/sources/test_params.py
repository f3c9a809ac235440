"""Arguments are validated when a component is constructed, before anything is registered or sent."""

from __future__ import annotations

import pytest

from provider.errors import ValidationError
from provider.sources import AmazonRedshiftConnection, InvalidSourceArgument, SftpConnection
from provider.sources.google_bigquery import GoogleBigQueryServiceAccountConnection
from provider.sources.postgresql import PostgreSqlConnection

REDSHIFT = dict(server="redshift.example", database="dw", username="loader", password="hunter2-redshift")


def test_missing_required_argument_is_named_with_the_fix():
    with pytest.raises(InvalidSourceArgument) as err:
        AmazonRedshiftConnection("dw", **{**REDSHIFT, "password": None})
    message = str(err.value)
    assert message.startswith("AmazonRedshiftConnection('dw'): ")
    assert "argument 'password' is required: pass password=<Password for the Redshift user>" in message


def test_required_arguments_are_required_in_the_signature_too():
    args = dict(REDSHIFT)
    del args["password"]
    with pytest.raises(TypeError, match="'password'"):
        AmazonRedshiftConnection("dw", **args)


def test_every_problem_is_reported_at_once():
    with pytest.raises(InvalidSourceArgument) as err:
        SftpConnection("files", host="", user_name="u", password="hunter2-sftp", port=70000)
    message = str(err.value)
    assert "argument 'host' is invalid" in message
    assert "argument 'port' is invalid (Input should be less than or equal to 65535)" in message


def test_values_are_coerced_like_config_strings():
    common, values = SftpConnection.validate_arguments(
        "files", {"host": "h", "user_name": "u", "password": "p", "port": "2222", "max_concurrent_connections": "3"}
    )
    assert values["port"] == 2222 and values["max_concurrent_connections"] == 3
    assert common == {}


def test_wrong_type_names_the_argument_and_expected_value():
    with pytest.raises(InvalidSourceArgument) as err:
        SftpConnection("files", host="h", user_name="u", password="p", port="twenty-two")
    assert "argument 'port' is invalid (Input should be a valid integer" in str(err.value)
    assert "pass port=<Server port (integer), defaults to 22>" in str(err.value)


def test_unknown_argument_lists_the_accepted_ones():
    with pytest.raises(InvalidSourceArgument) as err:
        AmazonRedshiftConnection.validate_arguments("dw", {**REDSHIFT, "hostname": "x"})
    assert "unknown argument(s) hostname; accepted: server, database, password, username" in str(err.value)


@pytest.mark.parametrize(("common", "argument"), [
    ({"sandbox": "Prod_Sandbox"}, "sandbox"),
    ({"name": ""}, "name"),
    ({"verify": "yes"}, "verify"),
    ({"description": "x" * 3000}, "description"),
    ({"adopt_id": ""}, "adopt_id"),
    ({"force_delete": "yes"}, "force_delete"),
])
def test_common_arguments_are_validated(common, argument):
    with pytest.raises(InvalidSourceArgument, match=f"argument '{argument}' is invalid"):
        AmazonRedshiftConnection("dw", **REDSHIFT, **common)


def test_messages_never_quote_a_secret_value():
    with pytest.raises(InvalidSourceArgument) as err:
        GoogleBigQueryServiceAccountConnection("bq", project_id="p", key_file_content="not-a-key hunter2-bq")
    assert "key_file_content" in str(err.value)
    assert "hunter2" not in str(err.value)
    assert err.value.__cause__ is None  # pydantic's error, which quotes the input, is not chained
    assert err.value.__context__ is None or err.value.__suppress_context__


def test_errors_belong_to_the_providers_error_tree():
    with pytest.raises(ValidationError):
        PostgreSqlConnection("pg", host="h")


def test_secret_fields_are_declared_as_secrets():
    assert AmazonRedshiftConnection.Params.secret_fields() == ("password",)
    assert AmazonRedshiftConnection.secret_api_params() == frozenset({"password"})
    assert PostgreSqlConnection.secret_api_params() == frozenset({"connectionString"})


def test_invalid_output_value_fails_the_run_before_anything_is_sent(run_component, emulator):
    run = run_component("SftpConnection", {"host": "h", "user_name": "u", "password": "p", "port": 70000},
                        outputs=("port",))
    assert "SftpConnection('subject'): argument 'port' is invalid" in run.error
    assert emulator.counts().get("POST /data/foundation/flowservice/connections", 0) == 0
    assert emulator.connections() == []


def test_valid_output_values_are_validated_and_sent(run_component, emulator):
    run = run_component("SftpConnection", {"host": "h", "user_name": "u", "password": "p-out", "port": "2222"},
                        outputs=("port", "password"))
    run.raise_for_error()
    (stored,) = emulator.connections()
    assert stored["auth"]["params"]["port"] == 2222
    assert stored["auth"]["params"]["password"] == "p-out"
    assert "auth_params" in run.resource("subject", "pulumi-python:dynamic/aep:BaseConnection").secret_paths
