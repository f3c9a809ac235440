"""ASGI middleware in front of every emulated route: route templates, fault injection, request log.

The test-only control API under ``/_emulator/`` is never faulted nor logged; it only passes the cross-site
guard (emulator/control_guard.py) first.
"""
from __future__ import annotations

import asyncio
from typing import Any

from starlette.responses import JSONResponse

from emulator.control_guard import refusal
from emulator.errors import EmulatorError, FlowError, GatewayError
from emulator.faults import FaultInjector
from emulator.protocol import drop
from emulator.request_log import IMS_TEMPLATE, RequestLog, template_for
from emulator.settings import DEFAULT_SANDBOX

CONTROL_PREFIX = "/_emulator"


def fault_error(kind: str, retry_after: int, path: str = "") -> EmulatorError:
    """The response Adobe's gateway or the service at ``path`` would send for an injected status."""
    retry = {"Retry-After": str(retry_after)}
    if kind == "429":
        return GatewayError(429, "429001", "Too many requests; retry after the Retry-After delay.", retry)
    if kind == "500":
        return FlowError(1102, 500, "An internal error has occurred. Please try again.").for_path(path)
    if kind == "502":
        return GatewayError(502, "502000", "Bad gateway: the upstream service did not answer.")
    return FlowError(1103, 503, "The service is temporarily unavailable. Please try again later.",
                     headers=retry).for_path(path)


class EmulatorMiddleware:
    def __init__(self, app: Any, faults: FaultInjector, log: RequestLog):
        self.app = app
        self.faults = faults
        self.log = log

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            refused = refusal(scope)
            if refused is not None:
                await JSONResponse(refused.body(), refused.status, headers=refused.headers)(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        method = scope["method"]
        template = template_for(path)
        sandbox = None
        if template != IMS_TEMPLATE:
            for key, value in scope["headers"]:
                if key == b"x-sandbox-name":
                    sandbox = value.decode("latin-1").strip()
            sandbox = sandbox or DEFAULT_SANDBOX
        decision = self.faults.decide(method, path, template)
        entry = {"method": method, "path": path, "template": template, "status": None, "sandbox": sandbox,
                 "fault": decision.fault}
        try:
            if decision.latency_ms:
                await asyncio.sleep(decision.latency_ms / 1000)
            if decision.fault == "drop":
                drop(scope)
                return
            if decision.fault in ("429", "500", "502", "503"):
                err = fault_error(decision.fault, decision.retry_after, path)
                entry["status"] = err.status
                await JSONResponse(err.body(), err.status, headers=err.headers)(scope, receive, send)
                return
            swallow = decision.fault == "commit_drop"

            async def send_and_record(message: dict) -> None:
                if message["type"] == "http.response.start":
                    entry["status"] = message["status"]
                if not swallow:
                    await send(message)

            await self.app(scope, receive, send_and_record)
            if swallow:
                drop(scope)
        finally:
            self.log.append(entry)
