"""provider/settings.py: aep:* config → one Settings model, AEP_* env fallbacks, clear errors, no secret leaks."""

from __future__ import annotations

import pytest

from provider.errors import ConfigError
from provider.settings import DEFAULT_ENDPOINT, DEFAULT_IMS_ENDPOINT, DEFAULT_SCOPES, endpoint_problem, load_settings

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


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:8080/data/foundation/flowservice", "http://127.9.0.3/flow", "http://localhost:9/flow",
    "http://LOCALHOST/flow", "http://[::1]:8080/flow", "https://platform.adobe.io/data/foundation/flowservice",
    "https://example.com:8443/flow",
])
def test_https_anywhere_and_plain_http_to_loopback_are_accepted(url):
    assert endpoint_problem(url) is None
    assert load_settings({**BASE, "aep:endpoint": url, "aep:imsEndpoint": url}, env={}).endpoint == url


@pytest.mark.parametrize("url", [
    "http://example.com/flow", "http://10.0.0.8/flow", "http://localhost.example.com/flow",
    "http://127.0.0.1.nip.io/flow", "http://[::ffff:a00:1]/flow", "http://0x7f000001/flow",
])
def test_plain_http_to_any_other_host_is_refused_with_the_https_url(url):
    https = "https://" + url.removeprefix("http://")
    assert endpoint_problem(url) == ("must use https:// (plain http:// is allowed only for localhost, 127.0.0.0/8 "
                                     f"and [::1]); use {https}")
    for key in ("aep:endpoint", "aep:imsEndpoint"):
        with pytest.raises(ConfigError) as info:
            load_settings({**BASE, key: url}, env={})
        text = str(info.value)
        assert f"  {key}: must use https://" in text and f"use {https}; fix with: pulumi config set {key}" in text


@pytest.mark.parametrize("url", ["http://local\nhost/flow", "http://127.0.0.1/fl ow", "http://127.0.0.1/\x1b[31m"])
def test_spaces_and_control_characters_in_an_endpoint_are_refused(url):
    assert endpoint_problem(url) == "must not contain spaces or control characters"
