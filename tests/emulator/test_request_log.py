"""The request log (emulator/request_log.py): entries, templates, counts, no credentials, clearing."""
from __future__ import annotations

import json

from emulator.request_log import template_for
from tests.emulator.seeds import postgresql_body

FLOW = "/data/foundation/flowservice"


def test_entries_and_counts_per_method_and_template(flow, emulator):
    created = flow.create()
    flow.get(f"/connections/{created['id']}", sandbox="prod")
    flow.get(f"/connections/{created['id']}", sandbox="dev")
    flow.get(f"/connections/{created['id']}/test")
    log = emulator.request_log()
    assert log["total"] == 5
    assert log["counts"] == {
        "POST /ims/token/v3": 1,
        f"POST {FLOW}/connections": 1,
        f"GET {FLOW}/connections/{{id}}": 2,
        f"GET {FLOW}/connections/{{id}}/test": 1,
    }
    entries = log["requests"]
    assert entries[0] == {"method": "POST", "path": "/ims/token/v3", "template": "/ims/token/v3", "status": 200,
                          "sandbox": None, "fault": None}
    assert entries[2] == {"method": "GET", "path": f"{FLOW}/connections/{created['id']}",
                          "template": f"{FLOW}/connections/{{id}}", "status": 200, "sandbox": "prod", "fault": None}
    assert (entries[3]["status"], entries[3]["sandbox"]) == (404, "dev")


def test_log_never_holds_credentials(flow, emulator):
    password = "log-must-not-see-this"
    flow.create(postgresql_body(password=password))
    flow.get("/connections", headers={"Authorization": "Bearer leaked-token-value"})
    text = json.dumps(emulator.request_log())
    for secret in (password, emulator.client_secret, emulator.token(), "leaked-token-value"):
        assert secret not in text


def test_control_calls_are_not_logged_and_clear_works(flow, emulator):
    flow.create()
    emulator.set_faults(seed=1)
    emulator.connections()
    assert emulator.request_log()["total"] == 2
    emulator.clear_log()
    assert emulator.request_log() == {"total": 0, "counts": {}, "requests": []}


def test_templates():
    assert template_for(f"{FLOW}/connections/abc/") == f"{FLOW}/connections/{{id}}"
    assert template_for(f"{FLOW}/connectionSpecs/x") == f"{FLOW}/connectionSpecs/{{id}}"
    assert template_for("/elsewhere") == "/elsewhere"
