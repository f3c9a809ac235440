"""Error responses in Adobe's shapes.

Three families, each matching what the real service in front of it returns:

* ``GatewayError`` - Adobe I/O gateway: ``{"error_code": "403010", "message": "..."}``.
* ``FlowError`` - Flow Service: ``{"type": ".../FLOW-<code>-<status>", "title", "status", "detail", "report"}``.
  Data Prep and Catalog answer in the same shape under their own prefix (``service="CONV"``/``"CAT"``; the
  prefixes are the emulator's, Adobe's pages document no catalogue of their codes).
* ``ImsError`` - IMS token endpoint: ``{"error": "invalid_client", "error_description": "..."}``.
"""
from __future__ import annotations

from typing import Any

ERROR_TYPE = "https://ns.adobe.com/aep/errors/{service}-{code}-{status}"
IMS_PREFIX = "/ims/"
SERVICE_PREFIXES = (("/data/foundation/conversion", "CONV"), ("/data/foundation/catalog", "CAT"))


def service_for(path: str) -> str:
    """The error-type prefix of the service at ``path``: Data Prep (CONV), Catalog (CAT), else Flow Service."""
    return next((service for prefix, service in SERVICE_PREFIXES if path.startswith(prefix)), "FLOW")

# Titles follow Adobe's Flow Service error catalog.
_FLOW_TITLES = {
    400: "Invalid request",
    404: "Resource not found",
    412: "Version not matching",
    415: "Unsupported media type",
    500: "Internal Error",
    503: "Service Unavailable",
}


class EmulatorError(Exception):
    """Base of every error the emulator turns into an HTTP response."""

    status: int = 500

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})

    def body(self, tenant: dict[str, str] | None = None) -> dict[str, Any] | None:
        raise NotImplementedError


class GatewayError(EmulatorError):
    """Rejected by the API gateway before Flow Service sees the request."""

    def __init__(self, status: int, error_code: str, message: str, headers: dict[str, str] | None = None):
        super().__init__(status, message, headers)
        self.error_code = error_code

    def body(self, tenant: dict[str, str] | None = None) -> dict[str, Any]:
        return {"error_code": self.error_code, "message": self.message}


class FlowError(EmulatorError):
    """A Flow Service error (or Data Prep's, Catalog's: ``service``); ``code`` is the <service>-<code> number,
    ``status`` the HTTP status."""

    def __init__(
        self,
        code: int,
        status: int,
        message: str,
        *,
        title: str | None = None,
        context: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        service: str = "FLOW",
    ):
        super().__init__(status, message, headers)
        self.code = code
        self.service = service
        self.title = title or _FLOW_TITLES.get(status, "Error")
        self.context = context or {}

    @property
    def type(self) -> str:
        return ERROR_TYPE.format(service=self.service, code=self.code, status=self.status)

    def for_path(self, path: str) -> "FlowError":
        """The error as the service at ``path`` sends it: checks shared by every service (body, gateway headers,
        paging) are raised in Flow Service's shape and rendered in the shape of the service that was called."""
        if self.service == "FLOW":
            self.service = service_for(path)
        return self

    def body(self, tenant: dict[str, str] | None = None) -> dict[str, Any]:
        report: dict[str, Any] = {"detailed-message": self.message}
        if tenant:
            report["tenantInfo"] = tenant
        if self.context:
            report["additionalContext"] = self.context
        return {
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.message,
            "report": report,
        }


class ImsError(EmulatorError):
    """An OAuth error from the IMS token endpoint."""

    def __init__(self, status: int, error: str, description: str, headers: dict[str, str] | None = None):
        super().__init__(status, description, headers)
        self.error = error

    def body(self, tenant: dict[str, str] | None = None) -> dict[str, Any]:
        return {"error": self.error, "error_description": self.message}


class NotModified(EmulatorError):
    """Not an error: a conditional GET whose representation the client already has (304, no body)."""

    def __init__(self, headers: dict[str, str]):
        super().__init__(304, "Not Modified", headers)

    def body(self, tenant: dict[str, str] | None = None) -> None:
        return None


def edge_error(path: str, status: int, message: str, headers: dict[str, str] | None = None) -> EmulatorError:
    """An error found before any route ran (size limits, unknown methods): IMS's OAuth shape on the IMS
    endpoint, the gateway's shape everywhere else (``error_code`` is the status followed by ``000``)."""
    if path.startswith(IMS_PREFIX):
        return ImsError(status, "invalid_request", message, headers)
    return GatewayError(status, f"{status}000", message, headers)


def bad_request(message: str, *, field: str | None = None, code: int = 1100, service: str = "FLOW") -> FlowError:
    """A 400 that names the offending field, so a caller can fix its request."""
    return FlowError(code, 400, message, context={"field": field} if field else None, service=service)


def not_found(kind: str, ident: str, service: str = "FLOW") -> FlowError:
    return FlowError(1101, 404, f"The requested resource is not found: {kind} with id '{ident}' does not exist.",
                     service=service)
