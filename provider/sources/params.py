"""Validation of a source component's arguments with pydantic, before anything is sent.

Each component declares its auth params as a `SourceParams` model: one field per keyword argument, the
field's `serialization_alias` is the Flow Service param name (camelCase), `SecretStr` marks a secret.
Plain values are validated when the component is constructed; values that are still `pulumi.Output`s are
validated when they resolve, with the same message. Messages name the argument and the fix and never
quote the value, so a secret cannot leak through an exception.
"""

from __future__ import annotations

from typing import Any, NamedTuple, Sequence, get_args

import pulumi
from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic import ValidationError as PydanticValidationError

from provider.errors import ValidationError


class ArgumentProblem(NamedTuple):
    """One problem of a component's arguments, for callers that report it in their own terms (stack_config)."""

    arguments: tuple[str, ...]  # the keyword arguments it is about (none: unknown keywords)
    message: str  # "argument 'port' is invalid (...): pass port=<...>", without the component's name
    missing: bool = False  # required and not given


class InvalidSourceArgument(ValidationError, pulumi.RunError):
    """A component argument is missing or invalid; the message names the argument and how to fix it.

    Also a ``pulumi.RunError``, so the engine shows the program's failure as this message, not a traceback.
    ``problems`` holds the same findings one by one (empty when the message is the only one)."""

    def __init__(self, message: str, problems: Sequence[ArgumentProblem] = ()) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


def param(api_name: str, description: str, default: Any = ..., **constraints: Any) -> Any:
    """Declare one auth param: its Flow Service name, what it is (used in docs and errors), constraints."""
    return Field(default, serialization_alias=api_name, description=description, **constraints)


class SourceParams(BaseModel):
    """Base of every component's params model; fields are keyword names, aliases are API names."""

    model_config = ConfigDict(extra="forbid", validate_default=False)

    @classmethod
    def api_name(cls, field: str) -> str:
        return cls.model_fields[field].serialization_alias or field

    @classmethod
    def is_secret(cls, field: str) -> bool:
        annotation = cls.model_fields[field].annotation
        return annotation is SecretStr or SecretStr in get_args(annotation)

    @classmethod
    def secret_fields(cls) -> tuple[str, ...]:
        return tuple(name for name in cls.model_fields if cls.is_secret(name))

    @classmethod
    def validate_args(cls, owner: str, values: dict[str, Any]) -> dict[str, Any]:
        """Validate every plain argument; return them coerced (secrets unwrapped), with Outputs as given.

        Missing required arguments and all invalid values are reported together in one error. Pass the
        result through `checked_on_resolution` to have the Outputs validated too, once known.
        """
        problems: list[ArgumentProblem] = []
        result: dict[str, Any] = {}
        for name, field in cls.model_fields.items():
            value = values.get(name)
            if value is None:
                if field.is_required():
                    problems.append(ArgumentProblem((name,), _missing(cls, name), missing=True))
                continue
            if isinstance(value, pulumi.Output):
                result[name] = value
                continue
            try:
                result[name] = _validate_one(cls, name, value)
            except InvalidSourceArgument as err:
                problems.append(ArgumentProblem((name,), str(err)))
        unknown = sorted(set(values) - set(cls.model_fields))
        if unknown:
            problems.append(ArgumentProblem(
                (), f"unknown argument(s) {', '.join(unknown)}; accepted: {', '.join(cls.model_fields)}"
            ))
        if problems:
            raise InvalidSourceArgument(f"{owner}: " + "; ".join(p.message for p in problems), problems)
        return result

    @classmethod
    def checked_on_resolution(cls, owner: str, values: dict[str, Any]) -> dict[str, Any]:
        """`values` with each Output replaced by one that validates (and unwraps) its value when it resolves."""
        return {
            name: value.apply(lambda v, n=name: _check_resolved(cls, owner, n, v))
            if isinstance(value, pulumi.Output)
            else value
            for name, value in values.items()
        }


def _missing(model: type[SourceParams], name: str) -> str:
    description = model.model_fields[name].description or "a value"
    return f"argument '{name}' is required: pass {name}=<{description}>"


def _refusal(model: type[SourceParams], name: str, value: Any) -> str | None:
    """What pydantic's lax mode would let through: a bool taken for an int (True -> 1), a NUL in text."""
    annotation = model.model_fields[name].annotation
    if isinstance(value, bool) and (annotation is int or int in get_args(annotation)):
        return "a boolean is not a number"
    text = value.get_secret_value() if isinstance(value, SecretStr) else value
    if isinstance(text, str) and "\x00" in text:
        return "it contains a NUL character (found U+0000); remove it"
    return None


def _validate_one(model: type[SourceParams], name: str, value: Any) -> Any:
    """Validate one field (type, constraints, field validators); unwrap secrets to plain strings."""
    description = model.model_fields[name].description or "a valid value"
    refusal = _refusal(model, name, value)
    if refusal:
        raise InvalidSourceArgument(f"argument '{name}' is invalid ({refusal}): pass {name}=<{description}>")
    try:
        validated = model.__pydantic_validator__.validate_assignment(model.model_construct(), name, value)
    except PydanticValidationError as err:
        reasons = "; ".join(
            e["msg"].removeprefix("Value error, ") for e in err.errors(include_input=False, include_url=False)
        )
        raise InvalidSourceArgument(
            f"argument '{name}' is invalid ({reasons}): pass {name}=<{description}>"
        ) from None
    result = getattr(validated, name)
    return result.get_secret_value() if isinstance(result, SecretStr) else result


def _check_resolved(model: type[SourceParams], owner: str, name: str, value: Any) -> Any:
    if value is None:
        if model.model_fields[name].is_required():
            raise InvalidSourceArgument(f"{owner}: {_missing(model, name)}")
        return None
    try:
        return _validate_one(model, name, value)
    except InvalidSourceArgument as err:
        raise InvalidSourceArgument(f"{owner}: {err}") from None
