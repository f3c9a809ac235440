"""GET /flowSpecs and /flowSpecs/{id}: read-only, the same in every sandbox, built from the emulator's catalog;
every response checked against Adobe's spec."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from emulator.backend.catalog import load_catalog

CRM_TO_AEP = "14518937-270c-4525-bdec-c2ba7cce3860"
CLOUD_STORAGE_TO_AEP = "9753525b-82c7-4dce-8a9b-5ccfce2b9876"
DATA_LAKE = "c604ff05-7f1a-43c0-8e18-33bf874cb11c"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "flow-service" / "connection-specs.json"


def _ids(*categories: str) -> list[str]:
    return sorted(s.id for s in load_catalog().all() if s.category in categories)


def test_crm_to_aep_reads_every_database_and_crm_source(flow):
    (spec,) = flow.get("/flowSpecs", params={"property": "name==CRMToAEP"}).json()["items"]
    assert spec["id"] == CRM_TO_AEP and spec["version"] == "1.0"
    assert sorted(spec["sourceConnectionSpecIds"]) == _ids("databases", "crm") and len(_ids("databases")) > 10
    assert spec["targetConnectionSpecIds"] == [DATA_LAKE]
    assert [t["name"] for t in spec["transformationSpec"]] == ["Mapping"]
    assert set(spec["transformationSpec"][0]["spec"]["properties"]) == {"mappingId", "mappingVersion"}
    schedule = spec["scheduleSpec"]["spec"]
    assert schedule["required"] == ["startTime", "frequency"]
    assert schedule["properties"]["frequency"]["enum"] == ["once", "minute", "hour", "day", "week"]
    assert schedule["else"]["then"]["properties"]["interval"]["minimum"] == 15


def test_cloud_storage_to_aep_reads_every_cloud_storage_source(flow):
    (spec,) = flow.get(f"/flowSpecs/{CLOUD_STORAGE_TO_AEP}/").json()["items"]
    assert spec["name"] == "CloudStorageToAEP" and sorted(spec["sourceConnectionSpecIds"]) == _ids("cloud-storage")
    assert spec["targetConnectionSpecIds"] == [DATA_LAKE]


@pytest.mark.skipif(not SHARED.exists(), reason="../shared/flow-service/connection-specs.json is not here")
def test_the_categories_are_those_of_the_shared_catalog():
    shared = {s["connectionSpecId"]: s["category"] for s in json.loads(SHARED.read_text())}
    assert all(shared.get(ident) in ("databases", "crm") for ident in _ids("databases", "crm"))


def test_list_filters_pages_and_is_the_same_in_every_sandbox(flow):
    every = flow.get("/flowSpecs").json()["items"]
    assert [s["name"] for s in every] == ["CRMToAEP", "CloudStorageToAEP"]
    assert flow.get("/flowSpecs", sandbox="dev").json()["items"] == every
    assert flow.get("/flowSpecs", params={"property": f"sourceConnectionSpecIds=={_ids('cloud-storage')[0]}"}) \
        .json()["items"][0]["name"] == "CloudStorageToAEP"
    assert flow.get("/flowSpecs", params={"count": "true"}).json() == {"count": 2}
    page = flow.get("/flowSpecs", params={"limit": "1"}).json()
    assert [s["name"] for s in flow.get(page["_links"]["next"]["href"]).json()["items"]] == ["CloudStorageToAEP"]


def test_unknown_id_is_404_and_the_specs_are_read_only(flow):
    assert flow.get("/flowSpecs/00000000-0000-0000-0000-000000000000").json()["type"].endswith("FLOW-1101-404")
    for method in ("POST", "PUT", "DELETE"):
        response = flow.request(method, f"/flowSpecs/{CRM_TO_AEP}", json={})
        assert response.status_code == 405 and response.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_gateway_checks_apply(flow):
    response = flow.get("/flowSpecs", headers={"Authorization": None})
    assert response.status_code == 403 and response.json()["error_code"] == "403010"
