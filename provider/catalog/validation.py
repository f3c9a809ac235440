"""Validate base-connection inputs against the catalog, with no network.

Returns ``Problem``s (property path + reason with the fix) rather than raising, so the dynamic provider can turn
them into ``CheckFailure``s. Reasons name properties and types, never values: a wrong value may be a password.
Values that are not known yet (``pulumi preview`` with outputs of other resources) are skipped: pass an
``is_unknown`` predicate.
"""

from __future__ import annotations

import re
from typing import Any, Callable, NamedTuple, Optional

from provider.catalog.specs import AuthSpec, Catalog, load_catalog


class Problem(NamedTuple):
    property: str
    reason: str


# Bounds the catalog does not spell out. Ports are TCP ports; no credential or setting needs more than 64 KiB
# (a 4096-bit PEM key is about 3 KiB), and a bigger value is a mistake such as a file passed instead of its path.
INTEGER_RANGES = {"port": (1, 65535, "a TCP port, 1-65535"), "maxConcurrentConnections": (1, 10_000, "1 or more")}
MAX_STRING_LENGTH = 65536
MAX_NAME, MAX_DESCRIPTION = 256, 2048  # a display name and a description; the source components allow the same
_EXAMPLES = {"integer": "a whole number such as 5432", "boolean": "true or false", "string": "text"}


def control_character(value: str, allowed: str = "") -> Optional[str]:
    """The first control character in ``value`` that is not in ``allowed``, as U+XXXX (never the value)."""
    for char in value:
        if (ord(char) < 32 or 127 <= ord(char) < 160) and char not in allowed:
            return f"U+{ord(char):04X}"
    return None


def name_problem(name: str) -> Optional[str]:
    """Why ``name`` cannot be a connection's display name, or None: the plugin's check() and the components'
    own validation (before anything is registered) apply this one rule."""
    return _text_problem(name, MAX_NAME, allowed="")


def description_problem(description: str) -> Optional[str]:
    """As ``name_problem``, for a description (tabs and line breaks allowed)."""
    return _text_problem(description, MAX_DESCRIPTION, allowed="\t\n\r")


def _text_problem(value: str, limit: int, allowed: str) -> Optional[str]:
    if len(value) > limit:
        return f"must be at most {limit} characters (got {len(value)}); shorten it"
    found = control_character(value, allowed)
    return f"must not contain control characters such as line breaks (found {found}); remove it" if found else None


def _string_problem(value: str) -> Optional[str]:
    if len(value) > MAX_STRING_LENGTH:
        return f"must be at most {MAX_STRING_LENGTH} characters (got {len(value)}); pass the value, not a file"
    found = control_character(value, allowed="\t\n\r")
    if found:
        return f"must not contain control characters other than tabs and line breaks (found {found}); remove it"
    return None


def _never_unknown(_value: Any) -> bool:
    return False


def _type_matches(expected: str, value: Any) -> bool:
    if expected == "boolean":
        return isinstance(value, bool)
    if expected == "integer":
        # Protobuf structs carry numbers as doubles, so 5432 arrives as 5432.0.
        if isinstance(value, bool):
            return False
        return isinstance(value, int) or (isinstance(value, float) and value.is_integer())
    return isinstance(value, str)


def normalize_param(expected: str, value: Any) -> Any:
    """Integers that travelled as doubles (gRPC structs) or came back as strings (``"5432"``) become ints again,
    ``"true"``/``"false"`` booleans; everything else is returned unchanged."""
    if expected == "integer" and isinstance(value, float) and value.is_integer():
        return int(value)
    if expected == "integer" and isinstance(value, str) and re.fullmatch(r"-?[0-9]{1,19}", value.strip()):
        return int(value)
    if expected == "boolean" and isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return value


def validate_auth_params(
    auth: AuthSpec,
    params: Any,
    *,
    prop: str = "auth_params",
    is_unknown: Callable[[Any], bool] = _never_unknown,
) -> list[Problem]:
    """Check one ``auth_params`` mapping against an auth spec: required, unknown, mistyped, oversized and
    out-of-range params."""
    if is_unknown(params):
        return []
    if not isinstance(params, dict):
        return [Problem(prop, f"must be a mapping of {auth.name!r} parameters, e.g. {{'{auth.params[0].name}': ...}}")]
    problems: list[Problem] = []
    known = {p.name for p in auth.params}
    for name in params:
        if name not in known:
            problems.append(
                Problem(f"{prop}.{name}", f"unknown parameter for {auth.name!r}; allowed: {', '.join(sorted(known))}")
            )
    for param in auth.params:
        if param.name not in params or params[param.name] is None:
            if param.required:
                hint = " (secret: pass a pulumi secret)" if param.secret else ""
                problems.append(
                    Problem(f"{prop}.{param.name}", f"required by {auth.name!r} but missing; add it{hint}")
                )
            continue
        value = params[param.name]
        if is_unknown(value):
            continue
        where = f"{prop}.{param.name}"
        if not _type_matches(param.type, value):
            got = type(value).__name__
            problems.append(Problem(where, f"must be of type {param.type} (got {got}); pass {_EXAMPLES[param.type]}"))
        elif param.type == "string" and param.required and not value.strip():
            problems.append(Problem(where, "must not be empty; pass the value (or a pulumi secret holding it)"))
        elif param.type == "string" and (problem := _string_problem(value)):
            problems.append(Problem(where, problem))
        elif param.type == "integer" and param.name in INTEGER_RANGES:
            low, high, what = INTEGER_RANGES[param.name]
            if not low <= value <= high:
                problems.append(Problem(where, f"must be {what} (got {int(value)})"))
    return problems


def validate_connection(
    *,
    connection_spec_id: Any,
    auth_spec_name: Any,
    auth_params: Any,
    connection_spec_version: Any = "1.0",
    auth_type: Any = None,
    catalog: Optional[Catalog] = None,
    is_unknown: Callable[[Any], bool] = _never_unknown,
) -> list[Problem]:
    """Validate the spec id, auth spec name, auth type and params of one base connection."""
    catalog = catalog or load_catalog()
    if is_unknown(connection_spec_id):
        return []
    if not isinstance(connection_spec_id, str) or not catalog.by_id(connection_spec_id):
        return [
            Problem(
                "connection_spec_id",
                "unknown connection spec id; use the id of a source listed in provider/catalog/connection_specs.json",
            )
        ]
    problems: list[Problem] = []
    if not is_unknown(connection_spec_version):
        versions = {s.version for s in catalog.by_id(connection_spec_id)}
        if connection_spec_version not in versions:
            problems.append(
                Problem("connection_spec_version", f"must be one of {sorted(versions)} for this connection spec")
            )
    if is_unknown(auth_spec_name):
        return problems
    names = catalog.auth_spec_names(connection_spec_id)
    auth = catalog.auth_spec(connection_spec_id, auth_spec_name) if isinstance(auth_spec_name, str) else None
    if auth is None:
        problems.append(Problem("auth_spec_name", f"must be one of {names} for this connection spec"))
        return problems
    if auth_type is not None and not is_unknown(auth_type) and auth_type != auth.type:
        expected = "left unset" if auth.type is None else repr(auth.type)
        problems.append(Problem("auth_type", f"must be {expected} for auth spec {auth.name!r}"))
    problems.extend(validate_auth_params(auth, auth_params, is_unknown=is_unknown))
    return problems
