"""Connection-spec catalog: data (``connection_specs.json``), typed access and offline validation."""

from provider.catalog.specs import AuthParam, AuthSpec, Catalog, ConnectionSpec, load_catalog
from provider.catalog.validation import (
    Problem,
    control_character,
    description_problem,
    name_problem,
    normalize_param,
    validate_auth_params,
    validate_connection,
)

__all__ = [
    "AuthParam",
    "AuthSpec",
    "Catalog",
    "ConnectionSpec",
    "Problem",
    "control_character",
    "description_problem",
    "load_catalog",
    "name_problem",
    "normalize_param",
    "validate_auth_params",
    "validate_connection",
]
