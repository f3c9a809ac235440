"""Changes made outside Pulumi: someone in the AEP UI, or another tool, editing connections through the public
API with their own IMS token (any client the emulator knows, in any org)."""

from __future__ import annotations

from typing import Any, Optional

import requests

TIMEOUT = 10


class OutsidePulumi:
    def __init__(self, emulator: Any, *, client_id: Optional[str] = None, client_secret: Optional[str] = None,
                 org_id: Optional[str] = None) -> None:
        self.emulator = emulator
        self.client_id = client_id or emulator.client_id
        self.client_secret = client_secret or emulator.client_secret
        self.org_id = org_id or emulator.org_id

    def headers(self, sandbox: str) -> dict[str, str]:
        token = requests.post(self.emulator.ims_url, timeout=TIMEOUT, data={
            "grant_type": "client_credentials", "client_id": self.client_id, "client_secret": self.client_secret,
            "scope": "openid"}).json()["access_token"]
        return {"Authorization": f"Bearer {token}", "x-api-key": self.client_id, "x-gw-ims-org-id": self.org_id,
                "x-sandbox-name": sandbox, "Content-Type": "application/json"}

    def get(self, ident: str, sandbox: str = "prod") -> dict[str, Any]:
        response = requests.get(f"{self.emulator.flow_url}/connections/{ident}", headers=self.headers(sandbox),
                                timeout=TIMEOUT)
        assert response.status_code == 200, response.text
        return response.json()["items"][0]

    def patch(self, ident: str, ops: list[dict[str, Any]], sandbox: str = "prod") -> str:
        """Apply JSON Patch ``ops`` with the current etag; return the new etag."""
        etag = self.get(ident, sandbox)["etag"]
        response = requests.patch(f"{self.emulator.flow_url}/connections/{ident}", json=ops, timeout=TIMEOUT,
                                  headers={**self.headers(sandbox), "If-Match": etag})
        assert response.status_code == 200, response.text
        return response.json()["etag"]

    def rename(self, ident: str, name: str, sandbox: str = "prod") -> str:
        return self.patch(ident, [{"op": "replace", "path": "/name", "value": name}], sandbox)
