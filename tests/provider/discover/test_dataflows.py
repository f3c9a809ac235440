"""Discover's `aep:dataflows` entries from flows made over the API: a field that feeds two XDM paths is printed as
a list that reads back as the same mapping, and flows the config cannot express are skipped with the reason
(identities marked, a mapping set it cannot read) while the others are still listed."""

from __future__ import annotations

import requests
import yaml

from provider.client import FlowServiceClient
from provider.discover.dataflows import discover_flows, list_flows
from provider.discover.document import Discovery
from provider.discover.render import render
from provider.pipeline.arguments import mappings_of
from tests.provider.conftest import pg_registration
from tests.provider.pipeline.registrations import SCHEMA, START, make_dataset

FLOW = "/data/foundation/flowservice"


def _post(emulator, path: str, body: dict) -> dict:
    response = requests.post(f"{emulator.url}{path}", json=body, headers=emulator.headers("prod"), timeout=10)
    assert response.status_code in (200, 201), response.text
    return response.json()


def _flow(emulator, base_id: str, dataset: str, name: str, mappings: list[dict]) -> str:
    source = _post(emulator, f"{FLOW}/sourceConnections", {
        "name": f"{name} source", "baseConnectionId": base_id, "data": {"format": "tabular"},
        "params": {"tableName": "public.people"}, "connectionSpec": {"id": pg_registration().inputs[
            "connection_spec_id"], "version": "1.0"}})["id"]
    target = _post(emulator, f"{FLOW}/targetConnections", {
        "name": f"{name} target", "connectionSpec": {"id": "c604ff05-7f1a-43c0-8e18-33bf874cb11c", "version": "1.0"},
        "data": {"schema": {"id": SCHEMA, "version": "application/vnd.adobe.xed-full+json;version=1"}},
        "params": {"dataSetId": dataset}})["id"]
    mapping = _post(emulator, "/data/foundation/conversion/mappingSets",
                    {"xdmSchema": SCHEMA, "mappings": mappings})["id"]
    return _post(emulator, f"{FLOW}/flows", {
        "name": name, "flowSpec": {"id": "14518937-270c-4525-bdec-c2ba7cce3860", "version": "1.0"},
        "sourceConnectionIds": [source], "targetConnectionIds": [target],
        "transformations": [{"name": "Mapping", "params": {"mappingId": mapping, "mappingVersion": 0}}],
        "scheduleParams": {"startTime": START, "frequency": "day", "interval": 1}})["id"]


def test_a_field_feeding_two_paths_reads_back_and_what_cannot_be_said_is_skipped(emulator, engine, client):
    base = engine.up("pg", pg_registration())
    dataset = make_dataset(emulator, name="People")
    two = [{"sourceType": "ATTRIBUTE", "source": "email", "destination": "personalEmail.address"},
           {"sourceType": "ATTRIBUTE", "source": "email", "destination": "identityMap.Email[0].id"}]
    kept = _flow(emulator, base.id, dataset, "People daily", two)
    marked = [{"sourceType": "ATTRIBUTE", "source": "email", "destination": "personalEmail.address",
               "identity": True, "primaryIdentity": True}]
    _flow(emulator, base.id, dataset, "People with identity", marked)

    api: FlowServiceClient = client
    entries, skipped = discover_flows(api, "prod", list_flows(api, "prod"), {base.id: "people-db"})
    assert [e.flow.id for e in entries] == [kept]
    assert [s.flow.name for s in skipped] == ["People with identity"]
    assert "marks identities" in skipped[0].reason

    text = render(Discovery("prod", emulator.org_id, (), (), tuple(entries), tuple(skipped)))
    entry = yaml.safe_load(text)["config"]["aep:dataflows"]["people-daily"]
    assert entry["mapping"] == [{"source": "email", "destination": "personalEmail.address"},
                                {"source": "email", "destination": "identityMap.Email[0].id"}]
    assert mappings_of(entry["mapping"])[1] == []  # the config reads it back without a problem
    assert entry["dataset"] == {"name": "People"} and entry["adopt_id"] == kept
    assert '"People with identity"' in text and "marks identities" in text
