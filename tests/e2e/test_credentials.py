"""Rotating aep:clientSecret, through the real engine (v3.274.1).

What the engine does: `pulumi refresh` and `pulumi destroy` do not run the program unless given --run-program.
They configure the dynamic provider from the state's `aep` provider (provider/settings_provider.py), whose inputs
are the stack's aep:* provider settings as recorded by the last `pulumi up`; the plugin's PULUMI_CONFIG environment only
carries the `pulumi-python:` namespace. So after the secret is rotated and `pulumi config set --secret
aep:clientSecret` run, a plain refresh or destroy still sends the old secret. With --run-program they register
the provider from the current config; a `pulumi up` (no API call when nothing else changed) records it for later
plain runs. The provider cannot see the new value on its own, so IMS's refusal says exactly that, and never
prints a secret.
"""

from __future__ import annotations

from tests.e2e.project import E2EProject

CONNECTIONS = "/data/foundation/flowservice/connections"
GET, DELETE = f"GET {CONNECTIONS}/{{id}}", f"DELETE {CONNECTIONS}/{{id}}"
NEW_SECRET = "rotated-client-secret-7f3a"
FIX = "pulumi config set --secret aep:clientSecret"


def _rotated(project: E2EProject) -> str:
    """`up`, then the client secret rotated in the Developer Console: the old one and its tokens stop working."""
    project.up()
    old = project.emulator.client_secret
    project.emulator.rotate_secret(NEW_SECRET)
    project.emulator.clear_log()
    return old


def _refused(project: E2EProject, operation: str) -> str:
    """The error of a refresh/destroy that IMS refuses: no Flow Service call, nothing lost."""
    message = str(project.failing(operation))
    assert "HTTP 401 invalid_client" in message and f"client id {project.emulator.client_id}" in message
    assert project.flow_calls() == [] and len(project.emulator.connections()) == 3
    return message


def _no_secret_printed(project: E2EProject, *secrets: str) -> None:
    text = "\n".join(project.transcript)
    for secret in secrets:
        assert secret not in text


def test_rotated_secret_fails_with_the_fix_until_config_and_run_program(project):
    old = _rotated(project)

    for operation in ("refresh", "destroy"):
        message = _refused(project, operation)
        assert FIX in message and "aep:clientId" in message

    project.set_secret("aep:clientSecret", NEW_SECRET)
    message = _refused(project, "refresh")  # still the recorded config: the message says what to add
    assert "--run-program" in message and "`pulumi up` first" in message

    project.emulator.clear_log()
    refreshed = project.refresh(run_program=True)  # previewed first: two reads of each connection
    assert sorted(project.flow_calls()) == [GET] * 6
    assert refreshed.summary.resource_changes == {"same": 7, "update": 1}  # the aep provider: new secret

    project.emulator.clear_log()
    project.destroy(run_program=True)
    assert project.writes() == [DELETE] * 3
    assert project.emulator.connections() == []
    _no_secret_printed(project, old, NEW_SECRET)


def test_up_after_the_config_change_makes_plain_refresh_and_destroy_work(project):
    old = _rotated(project)
    project.set_secret("aep:clientSecret", NEW_SECRET)

    recorded = project.up()
    assert project.emulator.requests() == [] and recorded.summary.resource_changes == {"same": 7, "update": 1}

    refreshed = project.refresh()
    assert sorted(project.flow_calls()) == [GET] * 6 and refreshed.summary.resource_changes == {"same": 8}

    project.emulator.clear_log()
    project.destroy()
    assert project.writes() == [DELETE] * 3
    assert project.emulator.connections() == []
    _no_secret_printed(project, old, NEW_SECRET)
