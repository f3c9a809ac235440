"""Validation of ``auth.params`` against an auth spec (masking for responses: ``service_side.mask``).

Integer and boolean params also take their text form, stored as sent: Adobe's source tutorials send numbers as
strings (``"port": "{PORT}"`` in the PostgreSQL and Phoenix pages, e.g.
https://experienceleague.adobe.com/en/docs/experience-platform/sources/api-tutorials/create/databases/postgres).
"""
from __future__ import annotations

import re
from typing import Any

from emulator.errors import FlowError

from .catalog import AuthSpec

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_PY_TYPES = {"string": (str,), "boolean": (bool,)}
_INTEGER_TEXT = re.compile(r"^-?[0-9]{1,19}$")


def _as_number(expected: str, value: Any) -> Any:
    """An integer param's value as a number (its digits, when sent as text); anything else unchanged."""
    if expected == "integer" and isinstance(value, str) and _INTEGER_TEXT.match(value):
        return int(value)
    return value


def _type_ok(expected: str, value: Any) -> bool:
    if expected == "integer":
        value = _as_number(expected, value)
        return isinstance(value, int) and not isinstance(value, bool)
    if expected == "boolean" and isinstance(value, str):
        return value.lower() in ("true", "false")
    return isinstance(value, _PY_TYPES[expected])


def _param_error(message: str, field: str) -> FlowError:
    return FlowError(1304, 400, message, context={"field": field})


def check_param(auth: AuthSpec, name: str, value: Any) -> None:
    """Reject an unknown param or a value of the wrong type, naming the param and the fix."""
    spec = auth.param(name)
    if spec is None:
        allowed = ", ".join(p.name for p in auth.params)
        raise _param_error(
            f"auth.params.{name} is not a parameter of auth spec '{auth.name}'; allowed: {allowed}.",
            f"auth.params.{name}",
        )
    if not _type_ok(spec.type, value):
        raise _param_error(
            f"auth.params.{name} must be of type {spec.type} (or its text, e.g. \"5432\" or \"true\"), got "
            f"{type(value).__name__}.", f"auth.params.{name}"
        )
    if spec.type == "integer" and not INT64_MIN <= _as_number(spec.type, value) <= INT64_MAX:
        raise _param_error(f"auth.params.{name} is out of range; use an integer between {INT64_MIN} and "
                           f"{INT64_MAX}.", f"auth.params.{name}")
    if spec.required and spec.type == "string" and not value.strip():
        raise _param_error(f"auth.params.{name} is required and must not be empty.", f"auth.params.{name}")


def validate_params(auth: AuthSpec, params: Any) -> dict[str, Any]:
    if not isinstance(params, dict):
        raise _param_error("auth.params must be a JSON object of the auth spec's parameters.", "auth.params")
    for name, value in params.items():
        check_param(auth, name, value)
    refuse_missing(auth, params)
    return dict(params)


def refuse_missing(auth: AuthSpec, params: dict[str, Any]) -> None:
    missing = [p.name for p in auth.params if p.required and p.name not in params]
    if missing:
        raise _param_error(
            f"Missing required auth parameter(s) for '{auth.name}': {', '.join('auth.params.' + m for m in missing)}.",
            f"auth.params.{missing[0]}",
        )

