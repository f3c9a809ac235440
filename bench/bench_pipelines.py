"""N ingestion pipelines through the real Pulumi engine: `preview`, `up`, a no-change `up`, `destroy`.

A figure, not a test. A pipeline is five objects: a PostgreSQL base connection (`aep:connections`) and its
`aep:dataflows` entry (source connection, target connection with the dataset looked up by name, mapping set,
dataflow), so `up` makes 6 platform calls per pipeline (5 POSTs and the dataset lookup). The emulator (its own
process) delays every call by 50 ms. The CLI is the one `make pulumi` provides, driven by provider.automation.

The floor is plain `requests` making the same 6 calls per pipeline, in the same dependency order, on 4 threads
(the dynamic plugin serves 4 calls at a time): no engine can do better against this emulator on this machine.
The bound N x 6 x 50 ms / 4 ignores the dependency order; the floor does not.

    .venv/bin/python bench/bench_pipelines.py [--pipelines 50] [--latency-ms 50] [--skip-checkpoints] [--cli PATH]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.support import emulator_process, pg_create_body, plain_session, print_table  # noqa: E402
from provider.automation import OFFLINE, find_cli, open_stack  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PLUGIN_WORKERS = 4
CALLS_PER_PIPELINE = 6
MARKER_LISTINGS = 4  # one per run and kind: connections, source and target connections, flows (create_marker.py)
PLATFORM = "/data/foundation/"
SCHEMA = "https://ns.adobe.com/bench/schemas/orders"
CRM_TO_AEP = "14518937-270c-4525-bdec-c2ba7cce3860"
PG_SPEC = "74a1c565-4e59-48d7-9d67-7c03b8a13137"


def stack_file(n: int, emu) -> dict:
    connections = {f"pg-{i:03d}": {"source": "postgresql", "name": f"Bench database {i:03d}",
                                   "params": {"host": f"db{i:03d}.bench.example", "database": "bench",
                                              "username": "aep_reader"},
                                   "secrets": {"password": "benchPassword"}} for i in range(n)}
    dataflows = {f"orders-{i:03d}": {"connection": f"pg-{i:03d}", "source": {"table": "public.orders"},
                                     "dataset": {"name": "Orders"}, "mapping": {"order_id": "_bench.orderId"},
                                     "schedule": {"frequency": "hour", "interval": 1,
                                                  "start": "2027-01-01T00:00:00Z"}} for i in range(n)}
    return {"config": {"aep:orgId": emu.org_id, "aep:clientId": emu.client_id, "aep:endpoint": emu.flow_url,
                       "aep:imsEndpoint": emu.ims_url, "aep:sandbox": "prod", "aep:connections": connections,
                       "aep:dataflows": dataflows}}


def platform_calls(emu) -> int:
    return sum(n for key, n in emu.counts().items() if PLATFORM in key)


def make_dataset(emu) -> str:
    session, headers = plain_session(emu)
    body = {"name": "Orders", "schemaRef": {"id": SCHEMA, "contentType": "application/vnd.adobe.xed-full+json;version=1"}}
    response = session.post(f"{emu.url}/data/foundation/catalog/dataSets", json=body, headers=headers, timeout=60)
    response.raise_for_status()
    return response.json()[0].rsplit("/", 1)[-1]


def plain_floor(emu, n: int) -> float:
    """The same calls with plain requests, each pipeline's in dependency order, 4 pipelines at a time."""
    session, headers = plain_session(emu)
    flow = emu.flow_url

    def pipeline(i: int) -> None:
        def post(url: str, body: dict) -> dict:
            response = session.post(url, json=body, headers=headers, timeout=60)
            response.raise_for_status()
            return response.json()

        base = post(f"{flow}/connections", pg_create_body(f"floor-{i}"))["id"]
        source = post(f"{flow}/sourceConnections", {
            "name": f"floor-{i} (source)", "baseConnectionId": base, "data": {"format": "tabular"},
            "params": {"tableName": "public.orders"}, "connectionSpec": {"id": PG_SPEC, "version": "1.0"}})["id"]
        found = session.get(f"{emu.url}/data/foundation/catalog/dataSets", params={"name": "Orders"},
                            headers=headers, timeout=60).json()
        dataset_id, dataset = next(iter(found.items()))
        target = post(f"{flow}/targetConnections", {
            "name": f"floor-{i} (target)", "connectionSpec": {"id": "c604ff05-7f1a-43c0-8e18-33bf874cb11c",
                                                              "version": "1.0"},
            "data": {"format": "parquet_xdm", "schema": {"id": dataset["schemaRef"]["id"], "version":
                                                         "application/vnd.adobe.xed-full+json;version=1"}},
            "params": {"dataSetId": dataset_id}})["id"]
        mapping = post(f"{emu.url}/data/foundation/conversion/mappingSets", {
            "version": 0, "xdmSchema": SCHEMA, "xdmVersion": "1.0",
            "mappings": [{"sourceType": "ATTRIBUTE", "source": "order_id", "destination": "_bench.orderId"}]})
        post(f"{flow}/flows", {
            "name": f"floor-{i}", "flowSpec": {"id": CRM_TO_AEP, "version": "1.0"}, "sourceConnectionIds": [source],
            "targetConnectionIds": [target], "transformations": [{"name": "Mapping", "params": {
                "mappingId": mapping["id"], "mappingVersion": mapping["version"]}}],
            "scheduleParams": {"startTime": 1798761600, "frequency": "hour", "interval": 1}})

    start = time.perf_counter()
    with ThreadPoolExecutor(PLUGIN_WORKERS) as pool:
        list(pool.map(pipeline, range(n)))
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pipelines", type=int, default=50)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--skip-checkpoints", action="store_true",
                        help="PULUMI_SKIP_CHECKPOINTS=true: state written once at the end, not after every step")
    parser.add_argument("--cli", help="the `pulumi` to use (default: $PULUMI_CLI, else .pulumi-cli/bin, else PATH)")
    args = parser.parse_args()
    built = ROOT / ".pulumi-cli" / "bin" / "pulumi"
    cli = find_cli(args.cli or os.environ.get("PULUMI_CLI") or (str(built) if built.exists() else None))
    n = args.pipelines
    with emulator_process() as emu, tempfile.TemporaryDirectory() as tmp:
        make_dataset(emu)
        project = Path(tmp) / "project"
        (project / "stacks").mkdir(parents=True)
        for name in ("Pulumi.yaml", "__main__.py"):
            shutil.copy(ROOT / name, project / name)
        for name in ("provider", ".venv"):
            (project / name).symlink_to(ROOT / name)
        (project / "stacks" / "Pulumi.bench.yaml").write_text(yaml.safe_dump(stack_file(n, emu)))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AEP_", "PULUMI_"))}
        env.update(OFFLINE, PULUMI_BACKEND_URL=f"file://{tmp}/state", PULUMI_CONFIG_PASSPHRASE="bench",
                   PULUMI_HOME=f"{tmp}/home", AEP_CLIENT_SECRET=emu.client_secret, BENCH_PASSWORD="bench-pw-1")
        if args.skip_checkpoints:
            env["PULUMI_SKIP_CHECKPOINTS"] = "true"
        stack = open_stack("bench", project=project, cli=cli, env=env)
        emu.set_faults(latency_ms=args.latency_ms)

        def timed(operation: str) -> tuple[float, int]:
            emu.clear_log()
            start = time.perf_counter()
            getattr(stack, operation)(color="never")
            return time.perf_counter() - start, platform_calls(emu)

        preview, preview_calls = timed("preview")
        up, up_calls = timed("up")
        same, same_calls = timed("up")
        destroy, destroy_calls = timed("destroy")
        floor = plain_floor(emu, n)
    expected_up = n * CALLS_PER_PIPELINE + MARKER_LISTINGS
    if (preview_calls, up_calls, same_calls) != (0, expected_up, 0):
        sys.exit(f"unexpected platform calls: preview {preview_calls}, up {up_calls} (expected {expected_up}), "
                 f"no-change up {same_calls}")
    bound = expected_up * args.latency_ms / 1000 / PLUGIN_WORKERS
    mode = ", PULUMI_SKIP_CHECKPOINTS=true" if args.skip_checkpoints else ""
    print_table(f"real engine: {n} pipelines (5 objects each), {args.latency_ms} ms per call{mode} (CLI {cli})", [
        ("preview", f"{preview:.2f} s, {preview_calls} platform calls"),
        ("up", f"{up:.2f} s, {up_calls} platform calls ({CALLS_PER_PIPELINE} per pipeline)"),
        ("no-change up", f"{same:.2f} s, {same_calls} platform calls (the engine's own share)"),
        ("destroy", f"{destroy:.2f} s, {destroy_calls} platform calls"),
        (f"bound {expected_up} x {args.latency_ms} ms / {PLUGIN_WORKERS}", f"{bound:.2f} s"),
        (f"plain requests, {PLUGIN_WORKERS} pipelines at a time", f"{floor:.2f} s"),
        ("up / plain requests", f"{up / floor:.2f}x"),
        ("up / bound", f"{up / bound:.2f}x"),
    ])
    return 0


if __name__ == "__main__":
    sys.exit(main())
