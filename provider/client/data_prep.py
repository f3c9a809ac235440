"""Data Prep mapping sets (``/data/foundation/conversion/mappingSets``): create, read, and a new version by PUT.

A mapping set has no etag and cannot be deleted (Adobe's Data Prep API offers no DELETE); each ``PUT`` makes a
new version, and a dataflow names the version it applies (``transformations[].params.mappingVersion``).
Ambiguous outcomes: a lost POST is sent again (an extra mapping set that nothing references is inert, and could
not be deleted anyway); a lost PUT is settled by reading the latest version: if it already holds the mappings it
is taken, otherwise the PUT is sent again.
"""

from __future__ import annotations

import logging
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field

from provider.client.flow_service import POST_ATTEMPTS, FlowServiceClient
from provider.client.error_mapping import error_from_response
from provider.errors import AepError, NotFoundError, TransportError

log = logging.getLogger("provider.client")
SERVICE = "conversion"
ATTRIBUTE = "ATTRIBUTE"


class MappingSetInfo(BaseModel):
    """A mapping set version as read back; ``mappings`` as declared (source, destination, sourceType)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    version: int = 0
    xdmSchema: Optional[str] = None
    mappings: list[dict[str, Any]] = Field(default_factory=list)
    outputSchema: Optional[dict[str, Any]] = None

    @property
    def schema_id(self) -> Optional[str]:
        ref = (self.outputSchema or {}).get("schemaRef") or {}
        return self.xdmSchema or ref.get("id")

    def declared_mappings(self) -> list[dict[str, str]]:
        """The mappings without what the service adds to each (its ``id``, a generated ``name``)."""
        return [{"source": str(m.get("source")), "destination": str(m.get("destination")),
                 "sourceType": str(m.get("sourceType") or ATTRIBUTE)} for m in self.mappings]


def mapping_set_body(schema_id: str, mappings: list[dict[str, str]]) -> dict[str, Any]:
    return {"version": 0, "xdmSchema": schema_id, "xdmVersion": "1.0",
            "mappings": [{"sourceType": m.get("sourceType", ATTRIBUTE), "source": m["source"],
                          "destination": m["destination"]} for m in mappings]}


def create_mapping_set(api: FlowServiceClient, sandbox: str, body: dict[str, Any]) -> MappingSetInfo:
    action = f"creating a mapping set in sandbox {sandbox}"
    for attempt in range(1, POST_ATTEMPTS + 1):
        try:
            response = api.send("POST", "/mappingSets", sandbox, json=body, service=SERVICE)
        except TransportError as exc:
            lost: AepError = exc
        else:
            if response.status_code in (200, 201):
                return MappingSetInfo.model_validate(response.json())
            lost = error_from_response(response, action, api.secrets())
            if response.status_code < 500:
                raise lost from None
        if attempt == POST_ATTEMPTS:
            raise lost from None
        log.warning("%s: outcome unknown (%s); sending it again", action, lost)
    raise AssertionError("unreachable")


def get_mapping_set(api: FlowServiceClient, sandbox: str, ident: str, version: Optional[int] = None) -> MappingSetInfo:
    """The latest version, or ``version``; ``NotFoundError`` if there is no such mapping set."""
    action = f"reading mapping set {ident} in sandbox {sandbox}"
    params = {"version": str(version)} if version is not None else None
    response = api.call("GET", f"/mappingSets/{ident}", sandbox, action, (200,), params=params, service=SERVICE)
    body = response.json()
    if not isinstance(body, dict) or not body.get("id"):
        raise NotFoundError(f"{action} failed: the API returned no mapping set", status=response.status_code)
    return MappingSetInfo.model_validate(body)


def put_mapping_set(api: FlowServiceClient, sandbox: str, ident: str, body: dict[str, Any],
                    expected_version: Optional[int] = None) -> MappingSetInfo:
    """``PUT /mappingSets/{id}``: a new version holding ``body``'s mappings. After a lost reply, the version after
    ``expected_version`` (the one recorded) is read to tell whether it was made."""
    action = f"updating mapping set {ident} in sandbox {sandbox}"
    wanted = MappingSetInfo.model_validate({**body, "id": ident}).declared_mappings()
    for attempt in range(1, POST_ATTEMPTS + 1):
        try:
            response = api.send("PUT", f"/mappingSets/{ident}", sandbox, json={**body, "id": ident}, service=SERVICE)
        except TransportError as exc:
            lost: AepError = exc
        else:
            if response.status_code == 200:
                return MappingSetInfo.model_validate({"id": ident, **response.json()})
            lost = error_from_response(response, action, api.secrets())
            if response.status_code < 500:
                raise lost from None
        try:
            latest = get_mapping_set(api, sandbox, ident, None if expected_version is None else expected_version + 1)
        except NotFoundError:  # no such version yet: the PUT was not applied
            latest = None
        if latest is not None and latest.declared_mappings() == wanted:
            log.warning("%s: outcome unknown (%s), but the latest version holds the mappings", action, lost)
            return latest
        if attempt == POST_ATTEMPTS:
            raise lost from None
    raise AssertionError("unreachable")
