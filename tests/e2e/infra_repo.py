"""`InfraRepo`: an infrastructure repository that uses this repository as a library, set up as a user would.

In a folder outside this repository: a virtualenv with this repository pip-installed (plus the `pulumi` version
requirements.txt pins), a Pulumi project of its own (Pulumi.yaml naming `.venv`, `__main__.py` declaring one
PostgreSqlConnection, no provider/ folder), and plain `pulumi` commands typed in that folder: the CLI that
`make pulumi` provides, on PATH as an official install would be.

A probe planted in the virtualenv (a .pth file) records, for every Python process that imports `provider`, the
process's command line, interpreter and the file `provider` was found in: the program the language host runs and
the engine's dynamic-provider plugin alike.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.e2e.cli import Cli, user_env

ROOT = Path(__file__).resolve().parents[2]

PULUMI_YAML = """\
name: acme-infra
description: An infrastructure repository that installs aep-flow-connections with pip
runtime:
  name: python
  options:
    toolchain: pip
    virtualenv: .venv
"""

MAIN = """\
import pulumi

from provider import PostgreSqlConnection

aep = pulumi.Config("aep")
orders = PostgreSqlConnection(
    "orders-db", name="Infra repo orders (PostgreSQL)", host="orders.db.acme.example", database="orders",
    username="aep_reader", password=aep.require_secret("ordersDbPassword"), ssl_mode="verify-full",
)
pulumi.export("connection_id", orders.connection_id)
"""

PROBE = """\
import json, os, sys
from importlib.machinery import PathFinder


class ProviderImportProbe:
    @staticmethod
    def find_spec(name, path=None, target=None):
        folder = os.environ.get("INFRA_PROBE_DIR")
        if name == "provider" and folder:
            spec = PathFinder.find_spec(name, path)
            record = {"argv": sys.orig_argv, "executable": sys.executable, "cwd": os.getcwd(),
                      "origin": spec.origin if spec else None}
            with open(os.path.join(folder, f"{os.getpid()}.json"), "w") as out:
                json.dump(record, out)
        return None


sys.meta_path.insert(0, ProviderImportProbe)
"""


def pinned(package: str) -> str:
    """`package==version` as requirements.txt pins it."""
    match = re.search(rf"^{re.escape(package)}==(\S+)", (ROOT / "requirements.txt").read_text(), re.MULTILINE)
    assert match, f"requirements.txt pins no {package}"
    return f"{package}=={match.group(1)}"


def make_venv(folder: Path) -> Path:
    """`python -m venv .venv && .venv/bin/pip install <this repo> pulumi==<pin>`, plus the import probe."""
    venv = folder / ".venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                          str(source_copy(folder.parent / "aep-flow-connections")), pinned("pulumi")],
                         capture_output=True, text=True, timeout=600)
    assert pip.returncode == 0, f"pip install failed:\n{pip.stdout}\n{pip.stderr}"
    site = site_packages(venv)
    (site / "infra_import_probe.py").write_text(PROBE)
    (site / "infra_import_probe.pth").write_text("import infra_import_probe\n")
    return venv


def source_copy(target: Path) -> Path:
    """This repository's files as git sees them (tracked and new, not ignored): what a clone or a git URL install
    gets, without the build/ and *.egg-info leftovers an in-place `pip install .` would reuse."""
    listed = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, capture_output=True,
                            text=True, check=True).stdout.splitlines()
    for name in listed:
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)
    return target


def site_packages(venv: Path) -> Path:
    found = list((venv / "lib").glob("python3*/site-packages"))
    assert len(found) == 1, found
    return found[0]


class InfraRepo:
    def __init__(self, folder: Path, emulator: Any, cli: Path):
        self.dir, self.emulator = folder, emulator
        self.venv = folder / ".venv"
        self.probes = folder.parent / "probes"
        self.probes.mkdir(exist_ok=True)
        (folder.parent / "state").mkdir(exist_ok=True)
        (folder / "Pulumi.yaml").write_text(PULUMI_YAML)
        (folder / "__main__.py").write_text(MAIN)
        env = user_env(PULUMI_BACKEND_URL=f"file://{folder.parent / 'state'}",
                       PULUMI_CONFIG_PASSPHRASE="infra-passphrase", PULUMI_HOME=str(folder.parent / "home"),
                       INFRA_PROBE_DIR=str(self.probes))
        self.transcript: list[str] = []
        self.pulumi = Cli(cli, folder, env, self.transcript)

    def init_stack(self, stack: str, password: str) -> None:
        """`pulumi stack init`, then its config: the emulator's endpoints and credentials, the database password."""
        self.pulumi.run("stack", "init", stack)
        for key, value in (("aep:endpoint", self.emulator.flow_url), ("aep:imsEndpoint", self.emulator.ims_url),
                           ("aep:orgId", self.emulator.org_id), ("aep:clientId", self.emulator.client_id)):
            self.pulumi.run("config", "set", "--stack", stack, key, value)
        self.pulumi.run("config", "set", "--stack", stack, "--secret", "aep:clientSecret",
                        stdin=self.emulator.client_secret)
        self.pulumi.run("config", "set", "--stack", stack, "--secret", "aep:ordersDbPassword", stdin=password)

    def automation(self, *args: str) -> subprocess.CompletedProcess:
        """`.venv/bin/python -I -m provider.automation <args>` in the infra folder (the installed entry point)."""
        done = subprocess.run([str(self.venv / "bin" / "python"), "-I", "-m", "provider.automation", *args],
                              cwd=self.dir, env=self.pulumi.env, capture_output=True, text=True, timeout=600)
        self.transcript += [done.stdout, done.stderr]
        assert done.returncode == 0, f"provider.automation {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done

    def provider_imports(self) -> list[dict[str, Any]]:
        """What the probe recorded: one entry per Python process that imported `provider`."""
        return [json.loads(path.read_text()) for path in sorted(self.probes.glob("*.json"))]

    def clear_probes(self) -> None:
        for path in self.probes.glob("*.json"):
            path.unlink()
