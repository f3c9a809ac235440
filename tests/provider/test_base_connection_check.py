"""check (and Configure) through the real plugin over gRPC: catalog validation with no network, clear failures
naming the property and the fix, unknown preview values passed through."""

from __future__ import annotations

import pytest

from tests.harness.plugin import UNKNOWN, PluginError, PluginProcess, strip_secrets
from tests.provider.conftest import BIGQUERY_SPEC_ID, bigquery_registration, pg_registration, stack_config

URN = "urn:pulumi:dev::aep-flow-connections::pulumi-python:dynamic/aep:BaseConnection::pg"
PASSWORD = "Ch3ck-PW-never-shown"


def news(**overrides):
    return pg_registration(password=PASSWORD, **overrides).inputs


@pytest.mark.parametrize("sent", [{}, {"connection_spec_version": "1.0", "verify": False, "force_delete": False}])
def test_valid_inputs_pass_defaults_left_out_and_no_api_call(emulator, plugin, sent):
    """Defaults are not recorded, whether the program left them out or (as earlier versions did) sent them."""
    reg = {**news(), **sent}
    inputs, failures = plugin.check(URN, {}, reg)
    assert failures == []
    assert not {"connection_spec_version", "verify", "force_delete"} & set(inputs)
    assert inputs["__provider"] == strip_secrets(reg["__provider"])
    assert inputs["auth_params"] == strip_secrets(reg["auth_params"])
    assert emulator.request_log()["total"] == 0  # no IMS token, no Flow Service call


@pytest.mark.parametrize(
    ("overrides", "prop", "reason_part"),
    [
        (dict(connection_spec_id="00000000-0000-0000-0000-000000000000"), "connection_spec_id", "unknown connection"),
        (dict(auth_spec_name="OAuth 2 Refresh Code"), "auth_spec_name", "must be one of ["),
        (dict(auth_params={}), "auth_params.connectionString", "required by 'Connection String Based"),
        (dict(auth_params={"connectionString": "x", "port": 5432}), "auth_params.port", "unknown parameter"),
        (dict(auth_params={"connectionString": 42}), "auth_params.connectionString", "must be of type string"),
        (dict(name="  "), "name", "non-empty display name"),
        (dict(sandbox="Prod"), "sandbox", "set aep:sandbox or pass sandbox="),
        (dict(connection_spec_version="9.9"), "connection_spec_version", "must be one of ['1.0']"),
        (dict(auth_type="OAuth2.0"), "auth_type", "must be left unset"),
        (dict(verify="yes"), "verify", "must be true or false"),
        (dict(adopt_id=""), "adopt_id", "id of an existing base connection"),
    ],
)
def test_bad_inputs_fail_naming_the_property(emulator, plugin, overrides, prop, reason_part):
    _, failures = plugin.check(URN, {}, news(**overrides))
    assert [p for p, _ in failures] == [prop]
    assert reason_part in failures[0][1]
    assert emulator.request_log()["total"] == 0


def test_unknown_property_and_missing_sandbox(plugin):
    reg = news()
    reg["colour"] = "blue"
    del reg["sandbox"]
    _, failures = plugin.check(URN, {}, reg)
    assert {p for p, _ in failures} == {"colour", "sandbox"}


def test_failure_reasons_never_quote_secret_values(plugin):
    wrong = {"project": "p", "clientId": "c", "clientSecret": ["Secr3t-in-a-list"], "refreshToken": 12345678}
    _, failures = plugin.check(URN, {}, bigquery_registration(auth_params=wrong).inputs)
    assert {p for p, _ in failures} == {"auth_params.clientSecret", "auth_params.refreshToken"}
    text = repr(failures)
    assert "Secr3t-in-a-list" not in text and "12345678" not in text


def test_bigquery_seed_is_valid(plugin):
    _, failures = plugin.check(URN, {}, bigquery_registration().inputs)
    assert failures == []
    _, failures = plugin.check(URN, {}, bigquery_registration(connection_spec_id=BIGQUERY_SPEC_ID,
                                                             auth_type="OAuth2.0").inputs)
    assert failures == []


def test_unknown_values_in_preview_pass_through(emulator, plugin):
    reg = news(name=UNKNOWN, auth_params={"connectionString": UNKNOWN}, sandbox=UNKNOWN)
    inputs, failures = plugin.check(URN, {}, reg)
    assert failures == []
    assert inputs["name"] == UNKNOWN and inputs["sandbox"] == UNKNOWN
    assert inputs["auth_params"] == {"connectionString": UNKNOWN}
    whole = news(auth_params=UNKNOWN, connection_spec_id=UNKNOWN)
    assert plugin.check(URN, {}, whole)[1] == []
    assert emulator.request_log()["total"] == 0


def test_integer_params_are_accepted_from_protobuf_doubles(plugin):
    params = {"server": "db", "port": 5432, "database": "d", "username": "u", "password": PASSWORD}
    inputs, failures = plugin.check(URN, {}, news(auth_spec_name="Basic Authentication", auth_params=params))
    assert failures == [] and inputs["auth_params"]["port"] == 5432


def test_missing_config_fails_first_call_naming_keys_without_secrets(emulator):
    config = stack_config(emulator)
    del config["aep:orgId"], config["aep:clientId"]
    with PluginProcess() as plugin:
        plugin.configure(config, secret_keys={"aep:clientSecret"})
        with pytest.raises(PluginError) as info:
            plugin.check(URN, {}, news())
    details = info.value.details
    assert "ConfigError: missing AEP provider configuration" in details
    assert "pulumi config set aep:orgId <value> (or set AEP_ORG_ID)" in details
    assert "pulumi config set aep:clientId <value> (or set AEP_CLIENT_ID)" in details
    assert emulator.client_secret not in details and emulator.client_secret not in plugin.stderr()


def test_env_fallback_in_the_plugin(emulator):
    """A CI job can configure the provider with AEP_* variables instead of stack config."""
    env = {"AEP_ORG_ID": emulator.org_id, "AEP_CLIENT_ID": emulator.client_id,
           "AEP_CLIENT_SECRET": emulator.client_secret, "AEP_ENDPOINT": emulator.flow_url,
           "AEP_IMS_ENDPOINT": emulator.ims_url}
    with PluginProcess(env=env) as plugin:
        plugin.configure({})
        inputs, failures = plugin.check(URN, {}, news())
        assert failures == []
        id_, _ = plugin.create(URN, inputs)
    assert [c["id"] for c in emulator.connections()] == [id_]


def test_configure_reports_no_secret_support(plugin):
    """The plugin asks the engine for plain values; the engine then strips secrets before sending them."""
    assert plugin.accept_secrets is False
    assert plugin.exchanges[0].method == "Configure"
    assert plugin.exchanges[0].response.get("acceptSecrets", False) is False
