"""What every fuzz test shares: seeded, bounded hypothesis settings, a conforming HTTP client with valid
credentials, seeded connections to aim at, and the figures (cases, requests, seed) printed at the end.

Profiles (``FUZZ_PROFILE``): ``ci`` (the default, derandomized so every run tries the same cases; about 35 s
for the whole suite) and ``long`` (``make fuzz``: 25 times the cases, seeded from ``FUZZ_SEED``).
"""
from __future__ import annotations

import os
import zlib
from collections import Counter
from typing import Any

import requests
from hypothesis import HealthCheck, Phase, reject, seed, settings

from tests.emulator.seeds import POSTGRESQL
from tests.support.conformance import conforming_session

PROFILE = os.environ.get("FUZZ_PROFILE", "ci")
SEED = int(os.environ.get("FUZZ_SEED", "20240611"))
TIMEOUT = 10
_EXAMPLES = {"ci": 1, "long": 25}
STATS: Counter[str] = Counter()

if PROFILE not in _EXAMPLES:
    raise RuntimeError(f"FUZZ_PROFILE must be one of {sorted(_EXAMPLES)}, got {PROFILE!r}")

# Client-side refusals: the example cannot even be sent (a header requests will not encode, say).
UNSENDABLE = (requests.exceptions.InvalidHeader, requests.exceptions.InvalidURL, UnicodeEncodeError,
              requests.exceptions.InvalidJSONError)


def fuzz(examples: int):
    """Hypothesis settings for one fuzz test: ``examples`` cases under ``ci``, 25 times as many under ``long``."""

    def apply(test):
        configured = settings(
            max_examples=examples * _EXAMPLES[PROFILE], derandomize=PROFILE == "ci", database=None, deadline=None,
            phases=(Phase.explicit, Phase.generate, Phase.shrink), print_blob=True,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large,
                                   HealthCheck.large_base_example],
        )(test)
        if PROFILE == "ci":
            return configured
        return seed(SEED ^ zlib.crc32(test.__qualname__.encode()))(configured)

    return apply


class FuzzClient:
    """Sends one request per case through the conformance checker and fails on any 5xx."""

    def __init__(self, emulator: Any):
        self.emulator = emulator
        self.session = conforming_session()

    def send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        STATS["requests"] += 1
        kwargs.setdefault("timeout", TIMEOUT)
        kwargs.setdefault("allow_redirects", False)
        try:
            response = self.session.request(method, url, **kwargs)
        except UNSENDABLE:
            STATS["unsendable"] += 1
            reject()
        assert response.status_code < 500, f"{method} {url} -> {response.status_code}: {response.text[:300]}"
        STATS[f"status {response.status_code}"] += 1
        return response

    def case(self) -> None:
        STATS["cases"] += 1

    def _get(self, path: str, sandbox: str | None) -> requests.Response:
        return self.session.get(self.emulator.flow_url + path, headers=self.emulator.headers(sandbox),
                                timeout=TIMEOUT)

    def seed_connections(self, count: int = 3, sandbox: str | None = "prod") -> list[str]:
        """A few real connections, so generated ids sometimes name one that exists."""
        ids = []
        for i in range(count):
            body = {**POSTGRESQL, "name": f"fuzz seed {i}"}
            response = self.session.post(self.emulator.flow_url + "/connections", json=body,
                                         headers=self.emulator.headers(sandbox), timeout=TIMEOUT)
            assert response.status_code == 201, response.text
            ids.append(response.json()["id"])
        return ids

    def existing_ids(self, collection: str, sandbox: str | None) -> list[str]:
        """Ids in ``/<collection>`` of ``sandbox``; when there are none, one is made (through a dataflow for
        source connections and flows)."""
        ids = [item["id"] for item in self._get(f"/{collection}", sandbox).json().get("items", [])]
        if ids:
            return ids
        base = self.seed_connections(1, sandbox)[0]
        if collection == "connections":
            return [base]
        from tests.support.dataflows import Dataflows

        flows = Dataflows(self.emulator)
        try:
            source_id, flow_id = flows.add(base, sandbox or "prod")
        finally:
            flows.close()
        return [flow_id if collection == "flows" else source_id]

    def etag(self, collection: str, ident: str, sandbox: str | None) -> str | None:
        return self._get(f"/{collection}/{ident}", sandbox).headers.get("ETag")

    def close(self) -> None:
        self.session.close()


def summary() -> str:
    seed_note = "derandomized" if PROFILE == "ci" else f"seed {SEED}"
    statuses = ", ".join(f"{k[7:]}: {v}" for k, v in sorted(STATS.items()) if k.startswith("status "))
    return (f"fuzz ({PROFILE}, {seed_note}): {STATS['cases']} cases, {STATS['requests']} requests, "
            f"{STATS['unsendable']} unsendable by the client; statuses {statuses}")
