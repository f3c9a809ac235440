"""python -m provider.discover [--sandbox NAME] [--stack NAME [--pulumi PATH]] [--page-size N]

Prints to stdout a stack config YAML document adopting every base connection and dataflow of one AEP sandbox (see
provider/discover/render.py for its shape); messages go to stderr. Settings are the provider's: with `--stack`,
that stack's `aep:*` config read through the Pulumi CLI (provider/discover/stack_settings.py), with `AEP_*`
variables filling keys it lacks; without it, the `AEP_*` environment alone. The sandbox is `--sandbox`, else
`aep:sandbox` / `AEP_SANDBOX`, else the stack's name.

Exit status: 0 printed, 1 the API failed, 2 the settings or arguments are wrong.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from typing import Mapping, Optional

from provider.client import FlowServiceClient
from provider.client.flow_service import LIST_PAGE_SIZE
from provider.discover.dataflows import discover_flows, list_flows
from provider.discover.document import discovery
from provider.discover.render import render
from provider.discover.stack_settings import stack_settings
from provider.errors import AepError, ConfigError
from provider.settings import SANDBOX_PATTERN, load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m provider.discover",
        description="Print stack config (aep:connections, aep:dataflows) that adopts every base connection and "
                    "dataflow of an AEP sandbox.",
    )
    parser.add_argument("--sandbox", help="the AEP sandbox to list (default: aep:sandbox, AEP_SANDBOX, the stack)")
    parser.add_argument("--stack", help="read aep:* settings from this stack with the Pulumi CLI (run in the "
                                        "project folder); without it, only the AEP_* environment is read")
    parser.add_argument("--pulumi", default="pulumi", help="the Pulumi CLI for --stack (default: pulumi on PATH)")
    parser.add_argument("--page-size", type=int, default=LIST_PAGE_SIZE, help="connections per list request")
    return parser


def _sandbox(given: Optional[str], configured: Optional[str], stack: Optional[str]) -> str:
    sandbox = given or configured or stack
    if not sandbox:
        raise ConfigError("no sandbox: pass --sandbox NAME (or set AEP_SANDBOX, or use --stack)")
    if not SANDBOX_PATTERN.match(sandbox):
        raise ConfigError(f"sandbox {sandbox!r} is not an AEP sandbox name: lowercase letters, digits and '-'")
    return sandbox


def main(argv: Optional[list[str]] = None, env: Optional[Mapping[str, str]] = None) -> int:
    args = _parser().parse_args(argv)
    if args.page_size < 1:
        print("discover: --page-size must be at least 1", file=sys.stderr)
        return 2
    try:
        config = stack_settings(args.stack, args.pulumi) if args.stack else {}
        settings = load_settings(config, os.environ if env is None else env)
        sandbox = _sandbox(args.sandbox, settings.sandbox, args.stack)
        api = FlowServiceClient(settings)
        found = discovery(sandbox, settings.org_id, api.list_connections(sandbox, page_size=args.page_size))
        keys = {entry.planned.connection.id: entry.resource_name for entry in found.entries}
        flows, skipped = discover_flows(api, sandbox, list_flows(api, sandbox, args.page_size), keys)
    except ConfigError as err:
        print(f"discover: {err}", file=sys.stderr)
        return 2
    except AepError as err:
        print(f"discover: {err}", file=sys.stderr)
        return 1
    sys.stdout.write(render(replace(found, dataflows=tuple(flows), skipped_flows=tuple(skipped))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
