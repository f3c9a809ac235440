"""`Cli`: plain `pulumi` commands in a project folder, exactly as a user types them, and what they report.

Every command runs the CLI that `make pulumi` provides, with its folder first on PATH (so the engine finds the
Python language host and the dynamic-provider plugin beside it, as with an official install), `--non-interactive`
and the environment given (backend, passphrase, PULUMI_HOME). Results carry what the tests read: the text the
CLI printed, the resource changes of the operation (`pulumi stack history --json`, as the Automation API reads
them) and the stack's outputs (`pulumi stack output --json --show-secrets`).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Sequence

from provider.automation import OFFLINE
PREVIEW_LINE = re.compile(r"^\s+[+~\-±]?\s*(\d+) (to create|to update|to delete|to replace|unchanged)\s*$")
PREVIEW_KEYS = {"to create": "create", "to update": "update", "to delete": "delete", "to replace": "replace",
                "unchanged": "same"}


def user_env(**settings: str) -> dict[str, str]:
    """A user's shell for the CLI: this process's environment without AEP_*, PULUMI_*, PYTHON* or VIRTUAL_ENV
    (nothing of the test run leaks in), no update checks or plugin downloads, then `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AEP_", "PULUMI_", "PYTHON", "VIRTUAL_ENV"))}
    return {**env, **OFFLINE, **settings}


def has_our_language_host(cli: Path) -> bool:
    """True for a CLI `make pulumi` built (our language host beside it), False for an official install, whose host
    adds "an unhandled error occurred: Program exited with non-zero exit code: 1" after a program's RunError."""
    return (cli.parent / ".language-python-stamp").exists()


class CliFailure(Exception):
    """A `pulumi` command that exited non-zero; its text is everything the CLI printed."""

    def __init__(self, command: Sequence[str], done: subprocess.CompletedProcess):
        self.command, self.returncode = list(command), done.returncode
        self.stdout, self.stderr = done.stdout, done.stderr
        super().__init__(f"pulumi {' '.join(command)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")


@dataclass
class Summary:
    resource_changes: dict[str, int]


@dataclass
class Output:
    value: Any
    secret: bool = False


@dataclass
class Result:
    stdout: str
    stderr: str
    summary: Summary = field(default_factory=lambda: Summary({}))
    outputs: dict[str, Output] = field(default_factory=dict)

    @property
    def change_summary(self) -> dict[str, int]:
        """A preview's planned changes, from the "Resources:" block it prints."""
        changes: dict[str, int] = {}
        for line in self.stdout.splitlines():
            found = PREVIEW_LINE.match(line)
            if found:
                changes[PREVIEW_KEYS[found.group(2)]] = int(found.group(1))
        return changes


class Cli:
    def __init__(self, cli: Path, cwd: Path, env: dict[str, str], transcript: Optional[list[str]] = None):
        self.cli, self.cwd, self.env = cli, cwd, env  # the caller's dict: later changes to it apply
        env["PATH"] = f"{cli.parent}{os.pathsep}{env.get('PATH', os.environ.get('PATH', ''))}"
        self.transcript = [] if transcript is None else transcript

    def run(self, *args: str, check: bool = True, stdin: Optional[str] = None, keep: bool = True,
            timeout: float = 600) -> subprocess.CompletedProcess:
        """`pulumi --non-interactive <args>`; `keep=False` leaves the output out of the transcript (secrets)."""
        done = subprocess.run(["pulumi", "--non-interactive", *args], cwd=self.cwd, env=self.env, input=stdin,
                              capture_output=True, text=True, timeout=timeout)
        if keep:
            self.transcript += [done.stdout, done.stderr]
        if check and done.returncode != 0:
            raise CliFailure(args, done)
        return done

    def operation(self, verb: str, stack: str, *flags: str) -> Result:
        """`pulumi up --yes`, `preview`, `refresh --yes` or `destroy --yes` of `stack`, with its changes."""
        confirm = ("--yes",) if verb in ("up", "refresh", "destroy") else ()
        done = self.run(verb, "--stack", stack, *confirm, *flags)
        result = Result(done.stdout, done.stderr)
        if verb != "preview":
            history = json.loads(self.run("stack", "history", "--stack", stack, "--json", keep=False).stdout)
            result.summary = Summary(dict(history[0].get("resourceChanges") or {}))
        if verb == "up":
            result.outputs = self.outputs(stack)
        return result

    def outputs(self, stack: str) -> dict[str, Output]:
        """`pulumi stack output --json --show-secrets` (kept out of the transcript)."""
        shown = json.loads(self.run("stack", "output", "--stack", stack, "--json", "--show-secrets", keep=False).stdout)
        return {key: Output(value) for key, value in shown.items()}

    def export(self, stack: str) -> dict[str, Any]:
        """`pulumi stack export --show-secrets`: the deployment (kept out of the transcript)."""
        done = self.run("stack", "export", "--stack", stack, "--show-secrets", keep=False)
        return json.loads(done.stdout)["deployment"]

    def config(self, stack: str) -> dict[str, Output]:
        """`pulumi config --json --show-secrets` (kept out of the transcript)."""
        done = self.run("config", "--stack", stack, "--json", "--show-secrets", keep=False)
        return {key: Output(entry.get("value"), bool(entry.get("secret"))) for key, entry in json.loads(done.stdout).items()}

    @staticmethod
    def flags(*, expect_no_changes: bool = False, run_program: bool = False, policy_packs: Sequence[str] = (),
              policy_pack_configs: Sequence[str] = ()) -> list[str]:
        """The command-line flags for the options the tests name."""
        out = ["--expect-no-changes"] if expect_no_changes else []
        out += ["--run-program"] if run_program else []
        for pack in policy_packs:
            out += ["--policy-pack", pack]
        for config in policy_pack_configs:
            out += ["--policy-pack-config", config]
        return out
