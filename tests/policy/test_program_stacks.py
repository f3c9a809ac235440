"""The pack judges what the real program registers: the `local` stack passes, a deliberately bad stack does not.

Resources come from tests/harness/program.py (the program run under mocks, base connections through the real
dynamic-provider plugin, against the emulator); the pack runs as the engine starts it and gets them over gRPC,
with the stack's config (secrets decrypted, as the engine passes them) and the policy config files in
`policy/config/`.
"""

from collections import Counter

import pytest

from tests.harness.analyzer import POLICY_DIR, PolicyPackServer, from_registered, load_policy_config
from tests.harness.program import ProgramHarness
from tests.support.emulator import EmulatorControl

LOCAL_CONFIG = load_policy_config(POLICY_DIR / "config" / "local.json")
KNOWN_PASSWORD = "Orders-Pa55-9917"


@pytest.fixture(scope="module")
def emulator_for_module(emulator_server):
    control = EmulatorControl.for_server(emulator_server)
    control.reset()
    yield control
    control.reset()


def pack_for(harness: ProgramHarness, policy_config) -> PolicyPackServer:
    config = harness.config()
    return PolicyPackServer(stack=harness.stack, project=config.project, stack_config=config.values,
                            secret_keys=sorted(config.secret_keys), policy_config=policy_config)


def run_resources(harness: ProgramHarness, run, use_outputs=False):
    run.raise_for_error()
    return from_registered(run.resources, stack=harness.stack, project=harness.config().project,
                           use_outputs=use_outputs)


@pytest.fixture(scope="module")
def local(emulator_for_module):
    harness = ProgramHarness.for_emulator(emulator_for_module)
    return harness, harness.preview()


def test_local_stack_preview_has_no_violations(local):
    harness, preview = local
    resources = run_resources(harness, preview)
    assert Counter(r.type for r in resources)["pulumi-python:dynamic/aep:BaseConnection"] == 3
    with pack_for(harness, LOCAL_CONFIG) as pack:
        analysis = pack.preview(resources)
    assert analysis.diagnostics == []


def test_local_stack_after_up_has_no_violations_on_its_outputs(local):
    harness, _ = local
    up = harness.up()
    assert up.ops() == {"create": 3}
    with pack_for(harness, LOCAL_CONFIG) as pack:
        assert pack.analyze_stack(run_resources(harness, up, use_outputs=True)).diagnostics == []


def test_local_stack_needs_its_sandbox_mapping(local):
    """Without policy/config/local.json, stack `local` may only write to a sandbox named `local`."""
    harness, preview = local
    with pack_for(harness, None) as pack:
        analysis = pack.preview(run_resources(harness, preview))
    assert Counter(d.policy for d in analysis.diagnostics) == {
        "sandbox-matches-stack": 4, "sandbox-matches-stack-per-resource": 3}
    assert {d.level for d in analysis.diagnostics} == {"mandatory"}


@pytest.fixture(scope="module")
def bad(emulator_for_module):
    """The local stack pointed at prod, with TLS off, a password in a description and a duplicated name."""
    harness = ProgramHarness.for_emulator(emulator_for_module)
    harness.overrides["aep:sandbox"] = "prod"
    harness.set_secret("aep:ordersDbPassword", KNOWN_PASSWORD)
    connections = harness.connections()
    connections["orders-db"]["params"]["ssl_mode"] = "disable"
    connections["orders-db"]["description"] = f"login aep_reader / {KNOWN_PASSWORD}"
    connections["marketing-bigquery"]["name"] = connections["events-bigquery"]["name"]
    harness.set_connections(connections)
    preview = harness.preview()
    return harness, run_resources(harness, preview)


def test_bad_stack_gets_the_expected_violations(bad):
    harness, resources = bad
    with pack_for(harness, LOCAL_CONFIG) as pack:
        analysis = pack.preview(resources)
    found = Counter((d.policy, d.level) for d in analysis.diagnostics)
    assert found == {
        ("sandbox-matches-stack", "mandatory"): 4,               # aep:sandbox, then each of the 3 connections
        ("sandbox-matches-stack-per-resource", "mandatory"): 3,
        ("postgres-tls-required", "mandatory"): 1,
        ("no-credentials-in-metadata", "mandatory"): 1,
        ("connection-naming", "advisory"): 2,
        ("verify-in-prod", "advisory"): 3,
    }
    urns = {r.name: r.urn for r in resources if r.type == "pulumi-python:dynamic/aep:BaseConnection"}
    naming = {d.urn for d in analysis.by_policy("connection-naming")}
    assert naming == {urns["marketing-bigquery"], urns["events-bigquery"]}
    [tls] = analysis.by_policy("postgres-tls-required")
    assert "connection 'orders-db' in sandbox 'prod'" in tls.message and "EncryptionMethod" in tls.message
    [stack_level] = [d for d in analysis.by_policy("sandbox-matches-stack") if not d.urn]
    assert "stack 'local' sets aep:sandbox to 'prod', but it may only write to sandbox 'dev'" in stack_level.message


def test_bad_stack_messages_never_carry_a_credential(bad):
    harness, resources = bad
    with pack_for(harness, LOCAL_CONFIG) as pack:
        analysis = pack.preview(resources)
        output = "\n".join(d.message for d in analysis.diagnostics) + pack.stderr()
    secrets = [v for k, v in harness.config().values.items() if k in harness.config().secret_keys]
    assert KNOWN_PASSWORD in secrets and len(secrets) >= 4
    for secret in secrets:
        assert secret not in output
