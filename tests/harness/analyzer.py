"""Start the policy pack the way the Pulumi engine (v3.274.1) does, and talk to it over the analyzer protocol.

What the engine does (pkg/resource/plugin/analyzer_plugin.go; tests/e2e/test_policy.py runs the real one):
  1. asks the language host to run the pack (RunPlugin): `python -u -m pulumi.policy <engine address> <pack dir>`
     with the pack's virtualenv, which runs the pack's `__main__.py`; no stack, project, config or dry-run variables are set in its environment;
  2. reads the port the pack prints, then calls Handshake (UNIMPLEMENTED is fine), ConfigureStack (the only
     place the stack, project, organization, dry-run flag and decrypted config arrive), GetAnalyzerInfo, and
     Configure with the policy config reconciled against each policy's schema (schema defaults, then `all`,
     then per-policy values, then JSON-schema validation);
  3. calls Analyze per resource (inputs after Check; secrets and unknowns kept, `__`-prefixed keys dropped) and
     AnalyzeStack once with every resource. The real engine also analyses the `aep` provider resource.
The engine address is never dialled by `pulumi.policy`.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import grpc
import jsonschema
import yaml
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc
from pulumi.runtime.rpc import UNKNOWN, _special_secret_sig, _special_sig_key
from pulumi_policy import Secret

ROOT = Path(__file__).resolve().parents[2]
POLICY_DIR = ROOT / "policy"
PROJECT = "aep-flow-connections"
ENGINE_ADDRESS = "127.0.0.1:1"
ENFORCEMENT_LEVELS = {"advisory": analyzer_pb2.ADVISORY, "mandatory": analyzer_pb2.MANDATORY,
                      "remediate": analyzer_pb2.REMEDIATE, "disabled": analyzer_pb2.DISABLED}
LEVEL_NAMES = {v: k for k, v in ENFORCEMENT_LEVELS.items()}

__all__ = ["UNKNOWN", "Secret", "AnalyzedResource", "Diagnostic", "Analysis", "PolicyConfigInvalid",
           "PolicyPackServer", "from_registered", "load_policy_config", "normalize_policy_config", "urn_for"]


def urn_for(stack: str, type_: str, name: str, parent_types: tuple[str, ...] = (), project: str = PROJECT) -> str:
    return f"urn:pulumi:{stack}::{project}::{'$'.join((*parent_types, type_))}::{name}"


@dataclass
class AnalyzedResource:
    """A resource as the engine hands it to analyzers. `properties` may hold `Secret(...)` and `UNKNOWN`."""

    type: str
    name: str
    urn: str
    properties: Mapping[str, Any]
    parent: str = ""
    dependencies: list[str] = field(default_factory=list)


def from_registered(registered, *, stack: str, project: str, use_outputs: bool = False) -> list[AnalyzedResource]:
    """The engine's view of the resources a program run registered (tests/harness/program.py `RegisteredResource`s).

    The stack resource comes first, as the engine registers it. `use_outputs=False` gives inputs (what Analyze
    gets, and what AnalyzeStack gets in a preview, where planned states carry their inputs); `True` gives the
    outputs custom resources ended up with after an update (what AnalyzeStack gets from `pulumi up`).
    Secrets stay secret on the wire (`Secret`, or the engine's own wrapper dicts), `__` keys are dropped.
    """
    root_type = "pulumi:pulumi:Stack"
    resources = [AnalyzedResource(root_type, f"{project}-{stack}", urn_for(stack, root_type, f"{project}-{stack}",
                                                                          project=project), {})]
    for r in registered:
        props = r.outputs if use_outputs and r.custom else r.analyzer_properties()
        resources.append(AnalyzedResource(r.type, r.name, r.urn, props, parent=r.parent))
    return resources


@dataclass(frozen=True)
class Diagnostic:
    policy: str
    level: str
    message: str
    urn: str


@dataclass
class Analysis:
    diagnostics: list[Diagnostic]
    not_applicable: dict[str, str]

    def by_policy(self, policy: str) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.policy == policy]

    @property
    def policies(self) -> set[str]:
        return {d.policy for d in self.diagnostics}


class PolicyConfigInvalid(ValueError):
    """The policy config fails the policies' JSON schemas (the engine refuses to start the update)."""


def load_policy_config(path: Path) -> dict[str, dict[str, Any]]:
    """Parse a `--policy-pack-config` file the way the CLI does: a level string, or an object of properties."""
    return normalize_policy_config(json.loads(Path(path).read_text()))


def normalize_policy_config(raw: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Policy name -> properties (with `enforcementLevel` among them when given), from either value form."""
    result = {}
    for name, value in raw.items():
        if isinstance(value, str):
            result[name] = {"enforcementLevel": value}
        elif isinstance(value, Mapping):
            result[name] = dict(value)
        else:
            raise PolicyConfigInvalid(f"parsing {name!r}: must be a string or object")
    return result


def _marshal(value: Any) -> Any:
    if isinstance(value, Secret):
        return {_special_sig_key: _special_secret_sig, "value": _marshal(value.value)}
    if isinstance(value, Mapping):
        return {k: _marshal(v) for k, v in value.items() if not str(k).startswith("__")}
    if isinstance(value, (list, tuple)):
        return [_marshal(v) for v in value]
    return value


def _struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(_marshal(props))
    return struct


def _python_for(policy_dir: Path) -> str:
    """The interpreter the shim would pick: `<virtualenv>/bin/python` from PulumiPolicy.yaml, else python3."""
    project = yaml.safe_load((policy_dir / "PulumiPolicy.yaml").read_text())
    runtime = project.get("runtime") or {}
    venv = (runtime.get("options") or {}).get("virtualenv") if isinstance(runtime, dict) else None
    if not venv:
        return "python3"
    python = (policy_dir / venv).resolve() / "bin" / "python"
    if not python.is_file():
        raise FileNotFoundError(f'"{python.parent.parent}" doesn\'t appear to be a virtual environment')
    return str(python)


class PolicyPackServer:
    """The running pack for one stack. Use as a context manager; every RPC is bounded by `timeout` seconds."""

    def __init__(self, *, stack: str, stack_config: Optional[Mapping[str, str]] = None, secret_keys=(),
                 policy_config: Optional[Mapping[str, Any]] = None, dry_run: bool = True,
                 organization: str = "organization", project: str = PROJECT, tags: Optional[Mapping[str, str]] = None,
                 policy_dir: Path = POLICY_DIR, timeout: float = 60.0):
        self.stack, self.project, self.organization, self.dry_run = stack, project, organization, dry_run
        self.stack_config = dict(stack_config or {})
        self.secret_keys, self.tags = list(secret_keys), dict(tags or {})
        self.policy_config, self.policy_dir, self.timeout = policy_config, policy_dir, timeout
        self.process: Optional[subprocess.Popen] = None
        self.channel: Optional[grpc.Channel] = None
        self.info: Optional[analyzer_pb2.AnalyzerInfo] = None
        self.config: dict[str, tuple[str, dict]] = {}

    def __enter__(self) -> "PolicyPackServer":
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_")}
        python = _python_for(self.policy_dir)
        if python != "python3":
            env["PATH"] = f"{Path(python).parent}{os.pathsep}{env.get('PATH', '')}"
            env.pop("PYTHONHOME", None)
        return env

    def start(self) -> None:
        self._stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [_python_for(self.policy_dir), "-u", "-m", "pulumi.policy", ENGINE_ADDRESS, "."],
            cwd=self.policy_dir, env=self._env(), stdout=subprocess.PIPE, stderr=self._stderr,
        )
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: lines.put(self.process.stdout.readline()), daemon=True).start()
        try:
            port = int(lines.get(timeout=self.timeout).strip())
        except (queue.Empty, ValueError):
            raise RuntimeError(f"policy pack did not print its port; stderr:\n{self.stderr()}") from None
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        grpc.channel_ready_future(self.channel).result(timeout=self.timeout)
        self.stub = analyzer_pb2_grpc.AnalyzerStub(self.channel)
        self._handshake()
        self.stub.ConfigureStack(analyzer_pb2.AnalyzerStackConfigureRequest(
            stack=self.stack, project=self.project, organization=self.organization, dry_run=self.dry_run,
            config=self.stack_config, config_secret_keys=self.secret_keys, tags=self.tags), timeout=self.timeout)
        self.info = self.stub.GetAnalyzerInfo(empty_pb2.Empty(), timeout=self.timeout)
        self.config = self.reconcile(self.policy_config)
        self.stub.Configure(analyzer_pb2.ConfigureAnalyzerRequest(policyConfig={
            name: analyzer_pb2.PolicyConfig(enforcementLevel=ENFORCEMENT_LEVELS[level], properties=_struct(props))
            for name, (level, props) in self.config.items()}), timeout=self.timeout)

    def _handshake(self) -> None:
        request = analyzer_pb2.AnalyzerHandshakeRequest(engine_address=ENGINE_ADDRESS, root_directory=str(
            self.policy_dir), program_directory=str(self.policy_dir))
        try:
            self.stub.Handshake(request, timeout=self.timeout)
        except grpc.RpcError as exc:
            if exc.code() != grpc.StatusCode.UNIMPLEMENTED:
                raise

    def reconcile(self, given: Optional[Mapping[str, Any]]) -> dict[str, tuple[str, dict]]:
        """Schema defaults, then `all`, then each policy's values; validated like the engine does."""
        result: dict[str, tuple[str, dict]] = {}
        schemas = {}
        for policy in self.info.policies:
            schema = json_format.MessageToDict(policy.configSchema)
            schemas[policy.name] = schema
            defaults = {k: v["default"] for k, v in schema.get("properties", {}).items() if "default" in v}
            result[policy.name] = (LEVEL_NAMES[policy.enforcementLevel], defaults)
        given = normalize_policy_config(given or {})
        if "enforcementLevel" in given.get("all", {}):
            result = {k: (given["all"]["enforcementLevel"], props) for k, (_, props) in result.items()}
        errors = []
        for name, values in given.items():
            if name == "all":
                continue
            level, props = result.get(name, ("advisory", {}))
            level = values.pop("enforcementLevel", level)
            if level not in ENFORCEMENT_LEVELS:
                errors.append(f"{name}: {level!r} is not a valid enforcement level")
            result[name] = (level, {**props, **values})
        for name, (_, props) in result.items():
            schema = {"type": "object", **schemas.get(name, {})}
            errors += [f"{name}: {e.message}" for e in jsonschema.Draft7Validator(schema).iter_errors(props)]
        if errors:
            raise PolicyConfigInvalid("; ".join(errors))
        return result

    def _analysis(self, response) -> Analysis:
        return Analysis(
            diagnostics=[Diagnostic(d.policyName, LEVEL_NAMES[d.enforcementLevel], d.message, d.urn)
                         for d in response.diagnostics],
            not_applicable={n.policy_name: n.reason for n in response.not_applicable},
        )

    def analyze(self, resource: AnalyzedResource) -> Analysis:
        request = analyzer_pb2.AnalyzeRequest(type=resource.type, name=resource.name, urn=resource.urn,
                                              properties=_struct(resource.properties),
                                              options=analyzer_pb2.AnalyzerResourceOptions(parent=resource.parent))
        return self._analysis(self.stub.Analyze(request, timeout=self.timeout))

    def analyze_stack(self, resources: list[AnalyzedResource]) -> Analysis:
        request = analyzer_pb2.AnalyzeStackRequest(resources=[
            analyzer_pb2.AnalyzerResource(type=r.type, name=r.name, urn=r.urn, properties=_struct(r.properties),
                                          parent=r.parent, dependencies=r.dependencies,
                                          options=analyzer_pb2.AnalyzerResourceOptions(parent=r.parent))
            for r in resources])
        return self._analysis(self.stub.AnalyzeStack(request, timeout=self.timeout))

    def preview(self, resources: list[AnalyzedResource]) -> Analysis:
        """What a preview reports: Analyze on each resource, then AnalyzeStack."""
        results = [self.analyze(r) for r in resources] + [self.analyze_stack(resources)]
        return Analysis([d for r in results for d in r.diagnostics],
                        {k: v for r in results for k, v in r.not_applicable.items()})

    def stderr(self) -> str:
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")

    def stop(self) -> None:
        if self.channel is not None:
            self.channel.close()
            self.channel = None
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=10)
            self.process.stdout.close()
            self.process = None
