"""One mechanism for every Flow Service object Pulumi manages; one module per object says what differs.

``ManagedObjectProvider`` is the engine's side of all of them (source and target connections, mapping sets,
dataflows): Check with no network, Diff with no network, Create (or adoption), Read (404 → gone, drift shown),
Update, Delete. A subclass names its keys and implements five hooks:

    check_fields(inputs, fail)             per-object rules, no network
    create_object(api, inputs)             the calls that make it          → outputs (with "id")
    read_object(api, sandbox, id, state)   GET and observe it              → input-shaped values + outputs
    update_object(api, id, old, new)       the calls for a change          → outputs
    delete_object(api, sandbox, id, state)

What they share, so no object gets it wrong on its own:

* ``UPDATE_KEYS`` change in place, ``REPLACE_KEYS`` make a new object (created before the old one is deleted);
  ``same`` compares by value (provider/service_fields.py), so ``"15"`` and ``15`` are one value.
* ``adopt_id`` (the object's own id) or ``adopt_from_flow`` (a dataflow's id; the object is the one that flow
  uses) takes over an existing object: one read, refused when a replace key differs, and an update only when an
  update key differs. Kept from the state on read (the service knows nothing of it).
* PATCH with If-Match, lost replies and 412s: provider/client/guarded_patch.py. Secrets: none of these objects
  holds one, so nothing is wrapped here.

The provider instance is pickled into every resource's state by reference, as ``BaseConnectionProvider`` is:
subclasses live in importable modules (provider/pipeline/) and are never renamed without an alias.
"""

from __future__ import annotations

import logging
from typing import Any, Callable, ClassVar, Optional

from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)

from provider.catalog.validation import MAX_DESCRIPTION
from provider.client import FlowServiceClient
from provider.client.create_marker import mark, marked_objects, marker_for, recorded, taken_over
from provider.client.flow_objects import FLOWS, Collection, get_object
from provider.client.flow_service import MAX_ALL_PAGES
from provider.client.models import FlowObject
from provider.connection_inputs import PROGRAM_KEYS, is_unknown, plain
from provider.engine_watch import watch_engine
from provider.errors import NotFoundError, ValidationError
from provider.service_fields import same_value
from provider.settings import SANDBOX_PATTERN, Settings, load_settings

log = logging.getLogger("provider")
Fail = Callable[[str, str], None]
ADOPT_KEYS = ("adopt_id", "adopt_from_flow")


class ConfiguredProvider(ResourceProvider):
    """Stateless when pickled; the client is built once, in the plugin, from the stack's ``aep:*`` config.

    The pickle names this class and holds nothing else, so ``__provider`` is stored as plain base64 rather than a
    passphrase-sealed secret (pulumi.dynamic's default seals it always: ~235 bytes, in inputs and outputs, of
    every resource). It would still be sealed if a secret Output were ever captured while pickling."""

    serialize_as_secret_always = False

    def __getstate__(self) -> None:
        return None  # never pickle the client or settings set by configure()

    def configure(self, req: ConfigureRequest) -> None:
        self._settings: Settings = load_settings(req.config.get)
        self._client = FlowServiceClient(self._settings)
        watch_engine()  # the plugin ends with the engine, even one killed (provider/engine_watch.py)

    def _api(self) -> FlowServiceClient:
        client = getattr(self, "_client", None)
        if client is None:  # configure() was not called, e.g. outside the plugin: fall back to env
            self._settings = load_settings({})
            client = self._client = FlowServiceClient(self._settings)
        return client


class ManagedObjectProvider(ConfiguredProvider):
    kind: ClassVar[str] = "object"
    UPDATE_KEYS: ClassVar[tuple[str, ...]] = ()
    REPLACE_KEYS: ClassVar[tuple[str, ...]] = ()
    DEFAULTS: ClassVar[dict[str, Any]] = {}
    OUTPUT_KEYS: ClassVar[tuple[str, ...]] = ("etag", "created_at", "updated_at")
    KEPT_WHEN_UNSET: ClassVar[tuple[str, ...]] = ()  # update keys whose None means "leave the live value"
    COLLECTION: ClassVar[Optional[Collection]] = None  # set, with a description: crash-safe creates (below)

    @classmethod
    def input_keys(cls) -> tuple[str, ...]:
        return (*cls.UPDATE_KEYS, *cls.REPLACE_KEYS, *ADOPT_KEYS)

    # -- hooks ----------------------------------------------------------------------------------------------

    def check_fields(self, inputs: dict[str, Any], fail: Fail) -> None:
        """Per-object rules; ``inputs`` may be normalised in place. Unknown (preview) values must pass."""

    def create_object(self, api: FlowServiceClient, inputs: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def read_object(self, api: FlowServiceClient, sandbox: str, ident: str, state: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def update_object(self, api: FlowServiceClient, ident: str, old: dict[str, Any], new: dict[str, Any]
                      ) -> dict[str, Any]:
        raise NotImplementedError

    def delete_object(self, api: FlowServiceClient, sandbox: str, ident: str, state: dict[str, Any]) -> None:
        raise NotImplementedError

    def id_in_flow(self, flow: FlowObject) -> Optional[str]:
        """The id of this kind of object that ``flow`` uses (for ``adopt_from_flow``)."""
        return None

    def same(self, key: str, old: Any, new: Any) -> bool:
        if new is None and key in self.KEPT_WHEN_UNSET:
            return True
        if is_unknown(old) or is_unknown(new):
            return False
        old = self.DEFAULTS.get(key) if old is None else old
        new = self.DEFAULTS.get(key) if new is None else new
        return same_value(old, new) if old is not None and new is not None else old is new

    def showing(self, want: dict[str, Any], observed: Callable[[FlowObject], dict[str, Any]]
                ) -> Callable[[FlowObject], bool]:
        """Whether a live object shows ``want``'s update keys: guarded_patch's ``applied`` and ``unchanged``."""
        return lambda live: all(self.same(k, observed(live).get(k), want.get(k)) for k in self.UPDATE_KEYS)

    def replaces(self, key: str, olds: dict[str, Any], news: dict[str, Any]) -> bool:
        return key in self.REPLACE_KEYS

    # -- engine calls ---------------------------------------------------------------------------------------

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        inputs, failures = plain(news), []

        def fail(prop: str, reason: str) -> None:
            failures.append(CheckFailure(prop, reason))

        for key in inputs:
            if key not in self.input_keys() and key not in self.OUTPUT_KEYS and key not in PROGRAM_KEYS:
                fail(key, f"unknown property; allowed: {', '.join(self.input_keys())}")
        for key, default in self.DEFAULTS.items():
            if inputs.get(key) is None:
                inputs[key] = default
        sandbox = inputs.get("sandbox")
        if not is_unknown(sandbox) and (not isinstance(sandbox, str) or not SANDBOX_PATTERN.match(sandbox)):
            fail("sandbox", "required: an AEP sandbox name (lowercase letters, digits, '-'); set aep:sandbox or "
                 "pass sandbox=")
        for key in ADOPT_KEYS:
            value = inputs.get(key)
            if value is not None and not is_unknown(value) and (not isinstance(value, str) or not value.strip()):
                fail(key, "must be the id of an existing object (a non-empty string), or left out")
        self.check_fields(inputs, fail)
        if not failures and (problem := self._readopt_problem(plain(olds), inputs)):
            fail("adopt_id", problem)
        for key in self.OUTPUT_KEYS:
            inputs.pop(key, None)
        return CheckResult(inputs, failures)

    def _readopt_problem(self, olds: dict[str, Any], news: dict[str, Any]) -> Optional[str]:
        """A replacement must not run while the adoption input still points at the adopted object: the new
        object's create would take over the very one the engine deletes right after."""
        adopted = [k for k in ADOPT_KEYS if news.get(k) and not is_unknown(news[k]) and olds.get(k) == news[k]]
        changed = [k for k in self.REPLACE_KEYS if k in olds and not is_unknown(news.get(k))
                   and not self.same(k, olds.get(k), news.get(k))]
        if not adopted or not changed:
            return None
        return (f"changing {', '.join(changed)} needs a new {self.kind}, but {adopted[0]} still points at the adopted "
                f"one, which the replacement would take over again and then delete; remove {adopted[0]} (it only "
                "matters for the first `pulumi up`) and run again")

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """No API call and never an error (on `pulumi refresh` it compares the live values with the inputs)."""
        olds, news = plain(olds), plain(news)
        recorded(_id)
        changed = [k for k in (*self.UPDATE_KEYS, *self.REPLACE_KEYS) if not self.same(k, olds.get(k), news.get(k))]
        replaces = [k for k in changed if self.replaces(k, olds, news)]
        return DiffResult(changes=bool(changed), replaces=replaces, delete_before_replace=False)

    def create(self, props: dict[str, Any]) -> CreateResult:
        inputs, api = plain(props), self._api()
        if self.adopting(inputs):
            outs = self.adopt(api, inputs)
        else:
            found = self._interrupted_create(api, inputs)
            outs = (self._take_over(api, inputs, found) if found else None) or self.create_object(api, inputs)
        return CreateResult(outs["id"], self._outputs(inputs, outs))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        state, api = plain(props), self._api()
        sandbox = state.get("sandbox") or api.settings.sandbox
        recorded(id_)
        try:
            seen = self.read_object(api, sandbox, id_, state)
        except NotFoundError:
            return ReadResult("", {})
        kept = {k: state.get(k) for k in (*ADOPT_KEYS, *PROGRAM_KEYS)}  # the service knows nothing of these
        outs = {k: v for k, v in {**kept, **seen}.items() if v is not None and k != "id"}
        return ReadResult(id_, outs, {k: outs[k] for k in (*self.input_keys(), *PROGRAM_KEYS) if k in outs})

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        old, new = plain(olds), plain(news)
        recorded(id_)
        return UpdateResult(self._outputs(new, self.update_object(self._api(), id_, old, new)))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        state, api = plain(props), self._api()
        recorded(id_)
        if taken_over(id_):
            log.warning("%s %s is kept: a create of this run took it over", self.kind, id_)
            return
        self.delete_object(api, state.get("sandbox") or api.settings.sandbox, id_, state)

    # -- adoption -------------------------------------------------------------------------------------------

    @staticmethod
    def adopting(inputs: dict[str, Any]) -> bool:
        return any(inputs.get(k) for k in ADOPT_KEYS)

    def adopt(self, api: FlowServiceClient, inputs: dict[str, Any], found_id: str = "") -> dict[str, Any]:
        """Take over an existing object (or ``found_id``, one an interrupted run created) and make it show the
        declared values (see the module docstring)."""
        sandbox, ident = inputs["sandbox"], found_id or self._adopted_id(api, inputs)
        try:
            found = self.read_object(api, sandbox, ident, inputs)
        except NotFoundError:
            raise NotFoundError(f"adopt_id {ident}: no {self.kind} with that id in sandbox {sandbox}; check the id "
                                "and the sandbox, or remove adopt_id to create a new one", status=404) from None
        wrong = [k for k in self.REPLACE_KEYS if k in found and not self.same(k, found[k], inputs.get(k))]
        wrong += [k for k in self.UPDATE_KEYS if k in found and not self.same(k, found[k], inputs.get(k))
                  and self.replaces(k, found, inputs)]  # e.g. a flow's passed start time
        if wrong:
            shown = "; ".join(f"{k} is {found[k]!r}, not {inputs.get(k)!r}" for k in wrong)
            raise ValidationError(f"adopt_id {ident}: the {self.kind} found differs where only a new one could "
                                  f"change it ({shown}); declare those values to adopt it, or remove adopt_id")
        if all(self.same(k, found.get(k), inputs.get(k)) for k in self.UPDATE_KEYS):
            return {**found, "id": ident}
        return {**self.update_object(api, ident, found, inputs), "id": ident}

    def _adopted_id(self, api: FlowServiceClient, inputs: dict[str, Any]) -> str:
        if inputs.get("adopt_id"):
            return inputs["adopt_id"]
        sandbox, flow_id = inputs["sandbox"], inputs["adopt_from_flow"]
        try:
            ident = self.id_in_flow(get_object(api, FLOWS, sandbox, flow_id))
        except NotFoundError:
            raise NotFoundError(f"adopt_id {flow_id}: no dataflow with that id in sandbox {sandbox}; check the id "
                                "(Sources > Dataflows in the AEP UI) and the sandbox", status=404) from None
        if not ident:
            raise ValidationError(f"adopt_id {flow_id}: dataflow has no {self.kind} to take over")
        return ident

    # -- crash-safe creates: provider/client/create_marker.py -------------------------------------------------

    def marker(self, inputs: dict[str, Any]) -> Optional[str]:
        """This object's create marker: its ``create_key`` and replace-only values; None when adopted."""
        if self.COLLECTION is None or "description" not in self.UPDATE_KEYS or self.adopting(inputs):
            return None
        fixed = [self.DEFAULTS.get(k) if inputs.get(k) is None else inputs.get(k) for k in self.REPLACE_KEYS]
        return marker_for(inputs.get("create_key"), fixed)

    def described(self, inputs: dict[str, Any]) -> Optional[str]:
        """The description to write: the declared one with the create marker at its end."""
        return mark(inputs.get("description"), self.marker(inputs), MAX_DESCRIPTION)

    def _interrupted_create(self, api: FlowServiceClient, inputs: dict[str, Any]) -> str:
        """The id of the object an interrupted run of this stack created for this resource, or ""."""
        marker, collection = self.marker(inputs), self.COLLECTION
        if not marker or collection is None:
            return ""

        def list_items(sandbox: str, query: dict[str, str]) -> list[dict[str, Any]]:
            action = f"looking for {self.kind}s an interrupted run created in sandbox {sandbox}"
            return api.list_items(collection.path, sandbox, query, action, max_pages=MAX_ALL_PAGES, complete=True)

        item = marked_objects(collection.path).claim(list_items, inputs["sandbox"], marker)
        if item is None:
            return ""
        log.warning("%s %s was created by an earlier run that did not record it; taking it over", self.kind,
                    item.get("id"))
        return str(item.get("id"))

    def _take_over(self, api: FlowServiceClient, inputs: dict[str, Any], found: str) -> Optional[dict[str, Any]]:
        """Make ``found`` (an interrupted run's) show the declared values; None when a new one must be created:
        it is gone since the listing, or only a new one could match (a flow's start time, passed since, was
        changed), in which case it is deleted first, as a replacement would be."""
        try:
            return self.adopt(api, inputs, found)
        except NotFoundError:
            return None
        except ValidationError as problem:
            log.warning("%s %s, made by an interrupted run, cannot be made to match (%s); deleting it and creating "
                        "a new one", self.kind, found, problem.message)
            self.delete_object(api, inputs["sandbox"], found, {**inputs, "id": found})
            return None

    def _outputs(self, inputs: dict[str, Any], outs: dict[str, Any]) -> dict[str, Any]:
        kept = {k: v for k, v in inputs.items() if k in self.input_keys() or k in PROGRAM_KEYS}  # read() carries them
        return {**kept, **{k: v for k, v in outs.items() if k in self.OUTPUT_KEYS}}
