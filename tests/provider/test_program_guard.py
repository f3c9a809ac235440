"""provider/program_guard.py: the program's own check of the provider config, with Pulumi's runtime config as a
program sees it (values, and which keys are secret), and the one error that lists every problem."""

from __future__ import annotations

import contextvars
from typing import Any, Callable, Optional

import pulumi
import pytest
from pulumi.runtime.mocks import MockMonitor

from provider.errors import ConfigError, ProgramConfigError
from provider.program_guard import (
    escape_controls,
    is_secret_key,
    provider_config_problems,
    refuse_bad_provider_config,
    refuse_problems,
)

FLOW = "https://platform.adobe.io/data/foundation/flowservice"
CREDENTIALS = {"AEP_ORG_ID": "1234@AdobeOrg", "AEP_CLIENT_ID": "client", "AEP_CLIENT_SECRET": "from-env"}
PLAIN_SECRET = (
    "aep:clientSecret is stored in plain text in the stack file; run `pulumi config set --secret aep:clientSecret "
    "<value>` (or unset it with `pulumi config rm aep:clientSecret` and export AEP_CLIENT_SECRET)"
)


@pytest.fixture(autouse=True)
def _no_config_from_the_environment(monkeypatch):
    for name in ("PULUMI_CONFIG", "PULUMI_CONFIG_SECRET_KEYS", "AEP_ENDPOINT", "AEP_IMS_ENDPOINT"):
        monkeypatch.delenv(name, raising=False)


def with_config(config: dict[str, Any], secret_keys: tuple[str, ...] = (), call: Optional[Callable] = None) -> Any:
    """`call()` (default: provider_config_problems with the credentials in the environment) with the runtime
    config set, in a copied context."""

    def run() -> Any:
        pulumi.runtime.set_all_config(config, list(secret_keys))
        return (call or (lambda: provider_config_problems(env=CREDENTIALS)))()

    return contextvars.copy_context().run(run)


def test_a_plain_client_secret_is_a_problem():
    assert with_config({"aep:clientSecret": "plain-3f9a"}) == [PLAIN_SECRET]


def test_a_secret_or_empty_client_secret_is_not():
    assert with_config({"aep:clientSecret": "s"}, secret_keys=("aep:clientSecret",)) == []
    assert with_config({"aep:clientSecret": ""}) == []
    assert with_config({}) == []


def test_secret_keys_also_come_from_the_environment_as_the_language_host_sets_them(monkeypatch):
    monkeypatch.setenv("PULUMI_CONFIG_SECRET_KEYS", '["aep:clientSecret"]')
    assert with_config({"aep:clientSecret": "s"}, call=lambda: is_secret_key("aep:clientSecret"))
    assert with_config({"aep:clientSecret": "s"}) == []


@pytest.mark.parametrize(("key", "env"), [("aep:endpoint", "AEP_ENDPOINT"), ("aep:imsEndpoint", "AEP_IMS_ENDPOINT")])
def test_an_endpoint_must_be_https_unless_it_is_loopback(key, env):
    assert with_config({key: "http://127.0.0.1:8080/x"}) == [] and with_config({key: FLOW}) == []
    assert with_config({key: "http://example.com/x"}) == [
        f"{key}: must use https:// (plain http:// is allowed only for localhost, 127.0.0.0/8 and [::1]); use "
        f"https://example.com/x; fix with `pulumi config set {key} <url>`"]
    from_env = with_config({key: ""}, call=lambda: provider_config_problems(env={**CREDENTIALS, env: "http://10.1.2.3/x"}))
    assert from_env == [f"{env} (the fallback for {key}): must use https:// (plain http:// is allowed only for "
                        f"localhost, 127.0.0.0/8 and [::1]); use https://10.1.2.3/x; fix with export {env}=<url>"]


def test_the_settings_rule_is_applied_whole():
    assert with_config({"aep:endpoint": "https://user:pw-77@platform.adobe.io/x"}) == [
        "aep:endpoint: must not carry credentials (user:password@); set aep:clientId and aep:clientSecret; fix with "
        "`pulumi config set aep:endpoint <url>`"]


def test_refusing_lists_every_distinct_problem_once_escaped_in_a_run_error():
    refuse_problems([])
    with pytest.raises(ProgramConfigError) as info:
        refuse_problems(["aep:a: bad\nvalue", "aep:b: worse", "aep:a: bad\nvalue"])
    assert str(info.value) == "stack config has 2 problems:\n  aep:a: bad\\nvalue\n  aep:b: worse"
    assert isinstance(info.value, pulumi.RunError) and isinstance(info.value, ConfigError)
    with pytest.raises(ProgramConfigError, match=r"^stack config has 1 problem:\n  aep:a: x$"):
        refuse_problems(["aep:a: x"])


def test_the_guard_raises_for_a_plain_client_secret_only(monkeypatch):
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    with_config({"aep:clientSecret": "s"}, secret_keys=("aep:clientSecret",), call=refuse_bad_provider_config)
    with pytest.raises(ProgramConfigError) as info:
        with_config({"aep:clientSecret": "plain-3f9a"}, call=refuse_bad_provider_config)
    assert str(info.value) == f"stack config has 1 problem:\n  {PLAIN_SECRET}" and "plain-3f9a" not in str(info.value)


@pytest.mark.parametrize(("text", "shown"), [
    ("a\nb", "a\\nb"), ("tab\there", "tab\\there"), ("bell\x07", "bell\\x07"), ("esc\x1b[31m", "esc\\x1b[31m"),
    ("nel\x85", "nel\\x85"), ("ls\u2028ps\u2029", "ls\\u2028ps\\u2029"), ("rlo\u202e", "rlo\\u202e"),
    ("café – ok", "café – ok"),
])
def test_control_and_line_separator_characters_are_escaped(text, shown):
    assert escape_controls(text) == shown


def _problems_with_monitor(monitor: Any, env: dict[str, str]) -> list[str]:
    pulumi.runtime.settings.SETTINGS.monitor = monitor  # a context variable: this copied context only
    return provider_config_problems(env=env)


def test_credentials_set_nowhere_are_problems_naming_config_and_environment():
    problems = with_config({"aep:orgId": "1234@AdobeOrg"}, call=lambda: _problems_with_monitor(None, {}))
    assert problems == [
        "aep:clientId is not set; run `pulumi config set aep:clientId <value>` (or export AEP_CLIENT_ID)",
        "aep:clientSecret is not set; run `pulumi config set --secret aep:clientSecret <value>` "
        "(or export AEP_CLIENT_SECRET)"]
    assert with_config({}, call=lambda: _problems_with_monitor(None, CREDENTIALS)) == []


def test_unit_tests_under_mocks_need_no_credentials_but_still_no_plain_secret():
    mocked = MockMonitor(None)
    assert with_config({}, call=lambda: _problems_with_monitor(mocked, {})) == []
    assert with_config({"aep:clientSecret": "plain-3f9a"}, call=lambda: _problems_with_monitor(mocked, {})) == [
        PLAIN_SECRET]


def test_any_plain_aep_key_named_like_a_credential_is_a_problem():
    problems = with_config({"aep:ordersDbPassword": "pw-9d1c", "aep:apiToken": "t", "aep:eventsBqKeyFile": "k",
                            "aep:ordersDbHost": "db.internal", "other:dbPassword": "not ours"},
                           secret_keys=("aep:apiToken",))
    assert problems == [
        f"aep:{key} looks like a credential but is stored in plain text (the engine would record it in the "
        f"checkpoint as it is); run `pulumi config set --secret aep:{key} <value>`"
        for key in ("eventsBqKeyFile", "ordersDbPassword")]
    assert all("pw-9d1c" not in problem for problem in problems)
