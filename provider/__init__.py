"""AEP Flow Service base connections and ingestion pipelines as Pulumi resources.

    from provider import FlowServiceBaseConnection, PostgreSqlConnection, GoogleBigQueryConnection, TableIngestion

The dynamic resource and the hand-written components are exported here; every component (one per source and
auth method) is in `provider.sources`. Names load on first use, so the dynamic-provider plugin, which imports
`provider.base_connection` to unpickle its provider, does not import every source component too.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_EXPORTS = {
    "FlowServiceBaseConnection": "provider.base_connection",
    "PostgreSqlConnection": "provider.sources.postgresql",
    "GoogleBigQueryConnection": "provider.sources.google_bigquery",
    "GoogleBigQueryServiceAccountConnection": "provider.sources.google_bigquery",
    "TableIngestion": "provider.pipeline.ingestion",
    "FileIngestion": "provider.pipeline.ingestion",
}

__all__ = sorted(_EXPORTS)

if TYPE_CHECKING:
    from provider.base_connection import FlowServiceBaseConnection
    from provider.sources.google_bigquery import GoogleBigQueryConnection, GoogleBigQueryServiceAccountConnection
    from provider.pipeline.ingestion import FileIngestion, TableIngestion
    from provider.sources.postgresql import PostgreSqlConnection


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'provider' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value
