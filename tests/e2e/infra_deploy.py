"""`deploy.py` of the infrastructure repository that tests/e2e/test_infra_repo.py sets up: the user's own driver.

    <infra venv>/bin/python -I deploy.py up|preview|destroy --stack NAME --cli PATH/TO/pulumi

It runs in the infra repository's virtualenv and folder and imports nothing from this repository: the program is
the infra repo's `__main__.py`, run inline through the Automation API (a CLI built from Go modules has no Python
language host), so `provider` is the pip-installed package on both sides (program here, dynamic-provider plugin
in the engine). The CLI's output goes to stderr; the last stdout line is JSON: the resource changes, the stack
outputs and the file `provider` was imported from.
"""

from __future__ import annotations

import argparse
import json
import runpy
import sys
from pathlib import Path

from pulumi import automation as auto

HERE = Path.cwd()


def program() -> None:
    runpy.run_path(str(HERE / "__main__.py"), run_name="__main__")


def project_name() -> str:
    for line in (HERE / "Pulumi.yaml").read_text().splitlines():
        if line.startswith("name:"):
            return line.split(":", 1)[1].strip()
    raise SystemExit("Pulumi.yaml has no name")


def main() -> int:
    parser = argparse.ArgumentParser(prog="deploy.py")
    parser.add_argument("operation", choices=("up", "preview", "destroy"))
    parser.add_argument("--stack", required=True)
    parser.add_argument("--cli", required=True)
    args = parser.parse_args()
    command = auto.PulumiCommand(root=str(Path(args.cli).parent.parent), skip_version_check=True)
    opts = auto.LocalWorkspaceOptions(work_dir=str(HERE), pulumi_command=command)
    stack = auto.select_stack(stack_name=args.stack, project_name=project_name(), program=program, opts=opts)
    echo = {"color": "never", "on_output": lambda line: print(line, file=sys.stderr)}
    if args.operation == "up":
        changes = stack.up(**echo).summary.resource_changes
    elif args.operation == "preview":
        changes = stack.preview(**echo).change_summary
    else:
        changes = stack.destroy(**echo).summary.resource_changes
    outputs = {key: value.value for key, value in stack.outputs().items()}
    import provider

    print(json.dumps({"changes": changes, "outputs": outputs, "provider_file": provider.__file__}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
