"""Config readers: defaults when absent, values when given, errors that name the property and the fix."""

import pytest

from policy.rules.config import PolicyConfigError, int_value, string_list, string_map, string_value


def test_defaults_apply_when_config_or_key_is_absent_or_null():
    assert string_list(None, "r", "sandboxes", ["prod"]) == ["prod"]
    assert string_list({"sandboxes": None}, "r", "sandboxes", ["prod"]) == ["prod"]
    assert string_map({}, "r", "m", {"a": "b"}) == {"a": "b"}
    assert string_value({}, "r", "pattern", "x") == "x"
    assert int_value({}, "r", "n", 4) == 4


def test_given_values_win():
    assert string_list({"sandboxes": ["prod", "stage"]}, "r", "sandboxes", ["x"]) == ["prod", "stage"]
    assert string_list({"sandboxes": []}, "r", "sandboxes", ["x"]) == []
    assert string_map({"m": {"local": "dev"}}, "r", "m", {}) == {"local": "dev"}
    assert int_value({"n": 6.0}, "r", "n", 4) == 6


@pytest.mark.parametrize("call", [
    lambda: string_list({"sandboxes": "prod"}, "verify-in-prod", "sandboxes", []),
    lambda: string_list({"sandboxes": ["prod", 3]}, "verify-in-prod", "sandboxes", []),
    lambda: string_map({"sandboxes": ["prod"]}, "verify-in-prod", "sandboxes", {}),
    lambda: string_value({"sandboxes": 5}, "verify-in-prod", "sandboxes", ""),
    lambda: int_value({"sandboxes": 2.5}, "verify-in-prod", "sandboxes", 1),
    lambda: int_value({"sandboxes": True}, "verify-in-prod", "sandboxes", 1),
    lambda: int_value({"sandboxes": 0}, "verify-in-prod", "sandboxes", 1, minimum=1),
])
def test_wrong_shapes_name_rule_property_and_fix(call):
    with pytest.raises(PolicyConfigError) as info:
        call()
    text = str(info.value)
    assert "verify-in-prod" in text and "'sandboxes'" in text and "fix:" in text
