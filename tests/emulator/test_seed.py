"""``python -m emulator.seed`` run as a user runs it (a subprocess) against a real emulator: what it stores, what it
sends, what it prints (never a credential), and its one-line failures. Also runs the README's discover walkthrough."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
POSTGRESQL = "74a1c565-4e59-48d7-9d67-7c03b8a13137"
BIGQUERY = "3c9b37f8-13a6-43d8-bad3-b863b941fedd"
PHOENIX = "102706fb-a5cd-42ee-afe0-bc42f017ff43"
CREATE = "POST /data/foundation/flowservice/connections"
SPEC = "GET /data/foundation/flowservice/connectionSpecs/{id}"
CREATED = re.compile(r"^created ([0-9a-f-]{36}) in sandbox (\S+): (.+)$")


def seed(*args: str, url: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("AEP_") and k != "EMULATOR_PORT"}
    command = [sys.executable, "-m", "emulator.seed", *(["--url", url] if url else []), *args]
    return subprocess.run(command, cwd=ROOT, env={**clean, **(env or {})}, capture_output=True, text=True,
                          timeout=60)


def created_lines(result: subprocess.CompletedProcess) -> list[tuple[str, str, str]]:
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert all(CREATED.match(line) for line in lines), result.stdout
    return [CREATED.match(line).groups() for line in lines]


def assert_one_line_failure(result: subprocess.CompletedProcess, *fragments: str) -> str:
    assert result.returncode == 1 and result.stdout == "", (result.stdout, result.stderr)
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("emulator.seed: ")
    for fragment in fragments:
        assert fragment in result.stderr
    return result.stderr


def stored(emulator) -> dict[str, dict]:
    return {c["id"]: c for c in emulator.connections()}


def test_sample_set_creates_a_postgresql_and_a_bigquery_connection(emulator):
    result = seed("--sandbox", "stage", url=emulator.url)
    lines = created_lines(result)
    assert [(sandbox, name) for _, sandbox, name in lines] == [
        ("stage", "Orders database (PostgreSQL)"), ("stage", "Marketing warehouse (BigQuery)")]
    connections = stored(emulator)
    assert sorted(connections) == sorted(ident for ident, _, _ in lines)
    orders, marketing = (connections[ident] for ident, _, _ in lines)
    assert orders["sandbox"] == marketing["sandbox"] == "stage" and orders["org"] == emulator.org_id
    assert (orders["connectionSpec"]["id"], orders["auth"]["specName"]) == (
        POSTGRESQL, "Connection String Based Authentication")
    assert (marketing["connectionSpec"]["id"], marketing["auth"]["specName"]) == (BIGQUERY, "Basic Authentication")
    assert marketing["auth"]["params"]["project"] == "acme-marketing"
    secrets = [orders["auth"]["params"]["connectionString"], marketing["auth"]["params"]["clientSecret"],
               marketing["auth"]["params"]["refreshToken"]]
    assert all(secret and secret not in result.stdout + result.stderr for secret in secrets)
    assert emulator.counts() == {"POST /ims/token/v3": 1, CREATE: 2}
    assert {(r["sandbox"], r["status"]) for r in emulator.requests() if r["template"].endswith("/connections")} == {
        ("stage", 201)}


def test_a_connection_of_your_own_is_typed_by_its_auth_spec(emulator):
    result = seed("--sandbox", "dev", "--spec", PHOENIX, "--auth", "Basic Authentication", "--name", "HBase (Phoenix)",
                  "--description", "made by hand", "--param", "host=phoenix.internal", "--param", "port=8765",
                  "--param", "username=reader", "--param", "password=pw=with;equals", "--param", "httpPath=/hbase",
                  "--param", "enableSsl=TRUE", url=emulator.url)
    ((ident, sandbox, name),) = created_lines(result)
    assert (sandbox, name) == ("dev", "HBase (Phoenix)")
    connection = stored(emulator)[ident]
    assert connection["sandbox"] == "dev" and connection["description"] == "made by hand"
    assert connection["auth"]["params"] == {"host": "phoenix.internal", "port": 8765, "username": "reader",
                                            "password": "pw=with;equals", "httpPath": "/hbase", "enableSsl": True}
    assert "pw=with;equals" not in result.stdout + result.stderr
    assert [(r["template"], r["sandbox"]) for r in emulator.requests() if r["sandbox"]] == [
        ("/data/foundation/flowservice/connectionSpecs/{id}", "dev"), ("/data/foundation/flowservice/connections",
                                                                      "dev")]


def test_default_url_follows_emulator_port(emulator):
    lines = created_lines(seed(env={"EMULATOR_PORT": str(urlsplit(emulator.url).port)}))
    assert {sandbox for _, sandbox, _ in lines} == {"prod"}
    assert {c["sandbox"] for c in emulator.connections()} == {"prod"} and len(emulator.connections()) == 2


def test_no_emulator_running_is_one_line(emulator):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        free = sock.getsockname()[1]
    url = f"http://127.0.0.1:{free}"
    assert_one_line_failure(seed(url=url), f"cannot reach the emulator at {url}", "make up")


def test_unknown_sandbox_is_one_line_and_stores_nothing(emulator):
    assert_one_line_failure(seed("--sandbox", "nosuch", url=emulator.url), "-> 404", "Sandbox 'nosuch'")
    assert emulator.connections() == []
    assert emulator.counts()[CREATE] == 1


def test_a_refused_connection_never_echoes_a_secret(emulator):
    result = seed("--spec", POSTGRESQL, "--auth", "Basic Authentication", "--name", "Half done",
                  "--param", "server=db.local", "--param", "password=s3cret-value-zz", url=emulator.url)
    assert_one_line_failure(result, "-> 400", "auth.params.port")
    assert "s3cret-value-zz" not in result.stderr and emulator.connections() == []


def test_wrong_client_secret_is_one_line(emulator):
    result = seed("--client-secret", "not-the-secret", url=emulator.url)
    assert_one_line_failure(result, "POST /ims/token/v3 -> 401")
    assert "not-the-secret" not in result.stderr
    assert emulator.connections() == [] and CREATE not in emulator.counts()


def test_unknown_auth_spec_names_the_ones_there_are(emulator):
    result = seed("--spec", POSTGRESQL, "--auth", "OAuth", "--name", "x", url=emulator.url)
    assert_one_line_failure(result, "no auth spec 'OAuth'", "'Connection String Based Authentication'")
    assert emulator.counts() == {"POST /ims/token/v3": 1, SPEC: 1}


def test_unknown_connection_spec_is_one_line(emulator):
    result = seed("--spec", "00000000-0000-4000-8000-000000000000", "--auth", "Basic Authentication", "--name", "x",
                  url=emulator.url)
    assert_one_line_failure(result, "-> 404", "connection spec with id '00000000-0000-4000-8000-000000000000'")


@pytest.mark.parametrize("param, message", [("port=54x32", "port is an integer param"),
                                            ("enableSsl=yes-please", "enableSsl is a boolean param")])
def test_a_param_of_the_wrong_type_is_refused_without_its_value(emulator, param, message):
    result = seed("--spec", PHOENIX, "--auth", "Basic Authentication", "--name", "x", "--param", param,
                  url=emulator.url)
    assert_one_line_failure(result, message)
    assert param.split("=")[1] not in result.stderr and CREATE not in emulator.counts()


OWN = ["--spec", POSTGRESQL, "--auth", "Basic Authentication", "--name", "n"]
WRONG_ARGUMENTS = {
    "param without spec": ["--param", "a=b"],
    "spec without auth and name": ["--spec", POSTGRESQL],
    "param without '='": [*OWN, "--param", "novalue"],
    "param given twice": [*OWN, "--param", "port=1", "--param", "port=2"],
    "url without scheme": ["--url", "127.0.0.1:8080"],
}


@pytest.mark.parametrize("args", WRONG_ARGUMENTS.values(), ids=WRONG_ARGUMENTS.keys())
def test_wrong_arguments_exit_2_without_calling_the_emulator(emulator, args):
    result = seed(*args, url=None if "--url" in args else emulator.url)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert emulator.request_log()["total"] == 0


def readme_walkthrough() -> str:
    text = (ROOT / "README.md").read_text()
    section = text[text.index("<!-- section:discover -->"):text.index("<!-- /section:discover -->")]
    (block,) = [b for b in re.findall(r"```bash\n(.*?)```", section, re.S) if "emulator.seed" in b]
    return block


def test_readme_walkthrough_seeds_then_discovers_what_it_seeded(emulator):
    """The README's commands, but for `make up` (the test's emulator stands in for it), on this emulator's port."""
    port = urlsplit(emulator.url).port
    lines = [line for line in readme_walkthrough().splitlines() if not line.startswith("make ")]
    script = "\n".join(lines).replace(".venv/bin/python", sys.executable).replace("127.0.0.1:8080",
                                                                                  f"127.0.0.1:{port}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("AEP_")}
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, env={**env, "EMULATOR_PORT": str(port)})
    assert result.returncode == 0, result.stderr
    seeded = [CREATED.match(line).groups() for line in result.stdout.splitlines() if CREATED.match(line)]
    assert {sandbox for _, sandbox, _ in seeded} == {"prod"} and len(seeded) == 2
    discovered = yaml.safe_load(result.stdout.split("\n", len(seeded))[-1])["config"]["aep:connections"]
    assert {entry["adopt_id"] for entry in discovered.values()} == set(stored(emulator)) == {i for i, _, _ in seeded}
    params = {k: v for c in emulator.connections() for k, v in c["auth"]["params"].items()}
    secrets = [params[k] for k in ("connectionString", "clientSecret", "refreshToken")]
    assert all(secret not in result.stdout + result.stderr for secret in secrets)
    assert params["project"] in result.stdout and params["clientId"] in result.stdout
    assert emulator.counts()[CREATE] == 2
    assert emulator.counts()["GET /data/foundation/flowservice/connections"] >= 1


SCHEMA_ID = "https://ns.adobe.com/acme/schemas/orders"
DATASET = re.compile(r"^created dataset ([0-9a-f]{24}) in sandbox (\S+)$")
FLOW_LINE = re.compile(r"^(source connection|target connection|mapping set|dataflow) ([0-9a-f-]{32,36})$")


def test_a_dataset_by_hand(emulator):
    result = seed("--sandbox", "dev", "--dataset", "Orders", "--schema", SCHEMA_ID, url=emulator.url)
    assert result.returncode == 0, result.stderr
    ((ident, sandbox),) = [DATASET.match(line).groups() for line in result.stdout.splitlines()]
    assert sandbox == "dev" and [(d["id"], d["name"], d["schemaRef"]["id"]) for d in emulator.datasets("dev")] == [
        (ident, "Orders", SCHEMA_ID)]


def test_a_whole_dataflow_on_an_existing_connection(emulator):
    (base, _, _), _ = created_lines(seed("--sandbox", "stage", url=emulator.url))
    dataset = DATASET.match(seed("--sandbox", "stage", "--dataset", "Orders", "--schema", SCHEMA_ID,
                                 url=emulator.url).stdout.strip()).group(1)
    result = seed("--sandbox", "stage", "--flow", "--connection-id", base, "--table", "public.orders",
                  "--dataset-id", dataset, "--mapping", "id=_id", "--mapping", "total=_acme.total", url=emulator.url)
    assert result.returncode == 0, result.stderr
    made = dict(FLOW_LINE.match(line).groups() for line in result.stdout.splitlines())
    assert list(made) == ["source connection", "target connection", "mapping set", "dataflow"]
    (flow,) = emulator.flows("stage")
    assert flow["id"] == made["dataflow"] and flow["sourceConnectionIds"] == [made["source connection"]]
    assert flow["flowSpec"]["id"] == "14518937-270c-4525-bdec-c2ba7cce3860"
    assert emulator.source_connections("stage")[0]["params"] == {"tableName": "public.orders"}
    assert emulator.target_connections("stage")[0]["params"] == {"dataSetId": dataset}
    mapping = emulator.mapping_set("stage", made["mapping set"])
    assert [(m["source"], m["destination"]) for m in mapping["mappings"]] == [("id", "_id"), ("total", "_acme.total")]
    assert mapping["xdmSchema"] == SCHEMA_ID and "seeded-orders-password" not in result.stdout


def test_a_dataflow_on_an_unknown_dataset_is_one_line(emulator):
    (base, _, _), _ = created_lines(seed(url=emulator.url))
    result = seed("--flow", "--connection-id", base, "--table", "t", "--dataset-id", "5f0123456789abcdef012345",
                  "--mapping", "a=b", url=emulator.url)
    assert_one_line_failure(result, "-> 404", "dataset")
    assert emulator.source_connections("prod") == []


PIPELINE_WRONG_ARGUMENTS = {
    "dataset without schema": ["--dataset", "Orders"],
    "schema without dataset": ["--schema", SCHEMA_ID],
    "dataset and flow": ["--dataset", "Orders", "--schema", SCHEMA_ID, "--flow"],
    "dataset and spec": ["--dataset", "Orders", "--schema", SCHEMA_ID, *OWN],
    "flow without mapping": ["--flow", "--connection-id", "x", "--table", "t", "--dataset-id", "d"],
    "mapping without flow": ["--mapping", "a=b"],
    "mapping without '='": ["--flow", "--connection-id", "x", "--table", "t", "--dataset-id", "d", "--mapping", "a"],
}


@pytest.mark.parametrize("args", PIPELINE_WRONG_ARGUMENTS.values(), ids=PIPELINE_WRONG_ARGUMENTS.keys())
def test_wrong_pipeline_arguments_exit_2_without_calling_the_emulator(emulator, args):
    result = seed(*args, url=emulator.url)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert emulator.request_log()["total"] == 0
