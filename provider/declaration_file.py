"""Entries declared in a file beside the program: ``aep:connectionsFile`` and ``aep:dataflowsFile``.

    config:
      aep:connectionsFile: connections/prod.yaml    # relative to the project directory (where Pulumi.yaml is)

The file is a YAML map of entries in exactly the format of ``aep:connections`` (``aep:dataflows``); it may be used
alone or beside the map in the stack file, but a resource name may be declared only once.

Why: the engine hands the whole stack config to the program in one environment variable (``PULUMI_CONFIG``), and
Linux caps one variable at 128 KiB (``MAX_ARG_STRLEN``), so a stack file with about 600 connection entries fails
before the program starts ("fork/exec ...: argument list too long"). Entries in a file do not travel that way.
A file holds no secrets: an entry's ``secrets:`` names config keys, set with ``pulumi config set --secret`` as
before, and a credential written under ``params`` is refused as it is in the stack file.

Problems in a file's entries are reported under ``<file>: <name>.<field>`` instead of ``aep:connections.<name>.``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pulumi
import yaml

from provider.program_guard import CONFIG_NAMESPACE, is_secret_key


def file_key(kind: str) -> str:
    return f"{CONFIG_NAMESPACE}:{kind}File"


def where_inline(kind: str, key: Any) -> str:
    return f"{CONFIG_NAMESPACE}:{kind}.{key}"


def bad_key(where: str, key: Any) -> str:
    """The problem line of a key that cannot be a resource name; ``where`` is the key's config path."""
    origin = where[: -len(str(key))].rstrip(".: ")
    return f"{origin} key {key!r} must be lowercase letters, digits and '-' (it is the resource name)"


def project_directory() -> Path:
    """Where Pulumi.yaml is: the engine's root directory when the SDK knows it, else the program's working
    directory (the CLI starts the program there)."""
    root = pulumi.get_root_directory()
    return Path(root) if root and os.path.isabs(root) and os.path.isdir(root) else Path.cwd()


def with_file_entries(
    config: pulumi.Config, kind: str, inline: dict[Any, Any], problems: list[str]
) -> tuple[dict[Any, Any], dict[Any, str]]:
    """``inline`` (the stack file's ``aep:<kind>``) plus the entries of the file ``aep:<kind>File`` names, and for
    every key the prefix its problems are reported under. A problem with the file adds a line and no entry."""
    where = {key: where_inline(kind, key) for key in inline}
    name = config.get(f"{kind}File")
    if not name:
        return inline, where
    setting = file_key(kind)
    if is_secret_key(setting):
        problems.append(f"{setting} holds a secure value; it names a file: set it in plain text")
        return inline, where
    path = project_directory() / name
    try:
        loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"{setting}: {name} is not a file in the project directory {project_directory()}; "
                        f"fix the path (relative to Pulumi.yaml) with `pulumi config set {setting} <path>`")
        return inline, where
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as err:
        problems.append(f"{setting}: {name} cannot be read as YAML: {' '.join(str(err).split())[:300]}")
        return inline, where
    if loaded is None:
        return inline, where
    if not isinstance(loaded, dict):
        problems.append(f"{setting}: {name} must hold a map of resource name -> entry, as aep:{kind} does")
        return inline, where
    entries = dict(inline)
    for key, value in loaded.items():
        if key in entries:
            problems.append(f"{name}: {key}: also declared in aep:{kind}; declare each resource once")
            continue
        entries[key] = value
        where[key] = f"{name}: {key}"
    return entries, where
