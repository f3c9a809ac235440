"""provider/client/auth.py: IMS tokens are fetched lazily, shared per process, thread-safe, renewed before
expiry and once after a 401 — against the emulator's IMS over real HTTP."""

from __future__ import annotations

import threading

import pytest
import requests

from provider.client import FlowServiceClient, TokenSource
from provider.client.auth import _cache
from provider.errors import AuthError
from provider.settings import load_settings
from tests.provider.conftest import flow_counts, stack_config


def ims_calls(emulator) -> int:
    return flow_counts(emulator).get("POST ims", 0)


def test_token_is_fetched_lazily_and_once_per_process(emulator, settings):
    first = FlowServiceClient(settings)
    assert ims_calls(emulator) == 0
    assert first.find_connections("prod", "none") == []
    second = FlowServiceClient(settings)  # e.g. a second resource in the same plugin process
    assert second.find_connections("dev", "none") == []
    assert ims_calls(emulator) == 1
    assert flow_counts(emulator)["GET /connections"] == 2


def test_concurrent_first_calls_share_one_token(emulator, settings):
    client = FlowServiceClient(settings)
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def work():
        try:
            barrier.wait(timeout=10)
            client.find_connections("prod", "x")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert ims_calls(emulator) == 1
    assert flow_counts(emulator)["GET /connections"] == 8


def test_token_is_renewed_before_it_expires(emulator, settings):
    now = [1000.0]
    source = TokenSource(settings, requests.Session, clock=lambda: now[0])
    first = source.token()
    entry = next(iter(_cache.values()))
    assert entry.expires_at - entry.renew_at == pytest.approx(300.0)  # 86400 s lifetime: renew 5 min early
    now[0] = entry.renew_at - 1
    assert source.token() == first and ims_calls(emulator) == 1
    now[0] = entry.renew_at + 1  # still valid, but inside the renewal window
    second = source.token()
    assert second != first and ims_calls(emulator) == 2
    # the renewed token works against Flow Service
    response = requests.get(emulator.flow_url + "/connections", timeout=10, headers={
        **emulator.headers(), "Authorization": f"Bearer {second}"})
    assert response.status_code == 200


def test_401_renews_the_token_once_and_repeats_the_call(emulator, client):
    client.find_connections("prod", "x")
    emulator.expire_tokens()  # the cached token is now refused
    assert client.find_connections("prod", "x") == []
    log = [(r["method"], r["template"].rsplit("/", 1)[-1], r["status"]) for r in emulator.requests()]
    assert log == [("POST", "v3", 200), ("GET", "connections", 200),
                   ("GET", "connections", 401), ("POST", "v3", 200), ("GET", "connections", 200)]


def test_only_one_renewal_per_call(emulator, client, monkeypatch):
    """If the new token is refused too, the call fails with AuthError instead of looping."""
    client.find_connections("prod", "x")
    original = client._tokens.token

    def token_then_expire():
        value = original()
        emulator.expire_tokens()
        return value

    monkeypatch.setattr(client._tokens, "token", token_then_expire)
    with pytest.raises(AuthError, match="HTTP 401"):
        client.find_connections("prod", "x")
    assert ims_calls(emulator) == 2


def test_wrong_client_secret_is_an_auth_error_without_the_secret(emulator):
    wrong = "wrong-secret-4b8c2e9a"
    client = FlowServiceClient(load_settings(stack_config(emulator, **{"aep:clientSecret": wrong}), env={}))
    with pytest.raises(AuthError) as info:
        client.find_connections("prod", "x")
    text = str(info.value)
    assert "HTTP 401 invalid_client" in text and "aep:clientSecret" in text
    assert wrong not in text and emulator.client_secret not in text
    assert info.value.__suppress_context__


def test_unknown_client_id_is_an_auth_error(emulator):
    client = FlowServiceClient(load_settings(stack_config(emulator, **{"aep:clientId": "nobody"}), env={}))
    with pytest.raises(AuthError, match="client id nobody") as info:
        client.find_connections("prod", "x")
    text = str(info.value)
    assert "HTTP 400 invalid_client: invalid client_id parameter" in text
    assert "aep:clientId" in text and "`pulumi config set --secret aep:clientSecret <value>`" in text
    assert "--run-program" in text  # the fix when the config was changed but refresh/destroy use the recorded one


def test_token_never_in_reprs(emulator, client):
    client.find_connections("prod", "x")
    entry = next(iter(_cache.values()))
    assert entry.value not in repr(entry) and entry.value not in repr(client)
    assert emulator.client_secret not in repr(client) and emulator.client_secret not in repr(client.settings)
