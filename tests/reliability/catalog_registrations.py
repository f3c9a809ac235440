"""Valid base-connection registrations for any source and auth method of the catalog, with a secret version.

The soak and the conflict tests spread their connections over several sources; the params are generated from
the catalog's param types, and every secret param carries ``secret_version`` so a rotation is one argument.
"""

from __future__ import annotations

from typing import Any, Optional

from provider.catalog import load_catalog
from tests.harness.engine import Registration, base_connection_registration

# (source, auth spec): a mix of connection strings, OAuth, key/secret pairs and integer/boolean params.
MIXED_SOURCES = (
    ("postgresql", "Connection String Based Authentication"),
    ("postgresql", "Basic Authentication"),
    ("google-bigquery", "Basic Authentication"),
    ("amazon-s3", "Access Key"),
    ("snowflake", "KeyPair Authentication"),
    ("salesforce", "OAuth2 Client Credential"),
    ("sftp", "Basic Authentication for sftp"),
)


def auth_params(source: str, auth_spec: str, key: str, secret_version: str = "v1") -> dict[str, Any]:
    """Every param of that auth spec (optional ones too) with a valid value; secrets end in ``secret_version``."""
    auth = load_catalog().by_source(source).auth_spec(auth_spec)
    if auth is None:
        raise KeyError(f"{source} has no auth spec {auth_spec!r}")
    params: dict[str, Any] = {}
    for p in auth.params:
        if p.type == "integer":
            params[p.name] = 5432 if p.name == "port" else 4
        elif p.type == "boolean":
            params[p.name] = True
        elif p.secret:
            params[p.name] = f"{key}-{p.name}-{secret_version}"
        else:
            params[p.name] = f"{key}-{p.name}"
    return params


def registration(
    source: str,
    auth_spec: str,
    key: str,
    *,
    name: Optional[str] = None,
    description: Optional[str] = None,
    secret_version: str = "v1",
    sandbox: str = "prod",
    **overrides: Any,
) -> Registration:
    """What FlowServiceBaseConnection registers for one connection of that source (display name = ``key``)."""
    spec = load_catalog().by_source(source)
    auth = spec.auth_spec(auth_spec)
    assert auth is not None, f"{source} has no auth spec {auth_spec!r}"
    props: dict[str, Any] = dict(
        name=name or key,
        description=description,
        connection_spec_id=spec.id,
        auth_spec_name=auth_spec,
        auth_type=auth.type,
        auth_params=auth_params(source, auth_spec, key, secret_version),
        sandbox=sandbox,
    )
    props.update(overrides)
    return base_connection_registration(**props)
