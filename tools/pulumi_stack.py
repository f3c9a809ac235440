"""Run a stack of this project through the real Pulumi engine (the CLI that `make pulumi` provides).

    python -m tools.pulumi_stack up|preview|refresh|destroy|outputs [--stack local] [--cli PATH] [--expect-no-changes]

The program runs through the Automation API. Where the CLI has its Python language host
(`pulumi-language-python`, shipped by every official install) the engine starts `__main__.py` itself; a CLI
built from Go modules has none (the proxy does not serve that module), so the engine is pointed at a language
server in this process (`--client`, the Automation API's inline path) that runs the same `__main__.py`. Either
way the engine, the dynamic-provider plugin, config, secrets and state are the real ones.

`refresh` and `destroy` run the program (`--run-program`): without it the engine configures the provider from
the config recorded by the last `up`, so a rotated aep:clientSecret would not reach them.

`local_env()` is the environment `make up` uses: file backend in .pulumi-state/, passphrase `local`, a
project-local PULUMI_HOME, no update checks and no plugin downloads.
"""

from __future__ import annotations

import argparse
import json
import os
import runpy
import shutil
import sys
from pathlib import Path
from typing import Callable, Mapping, Optional

from pulumi import automation as auto

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CLI_DIR = ROOT / ".pulumi-cli"
OFFLINE = {"PULUMI_SKIP_UPDATE_CHECK": "true", "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true"}


def local_env(root: Path = ROOT, cli_dir: Path = DEFAULT_CLI_DIR) -> dict[str, str]:
    """Variables for the local stack: state under root/.pulumi-state, passphrase `local`, nothing fetched."""
    return {**OFFLINE, "PULUMI_BACKEND_URL": f"file://{root / '.pulumi-state'}",
            "PULUMI_CONFIG_PASSPHRASE": "local", "PULUMI_HOME": str(cli_dir / "home")}


def has_language_host(cli: Path) -> bool:
    """True when the engine can start a Python program itself (its language host is beside it or on PATH)."""
    return (cli.parent / "pulumi-language-python").exists() or shutil.which("pulumi-language-python") is not None


def program_of(project: Path) -> Callable[[], None]:
    """The project's `__main__.py` as an inline program, importing `provider` from the project directory."""
    def run() -> None:
        if str(project) not in sys.path:
            sys.path.insert(0, str(project))
        runpy.run_path(str(project / "__main__.py"), run_name="__main__")
    return run


def open_stack(stack: str, *, project: Path = ROOT, cli: Path, env: Mapping[str, str],
               create: bool = True, inline: Optional[bool] = None) -> auto.Stack:
    """Select (or create) `stack` of the project in `project`, driven by the CLI at `cli`."""
    env = {**env, "PATH": f"{cli.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    backend = env.get("PULUMI_BACKEND_URL", "")
    if backend.startswith("file://"):
        Path(backend[len("file://"):]).mkdir(parents=True, exist_ok=True)
    command = auto.PulumiCommand(root=str(cli.parent.parent), skip_version_check=True)
    opts = auto.LocalWorkspaceOptions(work_dir=str(project), env_vars=dict(env), pulumi_command=command)
    select = auto.create_or_select_stack if create else auto.select_stack
    if has_language_host(cli) if inline is None else not inline:
        return select(stack_name=stack, work_dir=str(project), opts=opts)
    return select(stack_name=stack, project_name=_project_name(project), program=program_of(project), opts=opts)


def _project_name(project: Path) -> str:
    for line in (project / "Pulumi.yaml").read_text().splitlines():
        if line.startswith("name:"):
            return line.split(":", 1)[1].strip()
    raise ValueError(f"{project / 'Pulumi.yaml'} has no `name:`")


def find_cli(given: Optional[str]) -> Path:
    if given:
        return Path(given).resolve()
    built = DEFAULT_CLI_DIR / "bin" / "pulumi"
    found = built if built.exists() else (Path(p) if (p := shutil.which("pulumi")) else None)
    if found is None:
        sys.exit("no Pulumi CLI: run `make pulumi` first (it prints the CLI's path; pass it with --cli)")
    return found


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.pulumi_stack", description=__doc__.split("\n\n")[0])
    parser.add_argument("operation", choices=("up", "preview", "refresh", "destroy", "outputs"))
    parser.add_argument("--stack", default="local")
    parser.add_argument("--cli", help="path of the `pulumi` to use (default: .pulumi-cli/bin/pulumi, else PATH)")
    parser.add_argument("--expect-no-changes", action="store_true", help="preview/refresh: fail on any change")
    args = parser.parse_args(argv)
    env = {**os.environ, **local_env()} if args.stack == "local" else {**os.environ, **OFFLINE}
    stack = open_stack(args.stack, cli=find_cli(args.cli), env=env, create=args.operation == "up")
    echo = {"on_output": print}
    if args.operation == "up":
        stack.up(color="never", **echo)
    elif args.operation == "preview":
        stack.preview(color="never", expect_no_changes=args.expect_no_changes, **echo)
    elif args.operation == "refresh":
        stack.refresh(color="never", expect_no_changes=args.expect_no_changes, run_program=True, **echo)
    elif args.operation == "destroy":
        stack.destroy(color="never", run_program=True, **echo)
    if args.operation in ("up", "outputs"):
        outputs = {key: ("[secret]" if value.secret else value.value) for key, value in stack.outputs().items()}
        print(f"Outputs of stack {args.stack}:")
        print(json.dumps(outputs, indent=2, sort_keys=True))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except auto.CommandError as error:
        print(f"pulumi failed: {error}", file=sys.stderr)
        sys.exit(1)
