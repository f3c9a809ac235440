"""Our resources record one source frame in state, not the whole Python call stack.

The Python SDK sends a ``stackTrace`` with every registration: each frame below the resource's constructor, i.e.
our own modules, the user's ``__main__.py``, the Pulumi runtime and asyncio. The engine records it verbatim in
every checkpoint (it has no switch to leave it out), and it was about 2 KB of each base connection's ~6 KB.

``short_stack_trace()`` wraps the registration call of our own resources (``super().__init__`` of our components
and dynamic resources): inside it the SDK's trace keeps only its first frame, so the resource's
``sourcePosition`` (the SDK takes it from that frame) is recorded exactly as before and the rest of the trace is
not. What users lose: for our resources only, tools that show the whole call chain of a registration (Pulumi
Cloud's resource view, policy packs reading ``stackTrace``) see one frame instead of the path through the user's
program. Resources of other providers in the same program keep their whole trace: the flag is a ContextVar, set
only for the duration of our call, so other registrations, threads and asyncio tasks see the SDK's own function.

The trace comes from ``pulumi.runtime.resource._get_stack_trace``, a private function: if an SDK version lacks it,
this does nothing and the state holds the whole trace again (bigger, nothing else changes).
"""

from __future__ import annotations

import contextlib
import contextvars
from typing import Any, Callable, Iterator

from pulumi.runtime import resource as _runtime

_SHORT = contextvars.ContextVar("aep_short_stack_trace", default=False)


def _shortened(original: Callable[[], Any]) -> Callable[[], Any]:
    def _get_stack_trace() -> Any:
        trace = original()
        if _SHORT.get() and len(trace.frames) > 1:
            del trace.frames[1:]
        return trace

    _get_stack_trace.aep_original = original  # type: ignore[attr-defined]
    return _get_stack_trace


def _install() -> bool:
    """Wrap the SDK's function once (a no-op outside ``short_stack_trace``); False when the SDK has none."""
    current = getattr(_runtime, "_get_stack_trace", None)
    if not callable(current):
        return False
    if not hasattr(current, "aep_original"):
        _runtime._get_stack_trace = _shortened(current)
    return True


@contextlib.contextmanager
def short_stack_trace() -> Iterator[None]:
    """Registrations made inside record the first frame of their stack trace only (see the module docstring)."""
    if not _install():
        yield
        return
    token = _SHORT.set(True)
    try:
        yield
    finally:
        _SHORT.reset(token)
