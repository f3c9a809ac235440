"""The base of every source component: validated arguments in, one FlowServiceBaseConnection child out."""

from __future__ import annotations

from typing import Any, ClassVar, Optional

import pulumi
from pydantic import StrictBool, field_validator

from provider.base_connection import FlowServiceBaseConnection
from provider.catalog import description_problem, name_problem
from provider.program_guard import refuse_bad_provider_config
from provider.settings import SANDBOX_PATTERN
from provider.sources.params import ArgumentProblem, InvalidSourceArgument, SourceParams, param
from provider.state_footprint import short_stack_trace


class CommonArgs(SourceParams):
    """Arguments every component takes besides its auth params."""

    name: Optional[str] = param("name", "the connection's display name in AEP", None, min_length=1, max_length=256)
    description: Optional[str] = param("description", "a free-text description", None, max_length=2048)
    sandbox: Optional[str] = param(
        "sandbox",
        "an AEP sandbox name (lowercase letters, digits, hyphens); omit to use aep:sandbox or the stack name",
        None,
        pattern=SANDBOX_PATTERN.pattern,
    )
    adopt_id: Optional[str] = param(
        "adopt_id", "the id of an existing base connection to take over instead of creating one", None, min_length=1
    )
    verify: StrictBool = param("verify", "True to test the connection after each create/update", False)
    force_delete: StrictBool = param(
        "force_delete", "True to delete the connection even while source connections use it (not dataflows: Flow Service refuses)", False
    )

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return _refused_if(name_problem(value), value)

    @field_validator("description")
    @classmethod
    def _description(cls, value: str) -> str:
        return _refused_if(description_problem(value), value)


def _refused_if(problem: Optional[str], value: str) -> str:
    if problem:
        raise ValueError(problem)
    return value


class BaseConnectionComponent(pulumi.ComponentResource):
    """One AEP base connection of a fixed source type and auth spec, as a component (one per source and auth).

    Subclasses set the class attributes and a `Params` model; the constructor checks the provider config
    (provider/program_guard.py) and validates every argument before registering anything, wraps each secret
    auth param with `pulumi.Output.secret` (whatever the caller passed), and parents exactly one
    `FlowServiceBaseConnection` to the component. Its type token is `aep:sources:<subclass name>`, so the
    subclass's name is part of every URN (renaming it replaces the connection). `adopt_id` takes over
    an existing connection (the first `pulumi up` reads it, and patches it only where it differs) instead of
    creating one. Deleting it is refused while source connections or dataflows use it, unless `force_delete` (source
    connections only: Flow Service itself refuses while a dataflow reads through it, FLOW-1418)
    (recorded by a `pulumi up` before the delete: provider/dependents.py).
    Outputs: `connection_id` (the Flow Service connection id), `etag` and `service_params`, as Python attributes
    (the child's outputs; the component records none of its own in state).
    """

    source: ClassVar[str]
    display_name: ClassVar[str]
    connection_spec_id: ClassVar[str]
    connection_spec_version: ClassVar[str] = "1.0"
    auth_spec_name: ClassVar[str]
    auth_type: ClassVar[Optional[str]] = None
    Params: ClassVar[type[SourceParams]]

    connection: FlowServiceBaseConnection
    connection_id: pulumi.Output[str]
    etag: pulumi.Output[str]
    service_params: pulumi.Output[Optional[dict]]

    def __init__(
        self,
        resource_name: str,
        args: dict[str, Any],
        *,
        name: Optional[pulumi.Input[str]] = None,
        description: Optional[pulumi.Input[str]] = None,
        sandbox: Optional[str] = None,
        adopt_id: Optional[pulumi.Input[str]] = None,
        verify: bool = False,
        force_delete: bool = False,
        opts: Optional[pulumi.ResourceOptions] = None,
    ) -> None:
        refuse_bad_provider_config()
        common_args = {
            "name": name, "description": description, "sandbox": sandbox, "adopt_id": adopt_id, "verify": verify,
            "force_delete": force_delete,
        }
        common, values = self.validate_arguments(resource_name, args, common_args)
        owner = f"{type(self).__name__}({resource_name!r})"
        values = self.Params.checked_on_resolution(owner, values)
        auth_params = self._secret_wrapped(self._auth_params(values))

        with short_stack_trace(opts):
            super().__init__(f"aep:sources:{type(self).__name__}", resource_name, None, opts)
        self.connection = FlowServiceBaseConnection(
            resource_name,
            name=common.get("name", resource_name),
            connection_spec_id=self.connection_spec_id,
            connection_spec_version=self.connection_spec_version,
            auth_spec_name=self.auth_spec_name,
            auth_type=self.auth_type,
            auth_params=auth_params,
            sandbox=common.get("sandbox"),
            description=common.get("description"),
            adopt_id=common.get("adopt_id"),
            verify=common.get("verify", False),
            force_delete=common.get("force_delete", False),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.connection_id = self.connection.id
        self.etag = self.connection.etag
        self.service_params = self.connection.service_params
        self.register_outputs({})  # the attributes above are the child's outputs: recording them again is bytes

    @classmethod
    def validate_arguments(
        cls, resource_name: str, args: dict[str, Any], common_args: Optional[dict[str, Any]] = None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        """Validate without declaring anything: (common values, auth param values), or one `InvalidSourceArgument`
        with every problem of the common arguments, the auth params and the cross-argument rules."""
        owner = f"{cls.__name__}({resource_name!r})"
        problems: list[ArgumentProblem] = []
        common: dict[str, Any] = {}
        values: dict[str, Any] = {}
        try:
            common = CommonArgs.validate_args(owner, common_args or {})
        except InvalidSourceArgument as err:
            problems += err.problems
        try:
            values = cls.Params.validate_args(owner, args)
        except InvalidSourceArgument as err:
            problems += err.problems
        given = {name: value for name, value in args.items() if value is not None}
        try:
            cls._check(owner, {**given, **values})
        except InvalidSourceArgument as err:
            problems += err.problems or [ArgumentProblem((), str(err).removeprefix(f"{owner}: "))]
        if problems:
            raise InvalidSourceArgument(f"{owner}: " + "; ".join(p.message for p in problems), problems)
        return common, values

    @classmethod
    def secret_api_params(cls) -> frozenset[str]:
        """Flow Service param names this component always sends as Pulumi secrets."""
        return frozenset(cls.Params.api_name(field) for field in cls.Params.secret_fields())

    @classmethod
    def _check(cls, owner: str, values: dict[str, Any]) -> None:
        """Cross-argument rules; raise `InvalidSourceArgument` with one `ArgumentProblem` per finding.

        Single-argument rules live on `Params`. Runs even when some argument failed those (its value is then as
        given), so every problem is reported at once: decide on which arguments are present, not on their values.
        """

    def _auth_params(self, values: dict[str, Any]) -> dict[str, Any]:
        """Map validated keyword values to the Flow Service `auth.params` body (camelCase names)."""
        return {self.Params.api_name(field): value for field, value in values.items()}

    def _secret_wrapped(self, auth_params: dict[str, Any]) -> dict[str, Any]:
        secret = self.secret_api_params()
        return {
            key: pulumi.Output.secret(value) if key in secret else value for key, value in auth_params.items()
        }


SourceConnection = BaseConnectionComponent  # deprecated alias (a "source connection" is another AEP object)
