"""A connection in use is never deleted by accident: a base connection, and the source and target connections
of a pipeline (``refuse_if_flows_use``).

Before the provider deletes a connection (``pulumi destroy``, an entry removed from the program, the delete half
of a replacement) it lists the source connections built on it and the dataflows reading those; if there are any
it refuses, naming each of them, and sends no DELETE. Cost: one GET when nothing uses the connection, a second
only when something does. ``force_delete=True`` skips the check.

``force_delete`` is read from the state the engine hands to Delete: the value recorded by the last ``pulumi up``
that declared the connection. So for an entry already removed from the program, or a stack being destroyed,
setting it now changes nothing until an ``up`` with the connection still declared records it.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Optional

from provider.client import FlowServiceClient
from provider.client.error_mapping import redact
from provider.client.usage import FlowInfo, SourceConnectionInfo, flows_using, source_connections_using
from provider.errors import ConnectionInUseError

MAX_SHOWN = 256  # characters of one name or id in the message
MAX_LISTED = 100  # dependents named in the message
_PLAIN_ID = re.compile(r"[A-Za-z0-9._-]{1,256}")


def refuse_if_in_use(api: FlowServiceClient, sandbox: str, connection_id: str, state: Mapping[str, Any]) -> None:
    """Raise ``ConnectionInUseError`` if any source connection uses ``connection_id`` in ``sandbox``. ``state`` is
    the connection's recorded state: its name goes in the message, its auth params are redacted from it (the
    names shown come from the API, and services echo input back), as the client does with server text."""
    sources = source_connections_using(api, sandbox, connection_id)
    if sources:
        flows = flows_using(api, sandbox, [s.id for s in sources])
        message = in_use_message(sandbox, connection_id, state.get("name"), sources, flows)
        params = state.get("auth_params")
        known = [api.settings.client_secret.get_secret_value(), *(params.values() if isinstance(params, dict) else ())]
        raise ConnectionInUseError(redact(message, known))


def _named(kind: str, name: Optional[str], ident: str) -> str:
    """Names and ids come from the API (anyone with access to the sandbox chose them): quoted with escapes, so a
    line break or terminal escape cannot forge CLI output, and cut at ``MAX_SHOWN`` characters."""
    shown_id = ident if _PLAIN_ID.fullmatch(ident) else repr(ident[:MAX_SHOWN])
    if not name:
        return f"{kind} {shown_id}"
    cut = name if len(name) <= MAX_SHOWN else name[:MAX_SHOWN] + "..."
    return f"{kind} {cut!r} ({shown_id})"


def in_use_message(
    sandbox: str, connection_id: str, name: Optional[str], sources: list[SourceConnectionInfo], flows: list[FlowInfo]
) -> str:
    what = _named("base connection", name, connection_id)
    used = f"{len(sources)} source connection(s)" + (f" and {len(flows)} dataflow(s)" if flows else "")
    listed = [_named("source connection", s.name, s.id) for s in sources]
    listed += [_named("dataflow", f.name, f.id) for f in flows]
    if len(listed) > MAX_LISTED:
        listed = listed[:MAX_LISTED] + [f"and {len(listed) - MAX_LISTED} more"]
    return (
        f"{what} in sandbox {sandbox} is still used by {used}: {'; '.join(listed)}. Nothing was deleted. "
        "Delete those dataflows and source connections first, or repoint them to another base connection (after a "
        "replacement: the new one), then run the command again (Sources > Dataflows and Accounts in the AEP UI). "
        "To delete it anyway while only source connections use it (Flow Service itself refuses while a dataflow "
        "reads through it), leaving them broken, set force_delete=True on the connection (`force_delete: true` "
        "in its aep:connections entry) and run `pulumi up` with it still declared, so the state records it; then "
        "remove it or destroy the stack."
    )


def refuse_if_flows_use(api: FlowServiceClient, sandbox: str, kind: str, ident: str, field: str) -> None:
    """Raise ``ConnectionInUseError`` if a dataflow still uses the source or target connection ``ident``
    (``field``: ``sourceConnectionIds`` or ``targetConnectionIds``). Pulumi deletes a pipeline's own dataflow
    first, so a flow found here was made outside it (in the AEP UI, or by another stack). One GET."""
    flows = flows_using(api, sandbox, [ident], field)
    if flows:
        listed = [_named("dataflow", f.name, f.id) for f in flows[:MAX_LISTED]]
        raise ConnectionInUseError(
            f"{_named(kind, None, ident)} in sandbox {sandbox} is still used by {len(flows)} dataflow(s) made "
            f"outside this stack: {'; '.join(listed)}. Nothing was deleted. Delete those dataflows first (Sources > "
            "Dataflows in the AEP UI), then run the command again."
        )
