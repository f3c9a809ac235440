"""Reading one policy's config properties with defaults, failing with the field and the fix named.

The engine validates policy config against each policy's JSON schema and fills in the schema defaults before it
calls Configure; these readers check again (and apply the same defaults) so the rules are safe to call directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Optional


class PolicyConfigError(ValueError):
    """A policy config property has the wrong shape."""


def _missing(config: Optional[Mapping[str, Any]], key: str) -> bool:
    return config is None or key not in config or config[key] is None


def string_list(config: Optional[Mapping[str, Any]], rule: str, key: str, default: Sequence[str]) -> list[str]:
    if _missing(config, key):
        return list(default)
    value = config[key]
    if isinstance(value, str) or not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise PolicyConfigError(
            f"{rule}: config property '{key}' must be a list of strings (got {type(value).__name__}); "
            f'fix: set it like "{key}": ["prod"] in the --policy-pack-config file'
        )
    return list(value)


def string_map(
    config: Optional[Mapping[str, Any]], rule: str, key: str, default: Mapping[str, str]
) -> dict[str, str]:
    if _missing(config, key):
        return dict(default)
    value = config[key]
    if not isinstance(value, Mapping) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise PolicyConfigError(
            f"{rule}: config property '{key}' must map strings to strings (got {type(value).__name__}); "
            f'fix: set it like "{key}": {{"local": "dev"}} in the --policy-pack-config file'
        )
    return dict(value)


def string_value(config: Optional[Mapping[str, Any]], rule: str, key: str, default: str) -> str:
    if _missing(config, key):
        return default
    value = config[key]
    if not isinstance(value, str):
        raise PolicyConfigError(
            f"{rule}: config property '{key}' must be a string (got {type(value).__name__}); "
            "fix: quote it in the --policy-pack-config file"
        )
    return value


def int_value(config: Optional[Mapping[str, Any]], rule: str, key: str, default: int, minimum: int = 0) -> int:
    if _missing(config, key):
        return default
    value = config[key]
    # Configure delivers JSON numbers as floats; 4.0 is a fine 4.
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != int(value) or value < minimum:
        raise PolicyConfigError(
            f"{rule}: config property '{key}' must be a whole number >= {minimum} (got {value!r}); "
            f'fix: set it like "{key}": {default} in the --policy-pack-config file'
        )
    return int(value)
