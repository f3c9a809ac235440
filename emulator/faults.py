"""Seedable fault injection for tests: latency, 429 with Retry-After, 500/502/503, drops, commit-then-drop.

Decision order for each (non-control) request:
1. ``script``: one-shot entries consumed strictly in order - the head entry fires on the first request that
   matches its ``method`` and ``template`` (a route template such as
   ``/data/foundation/flowservice/connections/{id}``, or a literal path; without one, any path matching
   ``path_regex``); requests that do not match it pass untouched.
2. ``rates``: once the script is empty, requests matching ``methods`` and ``path_regex`` draw from a
   ``random.Random(seed)``, so a given seed and request sequence always injects the same faults.
``latency_ms`` delays every request matching ``methods``/``path_regex``, faulted or not.
"""
from __future__ import annotations

import random
import re
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

KINDS = ("429", "500", "502", "503", "drop", "commit_drop")
METHODS = ("GET", "POST", "PATCH", "DELETE", "PUT")
DEFAULT_PATH_REGEX = r"^/data/foundation/(flowservice|conversion|catalog)(/|$)"  # every emulated Platform API
MAX_LATENCY_MS = 60_000
MAX_RETRY_AFTER = 86_400
_KEYS = {"seed", "latency_ms", "retry_after", "rates", "methods", "path_regex", "script"}


class FaultConfigError(ValueError):
    """A fault configuration the injector cannot use; the message names the field."""


@dataclass(frozen=True)
class Decision:
    fault: str | None
    latency_ms: int
    retry_after: int


def _int(cfg: dict, key: str, default: int, maximum: int) -> int:
    value = cfg.get(key, default)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= maximum:
        raise FaultConfigError(f"{key} must be an integer from 0 to {maximum}, got {value!r}")
    return value


def _validate(cfg: Any) -> dict[str, Any]:
    if not isinstance(cfg, dict):
        raise FaultConfigError("the fault configuration must be a JSON object")
    unknown = sorted(set(cfg) - _KEYS)
    if unknown:
        raise FaultConfigError(f"unknown key(s) {unknown}; allowed: {sorted(_KEYS)}")
    rates = cfg.get("rates", {})
    if not isinstance(rates, dict):
        raise FaultConfigError("rates must be an object like {\"429\": 0.1, \"drop\": 0.05}")
    for kind, p in rates.items():
        if kind not in KINDS:
            raise FaultConfigError(f"rates.{kind} is not a fault kind; use one of {list(KINDS)}")
        if not isinstance(p, (int, float)) or isinstance(p, bool) or not 0 <= p <= 1:
            raise FaultConfigError(f"rates.{kind} must be a probability between 0 and 1, got {p!r}")
    if sum(rates.values()) > 1 + 1e-9:
        raise FaultConfigError("the rates add up to more than 1")
    methods = cfg.get("methods", list(METHODS))
    if not isinstance(methods, list) or any(not isinstance(m, str) or m.upper() not in METHODS for m in methods):
        raise FaultConfigError(f"methods must be a list drawn from {list(METHODS)}")
    path_regex = cfg.get("path_regex", DEFAULT_PATH_REGEX)
    try:
        re.compile(path_regex)
    except (re.error, TypeError) as exc:
        raise FaultConfigError(f"path_regex is not a valid regular expression: {exc}") from None
    script = cfg.get("script", [])
    if not isinstance(script, list):
        raise FaultConfigError("script must be a list of {method, template, fault} objects")
    for i, entry in enumerate(script):
        if not isinstance(entry, dict) or entry.get("fault") not in KINDS:
            raise FaultConfigError(f"script[{i}].fault must be one of {list(KINDS)}")
        if set(entry) - {"method", "template", "fault"}:
            raise FaultConfigError(f"script[{i}] allows only method, template and fault")
        if not isinstance(entry.get("method", "GET"), str) or not isinstance(entry.get("template", ""), str):
            raise FaultConfigError(f"script[{i}].method and script[{i}].template must be strings")
    seed = cfg.get("seed", 0)
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise FaultConfigError(f"seed must be an integer, got {seed!r}")
    return {
        "seed": seed,
        "latency_ms": _int(cfg, "latency_ms", 0, MAX_LATENCY_MS),
        "retry_after": _int(cfg, "retry_after", 1, MAX_RETRY_AFTER),
        "rates": {k: float(v) for k, v in rates.items()},
        "methods": [m.upper() for m in methods],
        "path_regex": path_regex,
        "script": [dict(e) for e in script],
    }


class FaultInjector:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        with self._lock:
            self._config = _validate({})
            self._script: list[dict[str, Any]] = []
            self._random = random.Random(0)
            self._pattern = re.compile(DEFAULT_PATH_REGEX)
            self._injected: Counter[str] = Counter()

    def configure(self, cfg: Any) -> None:
        config = _validate(cfg)
        with self._lock:
            self._config = config
            self._script = [dict(e) for e in config["script"]]
            self._random = random.Random(config["seed"])
            self._pattern = re.compile(config["path_regex"])
            self._injected = Counter()

    def decide(self, method: str, path: str, template: str) -> Decision:
        with self._lock:
            cfg = self._config
            on_path = bool(self._pattern.search(path))
            in_scope = method in cfg["methods"] and on_path
            latency = cfg["latency_ms"] if in_scope else 0
            fault = None
            if self._script:
                head = self._script[0]
                where = head.get("template")
                if head.get("method", method).upper() == method and (
                    where in (template, path) if where else on_path
                ):
                    fault = self._script.pop(0)["fault"]
            elif in_scope and cfg["rates"]:
                draw, edge = self._random.random(), 0.0
                for kind in KINDS:
                    edge += cfg["rates"].get(kind, 0.0)
                    if draw < edge:
                        fault = kind
                        break
            if fault is not None:
                self._injected[fault] += 1
            return Decision(fault, latency, cfg["retry_after"])

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {
                **self._config,
                "script": [dict(e) for e in self._script],
                "injected": {k: self._injected.get(k, 0) for k in KINDS},
            }
