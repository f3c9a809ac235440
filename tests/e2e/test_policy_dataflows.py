"""The pipeline policies under the real engine: a prod stack's `aep:dataflows` entry that runs every 15 minutes,
or writes to a dataset not on the allow-list, is refused by `pulumi preview/up --policy-pack policy` before any
write reaches the emulator; the approved version passes.

The stack is built as a user builds it (`pulumi config set --path aep:dataflows...`); the dataset is given by name,
so a preview needs no dataset to exist, and neither a preview nor a refused `up` calls the pipeline routes.
"""

from __future__ import annotations

import json

from tests.e2e.project import E2EProject
from tests.e2e.test_policy import PACK, stack_like_local, with_pack

ROOT_CONFIG = "policy/config/prod.json"
DATAFLOW = "pulumi-python:dynamic/aep:Dataflow"
TARGET = "pulumi-python:dynamic/aep:TargetConnection"
FLOW = "orders-quarter-hourly"


def prod_stack_with_dataflow(project: E2EProject, frequency: str, interval: int, dataset: str = "Orders") -> None:
    """Stack prod: the local stack's orders-db (TLS on) and one dataflow entry reading public.orders."""
    stack_like_local(project, "prod")
    for path in ("marketing-bigquery", "events-bigquery"):
        project.remove_path(f"aep:connections.{path}", "prod")
    entry = {"connection": "orders-db", "source.table": "public.orders", "dataset.name": dataset,
             "mapping.order_id": "_acme.orderId", "mapping.total": "_acme.total",
             "schedule.frequency": frequency, "schedule.interval": str(interval),
             "schedule.start": "2027-01-01T00:00:00Z"}
    for key, value in entry.items():
        project.set_path(f"aep:dataflows.{FLOW}.{key}", value, "prod")


def writes(project: E2EProject) -> list[str]:
    """Every request but reads and token requests, whatever the service (Flow Service, Data Prep, Catalog)."""
    return [f"{r['method']} {r['path']}" for r in project.emulator.requests()
            if r["method"] not in ("GET", "HEAD") and not r["path"].startswith("/ims")]


def mandatory(output: str, policy: str, type_: str, resource: str = FLOW) -> bool:
    return "[mandatory]" in output and f"{policy}  ({type_}: {resource})" in output


def test_a_dataflow_every_15_minutes_in_prod_is_refused_and_hourly_passes(project):
    prod_stack_with_dataflow(project, "minute", 15)
    assert project.config("prod")["aep:dataflows"].value  # the entry is in the stack's config
    project.emulator.clear_log()

    preview = str(project.failing("preview", "prod", **with_pack(project, "prod")))
    assert mandatory(preview, "dataflow-min-interval", DATAFLOW), preview
    assert (f"dataflow '{FLOW}' in sandbox 'prod' runs every 15 minutes (schedule frequency minute, interval 15), "
            "but dataflows there may run at most once every 60 minutes") in preview
    assert "Fix: schedule it less often, e.g. frequency: hour, interval: 1" in preview
    assert writes(project) == [] and project.flow_calls() == []

    up = str(project.failing("up", "prod", **with_pack(project, "prod")))
    assert f"❌ {PACK}" in up and "dataflow-min-interval" in up
    assert writes(project) == [] and project.emulator.connections() == []

    project.set_path(f"aep:dataflows.{FLOW}.schedule.frequency", "hour", "prod")
    project.set_path(f"aep:dataflows.{FLOW}.schedule.interval", "1", "prod")
    passed = project.preview("prod", **with_pack(project, "prod"))
    assert "[mandatory]" not in passed.stdout and "dataflow-min-interval" not in passed.stdout
    assert passed.change_summary == {"create": 9}  # stack, aep provider, component + connection, ingestion + 4
    assert writes(project) == []


def test_a_dataset_off_the_allow_list_is_refused_until_it_is_approved(project):
    prod_stack_with_dataflow(project, "day", 1, dataset="Scratch")
    allow_list = json.loads((project.dir / ROOT_CONFIG).read_text())
    allow_list["approved-datasets"]["datasets"] = ["Orders", "Customers"]
    (project.dir / "approved.json").write_text(json.dumps(allow_list))
    approved = {"policy_packs": ["policy"], "policy_pack_configs": ["approved.json"]}
    project.emulator.clear_log()

    preview = str(project.failing("preview", "prod", **approved))
    assert mandatory(preview, "approved-datasets", TARGET), preview
    assert f"target connection '{FLOW}' writes to dataset name 'Scratch', which is not on the approved list" in preview
    assert "dataflow-min-interval" not in preview
    assert writes(project) == [] and project.flow_calls() == []

    project.set_path(f"aep:dataflows.{FLOW}.dataset.name", "Orders", "prod")
    passed = project.preview("prod", **approved)
    assert "[mandatory]" not in passed.stdout and "approved-datasets" not in passed.stdout
    assert writes(project) == []
