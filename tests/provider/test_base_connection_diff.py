"""diff through the real plugin: which changes update in place, which replace (create before delete), and that
an unchanged program is a no-op. Diff makes no API call."""

from __future__ import annotations

import base64
import pickle

import pytest

from provider.base_connection import BaseConnectionProvider

from tests.harness.plugin import UNKNOWN, provider_property, secret, strip_secrets
from tests.provider.conftest import BIGQUERY_SPEC_ID, pg_connection_string, pg_registration

URN = "urn:pulumi:dev::aep-flow-connections::pulumi-python:dynamic/aep:BaseConnection::pg"


def checked(plugin, **overrides):
    inputs, failures = plugin.check(URN, {}, pg_registration(**overrides).inputs)
    assert failures == []
    return inputs


def outputs_for(inputs):
    """Old outputs as the engine holds them after a create: inputs plus the API's fields."""
    return {**inputs, "etag": '"e1"', "state": "enabled", "created_at": 1.0, "updated_at": 1.0}


def test_identical_inputs_are_no_change(emulator, plugin):
    inputs = checked(plugin)
    outcome = plugin.diff(URN, "c1", outputs_for(inputs), inputs, old_inputs=inputs)
    assert outcome.changes == "none" and outcome.replaces == []
    assert emulator.request_log()["total"] == 0


def test_provider_blob_and_adopt_id_are_ignored(plugin):
    inputs = checked(plugin)
    other_blob = base64.b64encode(pickle.dumps(BaseConnectionProvider(), protocol=2)).decode()
    assert other_blob != inputs["__provider"]  # e.g. pickled by another SDK version
    news = {**inputs, "__provider": other_blob, "adopt_id": "some-existing-id"}
    assert plugin.diff(URN, "c1", outputs_for(inputs), news).changes == "none"


@pytest.mark.parametrize(
    "overrides",
    [
        dict(name="renamed"),
        dict(description="new words"),
        dict(description=None),
        dict(auth_params={"connectionString": pg_connection_string("rotated")}),
        dict(verify=True),
    ],
)
def test_in_place_updates(plugin, overrides):
    old = checked(plugin)
    outcome = plugin.diff(URN, "c1", outputs_for(old), checked(plugin, **overrides))
    assert outcome.changed and outcome.replaces == [] and not outcome.replace


@pytest.mark.parametrize(
    ("overrides", "replaces"),
    [
        (dict(sandbox="dev"), ["sandbox"]),
        (dict(auth_spec_name="Basic Authentication",
              auth_params={"server": "db", "port": 5432, "database": "d", "username": "u", "password": "p"}),
         ["auth_spec_name"]),
        (dict(connection_spec_id=BIGQUERY_SPEC_ID, auth_spec_name="Basic Authentication", auth_type="OAuth2.0",
              auth_params={"project": "p", "clientId": "c", "clientSecret": "s", "refreshToken": "r"}),
         ["connection_spec_id", "auth_spec_name", "auth_type"]),
    ],
)
def test_replacements_create_before_delete(plugin, overrides, replaces):
    old = checked(plugin)
    outcome = plugin.diff(URN, "c1", outputs_for(old), checked(plugin, **overrides))
    assert outcome.replace and outcome.replaces == replaces
    assert outcome.delete_before_replace is False


def test_connection_spec_version_change_replaces(plugin):
    old = checked(plugin)
    news = {**old, "connection_spec_version": "2.0"}  # not in today's catalog, but diff must still say replace
    assert plugin.diff(URN, "c1", outputs_for(old), news).replaces == ["connection_spec_version"]


def test_mixed_changes_list_only_replacing_properties(plugin):
    old = checked(plugin)
    outcome = plugin.diff(URN, "c1", outputs_for(old), checked(plugin, name="n2", sandbox="stage"))
    assert outcome.changed and outcome.replaces == ["sandbox"]


def test_unknown_values_count_as_changes_in_preview(plugin):
    old = checked(plugin)
    name_unknown = plugin.diff(URN, "c1", outputs_for(old), {**old, "name": UNKNOWN})
    assert name_unknown.changed and name_unknown.replaces == []
    sandbox_unknown = plugin.diff(URN, "c1", outputs_for(old), {**old, "sandbox": UNKNOWN})
    assert sandbox_unknown.replaces == ["sandbox"]


def test_integers_as_doubles_and_missing_defaults_are_equal(plugin):
    params = {"server": "db", "port": 5432, "database": "d", "username": "u", "password": "p"}
    old = checked(plugin, auth_spec_name="Basic Authentication", auth_params=params)
    legacy = {k: v for k, v in outputs_for(old).items() if k not in ("verify", "connection_spec_version")}
    legacy["auth_params"] = {**params, "port": 5432.0}
    assert plugin.diff(URN, "c1", legacy, old).changes == "none"


def test_secret_wrapped_values_are_compared_by_value(plugin):
    """Harness sends what the engine sends (secrets stripped); the provider also unwraps if it ever gets them."""
    old = checked(plugin)
    news = {**old, "auth_params": secret(old["auth_params"]), "__provider": secret(provider_property())}
    assert plugin.diff(URN, "c1", outputs_for(old), news).changes == "none"
    assert strip_secrets(news) == {**old, "__provider": provider_property()}
