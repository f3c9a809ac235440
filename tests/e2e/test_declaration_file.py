"""`aep:connectionsFile` through the real CLI: a user moves the stack's entries to a YAML file beside Pulumi.yaml
with `pulumi config` commands, and `pulumi up`, typed in a subfolder of the project, finds the file relative to
the project and changes nothing; a new entry in the file is created, exactly once."""

from __future__ import annotations

import json

import yaml

from tests.e2e.cli import Cli
from tests.e2e.project import E2EProject

POST = "POST /data/foundation/flowservice/connections"


def test_entries_moved_to_a_file_change_nothing_and_a_new_one_is_created(project: E2EProject):
    project.up()
    ids = {k: c["id"] for k, c in project.connections().items()}
    declared = json.loads(project.config()["aep:connections"].value)  # `pulumi config --json` gives it as JSON
    folder = project.dir / "declarations"
    folder.mkdir()
    (folder / "local.yaml").write_text(yaml.safe_dump(declared))
    project.cli_run("config", "rm", "--stack", "local", "aep:connections")
    project.set_config("aep:connectionsFile", "declarations/local.yaml")
    assert "aep:connections:" not in (project.dir / "stacks" / "Pulumi.local.yaml").read_text()

    in_subfolder = Cli(project.cli, folder, project.env, project.transcript)
    project.emulator.clear_log()
    in_subfolder.run("preview", "--stack", "local", "--expect-no-changes")
    in_subfolder.operation("up", "local")
    assert project.writes() == []
    assert {k: c["id"] for k, c in project.connections().items()} == ids

    declared["spare-db"] = {**declared["orders-db"], "name": "Spare orders database"}
    (folder / "local.yaml").write_text(yaml.safe_dump(declared))
    project.emulator.clear_log()
    result = project.up()
    assert project.writes() == [POST]
    assert "spare-db" in result.outputs["connection_ids"].value
