"""The stack config YAML document `python -m provider.discover` prints.

Written line by line, not dumped, so it can carry comments: a header saying what to do with it, the `pulumi config
set --secret` command for every secret key, the connections left out and why, and the command again beside each
secret argument. A text value is written plain only where YAML reads it back as the same string; otherwise it is
a JSON string (valid YAML), escaped to ASCII when it holds anything unprintable. No secret value is ever written:
secret arguments carry only the name of the config key that will hold them.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from provider.discover.document import Discovery, Entry

_PLAIN = re.compile(r"^[A-Za-z0-9_./+][A-Za-z0-9 _./@+()-]*$")
INDENT = "  "


def scalar(value: Any) -> str:
    """One YAML scalar that reads back as ``value``."""
    if value is None or isinstance(value, (bool, int, float)):
        return json.dumps(value)
    text = str(value)
    if _PLAIN.match(text) and not text.endswith(" ") and _reads_back(text):
        return text
    return json.dumps(text, ensure_ascii=not text.isprintable())


def _reads_back(text: str) -> bool:
    try:
        return yaml.safe_load(text) == text
    except yaml.YAMLError:
        return False


def comment_text(text: str) -> str:
    """Text made safe inside a `#` comment: one line, printable characters only."""
    return " ".join("".join(c if c.isprintable() else " " for c in text).split())


def _set_command(key: str) -> str:
    return f"pulumi config set --secret aep:{key}"


def _header(found: Discovery) -> list[str]:
    total, listed = len(found.entries) + len(found.skipped), len(found.entries)
    lines = [
        f"# Base connections of AEP sandbox {found.sandbox} (org {found.org_id}): {total} found, {listed} listed "
        "below, each with its adopt_id.",
        *([f"# Dataflows: {len(found.dataflows) + len(found.skipped_flows)} found, {len(found.dataflows)} listed "
           "under aep:dataflows, each adopted with the objects it uses."] if found.dataflows or found.skipped_flows
          else []),
        "# Put `aep:connections` into the config of this sandbox's stack (stacks/Pulumi.<stack>.yaml; the stack "
        "name or",
        f"# aep:sandbox is {found.sandbox}), set the secrets, then `pulumi up`: it reads each connection (one GET), "
        "sends a PATCH",
        "# only where a name, description or plain param differs, and creates and deletes nothing.",
    ]
    if found.secret_keys:
        lines += [
            "#",
            "# The API never returns secret values: set each to the credential the connection uses now (the command",
            "# prompts for it; `< file` reads a key file). Changing one later sends one PATCH.",
            *(f"#   {_set_command(key)}" for key in found.secret_keys),
        ]
    if found.skipped:
        lines += ["#", "# Not listed, as no component can declare them (manage them in AEP, or with "
                       "FlowServiceBaseConnection):"]
        lines += [
            f"#   {comment_text(json.dumps(s.connection.name))} (id {comment_text(s.connection.id)}): "
            f"{comment_text(s.reason)}"
            for s in found.skipped
        ]
    return lines


def _entry(entry: Entry) -> list[str]:
    conn, planned = entry.planned.connection, entry.planned
    pad = INDENT * 3
    lines = [
        f"{INDENT * 2}{entry.resource_name}:",
        f"{pad}source: {scalar(planned.component.source)}",
        f"{pad}auth: {scalar(planned.component.auth_spec_name)}",
        f"{pad}name: {scalar(conn.name)}",
    ]
    if conn.description is not None:
        lines.append(f"{pad}description: {scalar(conn.description)}")
    lines.append(f"{pad}adopt_id: {scalar(conn.id)}")
    if planned.params:
        lines.append(f"{pad}params:")
        lines += [f"{pad}{INDENT}{name}: {scalar(value)}" for name, value in planned.params.items()]
    if entry.secret_keys:
        lines.append(f"{pad}secrets:")
        lines += [
            f"{pad}{INDENT}{argument}: {scalar(key)}  # {_set_command(key)}"
            for argument, key in entry.secret_keys.items()
        ]
    return lines


def _block(key: str, value: Any, depth: int) -> list[str]:
    """``key: value`` at ``depth``; a map as a block of its own keys."""
    pad = INDENT * depth
    if isinstance(value, dict):
        return [f"{pad}{scalar(key)}:", *(line for k, v in value.items() for line in _block(k, v, depth + 1))]
    if isinstance(value, list):  # a list of flat maps, each on one line
        items = ["{" + ", ".join(f"{scalar(k)}: {scalar(v)}" for k, v in item.items()) + "}" for item in value]
        return [f"{pad}{scalar(key)}:", *(f"{pad}{INDENT}- {item}" for item in items)]
    return [f"{pad}{scalar(key)}: {scalar(value)}"]


def _flows(found: Discovery) -> list[str]:
    lines = []
    if found.skipped_flows:
        lines += ["#", "# Dataflows not listed, as aep:dataflows cannot express them (manage them in AEP):"]
        lines += [f"#   {comment_text(json.dumps(s.flow.name))} (id {comment_text(s.flow.id)}): "
                  f"{comment_text(s.reason)}" for s in found.skipped_flows]
    return lines


def render(found: Discovery) -> str:
    lines = _header(found) + _flows(found) + ["config:"]
    if not found.entries:
        lines.append(f"{INDENT}aep:connections: {{}}")
    else:
        lines.append(f"{INDENT}aep:connections:")
        for entry in found.entries:
            lines += _entry(entry)
    if found.dataflows:
        lines.append(f"{INDENT}aep:dataflows:")
        for flow in found.dataflows:
            lines += _block(flow.resource_name, flow.values, 2)
    return "\n".join(lines) + "\n"
