"""requests sessions with per-method urllib3 retry policies.

What is retried automatically, and why:
  GET, DELETE   429 (Retry-After honoured), 500/502/503/504, connection and read errors. Both are idempotent
                (a repeated DELETE answers 404, which the client counts as deleted), so even a 500, which
                Adobe documents as "try again", costs one more call instead of a failed `pulumi up`.
  PATCH         429 and 502/503/504 (rejected before the write), connection errors. Not read errors nor 500:
                a reset after sending or an internal error may come after the write, so the client resolves
                those itself by reading the connection (the write carries If-Match).
  POST          429 and connection errors only (nothing was written). A 5xx or a reset after sending is
                ambiguous and never blindly retried: FlowServiceClient looks the connection up first.
  IMS token     everything GET gets: asking for a token twice is harmless.
Every Retry-After wait is capped at ``max_wait`` seconds so a hostile or mistaken header cannot stall a run.

requests sessions are not documented as thread-safe and the plugin serves up to four calls at once, so each
thread gets its own session (``ThreadSessions``).
"""

from __future__ import annotations

import threading
from typing import Optional

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

RETRY_STATUSES = frozenset({429, 502, 503, 504})
IDEMPOTENT_RETRY_STATUSES = RETRY_STATUSES | {500}


class CappedRetry(Retry):
    """urllib3 Retry whose Retry-After waits are capped at ``max_wait`` seconds.

    ``retry_after_statuses`` narrows urllib3's rule "retry any 413/429/503 that carries Retry-After", which
    would otherwise repeat a POST after a 503."""

    def __init__(
        self, *args, max_wait: float = 30.0, retry_after_statuses: frozenset[int] = frozenset({429, 503}), **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.max_wait = max_wait
        self.RETRY_AFTER_STATUS_CODES = retry_after_statuses

    def new(self, **kw):  # type: ignore[override]
        retry = super().new(**kw)
        retry.max_wait = self.max_wait
        retry.RETRY_AFTER_STATUS_CODES = self.RETRY_AFTER_STATUS_CODES
        return retry

    def get_retry_after(self, response):  # type: ignore[override]
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, self.max_wait)


def retry_policies(max_retries: int, max_wait: float) -> dict[str, CappedRetry]:
    """The Retry object for each HTTP method (see module docstring)."""

    def policy(methods: set[str], statuses: frozenset[int], read: bool) -> CappedRetry:
        return CappedRetry(
            total=max_retries,
            connect=max_retries,
            read=max_retries if read else False,
            status=max_retries,
            other=0,
            allowed_methods=frozenset(methods),
            status_forcelist=statuses,
            backoff_factor=0.1,
            backoff_max=max_wait,
            respect_retry_after_header=True,
            raise_on_status=False,
            raise_on_redirect=False,
            max_wait=max_wait,
            retry_after_statuses=statuses & {429, 503},
        )

    idempotent = policy({"GET", "DELETE"}, IDEMPOTENT_RETRY_STATUSES, read=True)
    return {
        "GET": idempotent,
        "DELETE": idempotent,
        "PATCH": policy({"PATCH"}, RETRY_STATUSES, read=False),
        "POST": policy({"POST"}, frozenset({429}), read=False),
    }


class MethodRetryAdapter(HTTPAdapter):
    """HTTPAdapter that picks the Retry policy from the request method. One adapter per thread (see module)."""

    def __init__(self, policies: dict[str, Retry], **kwargs) -> None:
        self._policies = policies
        super().__init__(max_retries=policies["GET"], **kwargs)

    def send(self, request, *args, **kwargs):  # type: ignore[override]
        self.max_retries = self._policies.get(request.method or "GET", self._policies["GET"])
        return super().send(request, *args, **kwargs)


class _NoNetrc(requests.auth.AuthBase):
    """Leaves requests as built. Setting any session auth stops requests from reading ~/.netrc, whose entry for
    the Adobe host would otherwise replace our Bearer header with a Basic one (proxies from the env still apply)."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        return request


class ThreadSessions:
    """A requests Session per thread, with the Flow Service policies and an IMS adapter that retries POST."""

    def __init__(self, ims_endpoint: str, max_retries: int, max_wait: float) -> None:
        self._ims_endpoint = ims_endpoint
        self._max_retries = max_retries
        self._max_wait = max_wait
        self._local = threading.local()

    def get(self) -> requests.Session:
        session: Optional[requests.Session] = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.auth = _NoNetrc()
            policies = retry_policies(self._max_retries, self._max_wait)
            adapter = MethodRetryAdapter(policies)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            ims_policy = policies["GET"].new(allowed_methods=frozenset({"POST"}))
            session.mount(self._ims_endpoint, MethodRetryAdapter({"GET": ims_policy, "POST": ims_policy}))
            self._local.session = session
        return session
