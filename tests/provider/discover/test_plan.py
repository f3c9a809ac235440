"""provider/discover/plan.py: a live connection -> its component, plain params and secret arguments, or why not."""

from __future__ import annotations

from typing import Any, Optional

from provider.client.models import Connection
from provider.discover.plan import Adoptable, Skipped, plan
from provider.sources import (
    COMPONENTS,
    AmazonS3Connection,
    GoogleBigQueryConnection,
    PostgreSqlBasicConnection,
    PostgreSqlConnection,
    SftpConnection,
)
from provider.stack_config import ConnectionEntry, plan_entry
from tests.sources.samples import sample_arguments

POSTGRESQL = "74a1c565-4e59-48d7-9d67-7c03b8a13137"
BIGQUERY = "3c9b37f8-13a6-43d8-bad3-b863b941fedd"
SFTP = "b7bf2577-4520-42c9-bae9-cad01560f7bc"
S3 = "ecadc60c-7455-4d87-84dc-2a0e293d997b"
SHARED = "59a4b493-a615-40f9-bd38-f823d0909a2b"  # LinkedIn Ads and SugarCRM Accounts & Contacts in Adobe's docs


def live(spec: str, auth: Optional[str], params: dict[str, Any], version: str = "1.0") -> Connection:
    body: dict[str, Any] = {"id": "c-1", "name": "n", "connectionSpec": {"id": spec, "version": version}}
    if auth is not None:
        body["auth"] = {"specName": auth, "params": params}
    return Connection.model_validate(body)


def test_generic_component_maps_api_names_to_keywords_and_secrets_to_arguments():
    planned = plan(live(SFTP, "Basic Authentication for sftp", {
        "host": "sftp.example", "port": 22.0, "userName": "acme", "password": "***", "folderPath": "/in"}))
    assert isinstance(planned, Adoptable) and planned.component is SftpConnection
    assert planned.params == {"host": "sftp.example", "port": 22, "user_name": "acme", "folder_path": "/in"}
    assert type(planned.params["port"]) is int
    assert planned.secrets == ("password",)


def test_a_secret_shown_in_clear_is_still_only_a_secret_argument():
    planned = plan(live(BIGQUERY, "Basic Authentication", {
        "project": "p", "clientId": "c", "clientSecret": "in-clear", "refreshToken": "***"}))
    assert planned.component is GoogleBigQueryConnection
    assert planned.params == {"project": "p", "client_id": "c"}
    assert planned.secrets == ("client_secret", "refresh_token")
    assert "in-clear" not in repr(planned.params)


def test_required_secrets_left_out_by_the_api_are_listed_optional_ones_are_not():
    planned = plan(live(S3, "Access Key", {"s3AccessKey": "AKIA"}))
    assert planned.component is AmazonS3Connection
    assert planned.params == {"s3_access_key": "AKIA"} and planned.secrets == ("s3_secret_key",)
    with_token = plan(live(S3, "Access Key", {"s3AccessKey": "AKIA", "s3SecretKey": "***", "s3SessionToken": "***"}))
    assert with_token.secrets == ("s3_secret_key", "s3_session_token")


def test_a_plain_param_that_comes_back_masked_becomes_a_secret_argument():
    planned = plan(live(SFTP, "Basic Authentication for sftp", {"host": "***", "userName": "u", "password": "***"}))
    assert planned.params == {"user_name": "u"} and planned.secrets == ("host", "password")


def test_postgresql_connection_string_masked_whole_stays_a_secret_argument():
    planned = plan(live(POSTGRESQL, "Connection String Based Authentication", {"connectionString": "***"}))
    assert planned.component is PostgreSqlConnection
    assert planned.params == {} and planned.secrets == ("connection_string",)


def test_postgresql_connection_string_readable_is_split_and_the_password_is_a_secret_argument():
    text = "Server=db;Database=sales;Port=5432;UID=loader;Password=***;EncryptionMethod=1;ValidateServerCertificate=1"
    planned = plan(live(POSTGRESQL, "Connection String Based Authentication", {"connectionString": text}))
    assert planned.params == {"host": "db", "port": 5432, "database": "sales", "username": "loader",
                              "ssl_mode": "verify-full"}
    assert planned.secrets == ("password",)


def test_postgresql_basic_authentication_is_its_own_component():
    planned = plan(live(POSTGRESQL, "Basic Authentication", {
        "server": "db", "port": 5432, "database": "d", "username": "u", "password": "***"}))
    assert planned.component is PostgreSqlBasicConnection and planned.secrets == ("password",)


def test_what_no_component_can_declare_is_skipped_with_the_reason():
    cases = {
        "0c5a7f2e-0000-4c8b-a6f3-2e1d0b9c8a77": (("Basic Authentication", {}), "is not in the catalog"),
        SHARED: (("OAuth2 Refresh Code", {}), "so no component can tell which"),
        SFTP: (("Kerberos", {}), "SFTP has no component for auth spec 'Kerberos'"),
    }
    for spec, ((auth, params), reason) in cases.items():
        skipped = plan(live(spec, auth, params))
        assert isinstance(skipped, Skipped) and reason in skipped.reason, skipped
    assert "without an auth spec" in plan(live(SFTP, None, {})).reason
    assert "version is 2.0" in plan(live(SFTP, "Basic Authentication for sftp", {}, version="2.0")).reason
    unknown_param = plan(live(SFTP, "Basic Authentication for sftp", {"host": "h", "userName": "u", "proxy": "p"}))
    assert "proxy are not arguments of SftpConnection" in unknown_param.reason
    missing = plan(live(SFTP, "Basic Authentication for sftp", {"userName": "u", "password": "***"}))
    assert "without its required param host" in missing.reason


def test_every_component_round_trips_to_config_the_program_accepts():
    """For each component: what it would send, as the API lists it (secrets masked), plans back to the same
    component and plain arguments, and the entry passes the program's own check with the secrets filled in."""
    for component in COMPONENTS:
        if component is PostgreSqlConnection:
            continue
        arguments = sample_arguments(component)
        model = component.Params
        secret = [f for f in model.model_fields if f in arguments and model.is_secret(f)]
        params = {model.api_name(f): ("***" if f in secret else v) for f, v in arguments.items()}
        planned = plan(live(component.connection_spec_id, component.auth_spec_name, params))
        assert isinstance(planned, Adoptable) and planned.component is component, (component, planned)
        assert planned.params == {f: v for f, v in arguments.items() if f not in secret}
        assert planned.secrets == tuple(secret)
        entry = ConnectionEntry(source=component.source, auth=component.auth_spec_name, params=planned.params,
                                secrets={f: f"key{i}" for i, f in enumerate(planned.secrets)}, adopt_id="c-1")
        plan_entry("discovered", entry, {f: arguments[f] for f in planned.secrets})
