"""The provider's small error tree.

Every error the provider raises on purpose is an ``AepError``. Messages are written for the person running
``pulumi up``: they name the field, the connection or the HTTP call, and the fix. They never carry a credential:
the dynamic-provider plugin turns exceptions into gRPC errors holding the full traceback text, so anything in a
message ends up in the CLI output. Raise these ``from None`` when the cause might quote secret input.

    AepError
    ├── ConfigError          aep:* configuration missing or invalid
    │   └── ProgramConfigError   refused by the program before it registers anything (also a pulumi.RunError)
    ├── ValidationError      inputs rejected (catalog check, or a 400 from the API)
    ├── AuthError            IMS token refused, or 401/403 from Flow Service
    ├── NotFoundError        404
    ├── ConflictError        409
    │   ├── StaleEtagError   412: the connection changed since the state was written
    │   └── ConnectionInUseError  delete refused: source connections or dataflows still use the connection
    ├── ThrottledError       429 left after retries
    ├── ServerError          5xx left after retries
    ├── TransportError       no usable reply (connection reset, timeout)
    └── VerificationError    GET /connections/{id}/test answered false
"""

from __future__ import annotations

from typing import Optional

from pulumi.errors import RunError


class AepError(Exception):
    """Base class. ``status`` is the HTTP status when one was received; ``code`` Adobe's error code if given."""

    def __init__(
        self,
        message: str,
        *,
        status: Optional[int] = None,
        code: Optional[str] = None,
        request_id: Optional[str] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.request_id = request_id

    def __str__(self) -> str:
        return self.message


class ConfigError(AepError):
    """A configuration key is missing or invalid; the message names the ``pulumi config set`` command."""


class ProgramConfigError(ConfigError, RunError):
    """The program's own check of the stack config failed (provider/program_guard.py), so nothing was registered.

    A ``pulumi.RunError``: the SDK prints the message once, without a traceback, and the program stops."""


class ValidationError(AepError):
    """The request was invalid (checked locally against the catalog, or rejected by the API with 400)."""


class AuthError(AepError):
    """IMS refused the client credentials, or Flow Service refused the token or the org/sandbox."""


class NotFoundError(AepError):
    """The connection (or path) does not exist in that org and sandbox."""


class ConflictError(AepError):
    """The API refused the write because of the current state of the resource."""


class StaleEtagError(ConflictError):
    """``If-Match`` did not match: someone changed the connection since Pulumi last saw it."""


class ConnectionInUseError(ConflictError):
    """Refused before any DELETE: source connections (and the dataflows reading them) still use the connection.
    The message names each of them, the sandbox and the fix (delete or repoint them, or ``force_delete``)."""


class ThrottledError(AepError):
    """Still throttled (429) after the retry budget was spent."""


class ServerError(AepError):
    """The service kept failing (5xx) after the retry budget was spent."""


class TransportError(AepError):
    """No usable reply: the connection failed, was reset or timed out."""


class VerificationError(AepError):
    """The connection test endpoint reported that the source could not be reached with these settings."""
