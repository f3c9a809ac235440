"""Mistakes in a stack's config stop `preview` and `up` under the real CLI before any call, with the message
alone (no traceback): the program's errors are `pulumi.RunError`s."""

from __future__ import annotations

from tests.e2e.cli import has_our_language_host


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


def test_every_config_problem_is_reported_once_with_its_path_before_any_call(project):
    """Three bad entries and a plain client secret: one message listing all four, a newline in a name escaped."""
    project.set_config("aep:clientSecret", project.emulator.client_secret)
    project.set_path("aep:connections.orders-db.name", "Orders\ndb")
    project.set_path("aep:connections.marketing-bigquery.params.hostname", "x")
    project.remove_path("aep:connections.events-bigquery.secrets")
    project.emulator.clear_log()
    text = str(project.failing("preview"))
    assert "stack config has 4 problems:" in text, text
    assert text.count("aep:clientSecret is stored in plain text") == 1
    assert text.count("aep:connections.orders-db.name: ") == 1 and '(got "Orders\\ndb")' in text
    assert "Orders\ndb" not in text
    assert "aep:connections.marketing-bigquery.params.hostname: " in text
    assert "aep:connections.events-bigquery: secret argument 'key_file_content' is not set" in text
    assert "Traceback" not in text and "Resource monitor has terminated" not in text
    if has_our_language_host(project.cli):  # an official host adds its own line after a RunError
        assert "an unhandled error occurred" not in text
    assert project.emulator.requests() == []
