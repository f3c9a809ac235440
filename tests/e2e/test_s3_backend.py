"""The local stack with its state in S3, as a team shares it: `pulumi up`, a no-change preview and `destroy`, with
PULUMI_BACKEND_URL an `s3://` URL. The bucket is a local S3-compatible server (moto's, on 127.0.0.1); against AWS
the URL is just `s3://<bucket>/<prefix>`. The objects the CLI writes hold the stack's state, and no credential in
plain text."""

from __future__ import annotations

import pytest

from tests.e2e.project import E2EProject
from tests.security.canary_scanner import CanaryScanner
from tests.support.s3_server import KEYS, s3_server

POST, DELETE = "POST /data/foundation/flowservice/connections", "DELETE /data/foundation/flowservice/connections/{id}"


@pytest.fixture(scope="module")
def s3_url():
    with s3_server() as served:
        yield served


def test_the_local_stack_with_state_in_s3(tmp_path, emulator, pulumi_cli, s3_url):
    url, client = s3_url
    project = E2EProject(tmp_path, emulator, pulumi_cli)
    project.env.update(KEYS, PULUMI_BACKEND_URL=url)
    project.point_at_emulator()
    emulator.clear_log()

    result = project.up()
    assert project.writes() == [POST] * 3 and result.summary.resource_changes == {"create": 8}
    objects = client.list_objects_v2(Bucket="aep-state", Prefix="teams/")["Contents"]
    stack_files = [o["Key"] for o in objects if o["Key"].endswith("/local.json")]
    assert stack_files, [o["Key"] for o in objects]
    state = client.get_object(Bucket="aep-state", Key=stack_files[0])["Body"].read().decode()
    assert all(c["id"] in state for c in emulator.connections())
    secrets = [v.value for v in project.config().values() if v.secret and len(v.value) >= 12]
    assert len(secrets) >= 4
    CanaryScanner(secrets).assert_clean("the stack's state in S3", state)
    assert not (tmp_path / "state" / ".pulumi").exists()  # nothing went to the file backend

    emulator.clear_log()
    project.preview(expect_no_changes=True)
    assert emulator.requests() == []

    project.destroy()
    assert sorted(project.writes()) == [DELETE] * 3 and emulator.connections() == []
