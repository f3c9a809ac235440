"""The README's newcomer path, run as printed, in a copy of this repository named as a user's checkout would be.

`make up` (the copy's own emulator, on a free port instead of 8080: `make up EMULATOR_PORT=<port>`, which the
README offers), then the command blocks of "Plain `pulumi` in this folder", the emulator block of "One stack per
sandbox" and "Use it from your own infra repo" (from the checkout's parent folder), then `make down`. The only
changes to what is printed are that port and, as the README says to add with it, `--config-file
.emulator/Pulumi.local.yaml` on the local stack's `preview`, `refresh`, `up` and `destroy`. Each block runs in `bash -euo pipefail`; the emulator's request log and
store are checked after each.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
from pathlib import Path

import pytest
import requests

from tests.e2e.cli import OFFLINE, user_env
from tests.e2e.infra_repo import source_copy

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
FLOW = "/data/foundation/flowservice"


def bash_blocks(section: str) -> list[str]:
    text = README.read_text()
    part = text[text.index(f"<!-- section:{section} -->"):text.index(f"<!-- /section:{section} -->")]
    return re.findall(r"```bash\n(.*?)```", part, re.S)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def checkout(tmp_path_factory, pulumi_cli):
    """This repository's files (tracked and new, not ignored) in <tmp>/aep-flow-connections; the virtualenv and
    the built CLI linked, as `make venv` and `make pulumi` would have left them."""
    copy = source_copy(tmp_path_factory.mktemp("newcomer") / "aep-flow-connections")
    (copy / ".venv").symlink_to(ROOT / ".venv")
    if pulumi_cli.parent == ROOT / ".pulumi-cli" / "bin":
        (copy / ".pulumi-cli").symlink_to(ROOT / ".pulumi-cli")
    port = free_port()
    env = {k: v for k, v in user_env().items() if k not in OFFLINE}  # a newcomer's shell, as it is
    env["PATH"] = f"{pulumi_cli.parent}{os.pathsep}{env['PATH']}" if pulumi_cli.parent != ROOT / ".pulumi-cli" \
        / "bin" else env["PATH"]
    yield copy, port, env
    subprocess.run(["make", "down"], cwd=copy, env=env, capture_output=True, timeout=300)


def run(script: str, cwd: Path, env: dict[str, str], port: int) -> subprocess.CompletedProcess:
    script = script.replace("127.0.0.1:8080", f"127.0.0.1:{port}")
    # as the README says for `make up EMULATOR_PORT=...`: the stack file copy whose endpoints use that port
    script = re.sub(r"(pulumi (?:preview|refresh|up|destroy) --stack local\b)",
                    r"\1 --config-file .emulator/Pulumi.local.yaml", script)
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=900)
    assert done.returncode == 0, f"README block failed:\n{script}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
    return done


def flow_calls(port: int) -> list[str]:
    entries = requests.get(f"http://127.0.0.1:{port}/_emulator/requests", timeout=10).json()["requests"]
    return [f"{r['method']} {r['template']}" for r in entries if r["path"].startswith(FLOW)]


def platform_calls(port: int) -> list[str]:
    """Flow Service, Data Prep and Catalog calls, as `METHOD template`."""
    entries = requests.get(f"http://127.0.0.1:{port}/_emulator/requests", timeout=10).json()["requests"]
    return [f"{r['method']} {r['template']}" for r in entries if r["path"].startswith("/data/foundation/")]


def sorted_chain(writes: list[str]) -> list[str]:
    """The pipeline block's writes after the seed: each object created once, one PATCH, then everything deleted
    but the mapping set (Data Prep cannot delete one). Creates and deletes run in parallel where the engine can."""
    rest = writes[1:]
    creates, patch, deletes = rest[:5], rest[5:6], rest[6:]
    assert sorted(creates) == sorted([f"POST {FLOW}/connections", f"POST {FLOW}/sourceConnections",
                                      f"POST {FLOW}/targetConnections", "POST /data/foundation/conversion/mappingSets",
                                      f"POST {FLOW}/flows"]) and creates[-1] == f"POST {FLOW}/flows"
    assert patch == [f"PATCH {FLOW}/flows/{{id}}"]
    assert deletes[0] == f"DELETE {FLOW}/flows/{{id}}" and deletes[-1] == f"DELETE {FLOW}/connections/{{id}}"
    assert sorted(deletes[1:-1]) == [f"DELETE {FLOW}/sourceConnections/{{id}}",
                                     f"DELETE {FLOW}/targetConnections/{{id}}"]
    return rest


def clear(port: int) -> None:
    requests.delete(f"http://127.0.0.1:{port}/_emulator/requests", timeout=10)


def connections(port: int) -> list[dict]:
    return requests.get(f"http://127.0.0.1:{port}/_emulator/connections", timeout=10).json()["items"]


def test_the_newcomer_path_as_printed(checkout):
    copy, port, env = checkout
    with socket.socket() as foreign:  # another program on the port first: one line naming it and the fix
        foreign.bind(("127.0.0.1", 0))
        foreign.listen()
        busy = foreign.getsockname()[1]
        refused = subprocess.run(["make", "up", f"EMULATOR_PORT={busy}"], cwd=copy, env=env, capture_output=True,
                                 text=True, timeout=600)
    assert refused.returncode != 0 and "Traceback" not in refused.stderr
    assert f"make up: port {busy} on 127.0.0.1 is in use by another program; choose another port with " \
           f"`make up EMULATOR_PORT={busy + 1}`" in refused.stderr
    assert not (copy / ".pulumi-state" / ".pulumi" / "stacks").exists()

    up = run(f"make up EMULATOR_PORT={port}", copy, env, port)
    assert "+ 8 created" in up.stdout and "connection_ids" in up.stdout
    assert len(connections(port)) == 3

    [plain] = bash_blocks("plain")
    clear(port)
    done = run(plain, copy, env, port)
    assert "aep-flow-connections@v0.1.0" in done.stdout and "8 unchanged" in done.stdout
    # stack output and both previews make no call; `refresh --yes` previews, then refreshes: 2 reads a connection
    assert flow_calls(port) == [f"GET {FLOW}/connections/{{id}}"] * 6

    real_sandbox, emulator_block = bash_blocks("stacks")
    assert "pulumi up --stack dev" in real_sandbox  # the real-sandbox block needs Adobe; the next one is run
    clear(port)
    run("\n".join(plain.splitlines()[:2]) + "\n" + emulator_block, copy, env, port)
    calls = flow_calls(port)
    assert calls.count(f"POST {FLOW}/connections") == 1 and calls.count(f"DELETE {FLOW}/connections/{{id}}") == 1
    assert not (copy / "stacks" / "Pulumi.stage.yaml").exists()

    promotion, pipelines = bash_blocks("pipelines")
    assert "pulumi config cp --path 'aep:dataflows.orders-hourly'" in promotion  # needs real dev and prod sandboxes
    clear(port)
    run("\n".join(plain.splitlines()[:2]) + "\n" + pipelines, copy, env, port)
    writes = [c for c in platform_calls(port) if not c.startswith("GET ")]
    assert writes == [
        "POST /data/foundation/catalog/dataSets",  # the seeded dataset
        *sorted_chain(writes),
    ]
    assert writes.count(f"PATCH {FLOW}/flows/{{id}}") == 1 and writes.count(f"DELETE {FLOW}/flows/{{id}}") == 1
    assert not (copy / "stacks" / "Pulumi.stage.yaml").exists()

    [infra] = bash_blocks("infra")
    clear(port)
    done = run(infra, copy.parent, env, port)
    calls = flow_calls(port)
    assert calls.count(f"POST {FLOW}/connections") == 1 and calls.count(f"DELETE {FLOW}/connections/{{id}}") == 1
    assert "aep-flow-connections@v0.1.0" in done.stdout
    assert "not-a-real-password" not in done.stdout + done.stderr
    assert "not-a-real-password" not in (copy.parent / "acme-infra" / "Pulumi.dev.yaml").read_text()

    clear(port)
    assert len(connections(port)) == 3  # the local stack's, still there before `make down`
    down = run("make down", copy, env, port)
    assert "- 8 deleted" in down.stdout and "emulator stopped" in down.stdout
    with pytest.raises(requests.RequestException):  # make down stopped it, after the destroy
        requests.get(f"http://127.0.0.1:{port}/_emulator/requests", timeout=2)
    up_again = run(f"make up EMULATOR_PORT={port}", copy, env, port)  # the SQLite store: nothing was left behind
    assert "+ 8 created" in up_again.stdout and len(connections(port)) == 3
    run("make down", copy, env, port)
