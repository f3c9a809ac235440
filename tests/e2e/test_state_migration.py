"""A stack written by the code before the state-footprint changes runs under today's code with no change.

The old state is written at test time, by the real CLI running this project with ``provider/`` and
``__main__.py`` as they were at ``OLD_CODE`` (taken out of git history with ``git archive``): it records
``__provider`` sealed as a secret, whole stack traces, the components' outputs and the default-valued ``verify``,
``force_delete`` and ``connection_spec_version``. Today's code must then preview one change only, the create of
the explicit ``aep`` provider (provider/settings_provider.py) that takes over from the default one, which carries
the whole stack config; make no write on `up`, preview no change afterwards, keep every URN, and leave
``__provider`` plain in the inputs (the outputs keep the old, sealed copy of the same pickle until the
resource's next update, which rewrites them lean). Skipped, saying why, where the checkout has not got that
commit (a shallow clone).
"""

from __future__ import annotations

import io
import re
import subprocess
import tarfile
from pathlib import Path

import pytest

from provider.settings import KEYS
from tests.e2e.project import ROOT
from tests.e2e.test_state_contract import TYPE, assert_plain_provider_reference

OLD_CODE = "36eb9a7"  # main before this change: provider/ and __main__.py as existing stacks were written
OLD_FILES = ("provider", "__main__.py")
PROVIDER = "pulumi:providers:pulumi-python"


def old_checkout(into: Path) -> Path:
    """``provider/`` and ``__main__.py`` at ``OLD_CODE``, extracted under ``into``."""
    done = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", OLD_CODE, *OLD_FILES],
                          capture_output=True, timeout=120)
    if done.returncode != 0:
        pytest.skip(f"commit {OLD_CODE} is not in this checkout (a shallow clone?): {done.stderr.decode()[:200]}")
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        archive.extractall(into, filter="data")
    return into


def use_code(project, source: Path) -> None:
    """Point the project copy's ``provider`` link and ``__main__.py`` at ``source``'s."""
    (project.dir / "provider").unlink()
    (project.dir / "provider").symlink_to(source / "provider")
    (project.dir / "__main__.py").write_text((source / "__main__.py").read_text())


def test_a_stack_written_by_the_old_code_shows_no_change_and_is_rewritten_lean(project, emulator, tmp_path):
    use_code(project, old_checkout(tmp_path / "old-code"))
    project.up()
    before = project.export()["resources"]
    old_connections = [r for r in before if r["type"] == TYPE]
    assert len(old_connections) == 3
    assert all(isinstance(r["inputs"]["__provider"], dict) for r in old_connections), "not the old code's state"
    assert all(r["inputs"].get("verify") is False and "stackTrace" in r for r in old_connections)

    use_code(project, ROOT)
    moved = project.preview()
    assert moved.change_summary == {"create": 1, "same": 7}, moved.stdout
    assert re.search(r"\+\s+pulumi:providers:pulumi-python\s+aep\s+create", moved.stdout), moved.stdout
    emulator.clear_log()
    project.up()
    assert project.writes() == []
    project.preview(expect_no_changes=True)
    project.refresh(expect_no_changes=True)

    after = project.export()["resources"]
    providers = [r for r in after if r["type"] == PROVIDER]
    assert [r["urn"].rsplit("::", 1)[-1] for r in providers] == ["aep"]  # the default provider is gone
    assert set(providers[0]["inputs"]) <= {key for key, _env, _secret in KEYS.values()}
    assert "aep:connections" in [r for r in before if r["type"] == PROVIDER][0]["inputs"]
    assert sorted(r["urn"] for r in after if r["type"] != PROVIDER) == \
        sorted(r["urn"] for r in before if r["type"] != PROVIDER)
    assert all(r["provider"].startswith(providers[0]["urn"] + "::") for r in after if r["type"] == TYPE)
    for resource in (r for r in after if r["type"] == TYPE):
        assert_plain_provider_reference(resource, ("inputs",))  # outputs: rewritten by the resource's next update
        assert "stackTrace" not in resource and "sourcePosition" not in resource  # its component holds the line
        component = next(r for r in after if r["urn"] == resource["parent"])
        assert component["sourcePosition"].startswith("project:///__main__.py#"), component["sourcePosition"]
        assert resource["id"] == next(r["id"] for r in before if r["urn"] == resource["urn"])
        assert not {"verify", "force_delete", "connection_spec_version"} & set(resource["inputs"])

    project.set_path("aep:connections.orders-db.name", "Orders database (renamed)")
    emulator.clear_log()
    project.up()
    assert project.writes() == ["PATCH /data/foundation/flowservice/connections/{id}"]
    renamed = next(r for r in project.export()["resources"] if r["urn"].endswith(f"{TYPE}::orders-db"))
    assert_plain_provider_reference(renamed)
    assert not {"verify", "force_delete", "connection_spec_version"} & set(renamed["outputs"])
