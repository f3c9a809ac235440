"""Values and names on the provider protocol's wire: property structs marshalled with the SDK's own code, secret
wrappers, unknowns, the ``__provider`` value pulumi.dynamic stores with every resource, and URN parts."""

from __future__ import annotations

import asyncio
import base64
from typing import Any, Mapping

from google.protobuf import struct_pb2
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime import known_types, rpc

UNKNOWN = rpc.UNKNOWN
PROVIDER_KEY = "__provider"
BASE_CONNECTION_TYPE = "pulumi-python:dynamic/aep:BaseConnection"
SECRET_SIG = rpc._special_secret_sig
SIG_KEY = rpc._special_sig_key


def _run(coro):
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(coro)
    finally:
        loop.close()


def to_struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    """Serialize a property dict with the SDK's own marshaller (rpc secret wrappers and UNKNOWN pass through)."""
    return _run(rpc.serialize_properties(dict(props), {}))


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    """Deserialize a property struct; unknown values come back as the ``UNKNOWN`` sentinel string."""
    return _unknowns_to_sentinel(rpc.deserialize_properties(struct, keep_unknowns=True))


def _unknowns_to_sentinel(value: Any) -> Any:
    if known_types.is_unknown(value):
        return UNKNOWN
    if isinstance(value, dict):
        return {k: _unknowns_to_sentinel(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unknowns_to_sentinel(v) for v in value]
    return value


def is_secret(value: Any) -> bool:
    return rpc.is_rpc_secret(value)


def secret(value: Any) -> dict[str, Any]:
    """Wrap a value the way the engine marks secrets on the wire."""
    return rpc.wrap_rpc_secret(value)


def strip_secrets(value: Any) -> Any:
    """Remove every secret wrapper (what the engine does for a provider that does not accept secrets)."""
    value = rpc.unwrap_rpc_secret(value)
    if isinstance(value, dict):
        return {k: strip_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [strip_secrets(v) for v in value]
    return value


def provider_property(provider: Any = None) -> str:
    """``__provider`` exactly as pulumi.dynamic.Resource builds it (dill + base64 of the provider object)."""
    if provider is None:
        from provider.base_connection import BaseConnectionProvider

        provider = BaseConnectionProvider()
    return serialize_provider(provider)


def decode_provider_property(value: str) -> bytes:
    """The pickled bytes inside a ``__provider`` value."""
    return base64.b64decode(rpc.unwrap_rpc_secret(value))


def urn_name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def urn_type(urn: str) -> str:
    parts = urn.split("::")
    return parts[2].rsplit("$", 1)[-1] if len(parts) >= 4 else ""
