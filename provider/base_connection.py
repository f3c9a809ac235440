"""The Flow Service base connection as a Pulumi dynamic resource.

``BaseConnectionProvider`` holds no state and no credentials: Pulumi pickles it (with dill) into the
``__provider`` property of every resource, and because the class lives in an importable module it is pickled by
reference (a few dozen bytes naming this module and class). Credentials reach it only in the plugin process,
through ``configure()`` from the stack's ``aep:*`` config.

Engine calls and the API calls they make:
  check   none (catalog validation, works in preview)     diff    none
  create  POST (+ GET for auth specs the service fills in, e.g. HTTP API's inlet), or with ``adopt_id`` GET
          (+ PATCH if values differ; provider/adoption.py); + test if ``verify``
  read    GET (404 → gone)                                 update  PATCH with If-Match; + test if ``verify``
  delete  GET /sourceConnections: in use -> refused (provider/dependents.py), else DELETE (404 counts as deleted)
"""

from __future__ import annotations

import logging
import os
from typing import Any, Callable, Mapping, Optional

import pulumi
from pulumi.dynamic import (
    CheckResult,
    CreateResult,
    DiffResult,
    ReadResult,
    Resource,
    UpdateResult,
)

from provider.adoption import adopt
from provider.managed_object import ConfiguredProvider
from provider.catalog import load_catalog
from provider.client import FlowServiceClient
from provider.client.connection_changes import (
    create_body,
    declarable,
    marker,
    observe_params,
    patch_operations,
    shows_values,
)
from provider.client.create_marker import marked_objects, recorded, taken_over
from provider.client.flow_service import MAX_ALL_PAGES
from provider.client.models import WriteResult
from provider.connection_inputs import (
    DEFAULTS,
    INPUT_KEYS,
    OUTPUT_KEYS,
    PROGRAM_KEYS,
    REPLACE_KEYS,
    UPDATE_KEYS,
    check_inputs,
    plain,
    same,
    without_defaults,
)
from provider.create_key import create_key
from provider.dependents import refuse_if_in_use
from provider.errors import AepError, ConnectionInUseError, NotFoundError, ValidationError, VerificationError
from provider.program_guard import refuse_bad_provider_config
from provider.settings_provider import with_settings_provider
from provider.state_footprint import short_stack_trace

log = logging.getLogger("provider")

class BaseConnectionProvider(ConfiguredProvider):
    """CRUD for one Flow Service base connection. Stateless when pickled; configured in the plugin."""

    # -- check / diff: no network -----------------------------------------------------------------------

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        return check_inputs(_olds, news)

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """No API call and never an error: on `pulumi refresh` the engine also calls it, with the live values
        as ``olds`` and the recorded inputs as ``news``, to show drift (see ``readopt_problem``)."""
        recorded(_id)
        olds, news = _declared_only(plain(olds)), _declared_only(plain(news))
        changed = [k for k in (*UPDATE_KEYS, *REPLACE_KEYS) if not same(k, olds.get(k), news.get(k))]
        replaces = [k for k in changed if k in REPLACE_KEYS]
        return DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=False)

    # -- create / read / update / delete ----------------------------------------------------------------

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs = plain(props)
        sandbox, api = inputs["sandbox"], self._api()
        service_params = None
        found = "" if inputs.get("adopt_id") else self._interrupted_create(api, inputs)
        taken = self._take_over(api, inputs, found) if found else None
        if inputs.get("adopt_id") or taken:
            result, service_params = taken or adopt(api, inputs)
            created = False
        else:
            result, _adopted_after_ambiguous_post = api.create_connection(sandbox, create_body(inputs))
            created = True
            if load_catalog().service_params(inputs["connection_spec_id"], inputs["auth_spec_name"]):
                try:
                    result, service_params = self._read_back(api, inputs, result.id)
                except AepError as exc:  # the connection exists: record it; a refresh fills in service_params
                    log.warning("reading back new connection %s failed (%s); run `pulumi refresh` to see the "
                                "params the service added", result.id, exc.message)

        def delete_it() -> str:
            api.delete_connection(sandbox, result.id)
            return " The new connection was deleted again and nothing was recorded."

        if inputs.get("verify"):
            self._verify(api, inputs, result.id, delete_it if created else None)
        return CreateResult(result.id, self._outputs(inputs, result, service_params))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        state = _declared_only(plain(props))
        sandbox = state.get("sandbox") or self._api().settings.sandbox
        recorded(id_)
        try:
            live = self._api().get_connection(sandbox, id_)
        except NotFoundError:
            return ReadResult("", {})
        # Flow Service refuses to change these on an existing connection (FLOW-1414; the auth spec and sandbox
        # cannot be patched either), so however the service echoes them, the recorded values stand: a different
        # echo must never plan a replacement. Only a state without them (never written by us) takes the live ones.
        fixed = {k: state.get(k) for k in REPLACE_KEYS} if state.get("connection_spec_id") else {
            "connection_spec_id": live.connectionSpec.id,
            "connection_spec_version": live.connectionSpec.version,
            "auth_spec_name": live.auth.specName if live.auth else None,
            "auth_type": live.auth.type if live.auth else None,
            "sandbox": live.sandboxName or sandbox,
        }
        declared, added = observe_params(
            fixed["connection_spec_id"], fixed["auth_spec_name"], live.params,
            state.get("auth_params"),
        )
        outs = {
            **{k: state.get(k) for k in ("verify", "force_delete", "adopt_id", *PROGRAM_KEYS)},
            **fixed,
            "name": live.name,
            "description": live.description,
            "auth_params": declared,
        }
        outs.update(self._outputs({}, WriteResult.of(live), added))
        outs = without_defaults({k: v for k, v in outs.items() if v is not None})  # as check() records them
        inputs = {k: outs[k] for k in (*INPUT_KEYS, *PROGRAM_KEYS) if k in outs}
        return ReadResult(id_, outs, inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        new = plain(news)
        recorded(id_)
        old = {**_declared_only(plain(olds)), "create_key": new.get("create_key")}  # keys not in state
        api, sandbox = self._api(), new["sandbox"]
        ops = patch_operations(old, new)
        result = _result_from_state(id_, old)
        if ops:
            result = api.update_connection(sandbox, id_, old.get("etag") or "", ops, lambda c: shows_values(c, new),
                                           unchanged=lambda c: shows_values(c, old))
            result = WriteResult(id=id_, etag=result.etag, state=old.get("state"), createdAt=old.get("created_at"),
                                 updatedAt=result.updatedAt)
        def restore() -> str:
            back = patch_operations(new, old, undo=True)
            if back:
                api.update_connection(sandbox, id_, result.etag or "", back, lambda c: shows_values(c, old))
            return (" The previous settings were restored; run `pulumi refresh` before the next `pulumi up` to pick "
                    "up the connection's new etag.")

        if new.get("verify") and (ops or not old.get("verify")):
            self._verify(api, new, id_, restore if ops else None)
        return UpdateResult(self._outputs(new, result, old.get("service_params")))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """``props`` is the recorded state, so ``force_delete`` is the value the last `up` recorded."""
        state, api = plain(props), self._api()
        sandbox = state.get("sandbox") or api.settings.sandbox
        recorded(id_)
        if taken_over(id_):
            log.warning("connection %s is kept: a create of this run took it over", id_)
            return
        if not state.get("force_delete"):
            refuse_if_in_use(api, sandbox, id_, state)
        try:
            api.delete_connection(sandbox, id_)
        except ValidationError as err:
            if "1418" not in (err.code or ""):
                raise
            raise ConnectionInUseError(  # FLOW-1418: the service's own refusal, which force_delete cannot lift
                f"{err.message} Flow Service refuses to delete a base connection while dataflows read through it, "
                "force_delete or not: delete those dataflows first (their aep:dataflows entries, or Sources > "
                "Dataflows in the AEP UI), then run the command again.", status=err.status, code=err.code) from None

    # -- helpers --------------------------------------------------------------------------------------------

    @staticmethod
    def _take_over(api: FlowServiceClient, inputs: dict[str, Any], found: str) -> Optional[tuple[WriteResult, dict]]:
        """``found`` (an interrupted run's connection) made to show the declared values; None if it is gone since
        the listing (a new one is created then)."""
        try:
            return adopt(api, inputs, found)
        except NotFoundError:
            return None

    @staticmethod
    def _interrupted_create(api: FlowServiceClient, inputs: dict[str, Any]) -> str:
        """The id of the connection an interrupted run of this stack created for this resource, or ""."""
        mark = marker(inputs)
        if not mark:
            return ""

        def list_items(sandbox: str, query: dict[str, str]) -> list[dict[str, Any]]:
            action = f"looking for connections an interrupted run created in sandbox {sandbox}"
            return api.list_items("/connections", sandbox, query, action, max_pages=MAX_ALL_PAGES, complete=True)

        item = marked_objects("/connections").claim(list_items, inputs["sandbox"], mark)
        if item is None:
            return ""
        log.warning("connection %s (%r) was created by an earlier run that did not record it; taking it over",
                    item.get("id"), inputs.get("name"))
        return str(item.get("id"))

    @staticmethod
    def _read_back(api: FlowServiceClient, inputs: dict[str, Any], connection_id: str) -> tuple[WriteResult, dict]:
        """One GET after a POST, for auth specs whose params the service fills in on create (HTTP API's inlet)."""
        live = api.get_connection(inputs["sandbox"], connection_id)
        _, added = observe_params(inputs["connection_spec_id"], inputs["auth_spec_name"],
                                  live.params, inputs["auth_params"])
        return WriteResult.of(live), added

    @staticmethod
    def _verify(
        api: FlowServiceClient, inputs: dict[str, Any], connection_id: str, undo: Optional[Callable[[], str]]
    ) -> None:
        """GET .../test; if it says false, run ``undo`` (which reverts our write and says so) and fail."""
        sandbox, name = inputs["sandbox"], inputs["name"]
        if api.test_connection(sandbox, connection_id):
            return
        what = (f"connection test failed for base connection {name!r} ({connection_id}) in sandbox {sandbox}: "
                "Flow Service could not reach the source with these settings.")
        try:
            what += undo() if undo else ""
        except AepError as exc:
            what += f" Undoing the change also failed ({exc.message}); run `pulumi refresh` to see its state."
        raise VerificationError(what + " Fix auth_params (host, user, password) and run `pulumi up` again.")

    @staticmethod
    def _outputs(inputs: dict[str, Any], result: WriteResult, service_params: Optional[dict] = None) -> dict[str, Any]:
        outs = {k: v for k, v in inputs.items() if k in INPUT_KEYS or k in PROGRAM_KEYS}  # read() carries them
        outs.update(etag=result.etag, state=result.state, created_at=result.createdAt, updated_at=result.updatedAt,
                    service_params=service_params)
        return outs


def _declared_only(props: dict[str, Any]) -> dict[str, Any]:
    """Recorded ``props`` with ``auth_params`` cut to keys the auth spec defines: an earlier version's refresh
    recorded the service's own keys there. Applied where state enters (read, diff, update), nowhere deeper."""
    params, spec_id, auth_name = (props.get(k) for k in ("auth_params", "connection_spec_id", "auth_spec_name"))
    if isinstance(params, dict) and isinstance(spec_id, str) and isinstance(auth_name, str):
        return {**props, "auth_params": declarable(spec_id, auth_name, params)}
    return props


def _result_from_state(id_: str, state: dict[str, Any]) -> WriteResult:
    return WriteResult(id=id_, etag=state.get("etag"), state=state.get("state"), createdAt=state.get("created_at"),
                       updatedAt=state.get("updated_at"))


def default_sandbox() -> str:
    """``aep:sandbox`` from stack config, else ``AEP_SANDBOX``, else the stack name."""
    return pulumi.Config("aep").get("sandbox") or os.environ.get("AEP_SANDBOX") or pulumi.get_stack()


TYPE = "pulumi-python:dynamic/aep:BaseConnection"


class FlowServiceBaseConnection(Resource, module="aep", name="BaseConnection"):
    """A Flow Service base connection (type ``pulumi-python:dynamic/aep:BaseConnection``).

    ``auth_params`` is keyed by the API's camelCase param names and is kept secret in state; only these declared
    params are compared with the live connection. ``service_params`` holds what the service added by itself (e.g.
    HTTP API's ``inletUrl``; filled by adoption and refresh), never diffed, never patched. ``sandbox=None``
    resolves now (see ``default_sandbox``) and is recorded as an input, so moving a stack never moves its
    connections silently. ``adopt_id`` takes over an existing connection instead of creating one.
    ``force_delete=True`` deletes it even while source connections use it (provider/dependents.py); while a
    dataflow reads through it, Flow Service itself refuses (FLOW-1418).
    Refuses a plain-text ``aep:clientSecret`` or a non-https endpoint before registering anything
    (provider/program_guard.py).
    """

    name: pulumi.Output[str]
    description: pulumi.Output[Optional[str]]
    connection_spec_id: pulumi.Output[str]
    connection_spec_version: pulumi.Output[str]
    auth_spec_name: pulumi.Output[str]
    auth_type: pulumi.Output[Optional[str]]
    auth_params: pulumi.Output[dict]
    sandbox: pulumi.Output[str]
    adopt_id: pulumi.Output[Optional[str]]
    verify: pulumi.Output[bool]
    force_delete: pulumi.Output[bool]
    etag: pulumi.Output[str]
    service_params: pulumi.Output[Optional[dict]]
    state: pulumi.Output[Optional[str]]
    created_at: pulumi.Output[Optional[int]]
    updated_at: pulumi.Output[Optional[int]]

    def __init__(
        self,
        resource_name: str,
        *,
        name: pulumi.Input[str],
        connection_spec_id: pulumi.Input[str],
        auth_spec_name: pulumi.Input[str],
        auth_params: pulumi.Input[Mapping[str, Any]],
        sandbox: Optional[pulumi.Input[str]] = None,
        description: Optional[pulumi.Input[str]] = None,
        connection_spec_version: pulumi.Input[str] = "1.0",
        auth_type: Optional[pulumi.Input[str]] = None,
        adopt_id: Optional[pulumi.Input[str]] = None,
        verify: pulumi.Input[bool] = False,
        force_delete: pulumi.Input[bool] = False,
        opts: Optional[pulumi.ResourceOptions] = None,
    ) -> None:
        refuse_bad_provider_config()
        props: dict[str, Any] = {
            "name": name,
            "description": description,
            "connection_spec_id": connection_spec_id,
            "connection_spec_version": _unless_default("connection_spec_version", connection_spec_version),
            "auth_spec_name": auth_spec_name,
            "auth_type": auth_type,
            "auth_params": pulumi.Output.secret(auth_params),
            "sandbox": sandbox if sandbox is not None else default_sandbox(),
            "adopt_id": adopt_id,
            "verify": _unless_default("verify", verify),
            "force_delete": _unless_default("force_delete", force_delete),
            "create_key": create_key(TYPE, resource_name, opts.parent if opts else None),
            **{key: None for key in OUTPUT_KEYS},
        }
        opts = pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(additional_secret_outputs=["auth_params"]))
        with short_stack_trace(opts):
            super().__init__(BaseConnectionProvider(), resource_name, props, with_settings_provider(opts))
        for key, default in DEFAULTS.items():  # not recorded when default (see without_defaults): read back as it
            setattr(self, key, getattr(self, key).apply(lambda value, d=default: d if value is None else value))


def _unless_default(key: str, value: Any) -> Any:
    """None (not sent, so not recorded) for a literal default; anything else as given."""
    default = DEFAULTS[key]
    return None if type(value) is type(default) and value == default else value
