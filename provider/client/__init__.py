"""Flow Service + IMS HTTP client: auth, retrying sessions, error mapping and wire models."""

from provider.client.auth import TokenSource, clear_token_cache
from provider.client.flow_service import FlowServiceClient
from provider.client.models import AuthInfo, Connection, ConnectionCreate, SpecRef, WriteResult

__all__ = [
    "AuthInfo",
    "Connection",
    "ConnectionCreate",
    "FlowServiceClient",
    "SpecRef",
    "TokenSource",
    "WriteResult",
    "clear_token_cache",
]
