"""no-credentials-in-metadata: no auth param value may appear inside a connection's name or description.

Auth params are Pulumi secrets and Flow Service masks them, but name and description are stored and shown in
plain text, by Pulumi and by AEP. Every string auth param counts, and so does a password carried inside a
connection string. Values shorter than `minimumLength` are skipped (a 1-character value would match any prose);
params listed in `ignoreParams` (e.g. `server`, to allow a host name in a description) are skipped too. Matching is
case-sensitive, as credentials are. Messages name the param and the field, never the value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

from .config import int_value, string_list
from .connection_string import passwords_in
from .model import Connection

RULE = "no-credentials-in-metadata"
METADATA_FIELDS = ("name", "description")

SCHEMA: dict[str, dict[str, Any]] = {
    "minimumLength": {
        "type": "integer",
        "minimum": 1,
        "default": 4,
        "description": "Auth param values shorter than this are not looked for.",
    },
    "ignoreParams": {
        "type": "array",
        "items": {"type": "string"},
        "default": [],
        "description": "Auth param names whose values may appear in name/description (e.g. [\"server\"]).",
    },
}


@dataclass(frozen=True)
class Settings:
    minimum_length: int
    ignore_params: frozenset[str]


def parse_settings(config: Optional[Mapping[str, Any]]) -> Settings:
    return Settings(
        minimum_length=int_value(config, RULE, "minimumLength", SCHEMA["minimumLength"]["default"], minimum=1),
        ignore_params=frozenset(string_list(config, RULE, "ignoreParams", SCHEMA["ignoreParams"]["default"])),
    )


def credentials(connection: Connection, settings: Settings) -> list[tuple[str, str]]:
    """(what, value) pairs to look for: each string auth param, and passwords inside a connection string."""
    found: list[tuple[str, str]] = []
    for key in list(connection.auth_params):
        if key in settings.ignore_params:
            continue
        value = connection.auth_param(key)
        if not isinstance(value, str):
            continue
        found.append((f"auth param '{key}'", value))
        found += [(f"the password inside auth param '{key}'", p) for p in passwords_in(value)]
    return [(what, value) for what, value in found if len(value) >= settings.minimum_length]


def check(connection: Connection, settings: Settings) -> list[str]:
    fields = {field: getattr(connection, field) for field in METADATA_FIELDS}
    messages = []
    for what, value in credentials(connection, settings):
        for field, text in fields.items():
            if isinstance(text, str) and value in text:
                messages.append(
                    f"[{RULE}] the {field} of {connection.label} contains the value of {what}, which is a "
                    f"credential and would be stored in plain text. Fix: remove it from the {field}; keep "
                    f"credentials in auth_params only (or list the param in {RULE}.ignoreParams if it is not secret)."
                )
    return messages
