"""provider/client/http.py: what the session retries by itself — driven by the emulator's fault script."""

from __future__ import annotations

import time

import pytest

from provider.client import ConnectionCreate, FlowServiceClient
from provider.errors import ServerError, ThrottledError, TransportError
from provider.settings import load_settings
from tests.provider.conftest import POSTGRESQL_SPEC_ID, flow_counts, pg_connection_string, stack_config

ONE = "/data/foundation/flowservice/connections/{id}"
LIST = "/data/foundation/flowservice/connections"


def new_connection(client: FlowServiceClient, name: str = "pg") -> str:
    body = ConnectionCreate.model_validate({
        "name": name,
        "auth": {"specName": "Connection String Based Authentication",
                 "params": {"connectionString": pg_connection_string()}},
        "connectionSpec": {"id": POSTGRESQL_SPEC_ID, "version": "1.0"},
    })
    result, adopted = client.create_connection("prod", body)
    assert not adopted
    return result.id


def statuses(emulator, method: str, template: str) -> list:
    return [r["status"] for r in emulator.requests() if r["method"] == method and r["template"] == template]


@pytest.mark.parametrize("fault", ["429", "502", "503", "drop"])
def test_get_is_retried(emulator, client, fault):
    ident = new_connection(client)
    emulator.set_faults(script=[{"method": "GET", "template": ONE, "fault": fault}])
    assert client.get_connection("prod", ident).id == ident
    expected_first = None if fault == "drop" else int(fault)
    assert statuses(emulator, "GET", ONE) == [expected_first, 200]
    assert emulator.fault_stats()[fault] == 1


@pytest.mark.parametrize("fault", ["429", "502", "503"])
def test_patch_is_retried_on_statuses_that_mean_not_applied(emulator, client, fault):
    ident = new_connection(client)
    etag = client.get_connection("prod", ident).etag
    emulator.set_faults(script=[{"method": "PATCH", "template": ONE, "fault": fault}])
    result = client.update_connection("prod", ident, etag, [{"op": "replace", "path": "/name", "value": "renamed"}],
                                      applied=lambda c: False)
    assert result.etag != etag
    assert statuses(emulator, "PATCH", ONE) == [int(fault), 200]
    assert client.get_connection("prod", ident).name == "renamed"


@pytest.mark.parametrize("fault", ["429", "502", "503", "drop", "commit_drop"])
def test_delete_is_retried_and_a_repeated_delete_counts_as_done(emulator, client, fault):
    ident = new_connection(client)
    emulator.set_faults(script=[{"method": "DELETE", "template": ONE, "fault": fault}])
    client.delete_connection("prod", ident)
    assert emulator.connections() == []
    log = statuses(emulator, "DELETE", ONE)
    assert len(log) == 2 and log[-1] == (404 if fault == "commit_drop" else 204)


def test_post_is_retried_on_429_only_by_the_session(emulator, client):
    emulator.set_faults(script=[{"method": "POST", "template": LIST, "fault": "429"}])
    new_connection(client)
    assert statuses(emulator, "POST", LIST) == [429, 201]
    assert "GET /connections" not in flow_counts(emulator)  # no lookup needed: 429 means not processed
    assert len(emulator.connections()) == 1


def test_500_is_retried_for_get_and_delete(emulator, client):
    """Idempotent calls repeat a 500 (Adobe: "try again"); only when the budget is spent does it fail."""
    ident = new_connection(client)
    emulator.set_faults(script=[{"method": "GET", "template": ONE, "fault": "500"},
                                {"method": "DELETE", "template": ONE, "fault": "500"}])
    assert client.get_connection("prod", ident).id == ident
    assert client.delete_connection("prod", ident) is True
    assert statuses(emulator, "GET", ONE) == [500, 200] and statuses(emulator, "DELETE", ONE) == [500, 204]
    emulator.set_faults(rates={"500": 1.0}, methods=["GET"])
    with pytest.raises(ServerError, match="HTTP 500"):
        client.get_connection("prod", ident)
    assert statuses(emulator, "GET", ONE) == [500, 200, 500, 500, 500, 500, 500]  # first try + 4 retries


def test_patch_500_is_resolved_by_reading_never_blindly_resent(emulator, client):
    """A 500 may come after the write: the client reads the etag; unchanged means not applied, so it resends."""
    ident = new_connection(client)
    etag = client.get_connection("prod", ident).etag
    emulator.set_faults(script=[{"method": "PATCH", "template": ONE, "fault": "500"}])
    result = client.update_connection("prod", ident, etag, [{"op": "replace", "path": "/name", "value": "renamed"}],
                                      applied=lambda c: False)
    assert result.etag != etag and client.get_connection("prod", ident).name == "renamed"
    assert statuses(emulator, "PATCH", ONE) == [500, 200]
    assert statuses(emulator, "GET", ONE) == [200, 200, 200]  # before, the resolving read, after


def test_retry_after_is_honoured(emulator):
    client = FlowServiceClient(load_settings(stack_config(emulator, **{"aep:maxRetryWait": "5"}), env={}))
    client.find_connections("prod", "warm-up")
    emulator.set_faults(retry_after=1, script=[{"method": "GET", "template": LIST, "fault": "429"}])
    started = time.monotonic()
    client.find_connections("prod", "x")
    assert time.monotonic() - started >= 0.9


def test_retry_after_wait_is_capped_by_max_retry_wait(emulator, client):
    """The server asks for 60 s; aep:maxRetryWait (0.2 s in these tests) bounds the wait."""
    emulator.set_faults(retry_after=60, script=[{"method": "GET", "template": LIST, "fault": "429"}])
    started = time.monotonic()
    client.find_connections("prod", "x")
    assert time.monotonic() - started < 30
    assert statuses(emulator, "GET", LIST) == [429, 200]


def test_throttled_error_after_the_retry_budget(emulator):
    client = FlowServiceClient(load_settings(stack_config(emulator, **{"aep:maxRetries": "2"}), env={}))
    emulator.set_faults(retry_after=0, rates={"429": 1.0}, methods=["GET"])
    with pytest.raises(ThrottledError, match="HTTP 429 429001") as info:
        client.find_connections("prod", "x")
    assert "aep:maxRetries" in str(info.value)
    assert statuses(emulator, "GET", LIST) == [429, 429, 429]  # first try + 2 retries


def test_unreachable_endpoint_is_a_transport_error(emulator):
    config = stack_config(emulator, **{"aep:endpoint": "http://127.0.0.1:9/data/foundation/flowservice",
                                       "aep:maxRetries": "1"})
    client = FlowServiceClient(load_settings(config, env={}))
    with pytest.raises(TransportError, match="GET /connections/abc \\(sandbox prod\\) got no usable reply") as info:
        client.get_connection("prod", "abc")
    assert emulator.client_secret not in str(info.value)


def test_a_netrc_entry_for_the_host_does_not_replace_the_bearer_token(emulator, client, tmp_path, monkeypatch):
    """requests reads ~/.netrc (or $NETRC) when a call carries no auth; its Basic login must never win."""
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password their-netrc-password\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    ident = new_connection(client)
    assert client.get_connection("prod", ident).id == ident
    assert [r["status"] for r in emulator.requests()] == [200, 201, 200]
