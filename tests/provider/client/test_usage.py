"""provider/client/usage.py against the emulator: the source connections on a base connection and the dataflows
reading them, with Adobe's property filters; a sandbox that no longer exists holds nothing."""

from __future__ import annotations

from provider.client.usage import flows_using, source_connections_using
from tests.provider.client.test_http import new_connection
from tests.provider.conftest import flow_counts
from tests.support.dataflows import Dataflows


def test_lists_only_what_reads_through_the_connection(emulator, client):
    mine, other = new_connection(client, "mine"), new_connection(client, "other")
    made = Dataflows(emulator)
    a, b = made.source_connection(mine, "prod", "a"), made.source_connection(mine, "prod", "b")
    elsewhere = made.source_connection(other, "prod", "elsewhere")
    both, only_b = made.flow([a, b], "prod", "both"), made.flow([b], "prod", "only b")
    made.flow([elsewhere], "prod", "elsewhere")
    emulator.clear_log()
    sources = source_connections_using(client, "prod", mine)
    assert [(s.id, s.name, s.baseConnectionId) for s in sources] == [(a, "a", mine), (b, "b", mine)]
    flows = flows_using(client, "prod", [a, b, a])
    assert [(f.id, f.name) for f in flows] == [(both, "both"), (only_b, "only b")]  # each once
    assert flow_counts(emulator) == {"GET /sourceConnections": 1, "GET /flows": 1}
    assert source_connections_using(client, "dev", mine) == [] and flows_using(client, "prod", []) == []
    made.close()


def test_a_sandbox_that_does_not_exist_holds_nothing(emulator, client):
    assert source_connections_using(client, "qa", "0f2b-any") == []
    assert flows_using(client, "qa", ["0f2b-any"]) == []
    assert [r["status"] for r in emulator.requests() if "token" not in r["path"]] == [404, 404]
