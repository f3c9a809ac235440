"""The `pulumi_cli` fixture uses a previous build without Go, and skips only where ensure.sh has nothing at all:
no `pulumi` on PATH, no build in PULUMI_CLI_DIR, no Go. Needs no real CLI: fake executables stand in.

What this assumes of tools/pulumi_cli/ensure.sh: it prints the CLI's path as its last line, and with no Go and
no `pulumi` on PATH it uses `$PULUMI_CLI_DIR/bin/pulumi` when `pulumi version`'s first line is the pkg/v3 version
go.mod pins. The fake build also holds executable `pulumi-language-python` and `pulumi-resource-pulumi-python`
stubs, which a build has next to the CLI.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.e2e.conftest import ENSURE, missing_toolchain, provide_cli

TOOLS = ("go", "pulumi")


def pinned_version() -> str:
    """The pkg/v3 version in go.mod, read as ensure.sh reads it (first line whose first field is the module)."""
    for line in (ENSURE.parent / "go.mod").read_text().splitlines():
        fields = line.split()
        if len(fields) >= 2 and fields[0] == "github.com/pulumi/pulumi/pkg/v3":
            return fields[1]
    raise AssertionError("no pkg/v3 version in go.mod")


def executable(path: Path, body: str = "exit 0") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(0o755)
    return path


def path_without_tools(tmp: Path) -> str:
    """PATH with `go` and `pulumi` hidden: a folder holding either is replaced by links to everything else in it
    (it may also hold bash, awk and the rest of what ensure.sh runs)."""
    kept = []
    for i, folder in enumerate(p for p in os.environ.get("PATH", "").split(os.pathsep) if os.path.isdir(p)):
        entries = os.listdir(folder)
        if not any(tool in entries for tool in TOOLS):
            kept.append(folder)
            continue
        shadow = tmp / f"path-{i}"
        shadow.mkdir()
        for name in entries:
            if name not in TOOLS:
                (shadow / name).symlink_to(Path(folder) / name)
        kept.append(str(shadow))
    path = os.pathsep.join(kept)
    assert all(shutil.which(tool, path=path) is None for tool in TOOLS)
    return path


def cached_build(cli_dir: Path) -> Path:
    executable(cli_dir / "bin" / "pulumi-language-python")
    executable(cli_dir / "bin" / "pulumi-resource-pulumi-python")
    return executable(cli_dir / "bin" / "pulumi", f"echo {pinned_version()}")


def environment(tmp: Path, *, on_path: bool, cached: bool, go: bool) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PULUMI_CLI", "PULUMI_CLI_FORCE_BUILD")}
    fakes = tmp / "fakes"
    fakes.mkdir()
    for tool, present in (("pulumi", on_path), ("go", go)):
        if present:
            executable(fakes / tool, "exit 1")
    if cached:
        cached_build(tmp / "cli")
    env.update(PATH=os.pathsep.join([str(fakes), path_without_tools(tmp)]), PULUMI_CLI_DIR=str(tmp / "cli"))
    return env


def test_a_previous_build_is_used_without_go(tmp_path):
    env = environment(tmp_path, on_path=False, cached=True, go=False)
    assert missing_toolchain(env) is None  # else provide_cli would skip, which is no failure
    assert provide_cli(env) == tmp_path / "cli" / "bin" / "pulumi"


@pytest.mark.parametrize("cached", [False, True], ids=["no-build", "build"])
@pytest.mark.parametrize("go", [False, True], ids=["no-go", "go"])
@pytest.mark.parametrize("on_path", [False, True], ids=["no-pulumi", "pulumi"])
def test_skipped_only_when_pulumi_build_and_go_are_all_missing(tmp_path, on_path, cached, go):
    env = environment(tmp_path, on_path=on_path, cached=cached, go=go)
    reason = missing_toolchain(env)
    if on_path or cached or go:
        assert reason is None
    else:
        assert reason and str(tmp_path / "cli") in reason  # PULUMI_CLI_DIR, not the repository's .pulumi-cli
        with pytest.raises(pytest.skip.Exception, match="no Go"):
            provide_cli(env)
