"""Flow Service base-connection client: one method per API call the provider makes.

Retries of idempotent calls live in the session (provider/client/http.py). This module handles what a retry
policy cannot decide alone:
  * 401: renew the IMS token once and repeat the call.
  * POST with an ambiguous outcome (reset after sending, 5xx): look the connection up by name
    (``property=name==...``) and connection spec, adopt it if it was created, else send the POST again.
    A duplicate is never created.
  * PATCH with If-Match, an ambiguous outcome or a 412: provider/client/guarded_patch.py, shared by every
    Flow Service object.
"""

from __future__ import annotations

import logging
import time
from typing import Any, Callable, Iterable, Optional

import requests

from provider.client.auth import TokenSource
from provider.client.error_mapping import error_from_response, redact
from provider.client.guarded_patch import Target, guarded_patch
from provider.client.http import ThreadSessions
from provider.client.models import Connection, ConnectionCreate, WriteResult
from provider.errors import AepError, NotFoundError, TransportError
from provider.settings import Settings

log = logging.getLogger("provider.client")

# A connection found after an ambiguous POST is ours only if it was created after we started (minus clock skew).
CLOCK_SKEW_MS = 5 * 60 * 1000
POST_ATTEMPTS = 3
MAX_LIST_PAGES = 20
MAX_ALL_PAGES = 1000
LIST_PAGE_SIZE = 100


class FlowServiceClient:
    """Thread-safe client for one org (settings); the sandbox is chosen per call."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._sessions = ThreadSessions(settings.ims_endpoint, settings.max_retries, settings.max_retry_wait)
        self._tokens = TokenSource(settings, self._sessions.get)

    def __repr__(self) -> str:
        return f"FlowServiceClient(org_id={self.settings.org_id!r}, endpoint={self.settings.endpoint!r})"

    # -- plumbing -------------------------------------------------------------------------------------------

    def secrets(self, extra: Iterable[Any] = ()) -> list[Any]:
        return [self.settings.client_secret.get_secret_value(), *extra]

    def send(
        self,
        method: str,
        path: str,
        sandbox: str,
        *,
        json: Any = None,
        params: Optional[dict[str, str]] = None,
        headers: Optional[dict[str, str]] = None,
        secrets: Iterable[Any] = (),
        service: Optional[str] = None,
    ) -> requests.Response:
        """One call (plus the session's retries, plus one token renewal on 401). Raises TransportError only.
        ``service``: another Platform API than Flow Service (``conversion``, ``catalog``; Settings.service_url)."""
        url = self.settings.service_url(service) + path
        for attempt in (1, 2):
            token = self._tokens.token()
            all_headers = {
                "Authorization": f"Bearer {token}",
                "x-api-key": self.settings.client_id,
                "x-gw-ims-org-id": self.settings.org_id,
                "x-sandbox-name": sandbox,
                "Accept": "application/json",
            }
            if json is not None:
                all_headers["Content-Type"] = "application/json"
            all_headers.update(headers or {})
            try:
                response = self._sessions.get().request(
                    method, url, json=json, params=params, headers=all_headers, timeout=self.settings.request_timeout
                )
            except requests.RequestException as exc:
                reason = redact(str(exc), self.secrets([token, *secrets]))[:300]
                raise TransportError(
                    f"{method} {path} (sandbox {sandbox}) got no usable reply: {type(exc).__name__}: {reason}"
                ) from None
            log.debug("%s %s sandbox=%s -> %s", method, path, sandbox, response.status_code)
            if response.status_code == 401 and attempt == 1:
                log.info("token rejected (401); renewing it once")
                self._tokens.invalidate(token)
                continue
            return response
        return response

    def call(self, method: str, path: str, sandbox: str, action: str, ok: tuple[int, ...], **kw) -> requests.Response:
        """``send``, and an ``AepError`` (secrets redacted) for any status not in ``ok``."""
        response = self.send(method, path, sandbox, **kw)
        if response.status_code not in ok:
            hints = {404: _no_such_sandbox(sandbox)} if path == "/connections" else None
            raise error_from_response(response, action, self.secrets(kw.get("secrets", ())), hints=hints) from None
        return response

    # -- reads ----------------------------------------------------------------------------------------------

    def get_connection(self, sandbox: str, connection_id: str) -> Connection:
        """GET /connections/{id}; NotFoundError if it does not exist in that sandbox."""
        action = f"reading connection {connection_id} in sandbox {sandbox}"
        response = self.call("GET", f"/connections/{connection_id}", sandbox, action, (200,))
        items = response.json().get("items") or []
        if not items:
            raise NotFoundError(f"{action} failed: the API returned no item", status=200)
        return Connection.model_validate(items[0])

    def find_connections(
        self, sandbox: str, name: str, connection_spec_id: Optional[str] = None, *, page_size: Optional[int] = None
    ) -> list[Connection]:
        """All connections named ``name``, optionally of one connection spec, following continuation tokens.

        Filters server-side with ``property=name==<name>``; a comma inside ``property`` means OR in Adobe's query
        language, so for such names it filters on the spec id instead and compares names here."""
        if "," in name and connection_spec_id:
            query = {"property": f"connectionSpec.id=={connection_spec_id}"}
        elif "," in name:
            query = {}
        else:
            query = {"property": f"name=={name}"}
        if page_size:
            query["limit"] = str(page_size)
        action = f"listing connections named {name!r} in sandbox {sandbox}"
        return [
            conn
            for conn in self._list(sandbox, query, action, MAX_LIST_PAGES, complete=False)
            if conn.name == name and (connection_spec_id is None or conn.connectionSpec.id == connection_spec_id)
        ]

    def list_connections(self, sandbox: str, *, page_size: int = LIST_PAGE_SIZE) -> list[Connection]:
        """Every base connection of the sandbox (``limit`` per page, oldest first, every continuation page).

        Raises TransportError rather than return a partial list when the pages do not end."""
        query = {"limit": str(page_size), "orderby": "createdAt"}
        action = f"listing the connections of sandbox {sandbox}"
        return self._list(sandbox, query, action, MAX_ALL_PAGES, complete=True)

    def _list(
        self, sandbox: str, query: dict[str, str], action: str, max_pages: int, *, complete: bool
    ) -> list[Connection]:
        items = self.list_items("/connections", sandbox, query, action, max_pages=max_pages, complete=complete)
        return [Connection.model_validate(item) for item in items]

    def list_items(
        self, path: str, sandbox: str, query: dict[str, str], action: str, *,
        max_pages: int = MAX_LIST_PAGES, complete: bool = False, missing_ok: bool = False,
    ) -> list[Any]:
        """GET a collection page by page, following the continuation token (or ``_links.next.href``); the raw items.

        ``complete``: raise rather than return part of the list when the pages do not end. ``missing_ok``: a 404
        on the collection (its sandbox is gone) is an empty list."""
        found: list[Any] = []
        params, seen = dict(query), set()
        for _page in range(max_pages):
            response = self.call("GET", path, sandbox, action, (200, 404) if missing_ok else (200,), params=params)
            if missing_ok and response.status_code == 404:
                return found
            body = response.json()
            found += body.get("items") or []
            token = _continuation(body)
            if not token:
                return found
            if token in seen:
                break
            seen.add(token)
            params = {**query, "continuationToken": token}
        if complete:
            raise TransportError(f"{action}: the pages did not end after {len(seen) + 1} (a continuation token came "
                                 "back twice, or too many pages); stopped rather than return part of the list")
        return found

    def test_connection(self, sandbox: str, connection_id: str) -> bool:
        """GET /connections/{id}/test → whether Flow Service could reach the source with the stored settings."""
        action = f"testing connection {connection_id} in sandbox {sandbox}"
        body = self.call("GET", f"/connections/{connection_id}/test", sandbox, action, (200,)).json()
        if isinstance(body, dict) and "result" in body:
            return bool(body["result"])
        return bool(body)

    # -- writes ---------------------------------------------------------------------------------------------

    def create_connection(self, sandbox: str, create: ConnectionCreate) -> tuple[WriteResult, bool]:
        """POST /connections. Returns (result, adopted): adopted is True when an ambiguous POST had in fact
        created the connection and it was found by name instead of being created again."""
        secrets = list(create.auth.params.values())
        action = f"creating connection {create.name!r} in sandbox {sandbox}"
        started_ms = int(time.time() * 1000)
        for attempt in range(1, POST_ATTEMPTS + 1):
            try:
                response = self.send("POST", "/connections", sandbox, json=create.body(), secrets=secrets)
            except TransportError as exc:
                ambiguous: AepError = exc
            else:
                if response.status_code in (200, 201):
                    return WriteResult.model_validate(response.json()), False
                ambiguous = error_from_response(response, action, self.secrets(secrets),
                                                hints={404: _no_such_sandbox(sandbox)})
                if response.status_code < 500:
                    raise ambiguous from None
            try:
                mine = self._find_created(sandbox, create, started_ms)
            except AepError as lookup:
                raise TransportError(
                    f"{action}: the outcome is unknown ({ambiguous.message}) and looking it up failed too "
                    f"({lookup.message}). It may exist: look for a connection named {create.name!r} in sandbox "
                    f"{sandbox}: the next `pulumi up` takes it over if it carries this resource's create marker "
                    "(provider/client/create_marker.py); otherwise set adopt_id to its id (or delete it) first."
                ) from None
            if mine is not None:
                log.warning("%s: outcome was ambiguous (%s); adopting %s created by it", action, ambiguous, mine.id)
                return WriteResult.of(mine), True
            if attempt == POST_ATTEMPTS:
                raise type(ambiguous)(
                    f"{ambiguous.message} No connection named {create.name!r} was created; it is safe to run again.",
                    status=ambiguous.status,
                    code=ambiguous.code,
                ) from None
            log.warning("%s: outcome was ambiguous (%s) and nothing was created; sending it again", action, ambiguous)
            time.sleep(min(0.2 * attempt, self.settings.max_retry_wait))
        raise AssertionError("unreachable")

    def _find_created(self, sandbox: str, create: ConnectionCreate, started_ms: int) -> Optional[Connection]:
        candidates = [
            c
            for c in self.find_connections(sandbox, create.name, create.connectionSpec.id)
            if (c.auth is None or c.auth.specName == create.auth.specName)
            and (c.createdAt is None or c.createdAt >= started_ms - CLOCK_SKEW_MS)
        ]
        candidates.sort(key=lambda c: c.createdAt or 0, reverse=True)
        return candidates[0] if candidates else None

    def update_connection(
        self,
        sandbox: str,
        connection_id: str,
        etag: str,
        operations: list[dict[str, Any]],
        applied: Callable[[Connection], bool],
        unchanged: Optional[Callable[[Connection], bool]] = None,
    ) -> WriteResult:
        """PATCH /connections/{id} (JSON Patch) with If-Match (provider/client/guarded_patch.py). ``applied(current)``
        tells whether a connection read back after an ambiguous PATCH already shows the wanted (non-secret) values;
        ``unchanged(current)`` whether it still shows what the state recorded, so that a new etag can only be the
        service's own doing."""
        target = Target(f"/connections/{connection_id}", "connection", connection_id, sandbox,
                        lambda: self.get_connection(sandbox, connection_id))
        return guarded_patch(self, target, etag, operations, applied, unchanged)

    def delete_connection(self, sandbox: str, connection_id: str) -> bool:
        """DELETE /connections/{id}; False when it was already gone (404)."""
        action = f"deleting connection {connection_id} in sandbox {sandbox}"
        response = self.call("DELETE", f"/connections/{connection_id}", sandbox, action, (200, 202, 204, 404))
        return response.status_code != 404


def _no_such_sandbox(sandbox: str) -> str:
    """Advice for a 404 on /connections itself: the sandbox, not a connection, is missing."""
    return (f"Sandbox {sandbox!r} does not exist in this org, or this credential cannot use it: check sandbox= (or "
            "aep:sandbox, or the stack name) against the sandboxes in the AEP UI; names are lowercase, e.g. prod.")


def _continuation(body: dict[str, Any]) -> Optional[str]:
    token = body.get("continuationToken")
    if token:
        return str(token)
    href = ((body.get("_links") or {}).get("next") or {}).get("href") or ""
    if "continuationToken=" in href:
        return requests.utils.unquote(href.split("continuationToken=", 1)[1].split("&", 1)[0])
    return None
