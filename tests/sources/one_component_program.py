"""A Pulumi program declaring one component, chosen by the test through the environment:
COMPONENT (class name in provider.sources), ARGS (JSON keyword arguments), OUTPUT_ARGS (names of arguments to
pass as pulumi Outputs instead of plain values, to exercise validation on resolution)."""

import json
import os

import pulumi

import provider.sources

component = getattr(provider.sources, os.environ["COMPONENT"])
args = json.loads(os.environ["ARGS"])
for name in json.loads(os.environ.get("OUTPUT_ARGS", "[]")):
    args[name] = pulumi.Output.from_input(args[name])
connection = component("subject", **args)
pulumi.export("connection_id", connection.connection_id)
pulumi.export("etag", connection.etag)
