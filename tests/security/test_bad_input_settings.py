"""Bad input, third layer: the provider's configuration (`aep:*` stack config, `AEP_*` environment), given to
a fresh real plugin as the engine gives it (Configure). The first call fails with every bad key named and the
`pulumi config set` command that fixes it, before any API call; a bad value is never echoed."""

from __future__ import annotations

import pytest

from tests.harness.plugin import PluginError, PluginProcess
from tests.provider.conftest import pg_registration, stack_config
from tests.security.refusal import Case, assert_refused_before_any_call, cases

URN = "urn:pulumi:prod::aep::pulumi-python:dynamic/aep:BaseConnection::orders"
UNSET = None

CASES = cases(
    # missing and empty
    ("org-id-missing", {"aep:orgId": UNSET}, "aep:orgId", "pulumi config set aep:orgId <value> (or set AEP_ORG_ID)"),
    ("client-id-missing", {"aep:clientId": UNSET}, "aep:clientId", "pulumi config set aep:clientId <value>"),
    ("client-secret-missing", {"aep:clientSecret": UNSET}, "aep:clientSecret",
     "pulumi config set aep:clientSecret <value> --secret (or set AEP_CLIENT_SECRET)"),
    ("client-secret-empty", {"aep:clientSecret": ""}, "aep:clientSecret", "--secret"),
    ("client-secret-blank", {"aep:clientSecret": "   "}, "aep:clientSecret", "must not be empty"),
    ("client-id-blank", {"aep:clientId": "  "}, "aep:clientId", "fix with: pulumi config set aep:clientId"),
    ("scopes-blank", {"aep:scopes": " "}, "aep:scopes", "fix with: pulumi config set aep:scopes"),
    # malformed values
    ("org-id-without-suffix", {"aep:orgId": "1234ABCD"}, "aep:orgId", "must look like <ID>@AdobeOrg"),
    ("endpoint-not-a-url", {"aep:endpoint": "platform.adobe.io/data/foundation/flowservice"}, "aep:endpoint",
     "must be an http(s) URL; fix with: pulumi config set aep:endpoint"),
    ("endpoint-ftp", {"aep:endpoint": "ftp://platform.adobe.io"}, "aep:endpoint", "http(s) URL"),
    ("endpoint-plain-http-remote", {"aep:endpoint": "http://platform.adobe.io/data/foundation/flowservice"},
     "aep:endpoint", "must use https:// (plain http:// is allowed only for localhost, 127.0.0.0/8 and [::1])"),
    ("ims-endpoint-plain-http-lookalike", {"aep:imsEndpoint": "http://127.0.0.1.example/ims/token/v3"},
     "aep:imsEndpoint", "use https://127.0.0.1.example/ims/token/v3; fix with: pulumi config set aep:imsEndpoint"),
    ("ims-endpoint-with-credentials", {"aep:imsEndpoint": "https://user:hunter2@ims.example/ims/token/v3"},
     "aep:imsEndpoint", "must not carry credentials"),
    ("sandbox-uppercase", {"aep:sandbox": "Prod"}, "aep:sandbox", "lowercase letters, digits and '-'"),
    ("sandbox-unicode", {"aep:sandbox": "pr\u043ed"}, "aep:sandbox", "pulumi config set aep:sandbox"),
    # wrong types and out of range tuning
    ("max-retries-not-a-number", {"aep:maxRetries": "lots"}, "aep:maxRetries", "pulumi config set aep:maxRetries"),
    ("max-retries-too-many", {"aep:maxRetries": "11"}, "aep:maxRetries", "less than or equal to 10"),
    ("max-retry-wait-negative", {"aep:maxRetryWait": "-1"}, "aep:maxRetryWait", "greater than or equal to 0"),
    ("request-timeout-zero", {"aep:requestTimeout": "0"}, "aep:requestTimeout", "greater than 0"),
)


def refusal(env: dict[str, str], config: dict[str, str]) -> str:
    """Configure a fresh plugin with ``config`` and make the first call; the error text it answers."""
    with PluginProcess(env=env) as plugin:
        plugin.configure(config, secret_keys={"aep:clientSecret"})
        with pytest.raises(PluginError) as info:
            plugin.check(URN, {}, pg_registration().inputs)
    assert "ConfigError" in info.value.details
    return info.value.details


@pytest.mark.parametrize("case", CASES)
def test_bad_configuration_is_refused_naming_the_key_and_the_command(emulator, case: Case):
    config = {k: v for k, v in {**stack_config(emulator), **case.value}.items() if v is not UNSET}
    error = refusal({}, config)
    assert_refused_before_any_call(emulator, error, case)
    for value in case.value.values():
        if value and len(value.strip()) >= 6:  # shorter ones ("0", "11") occur in any traceback
            assert value not in error, f"{case.id}: the bad value is echoed"


def test_bad_environment_fallback_is_named_by_its_config_key_and_variable(emulator):
    case = Case("env-max-retry-wait-not-a-number", None, "aep:maxRetryWait", "(or set AEP_MAX_RETRY_WAIT)")
    error = refusal({"AEP_MAX_RETRY_WAIT": "soon"}, stack_config(emulator, **{"aep:maxRetryWait": ""}))
    assert_refused_before_any_call(emulator, error, case)


def test_every_bad_key_is_reported_at_once(emulator):
    config = {**stack_config(emulator), "aep:orgId": "nope", "aep:endpoint": "nope", "aep:maxRetries": "x"}
    error = refusal({}, config)
    assert all(key in error for key in ("aep:orgId", "aep:endpoint", "aep:maxRetries"))
    assert emulator.request_log()["total"] == 0
