"""One stack per AEP sandbox: the repository's `dev` and `prod` stacks side by side against one emulator.

Both stack files are the committed ones (no `aep:sandbox`, so the stack name is the sandbox); the copy gets the
emulator's endpoints and credentials and the secrets the files ask for (`pulumi config set --secret`, which adds
each file's encryptionsalt). Every Flow Service request carries its stack's sandbox (the emulator logs the
x-sandbox-name header), each stack's connections land in its own sandbox only, and destroying one stack leaves
the other's connections untouched.
"""

from __future__ import annotations

import json

import pytest

from tests.e2e.project import FLOW, E2EProject
from tests.sources.samples import SERVICE_ACCOUNT_KEY

POST = "POST /data/foundation/flowservice/connections"
DELETE = "DELETE /data/foundation/flowservice/connections/{id}"
DEV = {"Orders database (PostgreSQL, staging replica)", "Marketing warehouse (BigQuery, staging)"}
PROD = {"Orders database (PostgreSQL)", "Marketing warehouse (BigQuery)",
        "Event stream exports (BigQuery, service account)"}
NAMES = {"dev": DEV, "prod": PROD}
SECRETS = {
    "dev": {"aep:ordersDbPassword": "dev-orders-pw", "aep:marketingBqClientSecret": "dev-bq-client-secret",
            "aep:marketingBqRefreshToken": "dev-bq-refresh-token"},
    "prod": {"aep:ordersDbPassword": "prod-orders-pw", "aep:marketingBqClientSecret": "prod-bq-client-secret",
             "aep:marketingBqRefreshToken": "prod-bq-refresh-token",
             "aep:eventsBqKeyFile": json.dumps(SERVICE_ACCOUNT_KEY)},
}


@pytest.fixture
def sandboxes(tmp_path, emulator, pulumi_cli) -> E2EProject:
    """The project with stacks dev and prod, both pointed at the emulator, secrets set."""
    copy = E2EProject(tmp_path, emulator, pulumi_cli, stacks=("dev", "prod"))
    for stack, secrets in SECRETS.items():
        copy.point_at_emulator(stack)
        for key, value in secrets.items():
            copy.set_secret(key, value, name=stack)
    return copy


def _flow_requests(project: E2EProject) -> list[dict]:
    return [r for r in project.emulator.requests() if r["path"].startswith(FLOW)]


def _up(project: E2EProject, stack: str) -> dict[str, str]:
    """`pulumi up` on one stack: only POSTs, every request in that stack's sandbox; its connection_ids."""
    project.emulator.clear_log()
    result = project.up(stack)
    requests = _flow_requests(project)
    assert {r["sandbox"] for r in requests} == {stack}, requests
    assert project.writes() == [POST] * len(NAMES[stack])
    return result.outputs["connection_ids"].value


def test_each_stack_owns_its_sandbox(sandboxes):
    project = sandboxes
    for stack in ("dev", "prod"):
        assert "encryptionsalt" in (project.dir / "stacks" / f"Pulumi.{stack}.yaml").read_text()

    dev_ids = _up(project, "dev")
    assert set(project.connections("dev")) == DEV
    assert project.connections("prod") == {} and project.connections("stage") == {}
    assert sorted(dev_ids.values()) == sorted(c["id"] for c in project.connections("dev").values())

    prod_ids = _up(project, "prod")
    assert set(project.connections("prod")) == PROD
    assert set(project.connections("dev")) == DEV
    assert sorted(prod_ids.values()) == sorted(c["id"] for c in project.connections("prod").values())
    assert not set(dev_ids.values()) & set(prod_ids.values())
    stored = project.connections("prod")["Orders database (PostgreSQL)"]["auth"]["params"]
    assert "prod-orders-pw" in str(stored) and "dev-orders-pw" not in str(stored)

    prod_before = project.connections("prod")
    project.emulator.clear_log()
    project.destroy("dev")
    assert project.writes() == [DELETE] * len(DEV)
    assert {r["sandbox"] for r in _flow_requests(project)} == {"dev"}
    assert project.connections("dev") == {}
    assert project.connections("prod") == prod_before

    project.emulator.clear_log()
    project.preview("prod", expect_no_changes=True)
    project.refresh("prod", expect_no_changes=True)
    assert project.writes() == []
    assert {r["sandbox"] for r in _flow_requests(project)} <= {"prod"}

    project.emulator.clear_log()
    project.destroy("prod")
    assert project.writes() == [DELETE] * len(PROD)
    assert {r["sandbox"] for r in _flow_requests(project)} == {"prod"}
    assert project.emulator.connections() == []
