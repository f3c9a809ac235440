"""Canary: distinctive credential values go through a whole lifecycle — including throttling, lost replies,
failed checks, a stale etag, a failed connection test and a refused IMS secret — and none of them appears in
plaintext in the checkpoint, the plugin's stderr (its logs), any error text, ``__provider`` or the API log.

What is deliberately NOT scanned: the gRPC property payloads between engine and plugin. The plugin answers
Configure with acceptSecrets=false, so the engine sends and receives plain values there by design and re-marks
them secret itself (modelled by tests/harness/engine.py's Engine); the checkpoint is where that is proven."""

from __future__ import annotations

import json
import re

import pytest
import requests

from tests.harness.engine import Engine
from tests.harness.plugin import PluginError, PluginProcess, decode_provider_property
from tests.provider.conftest import (
    BIGQUERY_SPEC_ID,
    bigquery_registration,
    pg_connection_string,
    pg_registration,
    stack_config,
)

CLIENT_ID, ORG = "canary-client", "CANARY0RG@AdobeOrg"
CLIENT_SECRET = "CANARY-client-secret-9d1e7c"
PW = ["CANARY-pg-pw-a41f", "CANARY-pg-pw-b82c", "CANARY-pg-pw-c3d9", "CANARY-pg-pw-d57e"]
BQ_SECRET, BQ_REFRESH = "CANARY-bq-client-secret-66b0", "CANARY-bq-refresh-token-0f3a"
WRONG_SECRET = "CANARY-wrong-client-secret-7aa2"
CANARIES = [CLIENT_SECRET, *PW, BQ_SECRET, BQ_REFRESH, WRONG_SECRET]
TOKEN = re.compile(r"eyJ[A-Za-z0-9_-]{30,}")  # the emulator's IMS access tokens
LIST = "/data/foundation/flowservice/connections"
ONE = "/data/foundation/flowservice/connections/{id}"


def assert_clean(where: str, text: str) -> None:
    leaked = [c for c in CANARIES if c in text]
    assert not leaked, f"{where} contains {leaked}"
    assert not TOKEN.search(text), f"{where} contains an access token"


@pytest.fixture
def canary_config(emulator):
    emulator.add_client(CLIENT_ID, CLIENT_SECRET, ORG)
    return stack_config(emulator, **{"aep:clientId": CLIENT_ID, "aep:clientSecret": CLIENT_SECRET, "aep:orgId": ORG})


def out_of_band_rename(emulator, ident):
    token = requests.post(emulator.ims_url, timeout=10, data={
        "grant_type": "client_credentials", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
        "scope": "openid"}).json()["access_token"]
    headers = {**emulator.headers(), "Authorization": f"Bearer {token}", "x-gw-ims-org-id": ORG, "x-api-key": CLIENT_ID}
    etag = requests.get(f"{emulator.flow_url}/connections/{ident}", headers=headers, timeout=10).json()["items"][0][
        "etag"]
    assert requests.patch(f"{emulator.flow_url}/connections/{ident}", headers={**headers, "If-Match": etag},
                          json=[{"op": "replace", "path": "/name", "value": "ui"}], timeout=10).status_code == 200


def test_no_credential_in_plaintext_anywhere(emulator, canary_config):
    errors: list[str] = []
    with PluginProcess() as plugin:
        plugin.configure(canary_config, secret_keys={"aep:clientSecret"})
        engine = Engine(plugin)
        urn = engine.urn("pg")

        # a failed check with a secret of the wrong type
        _, failures = plugin.check(urn, {}, bigquery_registration(
            auth_params={"project": "p", "clientId": "c", "clientSecret": [BQ_SECRET], "refreshToken": 1}).inputs)
        assert failures
        errors.append(repr(failures))

        # create through a lost reply (the provider logs that it adopted), and a verified BigQuery connection
        emulator.set_faults(script=[{"method": "POST", "template": LIST, "fault": "commit_drop"}])
        pg = engine.up("pg", pg_registration(password=PW[0]))
        engine.up("bq", bigquery_registration(verify=True, auth_params={
            "project": "p", "clientId": "c", "clientSecret": BQ_SECRET, "refreshToken": BQ_REFRESH}))

        # rotate through throttling and a dropped PATCH
        emulator.set_faults(script=[{"method": "PATCH", "template": ONE, "fault": "429"},
                                    {"method": "PATCH", "template": ONE, "fault": "drop"}])
        engine.up("pg", pg_registration(password=PW[1]))

        # stale etag
        out_of_band_rename(emulator, pg.id)
        with pytest.raises(PluginError) as stale:
            engine.up("pg", pg_registration(password=PW[2]))
        errors.append(stale.value.details)
        engine.refresh("pg")

        # failed connection test on update, rolled back
        unreachable = {"connectionString": pg_connection_string(PW[3], host="127.0.0.1", port=9)}
        with pytest.raises(PluginError) as verify:
            engine.up("pg", pg_registration(auth_params=unreachable, verify=True))
        errors.append(verify.value.details)

        engine.refresh("pg")
        checkpoint = engine.checkpoint_json()
        in_memory_state = json.dumps([st.outputs for st in engine.state.values()])
        provider_blob = engine.state[urn].outputs["__provider"]
        engine.destroy_all()
        errors.extend(plugin.error_texts())
        stderr, transcript = plugin.stderr(), plugin.transcript()

    # a refused client secret
    with PluginProcess() as wrong:
        wrong.configure({**canary_config, "aep:clientSecret": WRONG_SECRET}, secret_keys={"aep:clientSecret"})
        with pytest.raises(PluginError) as refused:
            wrong.create(urn, wrong.check(urn, {}, pg_registration(password=PW[0]).inputs)[0])
        errors.append(refused.value.details)
        assert "AuthError" in refused.value.details and "aep:clientSecret" in refused.value.details
        wrong_stderr = wrong.stderr()

    # the canaries really went through: AEP stored them, and the engine<->plugin payloads carried them in clear
    assert BQ_REFRESH in transcript and PW[1] in transcript and CLIENT_SECRET in transcript
    assert PW[1] in in_memory_state and BQ_REFRESH in in_memory_state
    assert "adopting" in stderr and len(errors) >= 4

    for i, text in enumerate(errors):
        assert_clean(f"error text #{i}", text)
    assert_clean("plugin stderr", stderr + wrong_stderr)
    assert_clean("checkpoint", checkpoint)
    assert '"ciphertext"' in checkpoint
    blob = decode_provider_property(provider_blob)
    assert_clean("__provider", blob.decode("latin-1") + provider_blob)
    assert len(blob) <= 200
    assert_clean("emulator request log", json.dumps(emulator.request_log()))


def test_checkpoint_marks_every_credential_property_secret(emulator, canary_config):
    with PluginProcess() as plugin:
        plugin.configure(canary_config, secret_keys={"aep:clientSecret"})
        engine = Engine(plugin)
        engine.up("bq", bigquery_registration(connection_spec_id=BIGQUERY_SPEC_ID, auth_params={
            "project": "p", "clientId": "c", "clientSecret": BQ_SECRET, "refreshToken": BQ_REFRESH}))
        resource = engine.checkpoint()["deployment"]["resources"][0]
        engine.destroy_all()
    for section in ("inputs", "outputs"):
        assert set(resource[section]["auth_params"]) == {"4dabf18193072939515e22adb298388d", "ciphertext"}
        assert resource[section]["name"] == "bq-marketing"  # non-secret values stay readable
    assert resource["additionalSecretOutputs"] == ["auth_params"]
