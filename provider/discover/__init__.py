"""`python -m provider.discover`: bring an existing sandbox under Pulumi.

Lists every base connection of a sandbox with the provider's client and prints a stack config YAML document
(`config:` -> `aep:connections:`) that adopts each one with `adopt_id`. One idea per module: plan.py (live
connection -> component, params, secret arguments), connection_strings.py (exact split of a PostgreSQL connection
string), naming.py (resource names, secret config keys), document.py (the whole set), render.py (the YAML),
stack_settings.py (`--stack`: settings through the Pulumi CLI), __main__.py (the command).
"""

from provider.discover.document import Discovery, Entry, discovery
from provider.discover.render import render

__all__ = ["Discovery", "Entry", "discovery", "render"]
