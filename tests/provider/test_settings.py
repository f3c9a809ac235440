"""provider/settings.py: aep:* config → one Settings model, AEP_* env fallbacks, clear errors, no secret leaks."""

from __future__ import annotations

import pytest

from provider.errors import ConfigError
from provider.settings import DEFAULT_ENDPOINT, DEFAULT_IMS_ENDPOINT, DEFAULT_SCOPES, load_settings

SECRET = "s3cr3t-CLIENT-value-91f2"
BASE = {"aep:orgId": "ABC123@AdobeOrg", "aep:clientId": "client-1", "aep:clientSecret": SECRET}


def test_required_keys_and_defaults_from_config():
    s = load_settings(BASE, env={})
    assert (s.org_id, s.client_id, s.client_secret.get_secret_value()) == ("ABC123@AdobeOrg", "client-1", SECRET)
    assert (s.endpoint, s.ims_endpoint, s.scopes, s.sandbox) == (DEFAULT_ENDPOINT, DEFAULT_IMS_ENDPOINT,
                                                                 DEFAULT_SCOPES, None)


def test_config_is_read_through_a_get_callable_like_pulumi_dynamic_config():
    seen = []

    def get(key):
        seen.append(key)
        return BASE.get(key)

    assert load_settings(get, env={}).client_id == "client-1"
    assert "aep:clientSecret" in seen and all(k.startswith("aep:") for k in seen)


def test_env_fallback_only_when_config_lacks_the_key():
    env = {"AEP_ORG_ID": "ENV@AdobeOrg", "AEP_CLIENT_ID": "env-client", "AEP_CLIENT_SECRET": "env-secret",
           "AEP_SANDBOX": "dev", "AEP_ENDPOINT": "http://127.0.0.1:9/flow/"}
    s = load_settings({"aep:clientId": "cfg-client"}, env=env)
    assert s.client_id == "cfg-client"  # config wins
    assert s.org_id == "ENV@AdobeOrg" and s.client_secret.get_secret_value() == "env-secret"
    assert s.sandbox == "dev"
    assert s.endpoint == "http://127.0.0.1:9/flow"  # trailing slash dropped


def test_empty_config_value_falls_back_to_env():
    s = load_settings({**BASE, "aep:sandbox": ""}, env={"AEP_SANDBOX": "stage"})
    assert s.sandbox == "stage"


def test_missing_keys_are_all_named_with_the_pulumi_config_command():
    with pytest.raises(ConfigError) as info:
        load_settings({"aep:orgId": "ABC123@AdobeOrg"}, env={})
    text = str(info.value)
    assert "aep:clientId" in text and "pulumi config set aep:clientId <value> (or set AEP_CLIENT_ID)" in text
    assert "pulumi config set aep:clientSecret <value> --secret" in text
    assert "aep:orgId" not in text.split("\n", 1)[1]  # present keys are not reported


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("aep:orgId", "not-an-org", "aep:orgId: must look like <ID>@AdobeOrg"),
        ("aep:sandbox", "Prod Sandbox", "aep:sandbox: must be an AEP sandbox name"),
        ("aep:endpoint", "platform.adobe.io", "aep:endpoint: must be an http(s) URL"),
        ("aep:maxRetries", "lots", "aep:maxRetries: Input should be a valid integer"),
        ("aep:maxRetryWait", "-1", "aep:maxRetryWait: Input should be greater than or equal to 0"),
        ("aep:clientSecret", "   ", "aep:clientSecret: must not be empty"),
    ],
)
def test_invalid_values_name_key_and_fix(key, value, expected):
    with pytest.raises(ConfigError) as info:
        load_settings({**BASE, key: value}, env={})
    assert expected in str(info.value)
    assert f"pulumi config set {key} <value>" in str(info.value)


def test_invalid_secret_value_is_never_echoed():
    bad_secret = {"nested": SECRET}  # wrong type: pydantic would normally quote the input
    with pytest.raises(ConfigError) as info:
        load_settings({**BASE, "aep:clientSecret": bad_secret}, env={})
    assert "aep:clientSecret" in str(info.value)
    assert SECRET not in str(info.value)
    assert info.value.__cause__ is None and info.value.__suppress_context__


def test_secret_never_in_repr_str_or_dump():
    s = load_settings(BASE, env={})
    for text in (repr(s), str(s), str(s.model_dump()), s.model_dump_json()):
        assert SECRET not in text


def test_settings_are_immutable():
    s = load_settings(BASE, env={})
    with pytest.raises(Exception):
        s.org_id = "other@AdobeOrg"  # type: ignore[misc]
