"""Run the SDK's real dynamic-provider plugin and talk to it over gRPC the way the Pulumi engine does.

``PluginProcess`` starts ``python -m pulumi.dynamic`` (cwd = project root, so ``import provider`` works), reads
the port it prints and exposes one method per engine call. Properties go in and come out as plain Python dicts
(numbers come back as floats: protobuf structs only carry doubles). Because the plugin answers Configure with
``acceptSecrets: false``, secret values are sent unwrapped, exactly as the engine does. Every request, response,
gRPC error and the plugin's stderr are recorded (``exchanges``, ``stderr()``, ``transcript()``).

    with PluginProcess() as plugin:
        plugin.configure({"aep:orgId": ..., "aep:clientSecret": ...}, secret_keys={"aep:clientSecret"})
        inputs, failures = plugin.check(urn, {}, news)
        id_, outs = plugin.create(urn, inputs)

Property marshalling and URN parts are in tests/harness/wire.py (also importable from here); state between calls
(``Engine``, registrations, checkpoints) is in tests/harness/engine.py.
"""

from __future__ import annotations

import json
import os
import secrets as _secrets
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from tests.harness.wire import (  # noqa: F401 - re-exported, importers use them from here
    BASE_CONNECTION_TYPE,
    PROVIDER_KEY,
    SECRET_SIG,
    SIG_KEY,
    UNKNOWN,
    decode_provider_property,
    from_struct,
    is_secret,
    provider_property,
    secret,
    strip_secrets,
    to_struct,
    urn_name,
    urn_type,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
def _default_python() -> str:
    venv = PROJECT_ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


# The plugin sends an error's whole traceback as the gRPC status message (a trailer). The engine (grpc-go) reads
# trailers up to 16 MiB; Python's gRPC client drops those over 8 KiB at random and all over 16 KiB, which would
# turn a long but correct refusal into RESOURCE_EXHAUSTED here only.
_AS_THE_ENGINE = [("grpc.max_metadata_size", 16 << 20), ("grpc.absolute_max_metadata_size", 16 << 20)]


class PluginError(Exception):
    """The plugin answered a call with a gRPC error. ``details`` holds its text (a Python traceback)."""

    def __init__(self, method: str, code: grpc.StatusCode, details: str) -> None:
        super().__init__(f"{method} failed with {code.name}: {details}")
        self.method = method
        self.code = code
        self.details = details


@dataclass
class Exchange:
    """One recorded gRPC call: JSON views of request and response (or the error text)."""

    method: str
    request: dict[str, Any]
    response: Optional[dict[str, Any]] = None
    error: Optional[str] = None
    seconds: float = 0.0


@dataclass
class DiffOutcome:
    changes: str  # "none" | "some" | "unknown"
    replaces: list[str]
    delete_before_replace: bool
    stables: list[str]

    @property
    def changed(self) -> bool:
        return self.changes == "some"

    @property
    def replace(self) -> bool:
        return self.changed and bool(self.replaces)


_DIFF_NAMES = {
    provider_pb2.DiffResponse.DIFF_NONE: "none",
    provider_pb2.DiffResponse.DIFF_SOME: "some",
    provider_pb2.DiffResponse.DIFF_UNKNOWN: "unknown",
}


class PluginProcess:
    """The real ``python -m pulumi.dynamic`` plugin in a subprocess, driven over gRPC.

    ``env`` is added to a copy of this process's environment from which every ``AEP_*`` variable is removed
    (so a developer's shell cannot leak into a test). Thread-safe: the plugin serves up to four calls at once.
    """

    def __init__(
        self,
        *,
        cwd: Path = PROJECT_ROOT,
        env: Optional[Mapping[str, str]] = None,
        python: Optional[str] = None,
        startup_timeout: float = 30.0,
        call_timeout: float = 60.0,
    ) -> None:
        self.cwd = Path(cwd)
        self.extra_env = dict(env or {})
        self.python = python or _default_python()
        self.startup_timeout = startup_timeout
        self.call_timeout = call_timeout
        self.exchanges: list[Exchange] = []
        self.accept_secrets = False
        self.port: Optional[int] = None
        self._proc: Optional[subprocess.Popen] = None
        self._channel: Optional[grpc.Channel] = None
        self._stub: Optional[provider_pb2_grpc.ResourceProviderStub] = None
        self._stderr: list[str] = []
        self._lock = threading.Lock()
        self._stderr_thread: Optional[threading.Thread] = None

    # -- lifecycle --------------------------------------------------------------------------------------------

    def start(self) -> "PluginProcess":
        env = {k: v for k, v in os.environ.items() if not k.startswith("AEP_")}
        env.update({"PYTHONUNBUFFERED": "1", "PULUMI_PROJECT": "aep-flow-connections"})
        env.update(self.extra_env)
        self._proc = subprocess.Popen(
            [self.python, "-m", "pulumi.dynamic"],
            cwd=self.cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self._stderr_thread = threading.Thread(target=self._drain_stderr, daemon=True)
        self._stderr_thread.start()
        self.port = self._read_port()
        self._channel = grpc.insecure_channel(f"127.0.0.1:{self.port}", options=_AS_THE_ENGINE)
        grpc.channel_ready_future(self._channel).result(timeout=self.startup_timeout)
        self._stub = provider_pb2_grpc.ResourceProviderStub(self._channel)
        return self

    def _read_port(self) -> int:
        assert self._proc and self._proc.stdout
        result: list[bytes] = []
        reader = threading.Thread(target=lambda: result.append(self._proc.stdout.readline()), daemon=True)
        reader.start()
        reader.join(self.startup_timeout)
        line = result[0].strip() if result else b""
        if not line.isdigit():
            self.stop()
            raise RuntimeError(f"plugin did not print its port within {self.startup_timeout}s; stderr:\n{self.stderr()}")
        return int(line)

    def _drain_stderr(self) -> None:
        assert self._proc and self._proc.stderr
        for raw in iter(self._proc.stderr.readline, b""):
            with self._lock:
                self._stderr.append(raw.decode("utf-8", "replace"))

    def stop(self) -> None:
        if self._channel is not None:
            self._channel.close()
            self._channel = None
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=10)
        if self._stderr_thread is not None:
            self._stderr_thread.join(timeout=5)

    def __enter__(self) -> "PluginProcess":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- recording --------------------------------------------------------------------------------------------

    def stderr(self) -> str:
        with self._lock:
            return "".join(self._stderr)

    def error_texts(self) -> list[str]:
        with self._lock:
            return [e.error for e in self.exchanges if e.error]

    def transcript(self) -> str:
        """Everything recorded so far as one JSON text: every exchange and the plugin's stderr."""
        with self._lock:
            exchanges = [e.__dict__ for e in self.exchanges]
        return json.dumps({"exchanges": exchanges, "stderr": self.stderr()}, indent=1, default=str)

    def _call(self, method: str, request: Any) -> Any:
        if self._stub is None:
            raise RuntimeError("plugin not started; use `with PluginProcess() as plugin:`")
        record = Exchange(method, json_format.MessageToDict(request))
        started = time.monotonic()
        try:
            response = getattr(self._stub, method)(request, timeout=self.call_timeout)
        except grpc.RpcError as exc:
            record.error = exc.details() or ""
            record.seconds = time.monotonic() - started
            with self._lock:
                self.exchanges.append(record)
            raise PluginError(method, exc.code(), record.error) from None
        record.response = json_format.MessageToDict(response)
        record.seconds = time.monotonic() - started
        with self._lock:
            self.exchanges.append(record)
        return response

    def _wire(self, props: Optional[Mapping[str, Any]]) -> struct_pb2.Struct:
        props = dict(props or {})
        return to_struct(props if self.accept_secrets else strip_secrets(props))

    @property
    def pid(self) -> int:
        if self._proc is None:
            raise RuntimeError("plugin not started; use `with PluginProcess() as plugin:`")
        return self._proc.pid

    @property
    def stub(self) -> provider_pb2_grpc.ResourceProviderStub:
        """The raw gRPC stub: calls made through it are neither marshalled nor recorded (bench/ uses it so the
        figures measure the plugin, not this harness)."""
        if self._stub is None:
            raise RuntimeError("plugin not started; use `with PluginProcess() as plugin:`")
        return self._stub

    # -- engine calls -----------------------------------------------------------------------------------------

    def get_plugin_info(self) -> str:
        return self._call("GetPluginInfo", empty_pb2.Empty()).version

    def configure(self, config: Mapping[str, Any], *, secret_keys: Iterable[str] = ()) -> None:
        """Configure with stack config keyed ``"aep:orgId"`` etc.; ``secret_keys`` are sent as secrets."""
        hidden = set(secret_keys)
        args = {k: (secret(v) if k in hidden else v) for k, v in config.items()}
        request = provider_pb2.ConfigureRequest(
            variables={k: str(v) for k, v in config.items()},
            args=to_struct(args),
            acceptSecrets=True,
            acceptResources=True,
            sends_old_inputs=True,
            sends_old_inputs_to_delete=True,
        )
        response = self._call("Configure", request)
        self.accept_secrets = response.acceptSecrets

    def check(
        self, urn: str, olds: Mapping[str, Any], news: Mapping[str, Any]
    ) -> tuple[dict[str, Any], list[tuple[str, str]]]:
        """→ (checked inputs, [(property, reason), ...])."""
        request = provider_pb2.CheckRequest(
            urn=urn, olds=self._wire(olds), news=self._wire(news), randomSeed=_secrets.token_bytes(32),
            name=urn_name(urn), type=urn_type(urn),
        )
        response = self._call("Check", request)
        return from_struct(response.inputs), [(f.property, f.reason) for f in response.failures]

    def diff(
        self,
        urn: str,
        id_: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        *,
        old_inputs: Optional[Mapping[str, Any]] = None,
    ) -> DiffOutcome:
        """``olds`` are the old *outputs* (as the engine sends), ``news`` the checked new inputs."""
        request = provider_pb2.DiffRequest(
            id=id_, urn=urn, olds=self._wire(olds), news=self._wire(news), old_inputs=self._wire(old_inputs or olds),
            name=urn_name(urn), type=urn_type(urn),
        )
        r = self._call("Diff", request)
        return DiffOutcome(_DIFF_NAMES.get(r.changes, "unknown"), list(r.replaces), r.deleteBeforeReplace,
                           list(r.stables))

    def create(self, urn: str, properties: Mapping[str, Any], *, preview: bool = False) -> tuple[str, dict[str, Any]]:
        request = provider_pb2.CreateRequest(
            urn=urn, properties=self._wire(properties), preview=preview, name=urn_name(urn), type=urn_type(urn)
        )
        response = self._call("Create", request)
        return response.id, from_struct(response.properties)

    def read(
        self, urn: str, id_: str, properties: Mapping[str, Any], *, inputs: Optional[Mapping[str, Any]] = None
    ) -> tuple[str, dict[str, Any], Optional[dict[str, Any]]]:
        """→ (id, outputs, inputs or None). An empty id means the resource is gone."""
        request = provider_pb2.ReadRequest(
            id=id_, urn=urn, properties=self._wire(properties), inputs=self._wire(inputs or {}),
            name=urn_name(urn), type=urn_type(urn),
        )
        response = self._call("Read", request)
        new_inputs = from_struct(response.inputs) if response.HasField("inputs") else None
        return response.id, from_struct(response.properties), new_inputs

    def update(
        self,
        urn: str,
        id_: str,
        olds: Mapping[str, Any],
        news: Mapping[str, Any],
        *,
        old_inputs: Optional[Mapping[str, Any]] = None,
        preview: bool = False,
    ) -> dict[str, Any]:
        request = provider_pb2.UpdateRequest(
            id=id_, urn=urn, olds=self._wire(olds), news=self._wire(news), old_inputs=self._wire(old_inputs or {}),
            preview=preview, name=urn_name(urn), type=urn_type(urn),
        )
        return from_struct(self._call("Update", request).properties)

    def delete(
        self, urn: str, id_: str, properties: Mapping[str, Any], *, old_inputs: Optional[Mapping[str, Any]] = None
    ) -> None:
        request = provider_pb2.DeleteRequest(
            id=id_, urn=urn, properties=self._wire(properties), old_inputs=self._wire(old_inputs or {}),
            name=urn_name(urn), type=urn_type(urn),
        )
        self._call("Delete", request)
