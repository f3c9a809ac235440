"""`E2EProject`: a copy of this Pulumi project in a temporary folder, driven with plain `pulumi` commands.

The copy has the real Pulumi.yaml, __main__.py and stack files, and links to provider/, policy/ and .venv, so
stack files and state can change without touching the repository. Every operation is the command a user types
(`pulumi up --yes --stack local`, `pulumi config set --secret ...`; tests/e2e/cli.py): the CLI `make pulumi`
provides, its Python language host running `__main__.py` with the project's virtualenv, a file:// backend in the
temporary folder and the stack's endpoints pointed at the test emulator. Everything the CLI prints is kept in
`transcript` for the secret scans.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Optional

from tests.e2e.cli import Cli, CliFailure, Output, Result, user_env
from tests.support.emulator import EmulatorControl

ROOT = Path(__file__).resolve().parents[2]
FLOW = "/data/foundation/flowservice"
PLATFORM = "/data/foundation/"  # Flow Service, Data Prep (conversion), Catalog
WRITES = ("POST /data", "PATCH ", "PUT ", "DELETE ")


class E2EProject:
    def __init__(self, tmp: Path, emulator: EmulatorControl, cli: Path, stacks: tuple[str, ...] = ("local",)):
        self.dir, self.state, self.emulator, self.cli = tmp / "project", tmp / "state", emulator, cli
        (self.dir / "stacks").mkdir(parents=True)
        self.state.mkdir()
        for name in ("Pulumi.yaml", "__main__.py", "requirements.txt"):
            shutil.copy(ROOT / name, self.dir / name)
        for name in stacks:
            shutil.copy(ROOT / "stacks" / f"Pulumi.{name}.yaml", self.dir / "stacks" / f"Pulumi.{name}.yaml")
        for name in ("provider", "policy", ".venv"):
            (self.dir / name).symlink_to(ROOT / name)
        self.env = user_env(PULUMI_BACKEND_URL=f"file://{self.state}", PULUMI_CONFIG_PASSPHRASE="local",
                            PULUMI_HOME=str(tmp / "home"))
        self.transcript: list[str] = []
        self.pulumi = Cli(cli, self.dir, self.env, self.transcript)
        self._stacks: set[str] = set()

    # stacks and config -----------------------------------------------------------------------------------
    def stack(self, name: str = "local") -> str:
        """`pulumi stack init <name>` the first time; the stack's name."""
        if name not in self._stacks:
            listed = self.pulumi.run("stack", "ls", "--json", keep=False).stdout
            if f'"name": "{name}"' not in listed:
                self.pulumi.run("stack", "init", name)
            self._stacks.add(name)
        return name

    def point_at_emulator(self, name: str = "local", sandbox: Optional[str] = None) -> str:
        """Set the stack's endpoints and credentials to the test emulator's (the secret with --secret)."""
        stack = self.stack(name)
        for key, value in (("aep:endpoint", self.emulator.flow_url), ("aep:imsEndpoint", self.emulator.ims_url),
                           ("aep:orgId", self.emulator.org_id), ("aep:clientId", self.emulator.client_id)):
            self.set_config(key, value, name)
        self.set_secret("aep:clientSecret", self.emulator.client_secret, name)
        if sandbox is not None:
            self.set_config("aep:sandbox", sandbox, name)
        return stack

    def set_config(self, key: str, value: str, name: str = "local") -> None:
        """`pulumi config set <key> <value>` (plain text)."""
        self.pulumi.run("config", "set", "--stack", self.stack(name), key, "--", value)

    def set_secret(self, key: str, value: str, name: str = "local") -> None:
        """`pulumi config set --secret <key>`, the value on stdin (as a user pipes a file or pastes it)."""
        self.pulumi.run("config", "set", "--stack", self.stack(name), "--secret", key, stdin=value)

    def set_path(self, path: str, value: str, name: str = "local") -> None:
        """`pulumi config set --path <path> <value>`, e.g. `aep:connections.orders-db.name`."""
        self.pulumi.run("config", "set", "--stack", self.stack(name), "--path", path, "--", value)

    def set_paths(self, values: dict[str, str], name: str = "local") -> None:
        """`pulumi config set-all --path --plaintext <path>=<value> ...`: a whole entry in one command."""
        pairs = [arg for path, value in values.items() for arg in ("--plaintext", f"{path}={value}")]
        self.pulumi.run("config", "set-all", "--stack", self.stack(name), "--path", *pairs)

    def remove_path(self, path: str, name: str = "local") -> None:
        self.pulumi.run("config", "rm", "--stack", self.stack(name), "--path", path)

    def config(self, name: str = "local") -> dict[str, Output]:
        return self.pulumi.config(self.stack(name))

    def export(self, name: str = "local") -> dict[str, Any]:
        """The stack's deployment, secrets decrypted (`pulumi stack export --show-secrets`)."""
        return self.pulumi.export(self.stack(name))

    # operations -----------------------------------------------------------------------------------------
    def _operation(self, verb: str, name: str, **options: Any) -> Result:
        return self.pulumi.operation(verb, self.stack(name), *Cli.flags(**options))

    def up(self, name: str = "local", **options: Any) -> Result:
        return self._operation("up", name, **options)

    def preview(self, name: str = "local", **options: Any) -> Result:
        return self._operation("preview", name, **options)

    def refresh(self, name: str = "local", **options: Any) -> Result:
        return self._operation("refresh", name, **options)

    def destroy(self, name: str = "local", **options: Any) -> Result:
        return self._operation("destroy", name, **options)

    def failing(self, operation: str, name: str = "local", **options: Any) -> CliFailure:
        """Run an operation that must fail; return the CLI's failure (its output is in the transcript)."""
        try:
            getattr(self, operation)(name, **options)
        except CliFailure as failure:
            return failure
        raise AssertionError(f"pulumi {operation} on stack {name} succeeded; it was expected to fail")

    def cli_run(self, *args: str, check: bool = True):
        """Any other command, e.g. `stack export`; output joins the transcript."""
        return self.pulumi.run(*args, check=check)

    # what the emulator saw ---------------------------------------------------------------------------------
    def flow_calls(self) -> list[str]:
        """Flow Service requests since the last `clear_log`, as `METHOD template`."""
        return [f"{r['method']} {r['template']}" for r in self.emulator.requests() if r["path"].startswith(FLOW)]

    def platform_calls(self) -> list[str]:
        """Flow Service, Data Prep and Catalog requests since the last `clear_log`, as `METHOD template`."""
        return [f"{r['method']} {r['template']}" for r in self.emulator.requests() if r["path"].startswith(PLATFORM)]

    def writes(self) -> list[str]:
        """Every write to the platform (Flow Service, Data Prep, Catalog) since the last `clear_log`."""
        return [call for call in self.platform_calls() if call.startswith(WRITES)]

    def connections(self, sandbox: Optional[str] = None) -> dict[str, dict[str, Any]]:
        """Stored connections by display name (unmasked), optionally of one sandbox."""
        return {c["name"]: c for c in self.emulator.connections() if sandbox in (None, c["sandbox"])}

    def state_files(self) -> list[Path]:
        return [p for p in self.state.rglob("*") if p.is_file()]
