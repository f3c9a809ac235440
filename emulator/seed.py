"""``python -m emulator.seed``: create base connections (or datasets and dataflows) in a running emulator, as if
made by hand in the AEP UI (for trying ``python -m provider.discover`` without an Adobe account).

    python -m emulator.seed --sandbox prod        # the sample set: one PostgreSQL, one Google BigQuery connection
    python -m emulator.seed --sandbox prod --spec 74a1c565-4e59-48d7-9d67-7c03b8a13137 \\
        --auth "Basic Authentication" --name "Sales DB" --param server=db.local --param port=5432 ...

    python -m emulator.seed --sandbox prod --dataset Orders --schema https://ns.adobe.com/acme/schemas/orders
    python -m emulator.seed --sandbox prod --flow --connection-id ID --table public.orders --dataset-id ID \\
        --mapping id=_id --mapping total=_acme.total      # a whole dataflow on it (emulator/seed_pipeline.py)

``--url`` defaults to ``http://127.0.0.1:$EMULATOR_PORT`` (8080 when unset), as ``make up``. Everything goes
over the emulator's public HTTP API (emulator/seed_client.py). ``--param`` values are typed by the auth spec's
schema (``port=5432`` is sent as a number). One line per created connection: its id, sandbox and name - never a
param value; ``--dataset`` prints ``created dataset <id> in sandbox <name>``, ``--flow`` one ``<object> <id>`` line
per object it made. Each run adds objects (AEP allows repeated display names). Exit status: 0 done, 1 the emulator
failed or is not running (one line on stderr), 2 wrong arguments.
"""
from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from emulator import seed_pipeline
from emulator.seed_client import SeedClient, SeedError
from emulator.settings import DEFAULT_SANDBOX, EmulatorSettings

DEFAULT_URL = f"http://127.0.0.1:{os.environ.get('EMULATOR_PORT') or 8080}"  # where `make up` starts it
POSTGRESQL = "74a1c565-4e59-48d7-9d67-7c03b8a13137"
BIGQUERY = "3c9b37f8-13a6-43d8-bad3-b863b941fedd"

# The README's discover sample shows these two; the credentials are made up.
SAMPLES: tuple[dict[str, Any], ...] = (
    {"name": "Orders database (PostgreSQL)", "description": "Order history replica",
     "auth": {"specName": "Connection String Based Authentication", "params": {
         "connectionString": "Server=orders-db.internal;Database=orders;Port=5432;UID=aep_reader;"
                             "Password=seeded-orders-password"}},
     "connectionSpec": {"id": POSTGRESQL, "version": "1.0"}},
    {"name": "Marketing warehouse (BigQuery)",
     "auth": {"specName": "Basic Authentication", "params": {
         "project": "acme-marketing", "clientId": "1234567890-acme.apps.googleusercontent.com",
         "clientSecret": "seeded-gcp-client-secret", "refreshToken": "seeded-gcp-refresh-token"}},
     "connectionSpec": {"id": BIGQUERY, "version": "1.0"}},
)


def _param(text: str) -> tuple[str, str]:
    key, sep, value = text.partition("=")
    if not sep or not key.strip():
        raise argparse.ArgumentTypeError("give KEY=VALUE, e.g. --param server=db.local")
    return key.strip(), value


def _pair(text: str) -> tuple[str, str]:
    source, sep, destination = text.partition("=")
    if not sep or not source.strip() or not destination.strip():
        raise argparse.ArgumentTypeError("give SRC=DEST, e.g. --mapping total=_acme.total")
    return source.strip(), destination.strip()


def _check_pipeline(p: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    flow_args = (args.connection_id, args.table, args.dataset_id, args.mapping)
    if (args.dataset or args.flow) and args.spec:
        p.error("--dataset and --flow make pipeline objects: leave out --spec")
    if args.dataset and args.flow:
        p.error("--dataset and --flow are separate runs: make the dataset first, then the flow with --dataset-id")
    if bool(args.dataset) != bool(args.schema):
        p.error("--dataset NAME needs --schema ID (the XDM schema $id), and --schema goes with --dataset")
    if any(flow_args) and not args.flow:
        p.error("--connection-id, --table, --dataset-id and --mapping describe a dataflow: add --flow")
    if args.flow and not all(flow_args):
        p.error("--flow needs --connection-id ID, --table NAME, --dataset-id ID and at least one --mapping SRC=DEST")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    defaults = EmulatorSettings()
    p = argparse.ArgumentParser(prog="python -m emulator.seed", description="Create base connections in a "
                                "running emulator as if made by hand; without --spec, a PostgreSQL and a Google "
                                "BigQuery sample.")
    p.add_argument("--url", default=DEFAULT_URL, help=f"the emulator's origin (default {DEFAULT_URL})")
    p.add_argument("--sandbox", default=DEFAULT_SANDBOX, help=f"sandbox to create in (default {DEFAULT_SANDBOX})")
    p.add_argument("--org-id", default=defaults.org_id, help="IMS org of the emulator's client")
    p.add_argument("--client-id", default=defaults.client_id, help="the emulator's IMS client id")
    p.add_argument("--client-secret", default=defaults.client_secret, help="the emulator's IMS client secret")
    own = p.add_argument_group("one connection of your own (instead of the samples)")
    own.add_argument("--spec", metavar="ID", help="connection spec id (emulator/data/connection_specs.json)")
    own.add_argument("--auth", metavar="NAME", help="auth spec name, e.g. \"Basic Authentication\"")
    own.add_argument("--name", help="display name")
    own.add_argument("--description", help="optional description")
    own.add_argument("--param", type=_param, action="append", default=[], metavar="KEY=VALUE",
                     help="an auth param; repeat for each")
    made = p.add_argument_group("pipeline objects (instead of connections)")
    made.add_argument("--dataset", metavar="NAME", help="make a Catalog dataset (with --schema)")
    made.add_argument("--schema", metavar="ID", help="the dataset's XDM schema $id")
    made.add_argument("--flow", action="store_true", help="make a dataflow on an existing base connection "
                      "(with --connection-id, --table, --dataset-id, --mapping)")
    made.add_argument("--connection-id", metavar="ID", help="the base connection to read through")
    made.add_argument("--table", help="the table to read, e.g. public.orders")
    made.add_argument("--dataset-id", metavar="ID", help="the dataset to write to")
    made.add_argument("--mapping", type=_pair, action="append", default=[], metavar="SRC=DEST",
                      help="a source column and its XDM path; repeat for each")
    args = p.parse_args(argv)
    _check_pipeline(p, args)
    if not args.url.startswith(("http://", "https://")):
        p.error(f"--url must start with http:// or https://, e.g. {DEFAULT_URL}")
    if args.spec is None and (args.auth or args.name or args.description or args.param):
        p.error("--auth, --name, --description and --param describe a connection of your own: add --spec ID")
    if args.spec is not None and not (args.auth and args.name):
        p.error("--spec needs --auth NAME and --name NAME too")
    keys = [k for k, _ in args.param]
    if len(set(keys)) != len(keys):
        p.error(f"--param {next(k for k in keys if keys.count(k) > 1)} is given more than once")
    return args


def typed(schema: dict[str, Any], pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Params from ``KEY=VALUE`` text, as the auth spec types them; unknown keys stay text (the emulator names
    the allowed ones). A value that does not fit is refused without echoing it."""
    properties = schema.get("properties", {})
    params: dict[str, Any] = {}
    for key, value in pairs:
        kind = properties.get(key, {}).get("type")
        if kind == "integer":
            try:
                params[key] = int(value)
            except ValueError:
                raise SeedError(f"--param {key}: {key} is an integer param; give digits") from None
        elif kind == "boolean":
            if value.lower() not in ("true", "false"):
                raise SeedError(f"--param {key}: {key} is a boolean param; give true or false")
            params[key] = value.lower() == "true"
        else:
            params[key] = value
    return params


def _own(client: SeedClient, args: argparse.Namespace) -> dict[str, Any]:
    schema = client.auth_schema(args.sandbox, args.spec, args.auth)
    body: dict[str, Any] = {"name": args.name, "auth": {"specName": args.auth, "params": typed(schema, args.param)},
                            "connectionSpec": {"id": args.spec, "version": "1.0"}}
    if args.description:
        body["description"] = args.description
    return body


def _scrub(message: str, secrets: list[str]) -> str:
    """Defence in depth: the emulator never echoes a param value, and no value given may reach stderr if it did."""
    for value in sorted(secrets, key=len, reverse=True):
        message = message.replace(value, "***")
    return message


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    client = SeedClient(args.url, args.org_id, args.client_id, args.client_secret)
    values = [v for _, v in args.param if len(v) > 2] + [args.client_secret]
    try:
        if args.dataset or args.flow:
            for line in (seed_pipeline.dataset if args.dataset else seed_pipeline.flow)(client, args):
                print(line, flush=True)
            return 0
        bodies = [_own(client, args)] if args.spec else list(SAMPLES)
        for body in bodies:
            values += [str(v) for v in body["auth"]["params"].values() if len(str(v)) > 2]
            created = client.create_connection(args.sandbox, body)
            print(f"created {created['id']} in sandbox {args.sandbox}: {body['name']}", flush=True)
    except SeedError as err:
        print(f"emulator.seed: {_scrub(str(err), values)}", file=sys.stderr)
        return 1
    finally:
        client.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
