"""Our resources record their source position in state, not the whole Python call stack.

The Python SDK sends a ``stackTrace`` with every registration: each frame below the resource's constructor, i.e.
our own modules, the user's ``__main__.py``, the Pulumi runtime and asyncio. The engine records it verbatim in
every checkpoint (it has no switch to leave it out), and it was about 2 KB of each base connection's ~6 KB.

``short_stack_trace()`` wraps the registration call of our own resources (``super().__init__`` of our components
and dynamic resources): inside it the SDK sends an empty trace (which the engine does not record) and, as the
resource's ``sourcePosition``, the very frame it would have sent (the SDK takes it from the trace's first frame).
What users lose, for our resources only: tools that show the whole call chain of a registration (Pulumi Cloud's
resource view, policy packs reading ``stackTrace``) see the source position alone, not the path through the user's
program. Resources of other providers in the same program keep their whole trace: the flag is a ContextVar, set
only for the duration of our call, so other registrations, threads and asyncio tasks see the SDK's own behaviour.

Both functions are private to ``pulumi.runtime.resource``: if an SDK version lacks either, this does nothing and
the state holds the whole trace again (bigger, nothing else changes).
"""

from __future__ import annotations

import contextlib
import contextvars
from typing import Any, Callable, Iterator

from pulumi.runtime import resource as _runtime

_SHORT = contextvars.ContextVar("aep_short_stack_trace", default=False)
_FIRST: contextvars.ContextVar[Any] = contextvars.ContextVar("aep_first_frame", default=None)
_NAMES = ("_get_stack_trace", "_get_source_position")


def _wrapped(get_trace: Callable[[], Any], get_position: Callable[[Any], Any]) -> tuple[Callable, Callable]:
    def _get_stack_trace() -> Any:
        trace = get_trace()
        if not _SHORT.get():
            return trace
        _FIRST.set(trace.frames[0].pc if trace.frames else None)
        return type(trace)()

    def _get_source_position(stack: Any) -> Any:
        return _FIRST.get() if _SHORT.get() else get_position(stack)

    _get_stack_trace.aep_wrapped = _get_source_position.aep_wrapped = True  # type: ignore[attr-defined]
    return _get_stack_trace, _get_source_position


def _install() -> bool:
    """Wrap the SDK's two functions once (the same as theirs outside ``short_stack_trace``); False when the SDK
    has not got them."""
    current = [getattr(_runtime, name, None) for name in _NAMES]
    if not all(map(callable, current)):
        return False
    if not any(hasattr(f, "aep_wrapped") for f in current):
        for name, function in zip(_NAMES, _wrapped(*current)):
            setattr(_runtime, name, function)
    return True


@contextlib.contextmanager
def short_stack_trace() -> Iterator[None]:
    """Registrations made inside record their source position and no stack trace (see the module docstring)."""
    if not _install():
        yield
        return
    token = _SHORT.set(True)
    try:
        yield
    finally:
        _SHORT.reset(token)
