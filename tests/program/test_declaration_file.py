"""`aep:connectionsFile` / `aep:dataflowsFile` (provider/declaration_file.py): entries in a YAML file are declared
exactly as the stack file's own, beside them; every problem of the file is refused before anything is declared,
under `<file>: <name>.<field>`, with the fix. Run through the stand-in harness; tests/e2e/test_declaration_file.py
runs a relative path through the real CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.harness.program import ProgramHarness
from tests.program.test_stack_config import problems, refused

POSTS = "POST /data/foundation/flowservice/connections"


@pytest.fixture
def harness(emulator) -> ProgramHarness:
    return ProgramHarness.for_emulator(emulator)


def move_to_file(harness: ProgramHarness, path: Path, keys: list[str]) -> dict:
    """Move the stack file's entries ``keys`` to the file at ``path``, named by aep:connectionsFile."""
    connections = harness.connections()
    moved = {key: connections.pop(key) for key in keys}
    path.write_text(yaml.safe_dump(moved))
    harness.set_connections(connections)
    harness.overrides["aep:connectionsFile"] = str(path)
    return moved


def posted(emulator) -> int:
    return sum(1 for r in emulator.requests() if f"{r['method']} {r['template']}" == POSTS)


def test_entries_in_the_file_are_declared_beside_the_stack_files(harness, emulator, tmp_path):
    move_to_file(harness, tmp_path / "connections.yaml", ["orders-db", "events-bigquery"])
    run = harness.up().raise_for_error()
    assert run.ops() == {"create": 3} and posted(emulator) == 3
    assert {c["name"] for c in emulator.connections()} >= {"Orders database (PostgreSQL)"}
    assert "auth_params" in run.resource("orders-db", "pulumi-python:dynamic/aep:BaseConnection").secret_paths

    harness.overrides["aep:connections"] = {}
    emulator.clear_log()
    again = harness.up().raise_for_error()  # one entry left the stack file and nothing else changed
    assert again.ops() == {"same": 2, "delete": 1} and posted(emulator) == 0


def test_moving_entries_from_the_stack_file_to_a_file_changes_nothing(harness, emulator, tmp_path):
    harness.up().raise_for_error()
    move_to_file(harness, tmp_path / "all.yaml", list(harness.connections()))
    emulator.clear_log()
    run = harness.up().raise_for_error()
    assert run.ops() == {"same": 3}
    assert [r for r in emulator.requests() if r["method"] != "GET"] == []


@pytest.mark.parametrize("relative", [False, True])
def test_a_missing_file_names_the_setting_and_the_fix(harness, emulator, tmp_path, relative):
    name = "declarations/nope.yaml" if relative else str(tmp_path / "nope.yaml")
    harness.overrides["aep:connectionsFile"] = name
    (line,) = problems(refused(harness, emulator))
    where = " in the project directory " if relative else "; "
    assert line.startswith(f"aep:connectionsFile: {name} is not a file{where}")
    assert line.endswith("fix the file or the path (relative to Pulumi.yaml) with "
                         "`pulumi config set aep:connectionsFile <path>`")


@pytest.mark.parametrize(("text", "expected"), [
    ("orders-db:\n  params: {password: hunter2-in-file, host: [unclosed\n",
     "is not valid YAML: line 3, column 1: "),
    ("- a\n- b\n", "must hold a map of resource name -> entry, as aep:connections does"),
    ("spare-db: {source: postgresql}\nspare-db: {source: mysql}\n",
     "line 2: 'spare-db' is given twice in one map (first on line 1); keep one"),
    ("2024: {source: postgresql}\n", "has keys YAML reads as int, not names: 2024; quote them (\"2024\": ...)"),
])
def test_a_file_that_is_not_a_map_of_named_entries_is_refused(harness, emulator, tmp_path, text, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    harness.overrides["aep:connectionsFile"] = str(path)
    error = refused(harness, emulator)
    (line,) = problems(error)
    assert line.startswith(f"aep:connectionsFile: {path} {expected}"), line
    assert "hunter2" not in error  # the parser's message quotes no line of the file


def test_problems_in_the_file_are_named_by_file_and_entry_and_a_name_is_declared_once(harness, emulator, tmp_path):
    path = tmp_path / "more.yaml"
    entry = dict(harness.connections()["orders-db"])
    bad = {**entry, "params": {**entry["params"], "password": "hunter2-in-file", "hostname": "x"}}
    path.write_text(yaml.safe_dump({"orders-db": entry, "Bad_Key": entry, "spare-db": bad}))
    harness.overrides["aep:connectionsFile"] = str(path)
    error = refused(harness, emulator)
    lines = problems(error)
    assert f"{path}: orders-db: also declared in aep:connections; declare each resource once" in lines
    assert f"{path} key 'Bad_Key' must be lowercase letters, digits and '-' (it is the resource name)" in lines
    assert any(line.startswith(f"{path}: spare-db.params.password: password is a secret argument") for line in lines)
    assert any(line.startswith(f"{path}: spare-db.params.hostname: PostgreSqlConnection has no argument")
               for line in lines)
    assert "hunter2" not in error


def test_a_secure_file_setting_is_refused(harness, emulator, tmp_path):
    harness.set_secret("aep:connectionsFile", str(tmp_path / "x.yaml"))
    (line,) = problems(refused(harness, emulator))
    assert line == "aep:connectionsFile holds a secure value; it names a file: set it in plain text"


def test_a_dataflow_in_its_file_may_use_a_connection_declared_in_the_connections_file(harness, emulator, tmp_path):
    from tests.program.test_dataflow_config import CHILDREN, ENTRY

    move_to_file(harness, tmp_path / "connections.yaml", ["orders-db"])
    flows = tmp_path / "dataflows.yaml"
    flows.write_text(yaml.safe_dump({"orders-hourly": ENTRY, "typo-flow": {**ENTRY, "connection": "orders-bd"}}))
    harness.overrides["aep:dataflowsFile"] = str(flows)
    (line,) = problems(refused(harness, emulator))
    assert line.startswith(f"{flows}: typo-flow.connection: no connection entry 'orders-bd'; did you mean "
                           "orders-db?")

    flows.write_text(yaml.safe_dump({"orders-hourly": ENTRY}))
    run = harness.preview().raise_for_error()
    component = run.resource("orders-hourly", "aep:pipelines:TableIngestion")
    assert {r.type for r in run.children_of(component)} == CHILDREN
