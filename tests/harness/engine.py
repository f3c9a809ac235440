"""State between engine calls, like ``pulumi up / refresh / destroy``, on top of a ``PluginProcess``.

``Engine`` registers resources the way the Pulumi engine does: Check → (Diff) → Create / Update /
create-replacement-then-Delete, with the engine's secret bookkeeping (secret inputs mark the matching outputs
secret, plus ``additional_secret_outputs``). ``checkpoint_json()`` renders the state as a Pulumi checkpoint would
store it, each secret sealed (with a random key) the way the passphrase secrets provider seals it.

    engine = Engine(plugin)
    reg = base_connection_registration(name="pg", connection_spec_id=..., ..., sandbox="prod")
    step = engine.up("pg", reg)                 # create
    step = engine.up("pg", reg)                 # op == "same", no API call
    engine.refresh("pg"); engine.destroy("pg")
"""

from __future__ import annotations

import base64
import json
import os
import secrets as _secrets
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Optional

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from tests.harness.plugin import DiffOutcome, PluginProcess
from tests.harness.wire import (
    BASE_CONNECTION_TYPE,
    PROVIDER_KEY,
    SECRET_SIG,
    SIG_KEY,
    is_secret,
    provider_property,
    secret,
    strip_secrets,
    urn_name,
)


def _contains_secret(value: Any) -> bool:
    if is_secret(value):
        return True
    if isinstance(value, dict):
        return any(_contains_secret(v) for v in value.values())
    if isinstance(value, list):
        return any(_contains_secret(v) for v in value)
    return False



@dataclass
class Registration:
    """What a program registers: the type, its inputs (secret values wrapped) and additional_secret_outputs."""

    inputs: dict[str, Any]
    type: str = BASE_CONNECTION_TYPE
    additional_secret_outputs: tuple[str, ...] = ()


def base_connection_registration(
    *,
    name: Any,
    connection_spec_id: Any,
    auth_spec_name: Any,
    auth_params: Any,
    sandbox: Any,
    description: Any = None,
    connection_spec_version: Any = "1.0",
    auth_type: Any = None,
    adopt_id: Any = None,
    verify: Any = False,
    force_delete: Any = False,
    create_key: Any = None,
) -> Registration:
    """The registration FlowServiceBaseConnection makes (tests/provider checks this against the SDK's own):
    None inputs and literal defaults dropped, auth_params secret, __provider plain,
    additional_secret_outputs=["auth_params"]. ``create_key`` is the program's (provider/create_key.py); None
    registers as a program of an earlier version did, so these runs make no create-marker listing."""
    inputs = {
        "name": name, "description": description, "connection_spec_id": connection_spec_id,
        "connection_spec_version": None if connection_spec_version == "1.0" else connection_spec_version,
        "auth_spec_name": auth_spec_name, "auth_type": auth_type, "auth_params": secret(auth_params),
        "sandbox": sandbox, "adopt_id": adopt_id, "verify": None if verify is False else verify,
        "force_delete": None if force_delete is False else force_delete, "create_key": create_key,
        PROVIDER_KEY: provider_property(),
    }
    return Registration({k: v for k, v in inputs.items() if v is not None}, additional_secret_outputs=("auth_params",))


@dataclass
class ResourceState:
    urn: str
    type: str
    id: str
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    secret_inputs: frozenset[str]
    secret_outputs: frozenset[str]
    additional_secret_outputs: tuple[str, ...] = ()


@dataclass
class StepResult:
    """``op``: create | same | update | replace | delete | refresh | gone. ``preview`` steps call no write."""

    op: str
    urn: str
    id: Optional[str] = None
    outputs: Optional[dict[str, Any]] = None
    diff: Optional[DiffOutcome] = None
    preview: bool = False


class CheckFailed(Exception):
    def __init__(self, urn: str, failures: list[tuple[str, str]]) -> None:
        super().__init__(f"{urn}: " + "; ".join(f"{p}: {r}" for p, r in failures))
        self.failures = failures


def _secret_keys(props: Mapping[str, Any]) -> frozenset[str]:
    return frozenset(k for k, v in props.items() if _contains_secret(v))


def _annotate(outs: Mapping[str, Any], secret_ins: frozenset[str], extra: Iterable[str]) -> frozenset[str]:
    """The engine's annotateSecrets (top-level): an output is secret if its input was, or if listed in extra."""
    return frozenset(k for k in outs if k in secret_ins or k in set(extra))


class Engine:
    """Stateful driver for one configured PluginProcess. Resource names map to URNs in one stack."""

    def __init__(self, plugin: PluginProcess, *, stack: str = "test", project: str = "aep-flow-connections") -> None:
        self.plugin = plugin
        self.stack = stack
        self.project = project
        self.state: dict[str, ResourceState] = {}
        self._key = _secrets.token_bytes(32)

    def urn(self, name: str, type_: str = BASE_CONNECTION_TYPE) -> str:
        return f"urn:pulumi:{self.stack}::{self.project}::{type_}::{name}"

    def up(self, name: str, registration: Registration, *, preview: bool = False) -> StepResult:
        """Register one resource: Check, then Create, or Diff and Update / replace / nothing."""
        urn = self.urn(name, registration.type)
        news = dict(registration.inputs)
        news.setdefault(PROVIDER_KEY, provider_property())
        secret_news = _secret_keys(news)
        old = self.state.get(urn)
        checked, failures = self.plugin.check(urn, old.inputs if old else {}, news)
        if failures:
            raise CheckFailed(urn, failures)
        if old is None:
            if preview:
                return StepResult("create", urn, preview=True)
            id_, outs = self.plugin.create(urn, checked)
            self._store(urn, registration, id_, checked, secret_news, outs)
            return StepResult("create", urn, id_, outs)
        diff = self.plugin.diff(urn, old.id, old.outputs, checked, old_inputs=old.inputs)
        if not diff.changed:
            if not preview:
                old.inputs, old.secret_inputs = checked, secret_news
            return StepResult("same", urn, old.id, old.outputs, diff, preview)
        if diff.replace:
            if preview:
                return StepResult("replace", urn, old.id, None, diff, True)
            id_, outs = self.plugin.create(urn, checked)
            self.plugin.delete(urn, old.id, old.outputs, old_inputs=old.inputs)
            self._store(urn, registration, id_, checked, secret_news, outs)
            return StepResult("replace", urn, id_, outs, diff)
        if preview:
            return StepResult("update", urn, old.id, None, diff, True)
        outs = self.plugin.update(urn, old.id, old.outputs, checked, old_inputs=old.inputs)
        self._store(urn, registration, old.id, checked, secret_news, outs)
        return StepResult("update", urn, old.id, outs, diff)

    def _store(self, urn, registration, id_, inputs, secret_inputs, outs) -> None:
        self.state[urn] = ResourceState(
            urn, registration.type, id_, inputs, outs, secret_inputs,
            _annotate(outs, secret_inputs, registration.additional_secret_outputs),
            registration.additional_secret_outputs,
        )

    def refresh(self, name: str, type_: str = BASE_CONNECTION_TYPE) -> StepResult:
        """Read, then Diff as engine v3.274 does to show drift: the refreshed outputs as the old side, the
        recorded inputs as the new one (the engine inverts the outcome for display; ``diff`` is it raw)."""
        urn = self.urn(name, type_)
        old = self.state[urn]
        recorded = old.inputs
        id_, outs, inputs = self.plugin.read(urn, old.id, old.outputs, inputs=old.inputs)
        if not id_:
            del self.state[urn]
            return StepResult("gone", urn)
        old.id, old.outputs = id_, outs
        old.secret_outputs = _annotate(outs, old.secret_outputs | old.secret_inputs, old.additional_secret_outputs)
        if inputs is not None:
            old.inputs = inputs
        drift = self.plugin.diff(urn, id_, outs, recorded, old_inputs=old.inputs)
        return StepResult("refresh", urn, id_, outs, drift)

    def destroy(self, name: str, type_: str = BASE_CONNECTION_TYPE) -> StepResult:
        """Delete one resource; like the engine, a failed delete leaves it in the state."""
        urn = self.urn(name, type_)
        old = self.state[urn]
        self.plugin.delete(urn, old.id, old.outputs, old_inputs=old.inputs)
        del self.state[urn]
        return StepResult("delete", urn, old.id)

    def destroy_all(self) -> None:
        for urn in list(self.state):
            name, type_ = urn_name(urn), self.state[urn].type
            self.destroy(name, type_)

    # -- checkpoint -------------------------------------------------------------------------------------------

    def _ciphertext(self, value: Any) -> dict[str, str]:
        """Sealed as Pulumi's passphrase secrets provider seals a value (AES-256-GCM of its JSON, random 12-byte
        nonce, ``v1:<nonce>:<sealed>``), so a checkpoint here is as large as a real one."""
        nonce = os.urandom(12)
        sealed = AESGCM(self._key).encrypt(nonce, json.dumps(value, default=str).encode(), None)
        b64 = base64.b64encode
        return {SIG_KEY: SECRET_SIG, "ciphertext": f"v1:{b64(nonce).decode()}:{b64(sealed).decode()}"}

    def checkpoint(self) -> dict[str, Any]:
        """The state as a Pulumi checkpoint stores it: secret properties replaced by ciphertext objects."""
        resources = []
        for st in self.state.values():
            resources.append({
                "urn": st.urn, "custom": True, "type": st.type, "id": st.id,
                "inputs": {k: (self._ciphertext(v) if k in st.secret_inputs else v) for k, v in st.inputs.items()},
                "outputs": {k: (self._ciphertext(v) if k in st.secret_outputs else v) for k, v in st.outputs.items()},
                "additionalSecretOutputs": list(st.additional_secret_outputs),
            })
        return {"version": 3, "deployment": {"resources": resources}}

    def checkpoint_json(self) -> str:
        return json.dumps(self.checkpoint(), indent=1, sort_keys=True, default=str)


def split_secrets(inputs: Mapping[str, Any]) -> tuple[dict[str, Any], frozenset[str]]:
    """(inputs without secret wrappers, names of top-level inputs that held a secret) — for mock monitors."""
    return strip_secrets(dict(inputs)), _secret_keys(inputs)

