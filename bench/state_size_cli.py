"""The state-size figure through the real CLI: ``__main__.py`` deploys N PostgreSQL connections from stack config
(file backend), and the figure is the state file's size / N, with where the bytes go.

Run for the code in this checkout and, when git has it, for ``BASELINE`` (``provider/`` and ``__main__.py`` taken
out of history with ``git archive``), so one command prints before and after. Used by bench_state_size.py's
``--cli-connections N``.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from collections import Counter
from pathlib import Path
from typing import Optional

import yaml

from bench.bench_engine import stack_file
from bench.support import emulator_process
from provider.automation import OFFLINE, find_cli, open_stack

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "36eb9a7"  # main before the state-footprint changes
TARGET = 2500


def compact(value) -> int:
    return len(json.dumps(value, separators=(",", ":")).encode())


def baseline_code(into: Path) -> Optional[Path]:
    """``provider/`` and ``__main__.py`` at ``BASELINE`` under ``into``; None when git has not got it."""
    done = subprocess.run(["git", "-C", str(ROOT), "archive", "--format=tar", BASELINE, "provider", "__main__.py"],
                          capture_output=True, timeout=120)
    if done.returncode != 0:
        return None
    with tarfile.open(fileobj=io.BytesIO(done.stdout)) as archive:
        archive.extractall(into, filter="data")
    return into


def deploy(code: Path, connections: int) -> dict:
    """`pulumi up` of ``connections`` connections with ``code``'s provider/ and __main__.py; the state file
    (its size in ``"bytes"``, its resources in ``"resources"``)."""
    cli = find_cli(str(ROOT / ".pulumi-cli/bin/pulumi"))
    with emulator_process() as emu, tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp) / "project"
        (project / "stacks").mkdir(parents=True)
        shutil.copy(ROOT / "Pulumi.yaml", project / "Pulumi.yaml")
        shutil.copy(code / "__main__.py", project / "__main__.py")
        (project / "provider").symlink_to(code / "provider")
        (project / ".venv").symlink_to(ROOT / ".venv")
        (project / "stacks" / "Pulumi.bench.yaml").write_text(yaml.safe_dump(stack_file(connections, emu)))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AEP_", "PULUMI_"))}
        env.update(OFFLINE, PULUMI_BACKEND_URL=f"file://{tmp}/state", PULUMI_CONFIG_PASSPHRASE="bench",
                   PULUMI_HOME=f"{tmp}/home", AEP_CLIENT_SECRET=emu.client_secret, BENCH_PASSWORD="bench-pw-1")
        open_stack("bench", project=project, cli=cli, env=env).up(color="never")
        state = next(Path(tmp, "state").rglob("bench.json"))
        data = json.loads(state.read_text())
        return {"bytes": state.stat().st_size, "resources": data["checkpoint"]["latest"]["resources"]}


def breakdown(resources: list[dict], connections: int) -> list[tuple[str, float]]:
    """Bytes per connection by resource type and field (compact JSON, as the file backend writes it)."""
    weight: Counter[str] = Counter()
    for resource in resources:
        kind = resource["type"].rsplit(":", 1)[-1].rsplit("/", 1)[-1]
        for key, value in resource.items():
            if key in ("inputs", "outputs") and kind == "BaseConnection":
                for name, item in value.items():
                    weight[f"{kind} {key}.{name}"] += compact({name: item})
            else:
                weight[f"{kind} {key}"] += compact({key: value})
    return [(label, total / connections) for label, total in weight.most_common()]


def rows(connections: int) -> list[tuple[str, str]]:
    """The table rows: bytes per connection before (when git has ``BASELINE``) and after, then the breakdown."""
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        old = baseline_code(Path(tmp))
        before = deploy(old, connections) if old else None
    after = deploy(ROOT, connections)
    if before:
        out.append((f"real CLI, state file / {connections}, code at {BASELINE}", f"{before['bytes'] / connections:.0f} B"))
    else:
        out.append((f"real CLI, code at {BASELINE}", "not in this checkout (shallow clone?)"))
    per = after["bytes"] / connections
    out.append((f"real CLI, state file / {connections}, this code",
                f"{per:.0f} B (target <= {TARGET} B: {'met' if per <= TARGET else 'MISSED'})"))
    out += [(f"  {label}", f"{value:.0f} B") for label, value in breakdown(after["resources"], connections)
            if value >= 10]
    return out
