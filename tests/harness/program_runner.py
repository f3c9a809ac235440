"""The child side of tests/harness/program.py: one program run under `pulumi.runtime.set_mocks`, in its own process.

Reads the run request (mode, program, stack config, previous state) as JSON on stdin, runs the program with mocks
that hand every base connection to a fresh real plugin through `tests.harness.engine.Engine`, deletes what the
program no longer declares, and writes the result (registrations, steps, exports, error, state, checkpoint) as one
marked JSON line on stdout.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Optional

from tests.harness.program import RESULT_MARK, RegisteredResource, Step
from tests.harness.plugin import SECRET_SIG, SIG_KEY, is_secret, strip_secrets

DYNAMIC_PREFIX = "pulumi-python:dynamic/"
SETTINGS_PROVIDER = "pulumi:providers:pulumi-python"  # provider/settings_provider.py

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
        from tests.harness.engine import Engine, ResourceState
        from tests.harness.plugin import PluginProcess

        self.request, self.preview = request, request["mode"] == "preview"
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
        """Components are recorded only; dynamic resources (base connections, pipeline objects) go through the
        plugin like `pulumi up` would."""
        from tests.harness.engine import CheckFailed, Registration
        from tests.harness.plugin import PROVIDER_KEY, PluginError

        if args.typ == SETTINGS_PROVIDER:  # the plugin was configured with the whole config, a superset
            return f"{args.name}-provider-id", dict(args.inputs)
        if not args.typ.startswith(DYNAMIC_PREFIX):
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
        """Delete what the state holds and the program no longer declares, dependents first (the reverse of the
        order they were created in, as the engine does); the first failure, if any."""
        from tests.harness.plugin import PluginError

        declared = {self.engine.urn(name, type_) for (type_, name) in self.resources}
        for urn, state in reversed(list(self.engine.state.items())):
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
