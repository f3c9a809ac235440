"""Assertions shared by the lifecycle suites: the emulator's stored connections equal Pulumi state."""

from __future__ import annotations

from typing import Any

from provider.service_fields import same_value
from tests.harness.engine import Engine
from tests.provider.conftest import flow_counts


def _ints(params: dict[str, Any]) -> dict[str, Any]:
    return {k: (int(v) if isinstance(v, float) and v.is_integer() else v) for k, v in params.items()}


def assert_emulator_matches_state(emulator: Any, engine: Engine) -> None:
    """Every connection in state exists once in the emulator with the same values (secrets unmasked), and the
    emulator holds nothing else. Params the service added are recorded in ``service_params`` once read."""
    stored = {c["id"]: c for c in emulator.connections()}
    assert sorted(stored) == sorted(st.id for st in engine.state.values()), "emulator and state hold other ids"
    for st in engine.state.values():
        live, outs = stored[st.id], st.outputs
        assert live["sandbox"] == outs["sandbox"]
        assert live["name"] == outs["name"]
        assert live.get("description") == outs.get("description")
        assert live["connectionSpec"] == {"id": outs["connection_spec_id"], "version": outs.get("connection_spec_version", "1.0")}
        assert live["auth"]["specName"] == outs["auth_spec_name"]
        declared, extra = _ints(outs["auth_params"]), dict(live["auth"]["params"])
        shown = {k: extra.pop(k) for k in declared if k in extra}
        assert same_value(declared, shown), (declared, shown)  # by value: the service may keep 5432 as "5432"
        recorded = outs.get("service_params") or {}
        assert {k: extra.get(k) for k in recorded} == recorded
        assert live["etag"] == outs["etag"]


def api_calls(emulator: Any) -> dict[str, int]:
    """Flow Service and IMS calls since the last clear_log()."""
    return flow_counts(emulator)
