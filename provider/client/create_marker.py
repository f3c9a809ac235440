"""Crash-safe creates: the mark a create leaves on the object, and the lookup that finds it again.

A Pulumi run can die between a POST and the checkpoint that records its id (kill -9, OOM, a lost CI runner; with
``PULUMI_SKIP_CHECKPOINTS=true`` every create of the run is unrecorded). The next `pulumi up` plans a create for
the same resource, and Flow Service has no idempotency key, so a plain POST would make a duplicate. Instead:

* The program gives each resource a ``create_key``: a hash of the Pulumi organization, project, stack, parent
  and resource type and name (provider/create_key.py), i.e. of what makes its URN, which Pulumi keeps unique.
* The plugin turns it into a marker that also covers the values only a new object can change (connection spec,
  auth spec, sandbox, ...): ``<stack hash>.<resource hash>``. A replacement for a changed connection spec (say)
  therefore carries a marker of its own.
* The POST writes ``[pulumi:<marker>]`` at the end of the description. Reads strip it (``split``): it is never
  drift, never shown by discover, and a PATCH of the description keeps it.
* Before its first create in a sandbox, the plugin lists that sandbox's objects whose description contains this
  stack's hash (one filtered GET per page, Adobe's ``property=description~...``) and takes over the one carrying
  the resource's marker instead of creating it again (``MarkedObjects``). Each marker is claimed once per run,
  and never for an object the state records: every id the engine names in this run (Diff, Read, Update, Delete;
  it diffs a recorded resource before creating its replacement) is set aside (``recorded``), so a replacement the
  engine decides by Diff (a flow's passed start time changed, same marker) never takes over its old object. A
  replacement the engine forces without asking the provider (`pulumi up --replace`, ``replace_with``,
  ``deleted_with``) can: the delete that follows is then skipped for an id a create of this run took over
  (``taken_over``), so the object is kept under the new resource and nothing is lost, but it is not renewed.

Why it never takes over what it must not: a person, another stack or another project cannot produce the marker
without the same organization, project, stack and resource URN; an object copied to another sandbox is looked
for only by the stack of that sandbox, whose hash differs; an adopted object (``adopt_id``) is never marked. What
it does take over is exactly an object an earlier run of this stack created for this resource and could not
record. Cost: nothing on runs without creates, one listing per sandbox on runs with creates.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from typing import Any, Callable, Iterable, Optional

STACK_HASH, RESOURCE_HASH = 10, 12
_MARK = re.compile(r"(?:^| )\[pulumi:([0-9a-f]{%d})\.([0-9a-f]{%d})\]$" % (STACK_HASH, RESOURCE_HASH))


def digest(*parts: Any, size: int) -> str:
    text = json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:size]


def marker_for(create_key: Optional[str], fixed: Iterable[Any]) -> Optional[str]:
    """The marker of a resource with ``create_key`` whose replace-only values are ``fixed``; None without a key."""
    if not isinstance(create_key, str) or "." not in create_key:
        return None
    stack = create_key.split(".", 1)[0]
    return f"{stack}.{digest(create_key, *fixed, size=RESOURCE_HASH)}"


def mark(description: Optional[str], marker: Optional[str], limit: int) -> Optional[str]:
    """``description`` with the marker at its end (alone when there is none). Unmarked when that would pass
    ``limit``: the resource then loses crash recovery, never its description."""
    if not marker:
        return description
    tag = f"[pulumi:{marker}]"
    marked = f"{description} {tag}" if description else tag
    return marked if len(marked) <= limit else description


def split(description: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """(the description as declared, the marker or None) of a description read back."""
    if not description:
        return description, None
    found = _MARK.search(description)
    if not found:
        return description, None
    return description[:found.start()] or None, f"{found.group(1)}.{found.group(2)}"


Lister = Callable[[str, dict[str, str]], list[dict[str, Any]]]


def recorded(ident: str) -> str:
    """Note an id the engine named in this run: the state records it, so no create may take it over."""
    with _INDEXES_LOCK:
        _RECORDED.add(ident)
    return ident


def taken_over(ident: str) -> bool:
    """Whether a create of this run took ``ident`` over: its delete (the old half of a replacement) must not run."""
    with _INDEXES_LOCK:
        return ident in _TAKEN


def marked_objects(path: str) -> "MarkedObjects":
    """The per-process index of one collection (``/connections``, ``/sourceConnections``, ``/flows``...)."""
    with _INDEXES_LOCK:
        return _INDEXES.setdefault(path, MarkedObjects())


class MarkedObjects:
    """Per plugin process: objects of one kind carrying this stack's markers, listed once per sandbox."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._found: dict[tuple[str, str], dict[str, list[dict[str, Any]]]] = {}

    def claim(self, list_items: Lister, sandbox: str, marker: str) -> Optional[dict[str, Any]]:
        """The object (raw item) an earlier run made for ``marker`` and the state does not record, removed so
        nothing claims it twice; else None. ``list_items(sandbox, query)`` returns every item of the query
        (raising rather than a partial list). Several objects may carry one marker (a flow and its replacement
        made by one killed run): the first the state does not record is the one."""
        stack = marker.split(".", 1)[0]
        with self._lock:  # creates wait for the one listing rather than racing it
            index = self._found.get((sandbox, stack))
            if index is None:
                index = {}
                for item in list_items(sandbox, {"property": f"description~[pulumi:{stack}."}):
                    _, found = split(item.get("description"))
                    if found:
                        index.setdefault(found, []).append(item)
                self._found[(sandbox, stack)] = index
            with _INDEXES_LOCK:
                candidates = index.get(marker, [])
                for item in candidates:
                    if item.get("id") not in _RECORDED:
                        candidates.remove(item)
                        _TAKEN.add(item.get("id"))
                        return item
        return None


_INDEXES: dict[str, MarkedObjects] = {}
_RECORDED: set[str] = set()
_TAKEN: set[str] = set()
_INDEXES_LOCK = threading.Lock()
