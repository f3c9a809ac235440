"""``EmulatorControl``: what a test needs to drive the emulator - addresses, credentials, tokens, headers,
and the test-only control API (request log, faults, token expiry, raw state).

Handed out by the root ``emulator`` fixture (state, faults and log already reset). Control calls use plain
``requests`` with a timeout; they are never faulted or logged by the emulator.
"""
from __future__ import annotations

from typing import Any

import requests

TIMEOUT = 10
FLOW_PATH = "/data/foundation/flowservice"
IMS_PATH = "/ims/token/v3"


class EmulatorControl:
    def __init__(self, url: str, org_id: str, client_id: str, client_secret: str):
        self.url = url.rstrip("/")
        self.flow_url = self.url + FLOW_PATH
        self.ims_url = self.url + IMS_PATH
        self.org_id = org_id
        self.client_id = client_id
        self.client_secret = client_secret
        self._token: str | None = None

    @classmethod
    def for_server(cls, server: Any) -> "EmulatorControl":
        return cls(server.url, server.org_id, server.client_id, server.client_secret)

    def __repr__(self) -> str:
        return f"EmulatorControl(url={self.url!r}, org_id={self.org_id!r}, client_id={self.client_id!r})"

    def _control(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        response = requests.request(method, f"{self.url}/_emulator/{path}", timeout=TIMEOUT, **kwargs)
        if response.status_code >= 400:
            raise AssertionError(f"emulator control {method} /_emulator/{path} -> {response.status_code}: "
                                 f"{response.text}")
        return response

    # credentials -----------------------------------------------------------------------------------------
    def token(self, *, fresh: bool = False) -> str:
        """An IMS access token for the configured client (cached until ``expire_tokens`` or ``fresh=True``)."""
        if self._token is None or fresh:
            response = requests.post(self.ims_url, timeout=TIMEOUT, data={
                "grant_type": "client_credentials", "client_id": self.client_id,
                "client_secret": self.client_secret, "scope": "openid,AdobeID,read_organizations",
            })
            response.raise_for_status()
            self._token = response.json()["access_token"]
        return self._token

    def headers(self, sandbox: str | None = "prod") -> dict[str, str]:
        """Every header Flow Service needs; ``sandbox=None`` leaves out x-sandbox-name."""
        out = {
            "Authorization": f"Bearer {self.token()}",
            "x-api-key": self.client_id,
            "x-gw-ims-org-id": self.org_id,
            "Content-Type": "application/json",
        }
        if sandbox is not None:
            out["x-sandbox-name"] = sandbox
        return out

    def expire_tokens(self) -> None:
        """Every token issued so far becomes invalid (401 on next use); the cache is dropped too."""
        self._control("POST", "tokens/expire")
        self._token = None

    def add_client(self, client_id: str, client_secret: str, org_id: str) -> None:
        """Register another IMS client in another org (cleared by reset)."""
        self._control("POST", "clients", json={"client_id": client_id, "client_secret": client_secret,
                                               "org_id": org_id})

    def rotate_secret(self, new_secret: str, client_id: str | None = None) -> None:
        """The client (default: the configured one) gets ``new_secret``; the old secret and its tokens stop working."""
        self._control("POST", f"clients/{client_id or self.client_id}/secret", json={"client_secret": new_secret})
        self._token = None

    # state -----------------------------------------------------------------------------------------------
    def reset(self) -> None:
        self._control("POST", "reset")

    def connections(self) -> list[dict[str, Any]]:
        """Every stored connection across orgs and sandboxes, with ``org``, ``sandbox`` and UNMASKED params."""
        return self._control("GET", "connections").json()["items"]

    # pipeline objects, in the configured org (emulator/routes/control_pipeline.py) ---------------------------
    def create_dataset(self, sandbox: str, name: str, schema_id: str) -> str:
        """A Catalog dataset made by hand (as in the AEP UI); its id."""
        return self._control("POST", f"sandboxes/{sandbox}/datasets",
                             json={"name": name, "schemaId": schema_id}).json()["id"]

    def datasets(self, sandbox: str) -> list[dict[str, Any]]:
        """Every dataset of ``sandbox``, each with its ``id`` and Catalog's fields."""
        return self._control("GET", f"sandboxes/{sandbox}/datasets").json()["items"]

    def flows(self, sandbox: str) -> list[dict[str, Any]]:
        return self._control("GET", f"sandboxes/{sandbox}/flows").json()["items"]

    def get_flow(self, sandbox: str, flow_id: str) -> dict[str, Any]:
        return self._control("GET", f"sandboxes/{sandbox}/flows/{flow_id}").json()

    def patch_flow(self, sandbox: str, flow_id: str, ops: list[dict[str, Any]]) -> dict[str, Any]:
        """An out-of-band edit of a dataflow, sent with its current etag as a person in the UI would (client
        ``exc_app``; the API's rules apply); the flow afterwards."""
        return self._control("PATCH", f"sandboxes/{sandbox}/flows/{flow_id}", json=ops).json()

    def mapping_set(self, sandbox: str, mapping_set_id: str, version: int | None = None) -> dict[str, Any]:
        """A mapping set as Data Prep shows it: the latest version, or ``version``."""
        params = {} if version is None else {"version": str(version)}
        return self._control("GET", f"sandboxes/{sandbox}/mappingSets/{mapping_set_id}", params=params).json()

    def source_connections(self, sandbox: str) -> list[dict[str, Any]]:
        return self._control("GET", f"sandboxes/{sandbox}/sourceConnections").json()["items"]

    def target_connections(self, sandbox: str) -> list[dict[str, Any]]:
        return self._control("GET", f"sandboxes/{sandbox}/targetConnections").json()["items"]

    # what the service does by itself (emulator/backend/service_side.py) ------------------------------------
    def run_service_updates(self) -> int:
        """Apply every pending service-side update now; how many there were."""
        return self._control("POST", "service-updates").json()["applied"]

    def set_service_delay(self, seconds: float) -> None:
        """Seconds from create to the service's own update, for connections created from now on (reset restores it)."""
        self._control("PUT", "service-updates", json={"delay": seconds})

    def service_edit(self, connection_id: str, *, params: dict[str, Any] | None = None,
                     remove: list[str] | None = None, mask: str | None = None) -> str:
        """Change a connection as the service would (new etag, ``updatedBy`` the service); its new etag."""
        body: dict[str, Any] = {"params": params or {}, "remove": remove or []}
        if mask:
            body["mask"] = mask
        return self._control("POST", f"connections/{connection_id}/service-edit", json=body).json()["etag"]

    # request log -----------------------------------------------------------------------------------------
    def request_log(self) -> dict[str, Any]:
        """The whole log: ``{"total", "counts", "requests"}``."""
        return self._control("GET", "requests").json()

    def requests(self) -> list[dict[str, Any]]:
        """Logged requests in order: ``{"method", "path", "template", "status", "sandbox", "fault"}``."""
        return self.request_log()["requests"]

    def counts(self) -> dict[str, int]:
        """Requests per ``"METHOD template"``, e.g. ``"POST /data/foundation/flowservice/connections"``."""
        return self.request_log()["counts"]

    def clear_log(self) -> None:
        self._control("DELETE", "requests")

    # faults ----------------------------------------------------------------------------------------------
    def set_faults(self, **cfg: Any) -> dict[str, Any]:
        """``set_faults(seed=1, rates={"429": 0.2}, script=[{"method": "POST", "fault": "drop"}], ...)``."""
        return self._control("PUT", "faults", json=cfg).json()

    def clear_faults(self) -> None:
        self._control("DELETE", "faults")

    def fault_config(self) -> dict[str, Any]:
        """Current configuration, remaining script and ``injected`` counts."""
        return self._control("GET", "faults").json()

    def fault_stats(self) -> dict[str, int]:
        """How many faults of each kind were injected: ``{"429": n, "500": n, ..., "commit_drop": n}``."""
        return self.fault_config()["injected"]
