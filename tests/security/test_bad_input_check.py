"""Bad input, second layer: FlowServiceBaseConnection inputs checked by the provider through the real plugin
(Check over gRPC, as in `pulumi preview`). Each case fails naming the property and the fix, with no API call:
not even an IMS token is fetched."""

from __future__ import annotations

from typing import Any

import pytest

from tests.harness.plugin import PluginError, PluginProcess
from tests.provider.conftest import stack_config
from tests.reliability.catalog_registrations import registration
from tests.security.refusal import Case, assert_refused_before_any_call, cases
from tests.support.emulator import EmulatorControl

URN = "urn:pulumi:prod::aep::pulumi-python:dynamic/aep:BaseConnection::orders"
PG_STRING = ("postgresql", "Connection String Based Authentication")
PG_BASIC = ("postgresql", "Basic Authentication")
SALESFORCE = ("salesforce", "OAuth2 Client Credential")
DROP = object()


def news(source: tuple[str, str] = PG_STRING, params: dict[str, Any] | None = None, **inputs: Any) -> dict:
    """Valid inputs for ``source``, with ``params`` merged into auth_params and ``inputs`` over the rest
    (``DROP`` removes an input)."""
    reg = registration(*source, "orders").inputs
    if params is not None:
        reg["auth_params"] = {**reg["auth_params"], "value": {**reg["auth_params"]["value"], **params}}
    reg.update(inputs)
    return {k: v for k, v in reg.items() if v is not DROP}


CASES = cases(
    # missing, empty, oversized
    ("name-missing", news(name=DROP), "name", "non-empty display name"),
    ("name-blank", news(name="   "), "name", "non-empty display name"),
    ("name-oversized", news(name="n" * 257), "name", "at most 256 characters (got 257); shorten it"),
    ("description-oversized", news(description="d" * 2049), "description", "at most 2048 characters"),
    ("param-missing", news(auth_params={"connectionString": None}), "auth_params.connectionString", "add it"),
    ("param-empty", news(params={"connectionString": ""}), "auth_params.connectionString", "pass the value"),
    ("param-oversized", news(params={"connectionString": "x" * 70_000}), "auth_params.connectionString",
     "at most 65536 characters"),
    ("adopt-id-empty", news(adopt_id=""), "adopt_id", "id of an existing base connection"),
    # wrong types
    ("name-a-number", news(name=42), "name", "non-empty display name"),
    ("description-a-number", news(description=7), "description", "must be a string"),
    ("auth-params-a-string", news(auth_params="Server=db;Password=x"), "auth_params",
     "must be a mapping of 'Connection String Based Authentication' parameters"),
    ("auth-params-a-list", news(auth_params=["connectionString"]), "auth_params", "must be a mapping"),
    ("secret-param-a-list", news(params={"connectionString": ["Server=db"]}), "auth_params.connectionString",
     "must be of type string (got list); pass text"),
    ("boolean-param-as-text", news(SALESFORCE, {"includeDeletedObjects": "true"}),
     "auth_params.includeDeletedObjects", "pass true or false"),
    ("verify-not-a-boolean", news(verify="yes"), "verify", "must be true or false"),
    ("force-delete-as-text", news(force_delete="true"), "force_delete", "must be true or false"),
    ("force-delete-a-number", news(force_delete=1), "force_delete", "must be true or false"),
    # bad ports
    ("port-as-text", news(PG_BASIC, {"port": "5432"}), "auth_params.port", "pass a whole number"),
    ("port-boolean", news(PG_BASIC, {"port": True}), "auth_params.port", "pass a whole number"),
    ("port-fraction", news(PG_BASIC, {"port": 5432.5}), "auth_params.port", "pass a whole number"),
    ("port-zero", news(PG_BASIC, {"port": 0}), "auth_params.port", "a TCP port, 1-65535 (got 0)"),
    ("port-70000", news(PG_BASIC, {"port": 70000}), "auth_params.port", "a TCP port, 1-65535 (got 70000)"),
    # unknown spec, auth spec, params, properties
    ("spec-unknown", news(connection_spec_id="00000000-0000-0000-0000-000000000000"), "connection_spec_id",
     "use the id of a source listed in provider/catalog/connection_specs.json"),
    ("spec-fullwidth-digits", news(connection_spec_id="\uff17\uff14a1c565-4e59-48d7-9d67-7c03b8a13137"),
     "connection_spec_id", "use the id of a source"),
    ("spec-id-padded", news(connection_spec_id=" 74a1c565-4e59-48d7-9d67-7c03b8a13137"), "connection_spec_id",
     "use the id of a source"),
    ("spec-version-unknown", news(connection_spec_version="2.0"), "connection_spec_version", "must be one of"),
    ("auth-spec-unknown", news(auth_spec_name="OAuth 2 Refresh Code"), "auth_spec_name",
     "must be one of ['Connection String Based Authentication', 'Basic Authentication']"),
    ("auth-spec-wrong-case", news(auth_spec_name="basic authentication"), "auth_spec_name", "must be one of"),
    ("auth-type-wrong", news(auth_type="OAuth2.0"), "auth_type", "must be left unset"),
    ("param-unknown-unicode-name", news(params={"p\u00e4ssword": "x"}), "auth_params.p\u00e4ssword",
     "allowed: connectionString"),
    ("property-unknown", news(colour="blue"), "colour", "unknown property; allowed: name"),
    # sandbox names that cannot exist
    ("sandbox-missing", news(sandbox=DROP), "sandbox", "set aep:sandbox or pass sandbox="),
    ("sandbox-uppercase", news(sandbox="Prod"), "sandbox", "set aep:sandbox or pass sandbox="),
    ("sandbox-cyrillic-o", news(sandbox="pr\u043ed"), "sandbox", "lowercase letters, digits, '-'"),
    ("sandbox-too-long", news(sandbox="s" * 65), "sandbox", "set aep:sandbox"),
    ("sandbox-path", news(sandbox="prod/../dev"), "sandbox", "set aep:sandbox"),
    # control characters (connection-string and header injection)
    ("name-line-break", news(name="orders\r\nx-sandbox-name: prod"), "name", "(found U+000D); remove it"),
    ("secret-with-nul", news(params={"connectionString": "Server=db;Password=pw\u0000;UID=admin"}),
     "auth_params.connectionString", "(found U+0000); remove it"),
    ("description-with-escape", news(description="ok\u001b[2Jcleared"), "description", "(found U+001B)"),
)


@pytest.fixture(scope="module")
def plugin(emulator_server):
    with PluginProcess() as process:
        process.configure(stack_config(EmulatorControl.for_server(emulator_server)), secret_keys={"aep:clientSecret"})
        yield process


@pytest.mark.parametrize("case", CASES)
def test_check_refuses_naming_the_property_and_the_fix(emulator, plugin, case: Case):
    _, failures = plugin.check(URN, {}, case.value)
    properties = [prop for prop, _ in failures]
    assert case.field in properties, f"{case.id}: {failures}"
    reason = dict(failures)[case.field]
    assert_refused_before_any_call(emulator, f"{case.field}: {reason}", case)


def test_a_well_formed_sandbox_that_does_not_exist_costs_one_call_and_writes_nothing(emulator, plugin):
    """Only AEP knows which sandboxes exist, so `qa` passes the check (and preview); the first write is refused
    with the sandbox named and the fix, and nothing is created or retried."""
    inputs, failures = plugin.check(URN, {}, news(sandbox="qa"))
    assert failures == [] and emulator.request_log()["total"] == 0
    with pytest.raises(PluginError) as info:
        plugin.create(URN, inputs)
    assert "NotFoundError" in info.value.details and "Sandbox 'qa' does not exist" in info.value.details
    assert "check sandbox= (or aep:sandbox, or the stack name)" in info.value.details
    assert "deleted outside Pulumi" not in info.value.details
    flow = {k: n for k, n in emulator.counts().items() if "/flowservice/" in k}
    assert flow == {"POST /data/foundation/flowservice/connections": 1} and emulator.connections() == []
