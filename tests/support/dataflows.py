"""Dataflows on the emulator, made the way Adobe's source tutorials make them: a source connection on a base
connection (``POST /sourceConnections``), then a flow from it to a target (``POST /flows``).

Request bodies follow the PostgreSQL tutorial; every response passes the conformance check. These calls go
through the emulator's API, so they are logged: clear the log after setting up.
"""
from __future__ import annotations

from typing import Any, Callable, Optional

from tests.support.conformance import conforming_session

TIMEOUT = 10
# Flow specs and target connections are not emulated: these ids are recorded as given.
FLOW_SPEC = {"id": "14518937-270c-4525-bdec-c2ba7cce3860", "version": "1.0"}
TARGET_ID = "7e53e6e8-b432-4134-bb29-21fc6e8532e5"


def source_connection_body(base_id: str, spec: dict[str, str], name: str = "Orders table") -> dict[str, Any]:
    return {"name": name, "description": "Orders read by the nightly export", "baseConnectionId": base_id,
            "data": {"format": "tabular"}, "params": {"tableName": "public.orders"}, "connectionSpec": spec}


def flow_body(source_ids: list[str], name: str = "Orders to AEP") -> dict[str, Any]:
    return {"name": name, "description": "Nightly orders", "flowSpec": FLOW_SPEC,
            "sourceConnectionIds": source_ids, "targetConnectionIds": [TARGET_ID],
            "transformations": [{"name": "Mapping", "params": {"mappingId": "0f2b9a7c", "mappingVersion": "0"}}],
            "scheduleParams": {"startTime": 1700000000, "frequency": "hour", "interval": 1}}


class Dataflows:
    """``Dataflows(emulator).add(base_id, sandbox="dev")`` -> (source connection id, flow id). ``headers(sandbox)``
    gives the caller's gateway headers: the emulator's own client by default, or another client in another org
    (``tests.reliability.out_of_band.OutsidePulumi(...).headers``)."""

    def __init__(self, emulator: Any, headers: Optional[Callable[[str], dict[str, str]]] = None):
        self.emulator = emulator
        self.headers = headers or emulator.headers
        self.session = conforming_session()

    def _call(self, method: str, path: str, sandbox: str, **kwargs: Any) -> Any:
        response = self.session.request(method, self.emulator.flow_url + path, headers=self.headers(sandbox),
                                        timeout=TIMEOUT, **kwargs)
        assert response.status_code < 300, f"{method} {path} -> {response.status_code}: {response.text}"
        return response.json() if response.content else None

    def source_connection(self, base_id: str, sandbox: str, name: str = "Orders table") -> str:
        base = self._call("GET", f"/connections/{base_id}", sandbox)["items"][0]
        body = source_connection_body(base_id, base["connectionSpec"], name)
        return self._call("POST", "/sourceConnections", sandbox, json=body)["id"]

    def flow(self, source_ids: list[str], sandbox: str, name: str = "Orders to AEP") -> str:
        return self._call("POST", "/flows", sandbox, json=flow_body(source_ids, name))["id"]

    def add(self, base_id: str, sandbox: str, name: str = "Orders") -> tuple[str, str]:
        source_id = self.source_connection(base_id, sandbox, f"{name} table")
        return source_id, self.flow([source_id], sandbox, f"{name} to AEP")

    def delete(self, kind: str, ident: str, sandbox: str) -> None:
        """``kind`` is ``flows`` or ``sourceConnections``."""
        self._call("DELETE", f"/{kind}/{ident}", sandbox)

    def close(self) -> None:
        self.session.close()
