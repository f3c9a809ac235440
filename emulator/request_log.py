"""The request log behind ``GET /_emulator/requests``: method, path, route template, status, sandbox, fault.

Only those fields are kept - never headers, query strings or bodies - so no credential can end up in it.
"""
from __future__ import annotations

import re
import threading
from collections import Counter
from typing import Any

FLOW = "/data/foundation/flowservice"
CONVERSION = "/data/foundation/conversion"
CATALOG = "/data/foundation/catalog"
IMS_TEMPLATE = "/ims/token/v3"
_TEMPLATES = [
    (re.compile(r"^/ims/token/v3/?$"), IMS_TEMPLATE),
    (re.compile(rf"^{FLOW}/connections/?$"), f"{FLOW}/connections"),
    (re.compile(rf"^{FLOW}/connections/[^/]+/test/?$"), f"{FLOW}/connections/{{id}}/test"),
    (re.compile(rf"^{FLOW}/connections/[^/]+/?$"), f"{FLOW}/connections/{{id}}"),
    (re.compile(rf"^{FLOW}/connectionSpecs/?$"), f"{FLOW}/connectionSpecs"),
    (re.compile(rf"^{FLOW}/connectionSpecs/[^/]+/?$"), f"{FLOW}/connectionSpecs/{{id}}"),
    (re.compile(rf"^{FLOW}/sourceConnections/?$"), f"{FLOW}/sourceConnections"),
    (re.compile(rf"^{FLOW}/sourceConnections/[^/]+/?$"), f"{FLOW}/sourceConnections/{{id}}"),
    (re.compile(rf"^{FLOW}/targetConnections/?$"), f"{FLOW}/targetConnections"),
    (re.compile(rf"^{FLOW}/targetConnections/[^/]+/?$"), f"{FLOW}/targetConnections/{{id}}"),
    (re.compile(rf"^{FLOW}/flowSpecs/?$"), f"{FLOW}/flowSpecs"),
    (re.compile(rf"^{FLOW}/flowSpecs/[^/]+/?$"), f"{FLOW}/flowSpecs/{{id}}"),
    (re.compile(rf"^{FLOW}/flows/?$"), f"{FLOW}/flows"),
    (re.compile(rf"^{FLOW}/flows/[^/]+/action/?$"), f"{FLOW}/flows/{{id}}/action"),
    (re.compile(rf"^{FLOW}/flows/[^/]+/?$"), f"{FLOW}/flows/{{id}}"),
    (re.compile(rf"^{CONVERSION}/mappingSets/?$"), f"{CONVERSION}/mappingSets"),
    (re.compile(rf"^{CONVERSION}/mappingSets/[^/]+/?$"), f"{CONVERSION}/mappingSets/{{id}}"),
    (re.compile(rf"^{CATALOG}/dataSets/?$"), f"{CATALOG}/dataSets"),
    (re.compile(rf"^{CATALOG}/dataSets/[^/]+/?$"), f"{CATALOG}/dataSets/{{id}}"),
]


def template_for(path: str) -> str:
    """The route template of ``path`` (ids replaced by ``{id}``, trailing slash ignored), else the path."""
    for pattern, template in _TEMPLATES:
        if pattern.match(path):
            return template
    return path


class RequestLog:
    def __init__(self) -> None:
        self._entries: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def append(self, entry: dict[str, Any]) -> None:
        with self._lock:
            self._entries.append(entry)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            entries = [dict(e) for e in self._entries]
        counts = Counter(f"{e['method']} {e['template']}" for e in entries)
        return {"total": len(entries), "counts": dict(counts), "requests": entries}
