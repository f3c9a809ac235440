"""An infrastructure repository that `pip install`s this one and declares a connection with its own program,
driven by the commands its users type: `pulumi stack init`, `config set --secret`, `up`, `preview
--expect-no-changes`, `preview --policy-pack <this repo's pack>`, `destroy`; and by the package's Automation API
entry point, `python -m provider.automation`.

Nothing can see this repository: the infra folder has no provider/, PYTHONPATH is unset, and an import probe in
the infra virtualenv records where each Python process (the program, the dynamic-provider plugin) found `provider`.
"""

from __future__ import annotations

import pytest

from tests.e2e.infra_repo import ROOT, InfraRepo, make_venv, site_packages

POST = "POST /data/foundation/flowservice/connections"
DELETE = "DELETE /data/foundation/flowservice/connections/{id}"
NAME = "Infra repo orders (PostgreSQL)"
PASSWORD = "infra-orders-pw;{x}="
PACK = "aep-flow-connections@v0.1.0"


@pytest.fixture(scope="module")
def infra_folder(tmp_path_factory):
    """A folder outside this repository with the virtualenv the infra repo installs this package into."""
    folder = tmp_path_factory.mktemp("infra") / "acme-infra"
    folder.mkdir()
    make_venv(folder)
    return folder


def _flow_calls(emulator) -> list[str]:
    return [f"{r['method']} {r['template']}" for r in emulator.requests()
            if r["path"].startswith("/data/foundation/flowservice")]


def _writes(emulator) -> list[str]:
    return [call for call in _flow_calls(emulator) if call.split()[0] in ("POST", "PATCH", "DELETE")]


def test_installed_package_is_the_provider_and_its_catalog(infra_folder):
    site = site_packages(infra_folder / ".venv")
    record = next(site.glob("aep_flow_connections-*.dist-info")) / "RECORD"
    files = [line.split(",")[0] for line in record.read_text().splitlines()]
    assert {f.split("/")[0] for f in files if not f.split("/")[0].endswith(".dist-info")} == {"provider"}
    for needed in ("provider/base_connection.py", "provider/catalog/connection_specs.json",
                   "provider/sources/postgresql.py", "provider/client/flow_service.py"):
        assert needed in files and (site / needed).is_file(), needed
    assert not (infra_folder / "provider").exists()


def _assert_installed_provider_everywhere(infra: InfraRepo) -> None:
    installed = str(site_packages(infra.venv) / "provider" / "__init__.py")
    imports = infra.provider_imports()
    plugin = [p for p in imports if p["argv"][-3:-1] == ["-m", "pulumi.dynamic"]]
    program = [p for p in imports if p not in plugin]
    assert plugin and program, imports
    assert plugin[0]["cwd"] == str(infra.dir)
    for record in imports:
        assert record["origin"] == installed, record
        assert record["executable"].startswith(str(infra.venv)), record


def test_plain_pulumi_commands_in_the_infra_repo(infra_folder, emulator, pulumi_cli):
    infra = InfraRepo(infra_folder, emulator, pulumi_cli)
    infra.init_stack("dev", PASSWORD)
    emulator.clear_log()

    up = infra.pulumi.operation("up", "dev")
    assert _writes(emulator) == [POST]
    assert up.summary.resource_changes == {"create": 4}  # stack, aep provider, component, base connection
    stored = [c for c in emulator.connections() if c["name"] == NAME]
    assert len(stored) == 1 and stored[0]["sandbox"] == "dev"
    assert up.outputs["connection_id"].value == stored[0]["id"]
    assert "infra-orders-pw" in str(stored[0]["auth"]["params"])
    _assert_installed_provider_everywhere(infra)

    emulator.clear_log()
    infra.pulumi.operation("preview", "dev", "--expect-no-changes")
    assert _flow_calls(emulator) == []

    policy = infra.pulumi.operation("preview", "dev", "--policy-pack", str(ROOT / "policy"),
                                    "--policy-pack-config", str(ROOT / "policy" / "config" / "dev.json"))
    assert f"{PACK}" in policy.stdout and "[mandatory]" not in policy.stdout, policy.stdout
    assert _flow_calls(emulator) == []

    down = infra.pulumi.operation("destroy", "dev")
    assert _writes(emulator) == [DELETE]
    assert down.summary.resource_changes == {"delete": 4}
    assert emulator.connections() == []
    assert "infra-orders-pw" not in "".join(infra.transcript) + (infra.dir / "Pulumi.dev.yaml").read_text()


def test_the_automation_api_entry_point_from_the_infra_repo(infra_folder, emulator, pulumi_cli):
    infra = InfraRepo(infra_folder, emulator, pulumi_cli)
    infra.init_stack("stage", PASSWORD)
    infra.clear_probes()
    emulator.clear_log()

    up = infra.automation("up", "--stack", "stage", "--cli", str(pulumi_cli))
    assert _writes(emulator) == [POST]
    stored = [c for c in emulator.connections() if c["name"] == NAME]
    assert len(stored) == 1 and stored[0]["sandbox"] == "stage"
    assert f'"connection_id": "{stored[0]["id"]}"' in up.stdout
    _assert_installed_provider_everywhere(infra)

    emulator.clear_log()
    infra.automation("preview", "--stack", "stage", "--cli", str(pulumi_cli), "--expect-no-changes")
    assert _flow_calls(emulator) == []

    infra.automation("destroy", "--stack", "stage", "--cli", str(pulumi_cli))
    assert _writes(emulator) == [DELETE] and emulator.connections() == []
    assert "infra-orders-pw" not in "".join(infra.transcript)


def test_plain_credentials_or_a_plain_http_endpoint_are_refused_in_the_users_program(infra_folder, emulator,
                                                                                      pulumi_cli):
    """The user's own program, not this repo's: refused by the package before anything is registered or sent."""
    infra = InfraRepo(infra_folder, emulator, pulumi_cli)
    infra.init_stack("qa", PASSWORD)
    infra.pulumi.run("config", "set", "--stack", "qa", "aep:clientSecret", emulator.client_secret)
    emulator.clear_log()
    refused = infra.pulumi.run("up", "--stack", "qa", "--yes", "--skip-preview", check=False)
    text = refused.stdout + refused.stderr
    assert refused.returncode != 0 and "pulumi config set --secret aep:clientSecret" in text, text
    assert emulator.requests() == []
    exported = infra.pulumi.run("stack", "export", "--stack", "qa", "--show-secrets", keep=False).stdout
    assert emulator.client_secret not in exported and "pulumi:providers:pulumi-python" not in exported

    infra.pulumi.run("config", "set", "--stack", "qa", "--secret", "aep:clientSecret", stdin=emulator.client_secret)
    infra.pulumi.run("config", "set", "--stack", "qa", "--plaintext", "aep:ordersDbPassword", "plain-orders-pw-5e1")
    refused = infra.pulumi.run("up", "--stack", "qa", "--yes", "--skip-preview", check=False)
    text = refused.stdout + refused.stderr
    assert "pulumi config set --secret aep:ordersDbPassword" in text and "plain-orders-pw-5e1" not in text, text
    exported = infra.pulumi.run("stack", "export", "--stack", "qa", "--show-secrets", keep=False).stdout
    assert "plain-orders-pw-5e1" not in exported and emulator.requests() == []

    infra.pulumi.run("config", "set", "--stack", "qa", "--secret", "aep:ordersDbPassword", stdin=PASSWORD)
    infra.pulumi.run("config", "set", "--stack", "qa", "aep:endpoint", "http://aep.example.com/data/foundation/flowservice")
    refused = infra.pulumi.run("preview", "--stack", "qa", check=False)
    text = refused.stdout + refused.stderr
    assert refused.returncode != 0 and "aep:endpoint: must use https://" in text, text
    assert emulator.requests() == []
    infra.pulumi.run("stack", "rm", "--stack", "qa", "--yes", "--force")
