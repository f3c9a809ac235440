"""Mistakes in a stack's config stop `preview` and `up` under the real CLI before any call, with the message
alone (no traceback): the program's errors are `pulumi.RunError`s."""

from __future__ import annotations


def test_a_plain_client_secret_is_refused_with_the_fix(project):
    project.set_config("aep:clientSecret", project.emulator.client_secret)
    project.emulator.clear_log()
    error = str(project.failing("up"))
    assert "aep:clientSecret is stored in plain text" in error
    assert "pulumi config set --secret aep:clientSecret" in error
    assert "Traceback" not in error
    assert project.emulator.requests() == [] and project.emulator.connections() == []


def test_a_bad_argument_names_the_entry_and_the_fix_without_a_traceback(project):
    project.set_path("aep:connections.orders-db.params.port", "70000")
    project.emulator.clear_log()
    error = str(project.failing("preview"))
    assert "PostgreSqlConnection('orders-db'): argument 'port' is invalid" in error
    assert "pass port=" in error and "Traceback" not in error
    assert project.emulator.requests() == []
