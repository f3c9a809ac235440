"""The program-side check of the provider's `aep:*` config, run before any of our resources is registered.

Every Pulumi program that uses this package (this repo's config-driven one or a user's own) goes through it:
`FlowServiceBaseConnection` and every source component call `refuse_bad_provider_config()` first. It has to run
in the program, because the engine records a provider's config in the checkpoint as soon as the first resource
using it is registered (our `aep` provider's `aep:*` settings, provider/settings_provider.py; and the whole stack
config, if the program has dynamic resources of its own, as the default `pulumi-python` provider's): a plain
`aep:clientSecret` would be written to the checkpoint in clear text before the plugin could refuse anything.
Endpoints are checked here too (with the rule the plugin applies, `provider.settings.endpoint_problem`), so a bad
one stops the program before any call.

Problems are reported together, one per line, each starting with its config key, with control characters shown
escaped (a newline as \\n) so no value can split or forge a line of the message.
"""

from __future__ import annotations

import os
import unicodedata
from typing import Iterable, Mapping, Optional

import pulumi
from pulumi.runtime.mocks import MockMonitor

from provider.errors import ProgramConfigError
from provider.service_fields import CREDENTIAL_NAME
from provider.settings import KEYS, endpoint_problem

CONFIG_NAMESPACE = "aep"


def is_secret_key(full_key: str) -> bool:
    """Whether `full_key` (e.g. "aep:clientSecret") was set with `pulumi config set --secret`."""
    return pulumi.runtime.is_config_secret(full_key) or full_key in pulumi.runtime.get_config_secret_keys_env()


def escape_controls(text: str) -> str:
    """`text` with control, format and line/paragraph separator characters escaped: "a\\nb" -> "a\\\\nb"."""
    return "".join(
        char.encode("unicode_escape").decode("ascii") if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")
        else char
        for char in text
    )


def provider_config_problems(
    config: Optional[pulumi.Config] = None, env: Optional[Mapping[str, str]] = None
) -> list[str]:
    """What is wrong with the provider's `aep:*` config as the program sees it: a credential set neither in config
    nor in its `AEP_*` variable, a plain-text client secret, and endpoints that are not https (plain http only to a
    loopback host). One line per problem, key first."""
    config = config or pulumi.Config(CONFIG_NAMESPACE)
    env = os.environ if env is None else env
    problems = []
    for field in () if _under_mocks() else ("org_id", "client_id", "client_secret"):
        key, env_name, secret = KEYS[field]
        if not config.get(key.split(":", 1)[1]) and not env.get(env_name):
            flag = "--secret " if secret else ""
            problems.append(f"{key} is not set; run `pulumi config set {flag}{key} <value>` (or export {env_name})")
    for key in plain_credential_keys():
        problems.append(f"{key} looks like a credential but is stored in plain text (the engine would record it in "
                        f"the checkpoint as it is); run `pulumi config set --secret {key} <value>`")
    if config.get("clientSecret") and not is_secret_key(f"{CONFIG_NAMESPACE}:clientSecret"):
        problems.append(
            "aep:clientSecret is stored in plain text in the stack file; run "
            "`pulumi config set --secret aep:clientSecret <value>` (or unset it with "
            "`pulumi config rm aep:clientSecret` and export AEP_CLIENT_SECRET)"
        )
    for field in ("endpoint", "ims_endpoint"):
        key, env_name, _secret = KEYS[field]
        value = config.get(key.split(":", 1)[1])
        where = key
        if not value:
            value, where = env.get(env_name), f"{env_name} (the fallback for {key})"
        problem = endpoint_problem(value) if value else None
        if problem:
            fix = f"`pulumi config set {key} <url>`" if where == key else f"export {env_name}=<url>"
            problems.append(f"{where}: {problem}; fix with {fix}")
    return problems


def _under_mocks() -> bool:
    """True in unit tests run with `pulumi.runtime.set_mocks`: no provider is configured there, so credentials are
    not required (a plain client secret and bad endpoints are still refused)."""
    try:
        return isinstance(pulumi.runtime.settings.get_monitor(), MockMonitor)
    except Exception:  # noqa: BLE001 - no monitor yet: not under mocks
        return False


def plain_credential_keys() -> list[str]:
    """`aep:*` keys other than the client secret whose name says credential (password, secret, token, api/private
    key, key file, credential) and whose value is not a secret. The engine copies the whole stack config into the
    default `pulumi-python` provider's inputs when a program has dynamic resources of its own, so such a value
    could reach the checkpoint in clear text."""
    config = pulumi.runtime.config.CONFIG.get()
    return sorted(
        key for key, value in config.items()
        if key.startswith(f"{CONFIG_NAMESPACE}:") and key != f"{CONFIG_NAMESPACE}:clientSecret" and value
        and CREDENTIAL_NAME.search(key.split(":", 1)[1]) and not is_secret_key(key)
    )


def refuse_problems(problems: Iterable[str]) -> None:
    """Raise one `ProgramConfigError` listing every distinct problem (in order, escaped), if there is any."""
    lines = list(dict.fromkeys(escape_controls(problem) for problem in problems))
    if lines:
        count = f"{len(lines)} problem{'' if len(lines) == 1 else 's'}"
        raise ProgramConfigError(f"stack config has {count}:\n" + "\n".join(f"  {line}" for line in lines))


def refuse_bad_provider_config() -> None:
    """Stop the program, before it registers anything, if `provider_config_problems` finds any."""
    refuse_problems(provider_config_problems())
