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
from tests.emulator.service_conformance import checked_session

CONVERSION = "/data/foundation/conversion"
CATALOG = "/data/foundation/catalog"
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
        self.session = checked_session()
        self._pipelines: dict[str, Any] = {}

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
        base = self.emulator.url if path.startswith("/data/") else self.emulator.flow_url
        return self.session.get(base + path, headers=self.emulator.headers(sandbox), timeout=TIMEOUT)

    def _listed(self, collection: str, sandbox: str | None) -> list[str]:
        if collection == "mappingSets":
            return [m["id"] for m in self._get(f"{CONVERSION}/mappingSets", sandbox).json()["data"]]
        if collection == "dataSets":
            return list(self._get(f"{CATALOG}/dataSets", sandbox).json())
        return [item["id"] for item in self._get(f"/{collection}", sandbox).json().get("items", [])]

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
        """Ids in ``/<collection>`` of ``sandbox``; when there are none, a whole pipeline is made (base, source
        and target connections, dataset, mapping set, flow) and the ids of its ``collection`` returned."""
        ids = self._listed(collection, sandbox)
        if ids:
            return ids
        if collection == "connections":
            return self.seed_connections(1, sandbox)
        made = self.pipeline(sandbox)
        return [{"flows": made.flow, "sourceConnections": made.source, "targetConnections": made.target,
                 "mappingSets": made.mapping, "dataSets": made.dataset}.get(collection, made.base)]

    def pipeline(self, sandbox: str | None) -> Any:
        """One whole pipeline per sandbox (tests/emulator/pipeline.py), made on first use."""
        key = sandbox or "prod"
        if key not in self._pipelines:
            from tests.emulator.conftest import FlowClient
            from tests.emulator.pipeline import make_pipeline

            client = FlowClient(self.emulator)
            try:
                self._pipelines[key] = make_pipeline(client, key)
            finally:
                client.session.close()
        return self._pipelines[key]

    def etag(self, collection: str, ident: str, sandbox: str | None) -> str | None:
        if collection in ("mappingSets", "dataSets"):
            return None
        return self._get(f"/{collection}/{ident}", sandbox).headers.get("ETag")

    def close(self) -> None:
        self.session.close()


def summary() -> str:
    seed_note = "derandomized" if PROFILE == "ci" else f"seed {SEED}"
    statuses = ", ".join(f"{k[7:]}: {v}" for k, v in sorted(STATS.items()) if k.startswith("status "))
    return (f"fuzz ({PROFILE}, {seed_note}): {STATS['cases']} cases, {STATS['requests']} requests, "
            f"{STATS['unsendable']} unsendable by the client; statuses {statuses}")
