"""IMS server-to-server (OAuth client credentials) access tokens, cached per process.

One token per (IMS endpoint, client id, scopes, client secret) is shared by every client in the process, so the
plugin asks IMS once per run however many resources it manages and however many of its four worker threads ask at
the same moment (a lock per key makes the others wait for the first). A token is renewed when less than a tenth
of its lifetime (at most five minutes) is left, and on demand after a 401 (``invalidate``).
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

import requests

from provider.client.error_mapping import error_from_response
from provider.errors import AuthError, TransportError
from provider.settings import Settings


@dataclass
class AccessToken:
    value: str = field(repr=False)
    expires_at: float
    renew_at: float

    def __repr__(self) -> str:
        return f"AccessToken(value=***, expires_at={self.expires_at:.0f})"


_CHECK_CLIENT = ("Check aep:clientId and aep:clientSecret (`pulumi config set --secret aep:clientSecret <value>`) "
                 "and aep:imsEndpoint. Already changed them? `pulumi refresh` and `pulumi destroy` use the values "
                 "recorded by the last `pulumi up`: add --run-program to them, or run `pulumi up` first.")
_cache: dict[tuple[str, str, str, str], AccessToken] = {}
_locks: dict[tuple[str, str, str, str], threading.Lock] = {}
_locks_guard = threading.Lock()


def _key(settings: Settings) -> tuple[str, str, str, str]:
    digest = hashlib.sha256(settings.client_secret.get_secret_value().encode()).hexdigest()
    return (settings.ims_endpoint, settings.client_id, settings.scopes, digest)


def _lock_for(key: tuple[str, str, str, str]) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(key, threading.Lock())


def clear_token_cache() -> None:
    """Forget every cached token (tests)."""
    with _locks_guard:
        _cache.clear()


class TokenSource:
    """Gives a valid bearer token for one set of settings; thread-safe."""

    def __init__(self, settings: Settings, session: Callable[[], requests.Session], clock=time.monotonic) -> None:
        self._settings = settings
        self._session = session
        self._clock = clock
        self._key = _key(settings)

    def token(self) -> str:
        current = _cache.get(self._key)
        if current is not None and self._clock() < current.renew_at:
            return current.value
        with _lock_for(self._key):
            current = _cache.get(self._key)
            if current is None or self._clock() >= current.renew_at:
                current = self._fetch()
                _cache[self._key] = current
            return current.value

    def invalidate(self, rejected: str) -> None:
        """Drop the cached token if it is the one the server rejected (another thread may have renewed it)."""
        with _lock_for(self._key):
            current = _cache.get(self._key)
            if current is not None and current.value == rejected:
                del _cache[self._key]

    def _fetch(self) -> AccessToken:
        s = self._settings
        secret = s.client_secret.get_secret_value()
        form = {"grant_type": "client_credentials", "client_id": s.client_id, "client_secret": secret, "scope": s.scopes}
        action = f"IMS token request for client id {s.client_id} at {s.ims_endpoint}"
        try:
            response = self._session().post(s.ims_endpoint, data=form, timeout=s.request_timeout)
        except requests.RequestException as exc:
            raise TransportError(f"{action} failed: {type(exc).__name__}: could not reach IMS") from None
        if response.status_code != 200:
            refused = {status: _CHECK_CLIENT for status in (400, 401, 403)}
            error = error_from_response(response, action, secrets=[secret], hints=refused)
            if response.status_code in refused:
                raise AuthError(error.message, status=error.status, code=error.code) from None
            raise error from None
        try:
            body = response.json()
            value = str(body["access_token"])
            lifetime = float(body.get("expires_in", 3600))
        except (ValueError, KeyError, TypeError):
            raise AuthError(f"{action} returned no access_token") from None
        if lifetime > 10**7:  # some IMS versions answer in milliseconds
            lifetime /= 1000.0
        now = self._clock()
        return AccessToken(value=value, expires_at=now + lifetime, renew_at=now + lifetime - min(300.0, lifetime / 10))
