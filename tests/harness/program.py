"""Run `__main__.py` under `pulumi.runtime.set_mocks`, forwarding every base connection to the real plugin.

Each run is a fresh Python subprocess, as each `pulumi up` is a fresh program and plugin process. In it, the
program runs with the stack's config (`tools.pulumi_config`: defaults from Pulumi.yaml, `secure:` values
decrypted with the passphrase, secret keys flagged) and a `Mocks` whose `new_resource` hands every
`pulumi-python:dynamic/aep:BaseConnection` to the real `python -m pulumi.dynamic` plugin through
`tests.harness.plugin.Engine` (Check, then Create, or Diff and Update / replace / nothing, against the previous
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

from tests.harness.plugin import SECRET_SIG, SIG_KEY, is_secret, strip_secrets
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
            [sys.executable, "-m", "tests.harness.program"], cwd=PROJECT_ROOT, env=env, text=True,
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


# -- the child process: one program run under mocks ------------------------------------------------------------


def _from_proto(value: Any) -> Any:
    """A protobuf Struct/Value as Python, keeping nested secret wrappers where the SDK would push them up."""
    from google.protobuf import struct_pb2

    if isinstance(value, struct_pb2.Value):
        kind = value.WhichOneof("kind")
        if kind in ("struct_value", "list_value"):
            return _from_proto(getattr(value, kind))
        return None if kind == "null_value" else getattr(value, kind)
    if isinstance(value, struct_pb2.ListValue):
        return [_from_proto(v) for v in value.values]
    if value.fields.get(SIG_KEY) is not None and value.fields[SIG_KEY].string_value == SECRET_SIG:
        inner = _from_proto(value.fields["value"])
        return inner if is_secret(inner) else {SIG_KEY: SECRET_SIG, "value": inner}
    items = {k: _from_proto(v) for k, v in value.fields.items()}
    return {k: v for k, v in items.items() if v is not None}


class _Run:
    """The mock engine of one run: a recording monitor, forwarding mocks, the plugin Engine and the steps."""

    def __init__(self, request: dict[str, Any]) -> None:
        from pulumi.runtime import mocks
        from tests.harness.plugin import BASE_CONNECTION_TYPE, Engine, PluginProcess, ResourceState

        self.request, self.preview = request, request["mode"] == "preview"
        self.base_type = BASE_CONNECTION_TYPE
        self.plugin = PluginProcess().start()
        self.plugin.configure(request["config"], secret_keys=request["secret_keys"])
        self.engine = Engine(self.plugin, stack=request["stack"], project=request["project"])
        self.engine.state = {
            urn: ResourceState(**{**s, "secret_inputs": frozenset(s["secret_inputs"]),
                                  "secret_outputs": frozenset(s["secret_outputs"]),
                                  "additional_secret_outputs": tuple(s["additional_secret_outputs"])})
            for urn, s in request["state"].items()
        }
        self.resources: dict[tuple[str, str], RegisteredResource] = {}
        self.steps: list[Step] = []
        run = self

        class Monitor(mocks.MockMonitor):
            def RegisterResource(self, request):  # noqa: N802 (gRPC method name)
                if request.type != "pulumi:pulumi:Stack":
                    run.resources[(request.type, request.name)] = RegisteredResource(
                        urn=self.make_urn(request.parent, request.type, request.name), type=request.type,
                        name=request.name, parent=request.parent, custom=request.custom,
                        inputs=_from_proto(request.object),
                        additional_secret_outputs=tuple(request.additionalSecretOutputs),
                    )
                return super().RegisterResource(request)

        class ForwardingMocks(mocks.Mocks):
            def new_resource(self, args: mocks.MockResourceArgs) -> tuple[Optional[str], dict]:
                return run.new_resource(args)

            def call(self, args: mocks.MockCallArgs) -> tuple[dict, Optional[list]]:
                raise NotImplementedError(f"the program made an invoke ({args.token}); none is expected")

        self.monitor = Monitor(ForwardingMocks())

    def new_resource(self, args: Any) -> tuple[Optional[str], dict]:
        """Components are recorded only; base connections go through the plugin like `pulumi up` would."""
        from tests.harness.plugin import PROVIDER_KEY, CheckFailed, PluginError, Registration

        if args.typ != self.base_type:
            if args.custom:
                raise NotImplementedError(f"unexpected custom resource type {args.typ}")
            return "", {}
        record = self.resources[(args.typ, args.name)]
        registration = Registration(record.inputs, args.typ, record.additional_secret_outputs)
        try:
            step = self.engine.up(args.name, registration, preview=self.preview)
        except CheckFailed as err:
            raise ValueError(f"{args.name}: check failed: {err}") from None
        except PluginError as err:
            raise RuntimeError(f"{args.name}: {err.method} failed: {err.details.strip().splitlines()[-1]}") from None
        self.steps.append(Step(step.op, step.urn, step.id))
        if step.outputs is None:  # preview of a create, update or replace: outputs not known yet
            return step.id or "", {k: v for k, v in record.inputs.items() if k != PROVIDER_KEY}
        state = self.engine.state[step.urn]
        outs = {k: ({SIG_KEY: SECRET_SIG, "value": v} if k in state.secret_outputs else v)
                for k, v in step.outputs.items() if k != PROVIDER_KEY}
        record.id, record.outputs = step.id, outs
        return step.id, outs

    def run_program(self) -> tuple[dict[str, Any], Optional[str]]:
        import runpy

        import pulumi
        from pulumi.runtime import set_all_config, set_mocks
        from pulumi.runtime.settings import get_root_resource
        from pulumi.runtime.stack import run_pulumi_func
        from pulumi.runtime.sync_await import _sync_await

        req = self.request
        set_mocks(self.monitor.mocks, project=req["project"], stack=req["stack"], preview=self.preview,
                  monitor=self.monitor)
        set_all_config(req["config"], req["secret_keys"])
        try:
            _sync_await(run_pulumi_func(lambda: runpy.run_path(req["program"], run_name="__main__")))
            outputs = get_root_resource().outputs
            exports = _sync_await(pulumi.Output.from_input(outputs).future()) or {}
        except Exception as exc:  # noqa: BLE001 - reported to the parent as the run's error
            return {}, f"{type(exc).__name__}: {exc}"
        return strip_secrets(exports), None

    def delete_undeclared(self) -> Optional[str]:
        """Delete what the state holds and the program no longer declares; the first failure, if any."""
        from tests.harness.plugin import PluginError

        declared = {self.engine.urn(name, type_) for (type_, name) in self.resources}
        for urn, state in list(self.engine.state.items()):
            if urn not in declared:
                try:
                    if not self.preview:
                        self.engine.destroy(urn.rsplit("::", 1)[-1], state.type)
                except PluginError as err:
                    self.engine.state[urn] = state  # still exists: keep it, as the engine does
                    return f"{urn}: Delete failed: {err.details.strip().splitlines()[-1]}"
                self.steps.append(Step("delete", urn, state.id))
        return None

    def result(self, exports: dict[str, Any], error: Optional[str]) -> dict[str, Any]:
        state = {urn: {**s.__dict__, "secret_inputs": sorted(s.secret_inputs), "secret_outputs":
                       sorted(s.secret_outputs), "additional_secret_outputs": list(s.additional_secret_outputs)}
                 for urn, s in self.engine.state.items()}
        return {"resources": [r.__dict__ for r in self.resources.values()], "steps": [s.__dict__ for s in self.steps],
                "exports": exports, "error": error, "state": state, "checkpoint": self.engine.checkpoint()}


def _child_main() -> None:
    request = json.load(sys.stdin)
    result_stream, sys.stdout = sys.stdout, sys.stderr  # the program's prints must not mix with the result
    run = _Run(request)
    try:
        exports, error = {}, None
        if request["mode"] != "destroy":
            exports, error = run.run_program()
        if error is None:
            error = run.delete_undeclared()
        result = run.result(exports, error)
    finally:
        run.plugin.stop()
    result_stream.write(RESULT_MARK + json.dumps(result, default=str) + "\n")
    result_stream.flush()


if __name__ == "__main__":
    _child_main()
