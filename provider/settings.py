"""Provider settings: one pydantic model built from the stack's ``aep:*`` config, with ``AEP_*`` env fallbacks.

The dynamic provider receives the stack config in ``ResourceProvider.configure()`` as a flat mapping keyed
``"aep:orgId"`` etc. (namespaces kept). A key missing from config is read from its environment variable (for
CI); if it is missing there too, ``load_settings`` raises one ``ConfigError`` naming every missing key and the
``pulumi config set`` command that fixes it. The client secret is a ``SecretStr`` and never appears in a repr
or error message. ``endpoint_problem`` is the endpoint rule (https, or plain http to a loopback host only); the
program checks it too (provider/program_guard.py), before it registers anything.
"""

from __future__ import annotations

import ipaddress
import os
import re
from typing import Any, Callable, Mapping, Optional, Union
from urllib.parse import urlsplit

import pydantic
from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from provider.errors import ConfigError

DEFAULT_ENDPOINT = "https://platform.adobe.io/data/foundation/flowservice"
DEFAULT_IMS_ENDPOINT = "https://ims-na1.adobelogin.com/ims/token/v3"
DEFAULT_SCOPES = "openid,AdobeID,read_organizations,additional_info.projectedProductContext,session"

SANDBOX_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")

# field name -> (config key, env var, is secret). Optional tuning keys are extensions of the fixed contract.
KEYS: dict[str, tuple[str, str, bool]] = {
    "org_id": ("aep:orgId", "AEP_ORG_ID", False),
    "client_id": ("aep:clientId", "AEP_CLIENT_ID", False),
    "client_secret": ("aep:clientSecret", "AEP_CLIENT_SECRET", True),
    "scopes": ("aep:scopes", "AEP_SCOPES", False),
    "sandbox": ("aep:sandbox", "AEP_SANDBOX", False),
    "endpoint": ("aep:endpoint", "AEP_ENDPOINT", False),
    "ims_endpoint": ("aep:imsEndpoint", "AEP_IMS_ENDPOINT", False),
    "max_retries": ("aep:maxRetries", "AEP_MAX_RETRIES", False),
    "max_retry_wait": ("aep:maxRetryWait", "AEP_MAX_RETRY_WAIT", False),
    "request_timeout": ("aep:requestTimeout", "AEP_REQUEST_TIMEOUT", False),
}


def is_loopback_host(host: str) -> bool:
    """localhost, 127.0.0.0/8 or ::1 (with or without brackets): the only hosts plain http may reach."""
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def endpoint_problem(value: str) -> Optional[str]:
    """Why ``value`` cannot be an AEP or IMS endpoint, or None. Tokens and the client secret travel to it, so
    plain http is refused unless the host is this machine (the local emulator)."""
    if not re.match(r"^https?://[^/\s]+", value):
        return "must be an http(s) URL"
    if re.search(r"[\s\x00-\x1f\x7f-\x9f]", value):
        return "must not contain spaces or control characters"
    if "@" in value.split("://", 1)[1].split("/", 1)[0]:
        return "must not carry credentials (user:password@); set aep:clientId and aep:clientSecret"
    if value.startswith("http://") and not is_loopback_host(urlsplit(value).hostname or ""):
        return ("must use https:// (plain http:// is allowed only for localhost, 127.0.0.0/8 and [::1]); "
                f"use https://{value[len('http://'):]}")
    return None


def _fix_command(field: str) -> str:
    key, env, secret = KEYS[field]
    placeholder = "<value>"
    return f"pulumi config set {key} {placeholder}{' --secret' if secret else ''} (or set {env})"


class Settings(BaseModel):
    """Resolved provider configuration. Build it with ``load_settings``; fields are immutable."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    org_id: str = Field(description="IMS organization id, e.g. 1234ABCD@AdobeOrg")
    client_id: str = Field(description="OAuth server-to-server client id (also sent as x-api-key)")
    client_secret: SecretStr = Field(description="OAuth server-to-server client secret")
    scopes: str = DEFAULT_SCOPES
    sandbox: Optional[str] = Field(default=None, description="default sandbox; None means the stack name")
    endpoint: str = DEFAULT_ENDPOINT
    ims_endpoint: str = DEFAULT_IMS_ENDPOINT
    max_retries: int = Field(default=4, ge=0, le=10)
    max_retry_wait: float = Field(default=30.0, ge=0, le=600, description="cap in seconds for one Retry-After wait")
    request_timeout: float = Field(default=30.0, gt=0, le=600)

    @field_validator("org_id")
    @classmethod
    def _org_id(cls, value: str) -> str:
        if not value.endswith("@AdobeOrg") or len(value) <= len("@AdobeOrg"):
            raise ValueError("must look like <ID>@AdobeOrg (Developer Console > project > credentials)")
        return value

    @field_validator("client_id", "scopes")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty")
        return value.strip()

    @field_validator("client_secret")
    @classmethod
    def _secret_not_blank(cls, value: SecretStr) -> SecretStr:
        if not value.get_secret_value().strip():
            raise ValueError("must not be empty")
        return value

    @field_validator("sandbox")
    @classmethod
    def _sandbox(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not SANDBOX_PATTERN.match(value):
            raise ValueError("must be an AEP sandbox name: lowercase letters, digits and '-'")
        return value

    @field_validator("endpoint", "ims_endpoint")
    @classmethod
    def _url(cls, value: str) -> str:
        problem = endpoint_problem(value)
        if problem:
            raise ValueError(problem)
        return value.rstrip("/")

    def service_url(self, service: Optional[str]) -> str:
        """The base URL of a Platform API beside Flow Service (``conversion`` for Data Prep, ``catalog``): the
        endpoint with ``/flowservice`` swapped for ``/<service>`` (else its origin + ``/data/foundation/<service>``);
        the endpoint itself for ``None``."""
        if service is None:
            return self.endpoint
        if self.endpoint.endswith("/flowservice"):
            return self.endpoint.removesuffix("flowservice") + service
        parts = urlsplit(self.endpoint)
        return f"{parts.scheme}://{parts.netloc}/data/foundation/{service}"


ConfigSource = Union[Mapping[str, Any], Callable[[str], Any]]


def load_settings(config: ConfigSource, env: Optional[Mapping[str, str]] = None) -> Settings:
    """Build ``Settings`` from a config mapping (or a ``get(key)`` callable) with ``AEP_*`` env fallbacks."""
    env = os.environ if env is None else env
    get = config.get if isinstance(config, Mapping) else config
    values: dict[str, Any] = {}
    for field, (key, env_name, _secret) in KEYS.items():
        value = get(key)
        if value is None or value == "":
            value = env.get(env_name) or None
        if value is not None:
            values[field] = value
    missing = [f for f in ("org_id", "client_id", "client_secret") if f not in values]
    if missing:
        lines = [f"  {KEYS[f][0]}: {_fix_command(f)}" for f in missing]
        raise ConfigError("missing AEP provider configuration:\n" + "\n".join(lines))
    try:
        return Settings(**values)
    except pydantic.ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False, include_input=False, include_context=False):
            field = str(err["loc"][0]) if err["loc"] else "?"
            key = KEYS.get(field, (field,))[0]
            message = err["msg"].removeprefix("Value error, ")
            fix = _fix_command(field) if field in KEYS else "remove it"
            problems.append(f"  {key}: {message}; fix with: {fix}")
        raise ConfigError("invalid AEP provider configuration:\n" + "\n".join(problems)) from None
