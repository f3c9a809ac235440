"""IMS access tokens: issue for a known client, check on every Flow Service call, expire on demand.

The configured client always exists; tests may register extra clients (other orgs) through the control API.
Tokens live in the store, so a restarted file-backed emulator still accepts them until they expire.
"""
from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass

from emulator.errors import ImsError
from emulator.settings import EmulatorSettings

from .store import Store


@dataclass(frozen=True)
class TokenInfo:
    client_id: str
    org: str


class Tokens:
    def __init__(self, store: Store, settings: EmulatorSettings):
        self._store = store
        self._settings = settings

    def _client(self, client_id: str) -> tuple[str, str] | None:
        stored = self._store.get_client(client_id)  # a rotated secret of the configured client is stored too
        if stored is None and client_id == self._settings.client_id:
            return self._settings.client_secret, self._settings.org_id
        return stored

    def issue(self, grant_type: str | None, client_id: str | None, client_secret: str | None) -> dict:
        if grant_type != "client_credentials":
            raise ImsError(400, "unsupported_grant_type", "grant_type must be client_credentials")
        if not client_id:
            raise ImsError(400, "invalid_request", "missing client_id parameter")
        if not client_secret:
            raise ImsError(400, "invalid_request", "missing client_secret parameter")
        known = self._client(client_id)
        if known is None:
            raise ImsError(400, "invalid_client", "invalid client_id parameter")
        expected_secret, org = known
        if not hmac.compare_digest(expected_secret.encode(), client_secret.encode()):
            raise ImsError(401, "invalid_client", "invalid client_secret parameter")
        token = "eyJ" + secrets.token_urlsafe(48)
        ttl = self._settings.token_ttl
        self._store.insert_token(token, client_id, org, time.time() + ttl)
        return {"access_token": token, "token_type": "bearer", "expires_in": ttl}

    def check(self, token: str) -> TokenInfo | None:
        """The token's client and org, or None when unknown, expired or revoked."""
        row = self._store.get_token(token)
        if row is None:
            return None
        client_id, org, expires_at = row
        if time.time() >= expires_at:
            return None
        return TokenInfo(client_id=client_id, org=org)

    def expire_all(self) -> None:
        self._store.clear_tokens()

    def add_client(self, client_id: str, client_secret: str, org: str) -> None:
        if client_id == self._settings.client_id:
            raise ValueError(f"client_id '{client_id}' is the configured client; choose another id")
        self._store.put_client(client_id, client_secret, org)

    def rotate_secret(self, client_id: str, new_secret: str) -> None:
        """Replace a client's secret (until reset): the old one is refused and its tokens are revoked."""
        known = self._client(client_id)
        if known is None:
            raise ValueError(f"unknown client_id '{client_id}'")
        self._store.put_client(client_id, new_secret, known[1])
        self._store.delete_tokens(client_id)
