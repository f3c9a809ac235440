"""The policy pack under the real engine: `up --policy-pack` refuses a bad stack before Adobe sees one request,
and lets the local stack through, with no secret in what the CLI prints.

The pack is given as users give it, `--policy-pack policy` (its folder): the engine asks the Python language
host to run it (RunPlugin) with the virtualenv PulumiPolicy.yaml names. `pulumi up --yes` previews first, and the
per-resource policies the engine runs before each step stop a bad `up` before any call.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.e2e.project import E2EProject

ROOT = Path(__file__).resolve().parents[2]
PACK = "aep-flow-connections@v0.1.0"
BASE_CONNECTION = "pulumi-python:dynamic/aep:BaseConnection"
NAMES = {"Orders database (PostgreSQL)", "Marketing warehouse (BigQuery)",
         "Event stream exports (BigQuery, service account)"}


def with_pack(project: E2EProject, config: str) -> dict[str, list[str]]:
    """`--policy-pack policy --policy-pack-config policy/config/<config>.json`, as typed in the project folder."""
    return {"policy_packs": ["policy"],
            "policy_pack_configs": [f"policy/config/{config}.json"]}


def stack_like_local(project: E2EProject, name: str, sandbox: str | None = None) -> None:
    """Stack `name` with the local stack's connections and secrets (same passphrase), aimed at the emulator."""
    shutil.copy(ROOT / "stacks" / "Pulumi.local.yaml", project.dir / "stacks" / f"Pulumi.{name}.yaml")
    project.point_at_emulator(name, sandbox=sandbox)
    if sandbox is None:
        project.remove_path("aep:sandbox", name)


def secret_values(project: E2EProject, name: str) -> set[str]:
    """Every secret config value of the stack, and every credential the emulator stores (as it was sent)."""
    values = {v.value for v in project.config(name).values() if v.secret}
    for stored in project.emulator.connections():
        params = stored["auth"]["params"]
        values |= {params[k] for k in ("connectionString", "keyFileContent", "clientSecret", "refreshToken")
                   if k in params}
    return values


def assert_no_secret_printed(project: E2EProject, name: str) -> None:
    printed = "\n".join(project.transcript)
    leaked = sorted(value[:6] + "..." for value in secret_values(project, name) if value in printed)
    assert not leaked, f"secret values in the CLI output: {leaked}"


def refused(output: str, policy: str, resource: str) -> bool:
    """The CLI's policy report lists `policy` as a mandatory violation on the base connection `resource`."""
    return "[mandatory]" in output and f"{policy}  ({BASE_CONNECTION}: {resource})" in output


def test_dev_stack_writing_to_prod_is_refused_before_any_call(project):
    """A dev stack that sets aep:sandbox prod: preview reports the stack and each connection, up writes nothing."""
    stack_like_local(project, "dev", sandbox="prod")
    project.emulator.clear_log()

    preview = str(project.failing("preview", "dev", **with_pack(project, "dev")))
    assert "sandbox-matches-stack  (pulumi:pulumi:Stack: aep-dev)" in preview
    assert "stack 'dev' sets aep:sandbox to 'prod', but it may only write to sandbox 'dev'" in preview
    assert all(refused(preview, "sandbox-matches-stack-per-resource", r)
               for r in ("orders-db", "marketing-bigquery", "events-bigquery")), preview

    # The engine stops at the first refused step, so the report names whichever connection came first.
    up = str(project.failing("up", "dev", **with_pack(project, "dev")))
    assert f"❌ {PACK}" in up
    first = [r for r in ("orders-db", "marketing-bigquery", "events-bigquery")
             if refused(up, "sandbox-matches-stack-per-resource", r)]
    assert first, up
    assert f"connection '{first[0]}' writes to sandbox 'prod', but stack 'dev' may only write to sandbox 'dev'" in up
    assert project.emulator.requests() == []
    assert project.flow_calls() == [] and project.emulator.connections() == []
    assert_no_secret_printed(project, "dev")


def test_prod_postgres_without_tls_is_refused_until_it_asks_for_tls(project):
    """Stack prod with one PostgreSQL connection and no ssl_mode: refused with no call; with TLS it is created."""
    stack_like_local(project, "prod")
    for path in ("marketing-bigquery", "events-bigquery", "orders-db.params.ssl_mode"):
        project.remove_path(f"aep:connections.{path}", "prod")
    project.emulator.clear_log()

    up = str(project.failing("up", "prod", **with_pack(project, "prod")))
    assert refused(up, "postgres-tls-required", "orders-db"), up
    assert "PostgreSQL connection 'orders-db' in sandbox 'prod' does not ask for TLS" in up
    assert f"[advisory] [severity: medium]  verify-in-prod  ({BASE_CONNECTION}: orders-db)" in up
    assert project.flow_calls() == [] and project.emulator.connections() == []

    project.set_path("aep:connections.orders-db.params.ssl_mode", "verify-full", "prod")
    result = project.up("prod", **with_pack(project, "prod"))
    assert "[mandatory]" not in result.stdout and "verify-in-prod" in result.stdout
    assert set(project.connections("prod")) == {"Orders database (PostgreSQL)"}
    assert_no_secret_printed(project, "prod")
    project.destroy("prod")


def test_local_stack_passes_the_pack_and_no_secret_is_printed(project):
    """The compliant local stack: preview and up with the pack report nothing, and the 3 connections exist."""
    project.emulator.clear_log()
    preview = project.preview(**with_pack(project, "local"))
    assert f"✅ {PACK}" in preview.stdout and project.flow_calls() == []

    result = project.up(**with_pack(project, "local"))
    assert f"✅ {PACK}" in result.stdout
    assert "[mandatory]" not in result.stdout and "[advisory]" not in result.stdout
    assert set(project.connections("dev")) == NAMES
    assert len(secret_values(project, "local")) >= 7
    assert_no_secret_printed(project, "local")
