"""Bad input, first layer: source component arguments, in a real program run (tests.harness.program, the real
plugin, the emulator). Each case is refused with the argument's name and the fix, and nothing is sent — most
when the component is constructed (pydantic), the rest by the provider's check before any create.
"""

from __future__ import annotations

import json

import pytest

from tests.harness.program import ProgramHarness
from tests.security.refusal import Case, assert_refused_before_any_call, cases
from tests.sources.conftest import ONE_COMPONENT
from tests.sources.samples import SERVICE_ACCOUNT_KEY

PG = dict(host="orders.db.example", database="orders", username="aep_reader", password="pw-9f2c")
PG_STRING = "Server=orders.db.example;Database=orders;Port=5432;UID=aep_reader;Password=pw-9f2c"
SFTP = dict(host="sftp.example", user_name="aep", password="pw-sftp")
SALESFORCE = dict(environment_url="https://acme.my.salesforce.com", client_id="cid", client_secret="cs")


def key_file(**changes) -> str:
    key = {k: v for k, v in {**SERVICE_ACCOUNT_KEY, **changes}.items() if v is not None}
    return json.dumps(key)


CASES = cases(
    # missing and empty
    ("pg-missing-parts", ("PostgreSqlConnection", {"host": "h"}), "database, username, password",
     "or pass connection_string instead"),
    ("pg-empty-host", ("PostgreSqlConnection", {**PG, "host": ""}), "'host'", "pass host=<"),
    ("pg-empty-password", ("PostgreSqlConnection", {**PG, "password": ""}), "'password'", "pass password=<"),
    ("s3-empty-secret-key", ("AmazonS3Connection", {"s3_access_key": "AKIA", "s3_secret_key": ""}),
     "'s3_secret_key'", "pass s3_secret_key=<"),
    ("bq-missing-refresh-token", ("GoogleBigQueryConnection", {"project": "p", "client_id": "c",
                                                               "client_secret": "s", "refresh_token": None}),
     "'refresh_token' is required", "pass refresh_token=<"),
    # oversized
    ("name-oversized", ("PostgreSqlConnection", {**PG, "name": "n" * 300}), "'name'", "at most 256 characters"),
    ("description-oversized", ("PostgreSqlConnection", {**PG, "description": "d" * 3000}), "'description'",
     "at most 2048 characters"),
    # wrong types
    ("pg-port-not-a-number", ("PostgreSqlConnection", {**PG, "port": "five"}), "'port'", "pass port=<"),
    ("pg-database-a-list", ("PostgreSqlConnection", {**PG, "database": ["orders"]}), "'database'",
     "pass database=<"),
    ("verify-not-a-boolean", ("PostgreSqlConnection", {**PG, "verify": "yes"}), "'verify'", "pass verify=<"),
    ("force-delete-not-a-boolean", ("PostgreSqlConnection", {**PG, "force_delete": "yes"}), "'force_delete'",
     "pass force_delete=<"),
    ("salesforce-boolean-as-text", ("SalesforceClientCredentialsConnection",
                                    {**SALESFORCE, "include_deleted_objects": "maybe"}),
     "'include_deleted_objects'", "pass include_deleted_objects=<"),
    ("pg-ssl-mode-unknown", ("PostgreSqlConnection", {**PG, "ssl_mode": "maybe"}), "'ssl_mode'",
     "one of disable, prefer, require, verify-full"),
    # bad ports and counts
    ("pg-port-zero", ("PostgreSqlConnection", {**PG, "port": 0}), "'port'", "1-65535"),
    ("pg-port-70000", ("PostgreSqlConnection", {**PG, "port": 70000}), "'port'", "1-65535"),
    ("pg-port-fraction", ("PostgreSqlConnection", {**PG, "port": 5432.5}), "'port'", "1-65535"),
    ("sftp-port-negative", ("SftpConnection", {**SFTP, "port": -22}), "'port'", "pass port=<"),
    ("sftp-no-concurrent-connections", ("SftpConnection", {**SFTP, "max_concurrent_connections": 0}),
     "'max_concurrent_connections'", "(>=1)"),
    # sandbox names that cannot exist
    ("sandbox-uppercase", ("PostgreSqlConnection", {**PG, "sandbox": "Prod"}), "'sandbox'",
     "omit to use aep:sandbox or the stack name"),
    ("sandbox-cyrillic-o", ("PostgreSqlConnection", {**PG, "sandbox": "pr\u043ed"}), "'sandbox'",
     "lowercase letters, digits, hyphens"),
    # connection strings: injection through the parts is quoted away; a ready string must be well formed
    ("pg-string-and-parts", ("PostgreSqlConnection", {"connection_string": PG_STRING, "host": "evil.example"}),
     "connection_string", "not both"),
    ("pg-string-unclosed-brace", ("PostgreSqlConnection", {"connection_string": PG_STRING + ";Extra={x"}),
     "'connection_string'", "never closed"),
    ("pg-string-without-password", ("PostgreSqlConnection",
                                    {"connection_string": "Server=db;Database=orders;UID=aep_reader"}),
     "'connection_string'", "lacks Password"),
    ("pg-host-with-space", ("PostgreSqlConnection", {**PG, "host": "db.example;UID=admin x"}), "'host'",
     "cannot contain whitespace"),
    # unicode and control characters
    ("name-with-line-break", ("PostgreSqlConnection", {**PG, "name": "Orders\nDROP"}), "name",
     "control characters such as line breaks (found U+000A); remove it"),
    ("name-with-nul", ("PostgreSqlConnection", {**PG, "name": "Orders\u0000"}), "name", "(found U+0000)"),
    ("name-with-line-separator", ("PostgreSqlConnection", {**PG, "name": "Orders\u0085x"}), "'name' is invalid",
     "(found U+0085); remove it"),
    ("description-with-escape-sequence", ("PostgreSqlConnection", {**PG, "description": "d\u001b[31m"}),
     "'description' is invalid", "(found U+001B); remove it"),
    # malformed service-account keys
    ("bq-key-not-json", ("GoogleBigQueryServiceAccountConnection", {"project_id": "p", "key_file_content": "{oops"}),
     "'key_file_content'", "not valid JSON"),
    ("bq-key-neither-json-nor-base64", ("GoogleBigQueryServiceAccountConnection",
                                        {"project_id": "p", "key_file_content": "not a key!"}),
     "'key_file_content'", "the key file's JSON or its base64"),
    ("bq-key-user-credentials", ("GoogleBigQueryServiceAccountConnection",
                                 {"project_id": "p", "key_file_content": key_file(type="authorized_user")}),
     "'key_file_content'", '"type": "service_account"'),
    ("bq-key-without-private-key", ("GoogleBigQueryServiceAccountConnection",
                                    {"project_id": "p", "key_file_content": key_file(private_key=None)}),
     "'key_file_content'", "lacks private_key"),
    ("bq-key-not-pem", ("GoogleBigQueryServiceAccountConnection",
                        {"project_id": "p", "key_file_content": key_file(private_key="MIIEv...")}),
     "'key_file_content'", "not a PEM private key"),
    # repeated keys, booleans for numbers, invisible characters, NULs
    ("pg-string-duplicate-server-key", ("PostgreSqlConnection",
                                        {"connection_string": PG_STRING + ";Server=evil.example"}),
     "'connection_string'", "Server"),
    ("pg-port-boolean", ("PostgreSqlConnection", {**PG, "port": True}), "'port'", "1-65535"),
    ("pg-host-zero-width-space", ("PostgreSqlConnection", {**PG, "host": "orders\u200b.db.example"}), "'host'",
     "pass host=<"),
    ("pg-password-with-nul", ("PostgreSqlConnection", {**PG, "password": "pw\u0000x"}), "'password'",
     "pass password=<"),
)


def run_component(emulator, component: str, args: dict) -> str:
    env = {"COMPONENT": component, "ARGS": json.dumps(args)}
    run = ProgramHarness.for_emulator(emulator, program=ONE_COMPONENT, env=env).up()
    assert run.steps == [], f"{component} reached the engine: {run.ops()}"
    return run.error or ""


@pytest.mark.parametrize("case", CASES)
def test_component_argument_is_refused_naming_it(emulator, case: Case):
    component, args = case.value
    assert_refused_before_any_call(emulator, run_component(emulator, component, args), case)
