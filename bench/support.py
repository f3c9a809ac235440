"""What the bench scripts share: the machine they ran on, an emulator in its own process, the plugin's config,
the PostgreSQL connection they deploy, engine steps sent straight to the plugin's gRPC stub, a process's CPU
time, the median of repeated runs, and one table layout.

Not a bench itself (``make bench`` runs ``bench/bench_*.py``). Each bench starts its own emulator on an ephemeral
port, so benches can run while tests run elsewhere (their figures then say so through the load average).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import requests  # noqa: E402
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc  # noqa: E402

from tests.harness.engine import Registration, base_connection_registration  # noqa: E402
from tests.harness.wire import strip_secrets, to_struct  # noqa: E402
from tests.support.emulator import EmulatorControl  # noqa: E402

PG_SPEC = "74a1c565-4e59-48d7-9d67-7c03b8a13137"
PG_AUTH = "Connection String Based Authentication"
ORG, CLIENT, SECRET = "local@AdobeOrg", "local-client", "local-secret"


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    match = re.search(r"^model name\s*:\s*(.+)$", text, re.M)
    return match.group(1).strip() if match else platform.processor() or "unknown"


def machine_line() -> str:
    """One line naming the machine and how busy it was: figures from a loaded machine are not comparable."""
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (f"machine: {os.cpu_count()} CPUs, {cpu_model()}, Python {platform.python_version()}, "
            f"load {load:.2f}, {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC")


def int_options(doc: str, **options: tuple[int, str]) -> argparse.Namespace:
    """The bench's command line: ``--name-with-dashes N`` for each ``name_with_dashes=(default, help)``; the
    docstring is the ``--help`` text."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    for name, (default, text) in options.items():
        flag = "--" + name.replace("_", "-")
        parser.add_argument(flag, type=int, default=default, help=f"{text} (default {default})")
    return parser.parse_args()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc; NaN elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def print_table(title: str, rows: list[tuple[str, str]]) -> None:
    """A bench's output: a title, the machine line, then one ``figure  value`` row each."""
    print(f"\n== {title} ==")
    print(machine_line())
    width = max(len(label) for label, _ in rows) + 2
    for label, value in rows:
        print(f"{label:<{width}}{value}")


def verdict(ratio: float, target: float) -> str:
    return f"{ratio:.2f}x (target <= {target:.2f}x: {'met' if ratio <= target else 'MISSED'})"


def median_of(runs: int, measure: Callable[[], float]) -> tuple[float, list[float]]:
    """Call ``measure`` ``runs`` times; (median, every figure)."""
    figures = [measure() for _ in range(runs)]
    return statistics.median(figures), figures


def plugin_config(emu: EmulatorControl) -> dict[str, str]:
    """Stack config pointing the plugin at ``emu`` (``aep:clientSecret`` is the one secret key)."""
    return {"aep:orgId": emu.org_id, "aep:clientId": emu.client_id, "aep:clientSecret": emu.client_secret,
            "aep:endpoint": emu.flow_url, "aep:imsEndpoint": emu.ims_url, "aep:maxRetryWait": "0.2"}


def connection_string(password: str) -> str:
    return f"Server=db;Database=d;Port=5432;UID=u;Password={password}"


def pg_registration(name: str = "pg-sales", password: str = "pw-1", sandbox: str = "prod", **extra) -> Registration:
    """A PostgreSQL base connection as FlowServiceBaseConnection registers it."""
    return base_connection_registration(
        name=name, description="bench", connection_spec_id=PG_SPEC, auth_spec_name=PG_AUTH,
        auth_params={"connectionString": connection_string(password)}, sandbox=sandbox, **extra,
    )


def pg_create_body(name: str, password: str = "pw-1") -> dict:
    """The Flow Service POST /connections body the provider sends for ``pg_registration(name, password)``."""
    return {"name": name, "description": "bench",
            "auth": {"specName": PG_AUTH, "params": {"connectionString": connection_string(password)}},
            "connectionSpec": {"id": PG_SPEC, "version": "1.0"}}


class EmulatorProcess(EmulatorControl):
    """Control of an emulator running in a child process; ``pid`` for its CPU time."""

    pid: int


def plain_session(emu: EmulatorControl) -> tuple[requests.Session, dict]:
    """A session with a token and the headers the provider sends (provider/client/flow_service.py)."""
    session = requests.Session()
    token = session.post(emu.ims_url, timeout=60, data={
        "grant_type": "client_credentials", "client_id": emu.client_id, "client_secret": emu.client_secret,
        "scope": "openid,AdobeID,read_organizations"}).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}", "x-api-key": emu.client_id, "x-gw-ims-org-id": emu.org_id,
               "x-sandbox-name": "prod", "Accept": "application/json", "Content-Type": "application/json"}
    return session, headers


@contextmanager
def emulator_process() -> Iterator[EmulatorProcess]:
    """``python -m emulator`` on an ephemeral port with an in-memory db, in its own process (and so its own
    interpreter lock, as Flow Service is to the plugin); stopped with SIGINT on exit."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "emulator", "--port", "0", "--db", ":memory:", "--org-id", ORG,
         "--client-id", CLIENT, "--client-secret", SECRET],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        match = re.search(r"listening on (http://\S+)", proc.stdout.readline())
        if not match:
            raise RuntimeError("the emulator process did not start")
        emu = EmulatorProcess(match.group(1), ORG, CLIENT, SECRET)
        emu.pid = proc.pid
        yield emu
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def urn(name: str) -> str:
    return f"urn:pulumi:bench::aep-flow-connections::pulumi-python:dynamic/aep:BaseConnection::{name}"


def check_request(name: str, registration: Registration) -> provider_pb2.CheckRequest:
    """The Check the engine sends for a new resource (secrets unwrapped: the plugin does not accept them)."""
    return provider_pb2.CheckRequest(urn=urn(name), news=to_struct(strip_secrets(registration.inputs)),
                                     name=name, type="pulumi-python:dynamic/aep:BaseConnection")


def create_request(check: provider_pb2.CheckRequest, checked: provider_pb2.CheckResponse) -> provider_pb2.CreateRequest:
    """The Create the engine sends after a clean Check: the checked inputs, passed on as they came."""
    if checked.failures:
        raise RuntimeError(f"{check.urn}: check failed: {list(checked.failures)}")
    return provider_pb2.CreateRequest(urn=check.urn, properties=checked.inputs, name=check.name, type=check.type)


def check_then_create(stub: provider_pb2_grpc.ResourceProviderStub, check: provider_pb2.CheckRequest) -> str:
    """One resource's `up` steps straight through the stub (no marshalling in this process); the new id."""
    created = stub.Create(create_request(check, stub.Check(check, timeout=60)), timeout=60)
    if not created.id:
        raise RuntimeError(f"{check.urn}: Create returned no id")
    return created.id
