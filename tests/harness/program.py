"""Run `__main__.py` under `pulumi.runtime.set_mocks`, forwarding every base connection to the real plugin.

Each run is a fresh Python subprocess, as each `pulumi up` is a fresh program and plugin process. In it, the
program runs with the stack's config (`tools.pulumi_config`: defaults from Pulumi.yaml, `secure:` values
decrypted with the passphrase, secret keys flagged) and a `Mocks` whose `new_resource` hands every
`pulumi-python:dynamic/aep:BaseConnection` to the real `python -m pulumi.dynamic` plugin through
`tests.harness.engine.Engine` (in `tests/harness/program_runner.py`) (Check, then Create, or Diff and Update / replace / nothing, against the previous
run's state). Resources in the state that the program no longer declares are deleted after it finishes, as the
engine does. State goes back to the parent between runs over a pipe, never to disk.

    harness = ProgramHarness.for_emulator(emulator)      # the `local` stack, pointed at a test emulator
    run = harness.up()                                   # -> ProgramRun
    run.ops()                                            # {"create": 3}
    harness.set_secret("aep:ordersDbPassword", "new")    # change config between runs
    harness.remove_connection("events-bigquery")
    harness.up(); harness.preview(); harness.destroy()   # destroy: delete all, no program run (pulumi destroy)

`ProgramRun.resources` are `RegisteredResource`s: every resource the program registered (components too) with
its inputs exactly as registered on the wire, secrets kept as `{SIG_KEY: SECRET_SIG, "value": ...}` wrappers at
whatever depth they were sent; `secret_paths` lists them (for a base connection `["auth_params"]`: the SDK sends
the whole mapping as one secret), `plain_inputs()` unwraps them, and `analyzer_properties()` gives the form a
policy pack receives (`pulumi_policy.Secret`, `__` keys dropped). Runs never raise for a failing program:
`run.error` holds the message, `run.raise_for_error()` turns it into an assertion.
"""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Optional

from tests.harness.plugin import is_secret, strip_secrets
from tools.pulumi_config import StackConfig, load_stack_config
from tools.stack_secrets import PassphraseCrypter, load_stack_file

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PROGRAM = PROJECT_ROOT / "__main__.py"
LOCAL_PASSPHRASE = "local"
RESULT_MARK = "@@program-run@@"


def secret_paths(value: Any, prefix: str = "") -> list[str]:
    """Dotted paths of every secret wrapper in `value`, outer before inner."""
    found = []
    if is_secret(value):
        found.append(prefix)
        value = value["value"]
    if isinstance(value, dict):
        for key, item in value.items():
            found += secret_paths(item, f"{prefix}.{key}" if prefix else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += secret_paths(item, f"{prefix}[{index}]")
    return found


@dataclass
class RegisteredResource:
    """One resource as the program registered it, and what the (mock) engine answered."""

    urn: str
    type: str
    name: str
    parent: str
    custom: bool
    inputs: dict[str, Any]
    id: Optional[str] = None
    outputs: dict[str, Any] = field(default_factory=dict)
    additional_secret_outputs: tuple[str, ...] = ()

    @property
    def secret_paths(self) -> list[str]:
        return [p for p in secret_paths(self.inputs) if not p.startswith("__")]

    def plain_inputs(self) -> dict[str, Any]:
        """Inputs with every secret unwrapped and `__provider` dropped (for assertions, not for printing)."""
        return {k: v for k, v in strip_secrets(self.inputs).items() if not k.startswith("__")}

    def analyzer_properties(self) -> dict[str, Any]:
        """Inputs as a policy pack sees them: secrets as `pulumi_policy.Secret`, `__` keys dropped."""
        from pulumi_policy import Secret

        def convert(value: Any) -> Any:
            if is_secret(value):
                return Secret(convert(value["value"]))
            if isinstance(value, dict):
                return {k: convert(v) for k, v in value.items()}
            if isinstance(value, list):
                return [convert(v) for v in value]
            return value

        return {k: convert(v) for k, v in self.inputs.items() if not k.startswith("__")}


@dataclass
class Step:
    op: str  # create | same | update | replace | delete (preview steps are recorded but not applied)
    urn: str
    id: Optional[str] = None


@dataclass
class ProgramRun:
    resources: list[RegisteredResource]
    steps: list[Step]
    exports: dict[str, Any]
    error: Optional[str]
    checkpoint: dict[str, Any]
    stderr: str

    def ops(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for step in self.steps:
            counts[step.op] = counts.get(step.op, 0) + 1
        return counts

    def base_connections(self) -> list[RegisteredResource]:
        return [r for r in self.resources if r.type == "pulumi-python:dynamic/aep:BaseConnection"]

    def resource(self, name: str, type_: Optional[str] = None) -> RegisteredResource:
        found = [r for r in self.resources if r.name == name and (type_ is None or r.type == type_)]
        if len(found) != 1:
            raise KeyError(f"{len(found)} resources named {name!r} (type {type_ or 'any'})")
        return found[0]

    def children_of(self, parent: RegisteredResource) -> list[RegisteredResource]:
        return [r for r in self.resources if r.parent == parent.urn]

    def raise_for_error(self) -> "ProgramRun":
        if self.error:
            raise AssertionError(f"program failed: {self.error}\n--- stderr ---\n{self.stderr[-4000:]}")
        return self


class ProgramHarness:
    """A stack whose config tests can change, and whose state persists across `up`/`preview`/`destroy`."""

    def __init__(
        self,
        stack: str = "local",
        *,
        overrides: Optional[Mapping[str, Any]] = None,
        passphrase: Optional[str] = LOCAL_PASSPHRASE,
        env: Optional[Mapping[str, str]] = None,
        program: Path = PROGRAM,
        timeout: float = 240.0,
    ) -> None:
        self.stack = stack
        self.overrides: dict[str, Any] = dict(overrides or {})
        self.passphrase = passphrase
        self.env = dict(env or {})
        self.program = Path(program)
        self.timeout = timeout
        self.state: dict[str, Any] = {}
        self.runs: list[ProgramRun] = []

    @classmethod
    def for_emulator(cls, emulator: Any, stack: str = "local", **kwargs: Any) -> "ProgramHarness":
        """The stack with its endpoints (and org and client) pointed at an `EmulatorControl`."""
        harness = cls(stack, **kwargs)
        harness.overrides.update({
            "aep:endpoint": emulator.flow_url, "aep:imsEndpoint": emulator.ims_url,
            "aep:orgId": emulator.org_id, "aep:clientId": emulator.client_id,
        })
        harness.set_secret("aep:clientSecret", emulator.client_secret)
        return harness

    # -- config -----------------------------------------------------------------------------------------------

    def config(self) -> StackConfig:
        return load_stack_config(self.stack, passphrase=self.passphrase, overrides=self.overrides)

    def set_secret(self, key: str, value: str) -> None:
        """Set `key` as `pulumi config set --secret` would: encrypted with the stack's passphrase and salt."""
        salt = load_stack_file(self.stack).get("encryptionsalt")
        if salt is None or self.passphrase is None:
            raise ValueError(f"stack {self.stack!r} needs an encryptionsalt and a passphrase for secrets")
        self.overrides[key] = {"secure": PassphraseCrypter(self.passphrase, salt).encrypt(value)}

    def unset(self, key: str) -> None:
        """Remove `key` from the stack's config, as `pulumi config rm` would."""
        self.overrides[key] = None

    def connections(self) -> dict[str, Any]:
        """A copy of the current `aep:connections` (stack file plus overrides)."""
        return json.loads(self.config().values.get("aep:connections", "{}"))

    def set_connections(self, connections: Mapping[str, Any]) -> None:
        self.overrides["aep:connections"] = copy.deepcopy(dict(connections))

    def remove_connection(self, key: str) -> None:
        connections = self.connections()
        del connections[key]
        self.set_connections(connections)

    # -- runs -------------------------------------------------------------------------------------------------

    def up(self) -> ProgramRun:
        return self._run("up")

    def preview(self) -> ProgramRun:
        return self._run("preview")

    def destroy(self) -> ProgramRun:
        return self._run("destroy")

    def _run(self, mode: str) -> ProgramRun:
        config = self.config()
        request = {
            "mode": mode, "program": str(self.program), "project": config.project, "stack": self.stack,
            "config": config.values, "secret_keys": sorted(config.secret_keys), "state": self.state,
        }
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AEP_", "PULUMI_"))}
        env.update(self.env)
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.harness.program_runner"], cwd=PROJECT_ROOT, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        )
        try:
            out, err = proc.communicate(json.dumps(request), timeout=self.timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # the run's process group: the child and its plugin
            out, err = proc.communicate()
            raise AssertionError(f"program run did not finish in {self.timeout}s; stderr:\n{err[-4000:]}") from None
        line = next((ln for ln in reversed(out.splitlines()) if ln.startswith(RESULT_MARK)), None)
        if line is None:
            raise AssertionError(f"program runner crashed (exit {proc.returncode}); stderr:\n{err[-4000:]}")
        result = json.loads(line[len(RESULT_MARK):])
        if mode != "preview":
            self.state = result["state"]
        run = ProgramRun(
            resources=[RegisteredResource(**r) for r in result["resources"]],
            steps=[Step(**s) for s in result["steps"]],
            exports=result["exports"], error=result["error"], checkpoint=result["checkpoint"], stderr=err,
        )
        self.runs.append(run)
        return run
