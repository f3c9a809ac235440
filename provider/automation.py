"""Drive a stack of your Pulumi project from Python (the Automation API), for pipelines that do not shell out.

    python -m provider.automation up|preview|refresh|destroy|outputs --stack NAME [--stack NAME ...] [--cwd DIR]
        [--cli PATH] [--policy-pack DIR ...] [--policy-pack-config FILE ...] [--expect-no-changes] [--large-stack]

The same engine, language host, plugins, config and state as `pulumi up` typed in DIR (the project folder; the
current one by default); only the driver differs. `open_stack` is the library form. The CLI is `--cli`, else
`PULUMI_CLI`, else the `pulumi` on PATH. `refresh` and `destroy` run the program (`--run-program`), so a rotated
aep:clientSecret reaches them (without it the engine configures the provider from the config of the last `up`).
Stack outputs are printed with secrets masked. Several `--stack`s run in parallel processes, one per stack, with
a summary and exit status 1 if any failed (provider/fan_out.py). `--large-stack` sets PULUMI_SKIP_CHECKPOINTS=true
for the engine (README, "Large stacks": safe for this project's resources, not for other providers' in the stack).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Mapping, Optional, Sequence

from pulumi import automation as auto

from provider.fan_out import fan_out

OFFLINE = {"PULUMI_SKIP_UPDATE_CHECK": "true", "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true"}


def find_cli(given: Optional[str] = None) -> Path:
    """The `pulumi` to drive: `given`, else $PULUMI_CLI, else PATH; SystemExit with the fix when there is none."""
    found = given or os.environ.get("PULUMI_CLI") or shutil.which("pulumi")
    if not found:
        raise SystemExit("no Pulumi CLI: install one, or run `make pulumi` in aep-flow-connections and pass the "
                         "path it prints with --cli (or put its folder on PATH)")
    return Path(found).absolute()  # not resolved: a Homebrew-style symlink keeps its bin/ folder


def _command(cli: Path) -> auto.PulumiCommand:
    """The SDK's PulumiCommand for `cli`: it only runs `<root>/bin/pulumi`, so a CLI kept elsewhere (a tarball
    unpacked as /opt/pulumi/pulumi) is reached through a bin/pulumi link in a folder of its own."""
    if cli.parent.name != "bin":
        shim = Path(tempfile.mkdtemp(prefix="aep-pulumi-cli-")) / "bin"
        shim.mkdir()
        (shim / "pulumi").symlink_to(cli)
        cli = shim / "pulumi"
    return auto.PulumiCommand(root=str(cli.parent.parent), skip_version_check=True)


def open_stack(stack: str, *, project: Path = Path("."), cli: Optional[Path] = None,
               env: Optional[Mapping[str, str]] = None, create: bool = True) -> auto.Stack:
    """Select (or create) `stack` of the Pulumi project in `project`, driven by the CLI at `cli`."""
    cli = cli or find_cli()
    env = {**(os.environ if env is None else env)}
    env["PATH"] = f"{cli.parent}{os.pathsep}{env.get('PATH', '')}"
    backend = env.get("PULUMI_BACKEND_URL", "")
    if backend.startswith("file://"):
        Path(backend[len("file://"):]).mkdir(parents=True, exist_ok=True)
    opts = auto.LocalWorkspaceOptions(work_dir=str(project.resolve()), env_vars=env, pulumi_command=_command(cli))
    select = auto.create_or_select_stack if create else auto.select_stack
    return select(stack_name=stack, work_dir=str(project.resolve()), opts=opts)


def run(operation: str, stack: auto.Stack, *, policy_packs: Sequence[str] = (),
        policy_pack_configs: Sequence[str] = (), expect_no_changes: bool = False) -> dict[str, object]:
    """One operation, its output echoed; returns the stack's outputs (secrets masked) after `up` / `outputs`."""
    echo = {"color": "never", "on_output": print}
    packs = {"policy_packs": list(policy_packs), "policy_pack_configs": list(policy_pack_configs)}
    if operation == "up":
        stack.up(**echo, **packs)
    elif operation == "preview":
        stack.preview(expect_no_changes=expect_no_changes, **echo, **packs)
    elif operation == "refresh":
        stack.refresh(expect_no_changes=expect_no_changes, run_program=True, **echo)
    elif operation == "destroy":
        stack.destroy(run_program=True, **echo)
    if operation not in ("up", "outputs"):
        return {}
    return {key: ("[secret]" if value.secret else value.value) for key, value in stack.outputs().items()}


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m provider.automation", description=__doc__.split("\n\n")[0])
    parser.add_argument("operation", choices=("up", "preview", "refresh", "destroy", "outputs"))
    parser.add_argument("--stack", required=True, action="append",
                        help="the stack (repeatable: several run in parallel processes)")
    parser.add_argument("--cwd", type=Path, default=Path("."), help="the Pulumi project folder (default: .)")
    parser.add_argument("--cli", help="path of the `pulumi` to use (default: $PULUMI_CLI, else PATH)")
    parser.add_argument("--policy-pack", action="append", default=[], help="a policy pack folder (repeatable)")
    parser.add_argument("--policy-pack-config", action="append", default=[], help="its config file (repeatable)")
    parser.add_argument("--expect-no-changes", action="store_true", help="preview/refresh: fail on any change")
    parser.add_argument("--large-stack", action="store_true",
                        help="PULUMI_SKIP_CHECKPOINTS=true: state written once, at the end (README, Large stacks)")
    args = parser.parse_args(argv)
    if not (args.cwd / "Pulumi.yaml").is_file():
        parser.error(f"{args.cwd.resolve()} has no Pulumi.yaml: pass the project folder with --cwd")
    if len(set(args.stack)) > 1:
        return fan_out(args.operation, args.stack, _options(args))
    args.stack = args.stack[0]
    stack = open_stack(args.stack, project=args.cwd, cli=find_cli(args.cli), env=environment(args.large_stack),
                       create=args.operation == "up")
    outputs = run(args.operation, stack, policy_packs=[str(Path(p).resolve()) for p in args.policy_pack],
                  policy_pack_configs=[str(Path(c).resolve()) for c in args.policy_pack_config],
                  expect_no_changes=args.expect_no_changes)
    if args.operation in ("up", "outputs"):
        print(f"Outputs of stack {args.stack}:")
        print(json.dumps(outputs, indent=2, sort_keys=True))
    return 0


def environment(large_stack: bool) -> dict[str, str]:
    """This process's environment for the engine; with ``large_stack``, checkpoints skipped until the end."""
    return {**os.environ, **({"PULUMI_SKIP_CHECKPOINTS": "true"} if large_stack else {})}


def _options(args: argparse.Namespace) -> list[str]:
    """The options of this command line, for each stack's own process (paths made absolute)."""
    options = ["--cwd", str(args.cwd.resolve())] + (["--cli", args.cli] if args.cli else [])
    options += [arg for pack in args.policy_pack for arg in ("--policy-pack", str(Path(pack).resolve()))]
    options += [arg for config in args.policy_pack_config
                for arg in ("--policy-pack-config", str(Path(config).resolve()))]
    options += ["--large-stack"] if args.large_stack else []
    return options + (["--expect-no-changes"] if args.expect_no_changes else [])


if __name__ == "__main__":
    try:
        sys.exit(main())
    except auto.CommandError as error:
        print(f"pulumi failed: {error}", file=sys.stderr)
        sys.exit(1)
