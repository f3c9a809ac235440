"""Canary secrets in the plugin's own answers: the registrations the 75 components make with canary secrets
go through the real plugin over gRPC — create and refresh through 20 % faults, a failed connection test, a
rotation that meets a connection renamed in the UI (stale etag, refresh, up), a check failure, a delete refused
because a dataflow named with canaries uses the connection, a refused IMS client secret, destroy through faults
— and no serialized response holds a canary outside the properties the engine keeps secret (``auth_params``,
and ``__provider``, which is checked decoded). Error texts (full tracebacks), the plugin's stderr and DEBUG
logs, the checkpoint and ``__provider`` are scanned too.
"""

from __future__ import annotations

import pytest

from provider.sources import COMPONENTS, MixpanelConnection
from tests.harness.engine import CheckFailed, Engine, Registration
from tests.harness.plugin import PluginError, PluginProcess, decode_provider_property
from tests.provider.conftest import stack_config
from tests.reliability.fault_mix import twenty_percent
from tests.reliability.parallel_steps import destroy_if_known, run_in_rounds
from tests.security import canary_values as canaries
from tests.security.canary_lifecycle import SANDBOX, STALE, canary_harness, capture_env, outside_pulumi
from tests.security.canary_scanner import CanaryScanner, as_text, public_view
from tests.support.dataflows import Dataflows

FAULTS = twenty_percent(seed=9)
IN_USE = "mixpanel-connection"  # gets a dataflow before the destroy
ENGINE_SECRET_KEYS = ("auth_params", "__provider")  # auth_params: additional_secret_outputs; __provider: secret


def registrations(harness, version: str, **env: str) -> dict[str, Registration]:
    """What the components register for ``version`` (a `pulumi preview`: Check only, nothing written)."""
    harness.env.update(CANARY_VERSION=version, **env)
    run = harness.preview().raise_for_error()
    for key in env:
        del harness.env[key]
    return {r.name: Registration(r.inputs, r.type, r.additional_secret_outputs) for r in run.base_connections()}


def with_secret_in_a_list(registration: Registration, param: str) -> Registration:
    """The same registration with one secret param's canary wrapped in a list: a type error for Check."""
    inputs = dict(registration.inputs)
    params = dict(inputs["auth_params"]["value"])
    params[param] = [params[param]]
    inputs["auth_params"] = {**inputs["auth_params"], "value": params}
    return Registration(inputs, registration.type, registration.additional_secret_outputs)


def readable_responses(plugin: PluginProcess) -> list:
    """Every response with the properties the engine keeps secret blanked, and every error text in full."""
    return [(e.method, public_view(e.response, ENGINE_SECRET_KEYS), e.error) for e in plugin.exchanges]


def whole_life(engine: Engine, emulator, v1: dict, v2: dict, failing_verify: Registration) -> tuple[str, list]:
    """Create and refresh through faults, a failed connection test, a rotation meeting a rename in the UI,
    a check failure, destroy through faults. Returns the checkpoint and the decoded ``__provider``s before
    the destroy."""
    emulator.set_faults(**FAULTS)
    assert run_in_rounds({n: lambda n=n: engine.up(n, v1[n]) for n in v1}, engine=engine).converged
    assert run_in_rounds({n: lambda n=n: engine.refresh(n) for n in v1}, engine=engine).converged
    emulator.clear_faults()

    with pytest.raises(PluginError, match="connection test failed"):
        engine.up("postgre-sql-connection", failing_verify)
    engine.refresh("postgre-sql-connection")  # as the error asks, for the etag the rollback left
    outside_pulumi(emulator).rename(engine.state[engine.urn(STALE)].id, "renamed in the UI", sandbox=SANDBOX)
    emulator.set_faults(**FAULTS)
    rotation = run_in_rounds({n: lambda n=n: engine.up(n, v2[n]) for n in v2}, engine=engine)
    assert rotation.converged and any("StaleEtagError" in e for e in rotation.failures_for(STALE))
    emulator.clear_faults()

    with pytest.raises(CheckFailed, match="auth_params.clientSecret"):
        engine.up("google-big-query-connection", with_secret_in_a_list(v2["google-big-query-connection"],
                                                                        "clientSecret"))
    checkpoint = engine.checkpoint_json()
    blobs = [decode_provider_property(st.outputs["__provider"]) for st in engine.state.values()]
    refuse_a_delete_in_use(engine, emulator, v2)
    emulator.set_faults(**FAULTS)
    assert run_in_rounds({n: lambda n=n: destroy_if_known(engine, n) for n in v2},
                         engine=engine).converged
    emulator.clear_faults()
    return checkpoint, blobs


def refuse_a_delete_in_use(engine: Engine, emulator, v2: dict) -> None:
    """A source connection on one connection (a Mixpanel one: no batch flow spec the emulator serves takes it), named
    (carelessly) with its password and the IMS client secret: the refused delete names it with both redacted.
    Then it goes, so the destroy can finish."""
    made = Dataflows(emulator, headers=outside_pulumi(emulator).headers)
    password = canaries.secret_canaries(MixpanelConnection, "v2")["password"]
    assert password in as_text(v2[IN_USE].inputs)
    source_id = made.source_connection(engine.state[engine.urn(IN_USE)].id, SANDBOX,
                                       f"{password} {canaries.IMS_CLIENT_SECRET}")
    with pytest.raises(PluginError, match=r"ConnectionInUseError.*source connection '\[redacted\] \[redacted\]'"):
        engine.destroy(IN_USE)
    made.delete("sourceConnections", source_id, SANDBOX)
    made.close()


def test_no_canary_in_any_plugin_response(emulator, tmp_path):
    scanner = CanaryScanner(canaries.all_canaries(("v1", "v2")))
    (tmp_path / "preview").mkdir()
    harness = canary_harness(emulator, tmp_path / "preview")
    v1, v2 = registrations(harness, "v1"), registrations(harness, "v2")
    failing_verify = registrations(harness, "v2", CANARY_FAILING_VERIFY="1")["postgre-sql-connection"]
    assert len(v1) == len(COMPONENTS) and emulator.connections() == []

    config = stack_config(emulator, **{"aep:clientId": canaries.CLIENT_ID, "aep:orgId": canaries.ORG_ID,
                                       "aep:clientSecret": canaries.IMS_CLIENT_SECRET})
    log_dir = tmp_path / "plugin"
    log_dir.mkdir()
    with PluginProcess(env=capture_env(log_dir)) as plugin:
        plugin.configure(config, secret_keys={"aep:clientSecret"})
        engine = Engine(plugin, stack="local", project="aep")
        checkpoint, provider_blobs = whole_life(engine, emulator, v1, v2, failing_verify)
        requests_sent = as_text([e.request for e in plugin.exchanges])
        responses = readable_responses(plugin)
    with PluginProcess() as wrong:
        wrong.configure({**config, "aep:clientSecret": canaries.WRONG_IMS_CLIENT_SECRET},
                        secret_keys={"aep:clientSecret"})
        with pytest.raises(PluginError, match="AuthError"):
            wrong.create(engine.urn("x"), wrong.check(engine.urn("x"), {}, v1["mixpanel-connection"].inputs)[0])
        responses += readable_responses(wrong)
        stderr = wrong.stderr()
    assert emulator.connections() == []

    # positive control: the engine sent every canary to the plugin (the IMS secret in Configure), the key files
    # base64-encoded only
    sent = scanner.hits(requests_sent)
    assert {c for c, _ in sent} == set(canaries.all_canaries(("v1", "v2"))) - {canaries.WRONG_IMS_CLIENT_SECRET}
    key_file_forms = {form for c, form in sent if c in canaries.key_file_canaries(("v1", "v2"))}
    assert key_file_forms and all(form.startswith("base64") for form in key_file_forms)
    assert len(responses) > 4 * len(COMPONENTS)
    assert sum(1 for _, _, error in responses if error) >= 3  # failed test, stale etag, refused secret (at least)
    assert any(method == "Check" and response.get("failures") for method, response, _ in responses)

    for i, (method, response, error) in enumerate(responses):
        scanner.assert_clean(f"response #{i} to {method}", as_text(response))
        scanner.assert_clean(f"error #{i} from {method}", error or "")
    scanner.assert_clean("plugin stderr", stderr)
    logs = {log.name: log.read_text(encoding="utf-8", errors="replace") for log in log_dir.glob("*.log")}
    assert logs and "adopting" in "".join(logs.values())  # the capture worked, warnings included
    for name, text in logs.items():
        scanner.assert_clean(f"plugin log {name}", text)
    scanner.assert_clean("checkpoint", checkpoint)
    for blob in provider_blobs:
        scanner.assert_clean("__provider", blob.decode("latin-1"))
        assert len(blob) <= 200
