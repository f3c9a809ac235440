"""The base connection's inputs: which keys update and which replace, defaults, and Check (no network).

Kept apart from the dynamic provider (provider/base_connection.py), which imports it; the rules for comparing a
live connection with these inputs are provider/service_fields.py's.
"""

from __future__ import annotations

from typing import Any, Mapping, Optional

from pulumi.dynamic import CheckFailure, CheckResult
from pulumi.runtime import known_types, rpc

from provider.catalog import description_problem, name_problem, validate_connection
from provider.client.connection_changes import normalize_params
from provider.service_fields import covers
from provider.settings import SANDBOX_PATTERN

PROVIDER_KEY = "__provider"
UPDATE_KEYS = ("name", "description", "auth_params", "verify", "force_delete")
REPLACE_KEYS = ("connection_spec_id", "connection_spec_version", "auth_spec_name", "auth_type", "sandbox")
INPUT_KEYS = (*UPDATE_KEYS, *REPLACE_KEYS, "adopt_id")
OUTPUT_KEYS = ("etag", "state", "created_at", "updated_at", "service_params")
PROGRAM_KEYS = ("create_key",)  # set by the program, never diffed: provider/create_key.py
DEFAULTS = {"verify": False, "force_delete": False, "connection_spec_version": "1.0"}


def is_unknown(value: Any) -> bool:
    return known_types.is_unknown(value) or value == rpc.UNKNOWN


def plain(props: Mapping[str, Any]) -> dict[str, Any]:
    """Our properties without ``__provider`` and with any rpc secret wrappers removed."""
    return {k: rpc.unwrap_rpc_secret(v) for k, v in props.items() if k != PROVIDER_KEY}


def readopt_problem(olds: Mapping[str, Any], news: Mapping[str, Any]) -> Optional[str]:
    """Why a replacement of an adopted connection must not run while ``adopt_id`` is still set, if it would.

    The replacement's create() would take over the very connection the engine deletes right after. Checked in
    check(), which only `up`/`preview` call with the program's inputs: diff() cannot tell, because on `pulumi
    refresh` the engine calls it with the live values against the recorded ones.
    """
    adopt_id = news.get("adopt_id")
    if not adopt_id or is_unknown(adopt_id) or olds.get("adopt_id") != adopt_id:
        return None
    changed = [k for k in REPLACE_KEYS if not is_unknown(news.get(k)) and not same(k, olds.get(k), news.get(k))]
    if not changed:
        return None
    return (f"changing {', '.join(changed)} needs a new connection, but adopt_id still points at the adopted one "
            f"({adopt_id}), which the replacement would take over again and then delete; remove adopt_id (it only "
            "matters for the first `pulumi up`) and run again")


def same(key: str, old: Any, new: Any) -> bool:
    if is_unknown(old) or is_unknown(new):
        return False
    if key == "auth_params":
        return not any(map(is_unknown, (new or {}).values())) and covers(old, new)
    return (DEFAULTS.get(key) if old is None else old) == (DEFAULTS.get(key) if new is None else new)


def check_inputs(olds: Mapping[str, Any], news: Mapping[str, Any]) -> CheckResult:
    """The engine's Check: every problem a ``CheckFailure`` naming the property and the fix; no network, so it
    works in preview. Unknown (preview) values pass. Defaults are checked, then left out (``without_defaults``)."""
    inputs = plain(news)
    failures: list[CheckFailure] = []

    def fail(prop: str, reason: str) -> None:
        failures.append(CheckFailure(prop, reason))

    for key in inputs:
        if key not in INPUT_KEYS and key not in OUTPUT_KEYS and key not in PROGRAM_KEYS:
            fail(key, f"unknown property; allowed: {', '.join(INPUT_KEYS)}")
    for key, default in DEFAULTS.items():
        if inputs.get(key) is None:
            inputs[key] = default
    name = inputs.get("name")
    if not is_unknown(name) and (not isinstance(name, str) or not name.strip()):
        fail("name", "required: a non-empty display name for the connection")
    elif isinstance(name, str) and (problem := name_problem(name)):
        fail("name", problem)
    description = inputs.get("description")
    if description is not None and not is_unknown(description) and not isinstance(description, str):
        fail("description", "must be a string: free text describing the connection")
    elif isinstance(description, str) and (problem := description_problem(description)):
        fail("description", problem)
    sandbox = inputs.get("sandbox")
    if not is_unknown(sandbox) and (not isinstance(sandbox, str) or not SANDBOX_PATTERN.match(sandbox)):
        fail("sandbox", "required: an AEP sandbox name (lowercase letters, digits, '-'); set aep:sandbox or "
             "pass sandbox=")
    for key in ("verify", "force_delete"):
        if not is_unknown(inputs[key]) and not isinstance(inputs[key], bool):
            fail(key, "must be true or false")
    adopt_id = inputs.get("adopt_id")
    if adopt_id is not None and not is_unknown(adopt_id) and (not isinstance(adopt_id, str) or not adopt_id):
        fail("adopt_id", "must be the id of an existing base connection (a non-empty string)")
    for prop, reason in validate_connection(
        connection_spec_id=inputs.get("connection_spec_id"),
        auth_spec_name=inputs.get("auth_spec_name"),
        auth_params=inputs.get("auth_params"),
        connection_spec_version=inputs["connection_spec_version"],
        auth_type=inputs.get("auth_type"),
        is_unknown=is_unknown,
    ):
        fail(prop, reason)
    params = inputs.get("auth_params")
    if not failures and isinstance(params, dict) and not any(map(is_unknown, params.values())):
        inputs["auth_params"] = normalize_params(
            inputs["connection_spec_id"], inputs["auth_spec_name"], params
        )
    if not failures and (problem := readopt_problem(plain(olds), inputs)):
        fail("adopt_id", problem)
    for key in OUTPUT_KEYS:
        inputs.pop(key, None)
    return CheckResult(without_defaults(inputs), failures)


def without_defaults(props: dict[str, Any]) -> dict[str, Any]:
    """``props`` less the keys holding their default (``verify=False``, ``force_delete=False``,
    ``connection_spec_version="1.0"``): not recorded, since everything that reads them (``same``, create, update,
    delete, read) takes a missing one as the default; a state that recorded them shows no change."""
    return {k: v for k, v in props.items() if k not in DEFAULTS or type(v) is not type(DEFAULTS[k])
            or v != DEFAULTS[k]}
