"""Entries declared in a file beside the program: ``aep:connectionsFile`` and ``aep:dataflowsFile``.

    config:
      aep:connectionsFile: connections/prod.yaml    # relative to the project directory (where Pulumi.yaml is)

The file is a YAML map of entries in exactly the format of ``aep:connections`` (``aep:dataflows``); it may be used
alone or beside the map in the stack file, but a resource name may be declared only once.

Why: the engine hands the whole stack config to the program in one environment variable (``PULUMI_CONFIG``), and
Linux caps one variable at 128 KiB (``MAX_ARG_STRLEN``): about 600 connection entries of a typical size fit, and
800 fail before the program starts ("fork/exec ...: argument list too long"). Entries in a file do not travel
that way.
A file holds no secrets: an entry's ``secrets:`` names config keys, set with ``pulumi config set --secret`` as
before, and a credential written under ``params`` is refused as it is in the stack file.

Problems in a file's entries are reported under ``<file>: <name>.<field>`` instead of ``aep:connections.<name>.``.
"""

from __future__ import annotations

import copy
import functools
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
    """Where Pulumi.yaml is: the root directory the language host gives the SDK, else the program's working
    directory (an Automation API inline program has no root directory: there, the process's)."""
    root = pulumi.get_root_directory()
    return Path(root) if root and os.path.isabs(root) and os.path.isdir(root) else Path.cwd()


class FileProblem(Exception):
    """The file cannot be used; the message says why (never a line of the file: it could hold a credential)."""


class _StrictLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML's safe loader, refusing a key given twice in one map, where it would keep only the last."""

    def construct_mapping(self, node: Any, deep: bool = False) -> dict:
        seen: dict[Any, int] = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (str, int, float, bool)) and key in seen:
                raise FileProblem(f"line {key_node.start_mark.line + 1}: {key!r} is given twice in one map (first "
                                  f"on line {seen[key]}); keep one")
            if isinstance(key, (str, int, float, bool)):
                seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


@functools.lru_cache(maxsize=8)
def _load(path: Path, _mtime_ns: int, _size: int) -> Any:
    """The file's YAML (cached per path and version: the program asks for it more than once)."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_StrictLoader)  # noqa: S506 (a safe loader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        raise FileProblem(f"is not valid YAML: {where}{err.problem or err.context or 'cannot be parsed'}") from None
    except (UnicodeDecodeError, yaml.YAMLError) as err:
        raise FileProblem(f"is not valid YAML: {type(err).__name__}") from None


def load_entries(name: str, kind: str) -> dict[str, Any]:
    """The entries of the file ``name`` (relative to the project directory, or absolute); ``FileProblem`` if
    there is none, it is no YAML map of names, or a key is no name or is given twice."""
    path = project_directory() / name
    try:
        status = path.stat()
    except OSError:
        where = "" if Path(name).is_absolute() else f" in the project directory {project_directory()}"
        raise FileProblem(f"is not a file{where}") from None
    try:
        loaded = _load(path, status.st_mtime_ns, status.st_size)
    except OSError as err:
        raise FileProblem(f"cannot be read: {err.strerror}") from None
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise FileProblem(f"must hold a map of resource name -> entry, as aep:{kind} does")
    odd = [key for key in loaded if not isinstance(key, str)]
    if odd:
        raise FileProblem(f"has keys YAML reads as {type(odd[0]).__name__}, not names: {odd[0]!r}; quote them "
                          "(\"2024\": ...)")
    return copy.deepcopy(loaded)  # the cached copy stays as read


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
    try:
        loaded = load_entries(name, kind)
    except FileProblem as problem:
        problems.append(f"{setting}: {name} {problem}; fix the file or the path (relative to Pulumi.yaml) with "
                        f"`pulumi config set {setting} <path>`")
        return inline, where
    entries = dict(inline)
    for key, value in loaded.items():
        if key in entries:
            problems.append(f"{name}: {key}: also declared in aep:{kind}; declare each resource once")
            continue
        entries[key] = value
        where[key] = f"{name}: {key}"
    return entries, where
