"""Prints, as JSON, the resource plugins that the installed Python packages declare in a pulumi-plugin.json
beside their top-level module ({"resource": true, "name": ..., "version": ..., "server": ...}); written for this
project, run by pulumi-language-python with `python -c` in the program's environment."""

import json
import sys
from importlib import metadata

found = {}
for dist in metadata.distributions():
    for file in dist.files or ():
        if file.name != "pulumi-plugin.json" or len(file.parts) != 2:
            continue
        try:
            declared = json.loads(file.read_text() or "{}")
        except (OSError, ValueError):
            continue
        if not declared.get("resource"):
            continue
        name = declared.get("name") or file.parts[0].removeprefix("pulumi_").replace("_", "-")
        version = declared.get("version") or dist.version
        found[name] = {"name": name, "version": version, "server": declared.get("server", "")}
json.dump(sorted(found.values(), key=lambda plugin: plugin["name"]), sys.stdout)
