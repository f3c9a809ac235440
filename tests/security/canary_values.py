"""Distinctive credential values ("canaries") for every secret argument of every source component, and for the
IMS client secret, in numbered versions so a rotation changes every one of them.

Each canary holds characters that URL-encoding changes (`+ / = &`), so an encoded leak looks different from a
plain one and the scanner has to find both. The BigQuery service-account key carries its canary inside the PEM
body of an otherwise valid key file; the component sends the file base64-encoded.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from provider.sources import COMPONENTS, BaseConnectionComponent
from tests.sources.samples import SERVICE_ACCOUNT_KEY, sample_arguments

CLIENT_ID = "canary-client"
ORG_ID = "CANARY0RG@AdobeOrg"
KEY_FILE_FIELD = "key_file_content"
# A PostgreSQL server that is never there: the connection test logs in for real and fails.
UNREACHABLE_POSTGRES = {"host": "127.0.0.1", "port": 9}


def canary(tag: str, version: str) -> str:
    digest = hashlib.sha256(f"{tag}/{version}".encode()).hexdigest()[:12]
    return f"CNRY-{digest}-{version}+/=&"


IMS_CLIENT_SECRET = canary("ims-client-secret", "v1")
WRONG_IMS_CLIENT_SECRET = canary("ims-client-secret", "wrong")


def key_file(secret: str) -> str:
    """A service-account key file whose private key body is ``secret``."""
    key = {**SERVICE_ACCOUNT_KEY, "private_key": f"-----BEGIN PRIVATE KEY-----\n{secret}\n-----END PRIVATE KEY-----\n"}
    return json.dumps(key)


def secret_canaries(component: type[BaseConnectionComponent], version: str) -> dict[str, str]:
    """Secret argument -> its canary, for one component and version (every secret argument the samples pass:
    all of them, except PostgreSqlConnection's connection_string, which is built from the password canary)."""
    passed = sample_arguments(component)
    return {field: canary(f"{component.__name__}.{field}", version)
            for field in component.Params.secret_fields() if field in passed}


def canary_arguments(component: type[BaseConnectionComponent], version: str) -> dict[str, Any]:
    """Valid keyword arguments for ``component`` with every secret argument set to its canary."""
    args = sample_arguments(component)
    for field, value in secret_canaries(component, version).items():
        args[field] = key_file(value) if field == KEY_FILE_FIELD else value
    return args


def all_canaries(versions: tuple[str, ...]) -> list[str]:
    """Every canary the components get in these versions, plus the IMS client secrets."""
    values = [IMS_CLIENT_SECRET, WRONG_IMS_CLIENT_SECRET]
    for component in COMPONENTS:
        for version in versions:
            values += secret_canaries(component, version).values()
    return values


def key_file_canaries(versions: tuple[str, ...]) -> set[str]:
    """The canaries inside service-account key files (sent base64-encoded)."""
    return {secret_canaries(c, v)[KEY_FILE_FIELD] for c in COMPONENTS for v in versions
            if KEY_FILE_FIELD in c.Params.secret_fields()}


SECRET_ARGUMENTS = sum(len(secret_canaries(c, "v1")) for c in COMPONENTS)  # 91: every secret param in the catalog
