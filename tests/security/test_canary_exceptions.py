"""Canary secrets in exception texts and reprs raised in the program's own process: every component refusing a
bad argument while holding canary secrets, the provider settings refusing bad config next to a canary client
secret, and the reprs of the objects that hold credentials. None may show a canary in any form."""

from __future__ import annotations

import pytest

from provider.client import FlowServiceClient, clear_token_cache
from provider.errors import ConfigError
from provider.settings import load_settings
from provider.sources import COMPONENTS, InvalidSourceArgument
from tests.provider.conftest import stack_config
from tests.security import canary_values as canaries
from tests.security.canary_scanner import CanaryScanner

SCANNER = CanaryScanner(canaries.all_canaries(("v1",)))


pytestmark = pytest.mark.usefixtures("under_mocks")


def refusal_text(component, args: dict) -> str:
    with pytest.raises(InvalidSourceArgument) as info:
        component("leaky", **args)
    return f"{info.value}\n{info.value!r}\n{info.value.args}"


@pytest.mark.parametrize("component", [c for c in COMPONENTS if c.Params.secret_fields()], ids=lambda c: c.__name__)
def test_refusing_a_component_never_shows_its_secrets(component):
    args = canaries.canary_arguments(component, "v1")
    secret_fields = [f for f in component.Params.secret_fields() if f in args]
    # every secret of the wrong type (a list holding the canary): all are named, none is shown
    text = refusal_text(component, {**args, **{f: [args[f]] for f in secret_fields}})
    assert all(f"'{f}'" in text for f in secret_fields), text
    SCANNER.assert_clean(f"{component.__name__} refusal", text)
    # valid secrets, another argument wrong: the message names it and holds nothing else
    for bad in ({"sandbox": "Not A Sandbox"}, {"description": 7}):
        SCANNER.assert_clean(f"{component.__name__} refusal", refusal_text(component, {**args, **bad}))

def test_settings_refusal_and_reprs_never_show_the_client_secret(emulator):
    emulator.add_client(canaries.CLIENT_ID, canaries.IMS_CLIENT_SECRET, canaries.ORG_ID)
    config = stack_config(emulator, **{"aep:clientId": canaries.CLIENT_ID, "aep:orgId": canaries.ORG_ID,
                                       "aep:clientSecret": canaries.IMS_CLIENT_SECRET})
    with pytest.raises(ConfigError) as info:
        load_settings({**config, "aep:orgId": "not-an-org", "aep:endpoint": canaries.IMS_CLIENT_SECRET}, env={})
    assert "aep:orgId" in str(info.value) and "aep:endpoint" in str(info.value)
    SCANNER.assert_clean("ConfigError", f"{info.value}\n{info.value!r}")

    clear_token_cache()
    settings = load_settings(config, env={})
    client = FlowServiceClient(settings)
    client.find_connections("prod", "warm-up")  # fetches and caches a token
    texts = [repr(settings), str(settings), settings.model_dump_json(), repr(client), repr(client._tokens.__dict__)]
    for text in texts:
        SCANNER.assert_clean("repr", text)
    assert canaries.IMS_CLIENT_SECRET == settings.client_secret.get_secret_value()  # it was there all along
