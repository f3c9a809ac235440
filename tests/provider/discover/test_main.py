"""`python -m provider.discover` in process against the emulator over real HTTP: settings from the AEP_*
environment, every page listed, the YAML on stdout, errors on stderr with the exit status."""

from __future__ import annotations

import requests
import yaml

from provider.client import clear_token_cache
from provider.discover.__main__ import main

SFTP = "b7bf2577-4520-42c9-bae9-cad01560f7bc"
LIST = "GET /data/foundation/flowservice/connections"


def aep_env(emulator, **extra: str) -> dict[str, str]:
    return {"AEP_ORG_ID": emulator.org_id, "AEP_CLIENT_ID": emulator.client_id,
            "AEP_CLIENT_SECRET": emulator.client_secret, "AEP_ENDPOINT": emulator.flow_url,
            "AEP_IMS_ENDPOINT": emulator.ims_url, **extra}


def make_sftp(emulator, sandbox: str, name: str) -> str:
    body = {"name": name, "auth": {"specName": "Basic Authentication for sftp", "params": {
        "host": "sftp.example", "userName": "u", "password": "sftp-secret-value"}},
        "connectionSpec": {"id": SFTP, "version": "1.0"}}
    response = requests.post(f"{emulator.flow_url}/connections", json=body, headers=emulator.headers(sandbox),
                             timeout=10)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_lists_every_page_of_the_sandbox(emulator, capsys):
    clear_token_cache()
    ids = [make_sftp(emulator, "stage", f"Drop {i}") for i in range(5)]
    make_sftp(emulator, "prod", "Elsewhere")
    emulator.clear_log()
    assert main(["--page-size", "2"], env=aep_env(emulator, AEP_SANDBOX="stage")) == 0
    out = capsys.readouterr()
    entries = yaml.safe_load(out.out)["config"]["aep:connections"]
    assert [e["adopt_id"] for e in entries.values()] == ids
    assert list(entries) == [f"drop-{i}" for i in range(5)]
    assert [f"{r['method']} {r['template']}" for r in emulator.requests() if r["method"] == "GET"] == [LIST] * 3 + [
        "GET /data/foundation/flowservice/flows"]  # then the dataflows: none
    assert "sftp-secret-value" not in out.out and emulator.client_secret not in out.out + out.err


def test_missing_settings_and_sandbox_exit_2(emulator, capsys):
    assert main(["--sandbox", "dev"], env={}) == 2
    err = capsys.readouterr().err
    assert err.startswith("discover: missing AEP provider configuration") and "aep:clientSecret" in err
    assert main([], env=aep_env(emulator)) == 2
    assert "no sandbox: pass --sandbox NAME" in capsys.readouterr().err
    assert main(["--sandbox", "Prod_1"], env=aep_env(emulator)) == 2
    assert main(["--sandbox", "dev", "--page-size", "0"], env=aep_env(emulator)) == 2


def test_api_errors_exit_1_without_the_client_secret(emulator, capsys):
    clear_token_cache()
    assert main(["--sandbox", "dev"], env=aep_env(emulator, AEP_CLIENT_SECRET="wrong-secret-value")) == 1
    out = capsys.readouterr()
    assert out.out == "" and out.err.startswith("discover: ") and "wrong-secret-value" not in out.err
