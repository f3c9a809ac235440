"""``/runs``: the list each flow links to is empty (the emulator never runs a flow), its query still checked; a run
id is not found. Every response checked against Adobe's spec by the ``flow`` client."""
from __future__ import annotations


def test_the_runs_of_a_flow_are_an_empty_list(flow):
    response = flow.get("/runs", params={"property": "flowId==0f2b9a7c-0000-4000-8000-000000000000"})
    assert response.status_code == 200 and response.json()["items"] == []


def test_a_bad_query_is_400_and_a_run_is_not_found(flow):
    assert flow.get("/runs", params={"limit": "zero"}).status_code == 400
    assert flow.get("/runs/6f1b0e3a-0000-4000-8000-000000000000").status_code == 404
