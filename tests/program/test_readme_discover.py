"""The README's `provider.discover` sample is what the command prints for the connections it shows, and its
`aep:connections` is config the program accepts."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from provider.client.models import Connection
from provider.discover import discovery, render
from provider.sources.registry import component_for
from provider.stack_config import ConnectionEntry

README = Path(__file__).resolve().parents[2] / "README.md"


def sample() -> str:
    text = README.read_text()
    section = text[text.index("<!-- section:discover -->"):text.index("<!-- /section:discover -->")]
    return re.search(r"```yaml\n(.*?)```", section, re.S).group(1)


def live_connections(text: str) -> list[Connection]:
    """The sandbox the sample describes, as the API would list it (secrets masked, oldest first)."""
    connections = []
    for created, entry in enumerate(yaml.safe_load(text)["config"]["aep:connections"].values()):
        component = component_for(entry["source"], entry["auth"])
        arguments = {**entry.get("params", {}), **{name: "***" for name in entry.get("secrets", {})}}
        params = {component.Params.api_name(name): value for name, value in arguments.items()}
        connections.append(Connection.model_validate({
            "id": entry["adopt_id"], "name": entry["name"], "description": entry.get("description"),
            "createdAt": created, "connectionSpec": {"id": component.connection_spec_id},
            "auth": {"specName": component.auth_spec_name, "params": params}}))
    legacy = re.search(r'"(.+)" \(id (\S+)\): its connection spec (\S+) is not', text)
    connections.append(Connection.model_validate({
        "id": legacy[2], "name": legacy[1], "createdAt": 99, "connectionSpec": {"id": legacy[3]},
        "auth": {"specName": "Basic Authentication", "params": {"apiKey": "***"}}}))
    return connections


def test_readme_sample_is_the_commands_output():
    text = sample()
    org = re.search(r"\(org (\S+)\)", text)[1]
    assert render(discovery("prod", org, live_connections(text))) == text


def test_readme_sample_entries_are_valid_config():
    for entry in yaml.safe_load(sample())["config"]["aep:connections"].values():
        ConnectionEntry.model_validate(entry)
