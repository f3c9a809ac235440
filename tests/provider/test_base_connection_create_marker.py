"""Crash-safe creates through the real plugin (provider/client/create_marker.py): a connection that a run created
but never recorded is taken over by the next run, and nothing else ever is.

A "run" is one plugin process and the state it leaves; a run whose state is thrown away is one killed before its
checkpoint. The marker's form and the takeover are asserted on the emulator's stored objects and request log.
"""

from __future__ import annotations

import re

import pytest
import requests

from tests.harness.engine import Engine
from tests.harness.plugin import PluginError, PluginProcess
from tests.provider.conftest import (
    BIGQUERY_SPEC_ID,
    PG_CONNECTION_STRING_AUTH,
    POSTGRESQL_SPEC_ID,
    pg_connection_string,
    pg_registration,
    stack_config,
)
from tests.provider.lifecycle import api_calls

DEV_KEY, PROD_KEY = "0123456789.aaaaaaaaaaaa", "9876543210.aaaaaaaaaaaa"
MARKED = re.compile(r"^PostgreSQL sales replica \[pulumi:0123456789\.[0-9a-f]{12}\]$")
LISTING = "GET /connections"


def new_run(emulator) -> PluginProcess:
    process = PluginProcess()
    process.start()
    process.configure(stack_config(emulator), secret_keys={"aep:clientSecret"})
    return process


@pytest.fixture
def runs(emulator):
    started: list[PluginProcess] = []

    def run() -> Engine:
        started.append(new_run(emulator))
        return Engine(started[-1])

    yield run
    for process in started:
        process.stop()


def stored(emulator) -> list[dict]:
    return emulator.connections()


def test_the_post_marks_the_description_and_reads_do_not_show_it(emulator, engine):
    step = engine.up("pg", pg_registration(create_key=DEV_KEY))
    (conn,) = stored(emulator)
    assert MARKED.match(conn["description"])
    assert step.outputs["description"] == "PostgreSQL sales replica" and step.outputs["create_key"] == DEV_KEY
    emulator.clear_log()
    assert engine.refresh("pg").outputs["description"] == "PostgreSQL sales replica"
    assert engine.up("pg", pg_registration(create_key=DEV_KEY)).op == "same"
    assert api_calls(emulator) == {"GET /connections/{id}": 1}  # the refresh; the up makes no call


def test_a_description_change_keeps_the_marker(emulator, engine):
    engine.up("pg", pg_registration(create_key=DEV_KEY))
    marker = stored(emulator)[0]["description"].rsplit(" ", 1)[1]
    assert engine.up("pg", pg_registration(create_key=DEV_KEY, description="nightly")).op == "update"
    assert stored(emulator)[0]["description"] == f"nightly {marker}"
    assert engine.up("pg", pg_registration(create_key=DEV_KEY, description=None)).op == "update"
    assert stored(emulator)[0]["description"] == marker


def test_the_next_run_takes_over_what_an_unrecorded_run_created(emulator, runs):
    first = runs()
    made = first.up("pg", pg_registration(create_key=DEV_KEY)).id
    first.up("other", pg_registration(name="pg-other", create_key=DEV_KEY.replace("a", "b")))
    emulator.clear_log()
    second = runs()  # the first run's state is lost, as after a kill before its checkpoint
    step = second.up("pg", pg_registration(create_key=DEV_KEY, password="rotated"))
    assert step.op == "create" and step.id == made
    calls = api_calls(emulator)
    assert calls[LISTING] == 1 and "POST /connections" not in calls and calls["PATCH /connections/{id}"] == 1
    assert len(stored(emulator)) == 2
    assert "Password=rotated" in next(c for c in stored(emulator) if c["id"] == made)["auth"]["params"][
        "connectionString"]
    assert MARKED.match(next(c for c in stored(emulator) if c["id"] == made)["description"])


def test_one_listing_per_run_whatever_the_number_of_creates(emulator, runs):
    engine = runs()
    for i in range(5):
        engine.up(f"pg-{i}", pg_registration(name=f"pg-{i}", create_key=f"0123456789.{i:012d}"))
    assert api_calls(emulator)[LISTING] == 1 and api_calls(emulator)["POST /connections"] == 5


def test_what_a_person_another_stack_or_an_adoption_made_is_never_taken_over(emulator, runs):
    body = {"name": "pg-sales", "description": "PostgreSQL sales replica",
            "auth": {"specName": PG_CONNECTION_STRING_AUTH, "params": {"connectionString": pg_connection_string()}},
            "connectionSpec": {"id": POSTGRESQL_SPEC_ID, "version": "1.0"}}
    by_hand = requests.post(f"{emulator.flow_url}/connections", json=body, headers=emulator.headers("prod"),
                            timeout=10).json()["id"]
    runs().up("pg", pg_registration(create_key=PROD_KEY))  # another stack, same resource name
    adopted = runs().up("pg", pg_registration(create_key=DEV_KEY, adopt_id=by_hand))
    assert adopted.id == by_hand and stored(emulator)[0]["description"] == "PostgreSQL sales replica"
    emulator.clear_log()
    mine = runs().up("pg", pg_registration(create_key=DEV_KEY))
    assert mine.id not in {by_hand, adopted.id} and len(stored(emulator)) == 3
    assert api_calls(emulator)["POST /connections"] == 1


def test_a_replacement_gets_a_marker_of_its_own(emulator, runs):
    engine = runs()
    old = engine.up("pg", pg_registration(create_key=DEV_KEY)).id
    step = engine.up("pg", pg_registration(create_key=DEV_KEY, connection_spec_id=BIGQUERY_SPEC_ID,
                                           auth_spec_name="Basic Authentication",
                                           auth_params={"project": "p", "clientId": "c", "clientSecret": "s",
                                                        "refreshToken": "r"}))
    assert step.op == "replace" and step.id != old
    markers = {c["id"]: c["description"].rsplit(" ", 1)[1] for c in stored(emulator)}
    assert len(markers) <= 2 and step.id in markers and len(set(markers.values())) == len(markers)


def test_a_failed_listing_fails_the_create_and_sends_no_post(emulator, runs):
    engine = runs()
    emulator.set_faults(rates={"503": 1.0}, methods=["GET"], path_regex=r"/flowservice/connections$")
    with pytest.raises(PluginError, match="interrupted run"):
        engine.up("pg", pg_registration(create_key=DEV_KEY))
    emulator.clear_faults()
    assert "POST /connections" not in api_calls(emulator) and stored(emulator) == []


def test_adopting_another_stacks_marked_connection_drops_its_marker(emulator, runs):
    """Stack A made it (and forgot it: `pulumi state delete`); stack B adopts it by id. B's one PATCH removes A's
    marker, so A declaring the resource again can never take it back."""
    made = runs().up("pg", pg_registration(create_key=PROD_KEY)).id
    adopted = runs().up("pg", pg_registration(create_key=DEV_KEY, adopt_id=made))
    assert adopted.id == made and stored(emulator)[0]["description"] == "PostgreSQL sales replica"
    again = runs().up("pg", pg_registration(create_key=PROD_KEY))
    assert again.id != made and len(stored(emulator)) == 2


def test_a_marked_connection_deleted_since_the_listing_is_created_anew(emulator, runs):
    made = runs().up("pg", pg_registration(create_key=DEV_KEY)).id
    second = runs()
    second.up("other", pg_registration(name="pg-other", create_key=DEV_KEY.replace("a", "c")))  # lists first
    requests.delete(f"{emulator.flow_url}/connections/{made}", headers=emulator.headers("prod"), timeout=10)
    step = second.up("pg", pg_registration(create_key=DEV_KEY))
    assert step.op == "create" and step.id != made and len(stored(emulator)) == 2
