"""Wire models for Flow Service base connections (the subset of Adobe's OpenAPI this provider uses).

Field names follow the API (camelCase). ``params`` is excluded from reprs: on the way in it holds credentials.
"""

from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

from provider.client.create_marker import split


def _unmarked(data: Any) -> Any:
    """A description read back, split into the declared text and the create marker."""
    if isinstance(data, dict) and isinstance(data.get("description"), str):
        description, marker = split(data["description"])
        data = {**data, "description": description, "marker": marker}
    return data


class SpecRef(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    version: str = "1.0"


class AuthInfo(BaseModel):
    model_config = ConfigDict(extra="ignore")

    specName: str
    type: Optional[str] = None
    params: dict[str, Any] = Field(default_factory=dict, repr=False)


class Connection(BaseModel):
    """A base connection as returned by GET /connections/{id} (secret params come back masked or absent)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    name: str
    description: Optional[str] = None
    connectionSpec: SpecRef
    auth: Optional[AuthInfo] = None
    state: Optional[str] = None
    etag: Optional[str] = None
    createdAt: Optional[int] = None
    updatedAt: Optional[int] = None
    updatedBy: Optional[str] = None
    updatedClient: Optional[str] = None
    sandboxName: Optional[str] = None
    marker: Optional[str] = None  # from the description: provider/client/create_marker.py

    _split_marker = model_validator(mode="before")(lambda cls, data: _unmarked(data))

    @property
    def params(self) -> dict[str, Any]:
        """The auth params as the API shows them (secrets masked or absent); empty without ``auth``."""
        return self.auth.params if self.auth else {}


class ConnectionCreate(BaseModel):
    """Body of POST /connections."""

    name: str
    description: Optional[str] = None
    auth: AuthInfo
    connectionSpec: SpecRef

    def body(self) -> dict[str, Any]:
        return self.model_dump(exclude_none=True)


class WriteResult(BaseModel):
    """What POST and PATCH answer: the id and the new etag (plus whatever else the server adds)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    etag: Optional[str] = None
    state: Optional[str] = None
    createdAt: Optional[int] = None
    updatedAt: Optional[int] = None

    @classmethod
    def of(cls, obj: Any) -> "WriteResult":
        """The write-result view of an object read back (a ``Connection``, or any object with these fields)."""
        return cls(id=obj.id, etag=obj.etag, state=obj.state, createdAt=obj.createdAt, updatedAt=obj.updatedAt)


class FlowObject(BaseModel):
    """Any other Flow Service object as read back (source and target connections, dataflows): Adobe's metadata as
    fields, and the whole item in ``body`` for what differs per object (``params``, ``scheduleParams``, ...)."""

    model_config = ConfigDict(extra="ignore")

    id: str
    name: Optional[str] = None
    description: Optional[str] = None
    etag: Optional[str] = None
    state: Optional[str] = None
    createdAt: Optional[int] = None
    updatedAt: Optional[int] = None
    updatedBy: Optional[str] = None
    updatedClient: Optional[str] = None
    marker: Optional[str] = None  # from the description: provider/client/create_marker.py
    body: dict[str, Any] = Field(default_factory=dict, repr=False)

    _split_marker = model_validator(mode="before")(lambda cls, data: _unmarked(data))

    @classmethod
    def from_item(cls, item: dict[str, Any]) -> "FlowObject":
        return cls.model_validate({**item, "body": item})
