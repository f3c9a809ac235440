"""`E2EProject`: a copy of this Pulumi project in a temporary folder, driven through the real Pulumi CLI.

The copy has the real Pulumi.yaml, __main__.py and stack files, and links to provider/, policy/ and .venv, so
stack files and state can change without touching the repository. Every operation goes through the Automation
API (tools/pulumi_stack.py: the CLI `make pulumi` provides, inline program where it has no Python language
host), with a file:// backend in the temporary folder and the stack's endpoints pointed at the test emulator.
Everything the CLI prints is kept in `transcript` for the secret scans.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any, Optional

from pulumi import automation as auto

from tests.support.emulator import EmulatorControl
from tools.pulumi_stack import OFFLINE, open_stack

ROOT = Path(__file__).resolve().parents[2]
FLOW = "/data/foundation/flowservice"
WRITES = ("POST /data", "PATCH ", "DELETE ")


class E2EProject:
    def __init__(self, tmp: Path, emulator: EmulatorControl, cli: Path, stacks: tuple[str, ...] = ("local",)):
        self.dir, self.state, self.emulator, self.cli = tmp / "project", tmp / "state", emulator, cli
        (self.dir / "stacks").mkdir(parents=True)
        for name in ("Pulumi.yaml", "__main__.py", "requirements.txt"):
            shutil.copy(ROOT / name, self.dir / name)
        for name in stacks:
            shutil.copy(ROOT / "stacks" / f"Pulumi.{name}.yaml", self.dir / "stacks" / f"Pulumi.{name}.yaml")
        for name in ("provider", "policy", ".venv"):
            (self.dir / name).symlink_to(ROOT / name)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("AEP_", "PULUMI_"))}
        self.env.update(OFFLINE, PULUMI_BACKEND_URL=f"file://{self.state}", PULUMI_CONFIG_PASSPHRASE="local",
                        PULUMI_HOME=str(tmp / "home"))
        self.transcript: list[str] = []
        self._stacks: dict[str, auto.Stack] = {}

    # stacks and config -----------------------------------------------------------------------------------
    def stack(self, name: str = "local") -> auto.Stack:
        if name not in self._stacks:
            self._stacks[name] = open_stack(name, project=self.dir, cli=self.cli, env=self.env)
        return self._stacks[name]

    def point_at_emulator(self, name: str = "local", sandbox: Optional[str] = None) -> auto.Stack:
        """Set the stack's endpoints and credentials to the test emulator's (the secret with --secret)."""
        stack = self.stack(name)
        stack.set_all_config({
            "aep:endpoint": auto.ConfigValue(self.emulator.flow_url),
            "aep:imsEndpoint": auto.ConfigValue(self.emulator.ims_url),
            "aep:orgId": auto.ConfigValue(self.emulator.org_id),
            "aep:clientId": auto.ConfigValue(self.emulator.client_id),
            "aep:clientSecret": auto.ConfigValue(self.emulator.client_secret, secret=True),
        })
        if sandbox is not None:
            stack.set_config("aep:sandbox", auto.ConfigValue(sandbox))
        return stack

    def set_secret(self, key: str, value: str, name: str = "local") -> None:
        """`pulumi config set --secret <key> <value>`."""
        self.stack(name).set_config(key, auto.ConfigValue(value, secret=True))

    def set_path(self, path: str, value: str, name: str = "local") -> None:
        """`pulumi config set --path <path> <value>`, e.g. `aep:connections.orders-db.name`."""
        self.stack(name).set_config(path, auto.ConfigValue(value), path=True)

    def remove_path(self, path: str, name: str = "local") -> None:
        self.stack(name).remove_config(path, path=True)

    # operations -----------------------------------------------------------------------------------------
    def _keep(self, result: Any) -> Any:
        self.transcript += [result.stdout or "", result.stderr or ""]
        return result

    def up(self, name: str = "local", **kwargs: Any) -> auto.UpResult:
        return self._keep(self.stack(name).up(color="never", **kwargs))

    def preview(self, name: str = "local", **kwargs: Any) -> auto.PreviewResult:
        return self._keep(self.stack(name).preview(color="never", **kwargs))

    def refresh(self, name: str = "local", **kwargs: Any) -> auto.RefreshResult:
        return self._keep(self.stack(name).refresh(color="never", **kwargs))

    def destroy(self, name: str = "local", **kwargs: Any) -> auto.DestroyResult:
        return self._keep(self.stack(name).destroy(color="never", **kwargs))

    def failing(self, operation: str, name: str = "local", **kwargs: Any) -> auto.CommandError:
        """Run an operation that must fail; return the CLI's error (its output joins the transcript)."""
        try:
            getattr(self, operation)(name, **kwargs)
        except auto.CommandError as error:
            self.transcript.append(str(error))
            return error
        raise AssertionError(f"pulumi {operation} on stack {name} succeeded; it was expected to fail")

    def cli_run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """The CLI itself, e.g. `stack export`; output joins the transcript."""
        env = {**self.env, "PATH": f"{self.cli.parent}{os.pathsep}{self.env.get('PATH', '')}"}
        done = subprocess.run([str(self.cli), *args, "--non-interactive"], cwd=self.dir, env=env,
                              capture_output=True, text=True, timeout=300)
        self.transcript += [done.stdout, done.stderr]
        if check:
            assert done.returncode == 0, f"pulumi {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done

    # what the emulator saw ---------------------------------------------------------------------------------
    def flow_calls(self) -> list[str]:
        """Flow Service requests since the last `clear_log`, as `METHOD template`."""
        return [f"{r['method']} {r['template']}" for r in self.emulator.requests() if r["path"].startswith(FLOW)]

    def writes(self) -> list[str]:
        return [call for call in self.flow_calls() if call.startswith(WRITES)]

    def connections(self, sandbox: Optional[str] = None) -> dict[str, dict[str, Any]]:
        """Stored connections by display name (unmasked), optionally of one sandbox."""
        return {c["name"]: c for c in self.emulator.connections() if sandbox in (None, c["sandbox"])}

    def state_files(self) -> list[Path]:
        return [p for p in self.state.rglob("*") if p.is_file()]
