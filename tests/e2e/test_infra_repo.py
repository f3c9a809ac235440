"""An infrastructure repository that `pip install`s this one and declares a connection with its own program.

The whole user side runs from the installed package: the infra repo's driver (deploy.py, Automation API, inline
program) runs under the infra virtualenv's Python with `-I`, and the engine's dynamic-provider plugin runs with
that virtualenv (`.venv` in the infra folder, see tests/e2e/infra_repo.py). Neither process can see this
repository: the infra folder has no provider/, PYTHONPATH is unset, and an import probe in the virtualenv
records where each process found `provider`.
"""

from __future__ import annotations

import pytest

from tests.e2e.infra_repo import InfraRepo, make_venv, site_packages

POST = "POST /data/foundation/flowservice/connections"
DELETE = "DELETE /data/foundation/flowservice/connections/{id}"
NAME = "Infra repo orders (PostgreSQL)"
PASSWORD = "infra-orders-pw;{x}="


@pytest.fixture(scope="module")
def infra_folder(tmp_path_factory):
    """A folder outside this repository with the virtualenv the infra repo installs this package into."""
    folder = tmp_path_factory.mktemp("infra") / "acme-infra"
    folder.mkdir()
    make_venv(folder)
    return folder


def _writes(emulator) -> list[str]:
    return [f"{r['method']} {r['template']}" for r in emulator.requests()
            if r["method"] in ("POST", "PATCH", "DELETE") and r["path"].startswith("/data/foundation/flowservice")]


def test_installed_package_is_the_provider_and_its_catalog(infra_folder):
    site = site_packages(infra_folder / ".venv")
    record = next(site.glob("aep_flow_connections-*.dist-info")) / "RECORD"
    files = [line.split(",")[0] for line in record.read_text().splitlines()]
    assert {f.split("/")[0] for f in files if not f.split("/")[0].endswith(".dist-info")} == {"provider"}
    for needed in ("provider/base_connection.py", "provider/catalog/connection_specs.json",
                   "provider/sources/postgresql.py", "provider/client/flow_service.py"):
        assert needed in files and (site / needed).is_file(), needed
    assert not (infra_folder / "provider").exists()


def test_up_and_destroy_from_the_installed_package(infra_folder, emulator, pulumi_cli):
    infra = InfraRepo(infra_folder, emulator, pulumi_cli)
    infra.init_stack("dev", PASSWORD)
    emulator.clear_log()

    up = infra.deploy("up", "dev")
    assert _writes(emulator) == [POST]
    assert up["changes"].get("create") == 3  # stack, component, base connection
    stored = [c for c in emulator.connections() if c["name"] == NAME]
    assert len(stored) == 1 and stored[0]["sandbox"] == "dev"
    assert up["outputs"]["connection_id"] == stored[0]["id"]
    assert "infra-orders-pw" in str(stored[0]["auth"]["params"])

    installed = str(site_packages(infra.venv) / "provider" / "__init__.py")
    assert up["provider_file"] == installed
    imports = infra.provider_imports()
    plugin = [p for p in imports if p["argv"][-3:-1] == ["-m", "pulumi.dynamic"]]
    driver = [p for p in imports if "deploy.py" in p["argv"]]
    assert plugin and driver, imports
    assert plugin[0]["cwd"] == str(infra.dir)

    emulator.clear_log()
    down = infra.deploy("destroy", "dev")
    assert _writes(emulator) == [DELETE]
    assert down["changes"].get("delete") == 3
    assert down["outputs"] == {}
    assert emulator.connections() == []
    assert "infra-orders-pw" not in "".join(infra.transcript) + (infra.dir / "Pulumi.dev.yaml").read_text()
    for record in infra.provider_imports():  # the driver and the plugin, for up and for destroy
        assert record["origin"] == installed, record
        assert record["executable"].startswith(str(infra.venv)), record
