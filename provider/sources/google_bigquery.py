"""Google BigQuery base connections: OAuth 2.0 refresh token, or a service-account key."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, Optional

import pulumi
from pydantic import SecretStr, field_validator

from provider.sources.component import BaseConnectionComponent
from provider.sources.params import SourceParams, param

BIGQUERY_SPEC_ID = "3c9b37f8-13a6-43d8-bad3-b863b941fedd"
_KEY_FIELDS = ("project_id", "private_key_id", "private_key", "client_email")


def service_account_key_base64(key_file_content: str) -> str:
    """Validate a Google service-account key given as its JSON or base64 of it; return the base64 form.

    Flow Service takes the key file base64-encoded. Errors say what is wrong, never what the key holds.
    """
    text = key_file_content.strip()
    if text.startswith("{"):
        raw = text.encode()
    else:
        try:
            raw = base64.b64decode("".join(text.split()), validate=True)
        except (binascii.Error, ValueError):
            raise ValueError("expected the key file's JSON or its base64 encoding; got neither") from None
    try:
        key = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ValueError("the key file content is not valid JSON (after base64 decoding, if encoded)") from None
    if not isinstance(key, dict) or key.get("type") != "service_account":
        raise ValueError('the key file must be a Google service-account key ("type": "service_account")')
    missing = [f for f in _KEY_FIELDS if not isinstance(key.get(f), str) or not key[f]]
    if missing:
        raise ValueError(f"the service-account key lacks {', '.join(missing)}")
    if "PRIVATE KEY-----" not in key["private_key"]:
        raise ValueError("the service-account key's private_key is not a PEM private key")
    return base64.b64encode(raw).decode()


class _GoogleBigQueryParams(SourceParams):
    project: str = param("project", "the Google Cloud project id that holds the BigQuery data", min_length=1)
    client_id: str = param("clientId", "the Google OAuth app client id", min_length=1)
    client_secret: SecretStr = param("clientSecret", "the Google OAuth app client secret", min_length=1)
    refresh_token: SecretStr = param("refreshToken", "a Google OAuth refresh token for the BigQuery scope", min_length=1)
    large_results_dataset_id: Optional[str] = param(
        "largeResultsDataSetId", "an existing dataset for results larger than BigQuery's inline limit", None, min_length=1
    )


class GoogleBigQueryConnection(BaseConnectionComponent):
    """Google BigQuery source ("Basic Authentication", OAuth 2.0): project, OAuth client and refresh token.

    `client_secret` and `refresh_token` are always stored as Pulumi secrets.
    """

    source = "google-bigquery"
    display_name = "Google BigQuery"
    connection_spec_id = BIGQUERY_SPEC_ID
    auth_spec_name = "Basic Authentication"
    auth_type = "OAuth2.0"
    Params = _GoogleBigQueryParams

    def __init__(
        self,
        resource_name: str,
        *,
        project: pulumi.Input[str],
        client_id: pulumi.Input[str],
        client_secret: pulumi.Input[str],
        refresh_token: pulumi.Input[str],
        large_results_dataset_id: Optional[pulumi.Input[str]] = None,
        name: Optional[pulumi.Input[str]] = None,
        description: Optional[pulumi.Input[str]] = None,
        sandbox: Optional[str] = None,
        adopt_id: Optional[pulumi.Input[str]] = None,
        verify: bool = False,
        force_delete: bool = False,
        opts: Optional[pulumi.ResourceOptions] = None,
    ) -> None:
        args = dict(
            project=project, client_id=client_id, client_secret=client_secret, refresh_token=refresh_token,
            large_results_dataset_id=large_results_dataset_id,
        )
        super().__init__(
            resource_name, args, name=name, description=description, sandbox=sandbox, adopt_id=adopt_id,
            verify=verify, force_delete=force_delete, opts=opts,
        )


class _GoogleBigQueryServiceAccountParams(SourceParams):
    project_id: str = param("projectId", "the Google Cloud project id that holds the BigQuery data", min_length=1)
    key_file_content: SecretStr = param(
        "keyFileContent", "the service-account key file's JSON, or its base64 encoding"
    )
    large_results_dataset_id: Optional[str] = param(
        "largeResultsDataSetId", "an existing dataset for results larger than BigQuery's inline limit", None, min_length=1
    )

    @field_validator("key_file_content")
    @classmethod
    def _is_service_account_key(cls, value: SecretStr) -> SecretStr:
        return SecretStr(service_account_key_base64(value.get_secret_value()))


class GoogleBigQueryServiceAccountConnection(BaseConnectionComponent):
    """Google BigQuery source ("Service Authentication") with a service-account key.

    `key_file_content` may be the key file's JSON or its base64; it is checked to be a service-account key
    (type, project_id, private_key_id, private_key, client_email), sent base64-encoded as Flow Service
    expects, and always stored as a Pulumi secret.
    """

    source = "google-bigquery"
    display_name = "Google BigQuery"
    connection_spec_id = BIGQUERY_SPEC_ID
    auth_spec_name = "Service Authentication"
    Params = _GoogleBigQueryServiceAccountParams

    def __init__(
        self,
        resource_name: str,
        *,
        project_id: pulumi.Input[str],
        key_file_content: pulumi.Input[str],
        large_results_dataset_id: Optional[pulumi.Input[str]] = None,
        name: Optional[pulumi.Input[str]] = None,
        description: Optional[pulumi.Input[str]] = None,
        sandbox: Optional[str] = None,
        adopt_id: Optional[pulumi.Input[str]] = None,
        verify: bool = False,
        force_delete: bool = False,
        opts: Optional[pulumi.ResourceOptions] = None,
    ) -> None:
        args: dict[str, Any] = dict(
            project_id=project_id, key_file_content=key_file_content, large_results_dataset_id=large_results_dataset_id
        )
        super().__init__(
            resource_name, args, name=name, description=description, sandbox=sandbox, adopt_id=adopt_id,
            verify=verify, force_delete=force_delete, opts=opts,
        )
