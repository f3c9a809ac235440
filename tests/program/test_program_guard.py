"""Any program that uses the package, not only this repo's __main__.py, refuses a plain-text aep:clientSecret
and an endpoint that is not https (plain http only to this machine) before it registers anything: no component,
no base connection, so the engine never records the config as a provider's inputs, and no call."""

from __future__ import annotations

from pathlib import Path

import pulumi
import pytest

from provider.errors import ProgramConfigError
from tests.harness.program import ProgramHarness, ProgramRun

USER_PROGRAM = Path(__file__).with_name("user_program.py")


def user_program(emulator, declares: str = "component", **env: str) -> ProgramHarness:
    return ProgramHarness.for_emulator(emulator, program=USER_PROGRAM, env={"DECLARES": declares, **env})


def refused_before_registration(run: ProgramRun, emulator) -> str:
    assert run.error, "the run should have failed"
    assert run.error.startswith("ProgramConfigError: stack config has 1 problem:\n  ")
    assert run.resources == [] and run.steps == []  # nothing registered: no component, no resource, no provider
    assert run.checkpoint["deployment"]["resources"] == []
    assert emulator.request_log()["total"] == 0 and emulator.connections() == []
    return run.error


def test_the_error_is_a_run_error_so_the_cli_prints_only_its_message():
    assert issubclass(ProgramConfigError, pulumi.RunError)


@pytest.mark.parametrize("declares", ["component", "resource"])
def test_a_plain_client_secret_is_refused_in_a_user_program(emulator, declares):
    harness = user_program(emulator, declares)
    harness.overrides["aep:clientSecret"] = emulator.client_secret  # `pulumi config set` without --secret
    error = refused_before_registration(harness.up(), emulator)
    assert "aep:clientSecret is stored in plain text in the stack file" in error
    assert "`pulumi config set --secret aep:clientSecret <value>`" in error and "export AEP_CLIENT_SECRET" in error
    assert emulator.client_secret not in error


@pytest.mark.parametrize("declares", ["component", "resource"])
def test_a_secret_client_secret_on_a_loopback_endpoint_is_accepted(emulator, declares):
    assert emulator.flow_url.startswith("http://127.0.0.1:")
    run = user_program(emulator, declares).up().raise_for_error()
    assert run.ops() == {"create": 1} and len(emulator.connections()) == 1


@pytest.mark.parametrize("host", ["localhost", "[::1]", "127.0.0.2"])
def test_plain_http_to_any_loopback_host_is_accepted(emulator, host):
    harness = user_program(emulator)
    harness.overrides.update({"aep:endpoint": f"http://{host}:9/data/foundation/flowservice",
                              "aep:imsEndpoint": f"http://{host}:9/ims/token/v3"})
    run = harness.preview().raise_for_error()  # preview: the plugin checks, and calls nothing
    assert run.ops() == {"create": 1}


def test_https_endpoints_are_accepted(emulator):
    harness = user_program(emulator, "resource")
    harness.overrides.update({"aep:endpoint": "https://platform.example/data/foundation/flowservice",
                              "aep:imsEndpoint": "https://ims.example/ims/token/v3"})
    run = harness.preview().raise_for_error()
    assert run.ops() == {"create": 1} and emulator.request_log()["total"] == 0


@pytest.mark.parametrize("key", ["aep:endpoint", "aep:imsEndpoint"])
@pytest.mark.parametrize("declares", ["component", "resource"])
def test_plain_http_to_another_host_is_refused_naming_the_key(emulator, key, declares):
    harness = user_program(emulator, declares)
    harness.overrides[key] = "http://example.com/aep"
    error = refused_before_registration(harness.up(), emulator)
    assert f"{key}: must use https:// (plain http:// is allowed only for localhost, 127.0.0.0/8 and [::1])" in error
    assert "use https://example.com/aep" in error and f"`pulumi config set {key} <url>`" in error


def test_an_endpoint_from_the_environment_is_checked_too(emulator):
    harness = user_program(emulator, AEP_ENDPOINT="http://10.0.0.8/flowservice")
    harness.overrides["aep:endpoint"] = ""
    error = refused_before_registration(harness.up(), emulator)
    assert "AEP_ENDPOINT (the fallback for aep:endpoint): must use https://" in error
    assert "export AEP_ENDPOINT=<url>" in error


def test_every_provider_config_problem_is_listed_at_once(emulator):
    harness = user_program(emulator)
    harness.overrides.update({"aep:clientSecret": "plain-7c1e", "aep:endpoint": "http://example.com/flow",
                              "aep:imsEndpoint": "http://example.com/ims"})
    run = harness.up()
    assert run.error.startswith("ProgramConfigError: stack config has 3 problems:\n")
    lines = run.error.splitlines()[1:]
    assert [line.split()[0] for line in lines] == ["aep:clientSecret", "aep:endpoint:", "aep:imsEndpoint:"]
    assert run.resources == [] and emulator.request_log()["total"] == 0
