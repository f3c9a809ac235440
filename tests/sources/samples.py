"""Valid sample arguments for every source component.

Used by the tests and by every_component_program.py, which declares each component once with these values.
Secret samples are distinctive strings (`secret-<Class>-<field>`) so a test can search any text for them.
"""

from __future__ import annotations

import json
import types
import typing
from typing import Any

from pydantic import SecretStr

from provider.sources.component import BaseConnectionComponent

SERVICE_ACCOUNT_KEY = {
    "type": "service_account",
    "project_id": "acme-events",
    "private_key_id": "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
    "private_key": "-----BEGIN PRIVATE KEY-----\ndGVzdC1vbmx5LW5vdC1hLWtleQ==\n-----END PRIVATE KEY-----\n",
    "client_email": "aep-reader@acme-events.iam.gserviceaccount.com",
    "client_id": "100000000000000000042",
    "token_uri": "https://oauth2.googleapis.com/token",
}
SERVICE_ACCOUNT_KEY_JSON = json.dumps(SERVICE_ACCOUNT_KEY)


def resource_name(component: type[BaseConnectionComponent]) -> str:
    """A stable resource name per class: AmazonS3Connection -> amazon-s3-connection."""
    name = component.__name__
    return "".join(("-" if c.isupper() and i and not name[i - 1].isupper() else "") + c.lower()
                   for i, c in enumerate(name))


def _plain_type(annotation: Any) -> Any:
    """`Optional[X]` -> X."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return next(a for a in typing.get_args(annotation) if a is not type(None))
    return annotation


def sample_arguments(component: type[BaseConnectionComponent]) -> dict[str, Any]:
    """Every keyword argument of `component`, optional ones too, with a valid value."""
    args: dict[str, Any] = {}
    for field, info in component.Params.model_fields.items():
        kind = _plain_type(info.annotation)
        if kind is SecretStr:
            args[field] = f"secret-{component.__name__}-{field}"
        elif kind is int:
            args[field] = 5432 if field == "port" else 4
        elif kind is bool:
            args[field] = True
        elif typing.get_origin(kind) is typing.Literal:
            args[field] = typing.get_args(kind)[0]
        else:
            args[field] = f"{field.replace('_', '-')}.example"
    if component.__name__ == "PostgreSqlConnection":
        del args["connection_string"]  # either the parts or a whole connection string
    if "key_file_content" in args:
        args["key_file_content"] = SERVICE_ACCOUNT_KEY_JSON
    return args


def secret_values(component: type[BaseConnectionComponent], args: dict[str, Any]) -> list[str]:
    return [str(args[f]) for f in component.Params.secret_fields() if f in args]
