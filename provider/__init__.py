"""AEP Flow Service base connections as Pulumi resources (minimal init from the provider helper; the sources
helper owns this file and adds the components)."""

from provider.base_connection import FlowServiceBaseConnection

__all__ = ["FlowServiceBaseConnection"]
