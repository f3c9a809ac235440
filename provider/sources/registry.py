"""Find the component class for a catalog source id and (optionally) an auth spec name."""

from __future__ import annotations

import difflib
from typing import Optional

from provider.catalog import load_catalog
from provider.sources import COMPONENTS, InvalidSourceArgument
from provider.sources.component import BaseConnectionComponent


def components_by_source() -> dict[str, list[type[BaseConnectionComponent]]]:
    """Source id -> its component classes, the default auth method first."""
    by_source: dict[str, list[type[BaseConnectionComponent]]] = {}
    for component in COMPONENTS:
        by_source.setdefault(component.source, []).append(component)
    return by_source


def component_for(source: str, auth: Optional[str] = None) -> type[BaseConnectionComponent]:
    """The class for `source` (e.g. "postgresql") and `auth` (an auth spec name, any case; None = default).

    Raises `InvalidSourceArgument` naming the known choices when nothing matches.
    """
    by_source = components_by_source()
    classes = by_source.get(source)
    if classes is None:
        raise InvalidSourceArgument(_unknown_source(source, sorted(by_source)))
    if auth is None:
        return classes[0]
    for component in classes:
        if component.auth_spec_name.lower() == auth.strip().lower():
            return component
    choices = ", ".join(f"{c.auth_spec_name!r} ({c.__name__})" for c in classes)
    raise InvalidSourceArgument(f"source {source!r} has no auth method {auth!r}; choose one of {choices}")


def _unknown_source(source: str, known: list[str]) -> str:
    catalog = {spec.source: spec for spec in load_catalog().specs}
    if source in catalog and not catalog[source].verified:
        return (
            f"source {source!r} is not supported: Adobe's docs give its connection-spec id to two sources, so "
            "it cannot be told apart; use FlowServiceBaseConnection with the id your org's /connectionSpecs lists"
        )
    close = difflib.get_close_matches(source, known, n=3)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    return f"unknown source {source!r}; {hint}known sources: {', '.join(known)}"
