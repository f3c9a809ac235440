"""The components' base class is `BaseConnectionComponent` (in AEP a "source connection" is another object,
POST /sourceConnections). The old name stays importable as an alias. Type tokens come from each component's own
class name (`aep:sources:<Class>`, checked for every component in test_component.py), never from the base's."""

from __future__ import annotations

import provider.sources
import provider.sources.component
from provider.sources import COMPONENTS
from provider.sources.component import BaseConnectionComponent


def test_the_old_name_is_the_same_class_from_where_it_was_importable():
    assert provider.sources.SourceConnection is BaseConnectionComponent
    assert provider.sources.component.SourceConnection is BaseConnectionComponent


def test_every_component_is_a_base_connection_component():
    assert all(issubclass(component, BaseConnectionComponent) for component in COMPONENTS)

