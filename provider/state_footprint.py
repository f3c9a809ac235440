"""Our resources record one source position in state, the user's line, not the whole Python call stack.

The Python SDK sends a ``stackTrace`` with every registration: each frame below the resource's constructor, i.e.
our own modules, the user's ``__main__.py``, the Pulumi runtime and asyncio. The engine records it verbatim in
every checkpoint (it has no switch to leave it out), and it was about 2 KB of each base connection's ~6 KB. As
``sourcePosition`` the SDK sends the trace's first frame, which for our resources is a line of this package
(``postgresql.py``, ``base_connection.py``, under site-packages for a user): useless to the user, and long.

``short_stack_trace(opts)`` wraps the registration call of our own resources (``super().__init__`` of our
components and dynamic resources): inside it the SDK sends an empty trace (which the engine does not record) and,
as ``sourcePosition``, the first frame outside this package: the user's line that declared the resource. A
resource whose parent is one of our components records none (its parent holds that very line).
What users lose, for our resources only: tools that show the whole call chain of a registration (Pulumi Cloud's
resource view, policy packs reading ``stackTrace``) see the user's line alone, not the path to it. Resources of
other providers in the same program keep their whole trace: the flags are ContextVars, set only for the duration
of our call, so other registrations, threads and asyncio tasks see the SDK's own behaviour.

Both functions are private to ``pulumi.runtime.resource``: if an SDK version lacks either, this does nothing and
the state holds the whole trace again (bigger, nothing else changes).
"""

from __future__ import annotations

import contextlib
import contextvars
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import pulumi

from pulumi.runtime import resource as _runtime

_SHORT = contextvars.ContextVar("aep_short_stack_trace", default=False)
_NESTED = contextvars.ContextVar("aep_nested", default=False)
_FIRST: contextvars.ContextVar[Any] = contextvars.ContextVar("aep_first_frame", default=None)
_NAMES = ("_get_stack_trace", "_get_source_position")
_PACKAGE = __name__.split(".")[0]
_PACKAGE_URI = Path(__file__).resolve().parent.as_uri() + "/"
_PACKAGE_URIS = (_PACKAGE_URI, Path(__file__).parent.absolute().as_uri() + "/")


def user_position(trace: Any) -> Any:
    """The first frame of ``trace`` (innermost first; the SDK's own innermost frames are already left out) outside
    this package, or None."""
    for frame in trace.frames:
        if frame.pc and frame.pc.uri and not frame.pc.uri.startswith(_PACKAGE_URIS):
            return frame.pc
    return None


def nested_in_ours(opts: Optional[pulumi.ResourceOptions]) -> bool:
    """Whether the resource's parent is one of this package's components (or a user's subclass of one)."""
    parent = opts.parent if opts is not None else None
    return parent is not None and any(
        cls.__module__.split(".")[0] == _PACKAGE and issubclass(cls, pulumi.ComponentResource)
        for cls in type(parent).__mro__)


def _wrapped(get_trace: Callable[[], Any], get_position: Callable[[Any], Any]) -> tuple[Callable, Callable]:
    def _get_stack_trace() -> Any:
        trace = get_trace()
        if not _SHORT.get():
            return trace
        _FIRST.set(None if _NESTED.get() else user_position(trace))
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
def short_stack_trace(opts: Optional[pulumi.ResourceOptions] = None) -> Iterator[None]:
    """Registrations made inside record no stack trace and, as source position, the user's line, or none when
    ``opts`` puts the resource under one of our components (see the module docstring)."""
    if not _install():
        yield
        return
    tokens = _SHORT.set(True), _NESTED.set(nested_in_ours(opts))
    try:
        yield
    finally:
        _NESTED.reset(tokens[1])
        _SHORT.reset(tokens[0])
