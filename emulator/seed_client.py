"""The few calls ``python -m emulator.seed`` makes, over the emulator's public HTTP API exactly as any AEP
client would (an IMS token, then Flow Service with the gateway headers); never through its internals.

Every failure becomes a ``SeedError`` whose message is one line saying what went wrong and what to do.
"""
from __future__ import annotations

from typing import Any

import requests

from emulator.request_log import FLOW, IMS_TEMPLATE

TIMEOUT = 10
SCOPE = "openid,AdobeID,read_organizations"


class SeedError(Exception):
    """A failure to report as one line (exit status 1)."""


def _reason(response: requests.Response) -> str:
    """The message in any of the emulator's error shapes (Flow Service, gateway, IMS), else the raw text."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict):
        for key in ("detail", "message", "error_description", "title"):
            if isinstance(body.get(key), str):
                return body[key]
    return " ".join(response.text.split())[:200] or response.reason or "no message"


class SeedClient:
    def __init__(self, url: str, org_id: str, client_id: str, client_secret: str):
        self.url = url.rstrip("/")
        self.org_id = org_id
        self.client_id = client_id
        self._client_secret = client_secret
        self._token: str | None = None
        self._session = requests.Session()

    def __repr__(self) -> str:
        return f"SeedClient(url={self.url!r}, org_id={self.org_id!r}, client_id={self.client_id!r})"

    def close(self) -> None:
        self._session.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = self._session.request(method, self.url + path, timeout=TIMEOUT, **kwargs)
        except requests.ConnectionError:
            raise SeedError(f"cannot reach the emulator at {self.url}: is it running? Start it with `make up` "
                            "or `.venv/bin/python -m emulator`, or pass --url") from None
        except requests.RequestException as exc:
            raise SeedError(f"{method} {self.url}{path} failed: {type(exc).__name__}") from None
        if response.status_code >= 400:
            raise SeedError(f"{method} {path} -> {response.status_code}: {_reason(response)}")
        try:
            return response.json()
        except ValueError:
            raise SeedError(f"{method} {self.url}{path} did not answer JSON: is --url the emulator?") from None

    def _headers(self, sandbox: str) -> dict[str, str]:
        if self._token is None:
            reply = self._call("POST", IMS_TEMPLATE, data={
                "grant_type": "client_credentials", "client_id": self.client_id,
                "client_secret": self._client_secret, "scope": SCOPE})
            self._token = reply.get("access_token") if isinstance(reply, dict) else None
            if not isinstance(self._token, str):
                raise SeedError(f"POST {IMS_TEMPLATE} answered without an access_token: is --url the emulator?")
        return {"Authorization": f"Bearer {self._token}", "x-api-key": self.client_id,
                "x-gw-ims-org-id": self.org_id, "x-sandbox-name": sandbox}

    def auth_schema(self, sandbox: str, spec_id: str, auth_name: str) -> dict[str, Any]:
        """The JSON schema of one auth spec of a connection spec, or a ``SeedError`` naming the ones it has."""
        path = f"{FLOW}/connectionSpecs/{spec_id}"
        reply = self._call("GET", path, headers=self._headers(sandbox))
        try:
            spec = reply["items"][0]
            schemas = {auth["name"]: auth["spec"] for auth in spec["authSpec"]}
        except (KeyError, IndexError, TypeError):
            raise SeedError(f"GET {path} answered no connection spec: is --url the emulator?") from None
        if auth_name not in schemas:
            raise SeedError(f"connection spec {spec_id} ({spec.get('name')}) has no auth spec {auth_name!r}; "
                            f"its auth specs: {', '.join(repr(n) for n in schemas)}")
        return schemas[auth_name]

    def call(self, method: str, path: str, sandbox: str, body: Any = None) -> Any:
        """Any public API call (``path`` from the origin, e.g. ``/data/foundation/catalog/dataSets``)."""
        return self._call(method, path, json=body, headers=self._headers(sandbox))

    def create_connection(self, sandbox: str, body: dict[str, Any]) -> dict[str, Any]:
        """POST /connections; the reply holds the new ``id`` and ``etag``."""
        reply = self._call("POST", f"{FLOW}/connections", json=body, headers=self._headers(sandbox))
        if not isinstance(reply, dict) or not isinstance(reply.get("id"), str):
            raise SeedError(f"POST {FLOW}/connections answered without an id: is --url the emulator?")
        return reply
