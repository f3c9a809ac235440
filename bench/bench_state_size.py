"""State footprint: bytes each base connection adds to the stack's checkpoint, and the decoded ``__provider``.

A figure, not a test. Deploys ``--connections`` PostgreSQL connections through the real plugin
(tests/harness/engine.py keeps the state as the engine would) and measures the checkpoint's resource entries:
inputs and outputs, secrets sealed the way Pulumi's passphrase secrets provider seals them (AES-256-GCM, so a
sealed value is about 4/3 of its JSON plus 43 bytes). Fields the engine adds on its own (parent, provider
reference, dependencies, timestamps) are not counted. ``__provider`` is what pulumi.dynamic stores in every
resource: base64 of the dill-pickled provider object; ours pickles by reference (target <= 200 bytes decoded).

    .venv/bin/python bench/bench_state_size.py [--connections 20] [--cli-connections 100]

``--cli-connections N`` adds the figure the goal is set on: `pulumi up` of N connections through the real CLI,
state file size / N, before (code at bench/state_size_cli.py's BASELINE) and after, with a per-field breakdown.
"""

from __future__ import annotations

import json
import pickle
import statistics
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import emulator_process, int_options, pg_registration, plugin_config, print_table  # noqa: E402
from tests.harness.engine import Engine  # noqa: E402
from tests.harness.plugin import PluginProcess  # noqa: E402
from tests.harness.wire import PROVIDER_KEY, decode_provider_property, provider_property  # noqa: E402

TARGET_PROVIDER_BYTES = 200


def compact(value) -> int:
    return len(json.dumps(value, separators=(",", ":")).encode())


def deployed_resources(connections: int) -> list[dict]:
    """The checkpoint's resource entries after `up` of ``connections`` connections."""
    with emulator_process() as emu, PluginProcess() as plugin:
        emu.reset()
        plugin.configure(plugin_config(emu), secret_keys={"aep:clientSecret"})
        engine = Engine(plugin)
        for i in range(connections):
            engine.up(f"pg-{i:03d}", pg_registration(name=f"pg-sales-{i:03d}", password=f"Secret-{i:03d}!"))
        resources = engine.checkpoint()["deployment"]["resources"]
    if len(resources) != connections:
        raise SystemExit(f"expected {connections} resources in the checkpoint, found {len(resources)}")
    return resources


def heaviest_properties(resources: list[dict], top: int = 4) -> str:
    """The properties that weigh most per resource (inputs and outputs together)."""
    weight: Counter[str] = Counter()
    for resource in resources:
        for section in ("inputs", "outputs"):
            for key, value in resource[section].items():
                weight[key] += compact({key: value})
    return ", ".join(f"{key} {total / len(resources):.0f} B" for key, total in weight.most_common(top))


def main() -> int:
    args = int_options(__doc__, connections=(20, "connections deployed"),
                       cli_connections=(0, "connections deployed through the real CLI (0: skip)"))
    resources = deployed_resources(args.connections)
    per_compact = statistics.mean(compact(r) for r in resources)
    per_export = statistics.mean(len(json.dumps(r, indent=4).encode()) for r in resources)
    stored = statistics.mean(compact(r["inputs"][PROVIDER_KEY]) for r in resources)
    encoded = provider_property()
    blob = decode_provider_property(encoded)
    cls = type(pickle.loads(blob))
    print_table(f"state footprint: {args.connections} PostgreSQL base connections in the checkpoint", [
        ("bytes per connection, compact JSON", f"{per_compact:.0f} B"),
        ("bytes per connection, indented like `pulumi stack export`", f"{per_export:.0f} B"),
        ("heaviest properties (inputs + outputs)", heaviest_properties(resources)),
        ("__provider as stored, once", f"{stored:.0f} B (plain; in inputs and in outputs)"),
        ("__provider, base64 as stored", f"{len(encoded)} chars"),
        ("__provider, decoded", f"{len(blob)} B (target <= {TARGET_PROVIDER_BYTES} B: "
                                f"{'met' if len(blob) <= TARGET_PROVIDER_BYTES else 'MISSED'})"),
        ("__provider holds", f"a reference to {cls.__module__}.{cls.__qualname__}, no state"),
    ])
    if args.cli_connections:
        from bench.state_size_cli import rows

        print_table(f"state file through the real CLI: {args.cli_connections} PostgreSQL connections",
                    rows(args.cli_connections))
    return 0


if __name__ == "__main__":
    sys.exit(main())
