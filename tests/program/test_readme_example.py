"""The README's Python example is a working program: run it on the local stack against the emulator."""

from __future__ import annotations

import re
from pathlib import Path

from tests.harness.program import ProgramHarness

README = Path(__file__).resolve().parents[2] / "README.md"


def example_code() -> str:
    text = README.read_text()
    section = text[text.index("<!-- section:example -->"):text.index("<!-- /section:example -->")]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_example_creates_its_two_connections(emulator, tmp_path):
    program = tmp_path / "__main__.py"
    program.write_text(example_code())
    run = ProgramHarness.for_emulator(emulator, program=program).up().raise_for_error()
    assert run.ops() == {"create": 2}
    stored = {c["name"]: c for c in emulator.connections()}
    assert set(stored) == {"orders-db", "events-bigquery"}
    assert run.exports["orders_id"] == stored["orders-db"]["id"]
    assert "EncryptionMethod=1;ValidateServerCertificate=1" in stored["orders-db"]["auth"]["params"][
        "connectionString"]


def pipeline_code() -> str:
    text = README.read_text()
    section = text[text.index("<!-- section:pipelines -->"):text.index("<!-- /section:pipelines -->")]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)


def test_readme_pipeline_example_creates_the_connection_and_its_four_objects(emulator, tmp_path):
    dataset = emulator.create_dataset("dev", "Orders", "https://ns.adobe.com/acme/schemas/orders")
    program = tmp_path / "__main__.py"
    program.write_text(pipeline_code())
    run = ProgramHarness.for_emulator(emulator, program=program).up().raise_for_error()
    assert run.ops() == {"create": 5}
    (flow,) = emulator.flows("dev")
    (target,) = emulator.target_connections("dev")
    assert target["params"]["dataSetId"] == dataset and flow["targetConnectionIds"] == [target["id"]]
    assert flow["scheduleParams"]["frequency"] == "hour"
