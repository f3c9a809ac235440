"""Fields Flow Service owns, through the real plugin and the emulator over HTTP: for every catalogued (connection
spec, auth spec), a connection the service has changed by itself (params added, numbers and booleans echoed as
strings, secrets in another mask form) refreshes without a diff or a replacement, a no-change `up` makes no call,
and a rename is one PATCH that keeps every key the service added."""

from __future__ import annotations

import json
import random
from typing import Any

from provider.catalog import load_catalog
from tests.harness.engine import base_connection_registration
from tests.provider.lifecycle import api_calls, assert_emulator_matches_state

PAIRS = [(spec, auth) for spec in load_catalog().specs if spec.verified for auth in spec.authSpecs]
ADDED_CANDIDATES = {"svcRegion": "eu-west-1", "svcShard": 7, "svcManaged": True, "inletId": "f" * 64}


def _declared(auth) -> dict[str, Any]:
    samples = {"integer": 1234, "boolean": True}
    return {p.name: samples.get(p.type, f"value-of-{p.name}") for p in auth.params}


def _echo(value: Any, rng: random.Random) -> Any:
    """The same value as the service might echo it: a number or boolean as a string, or unchanged."""
    if isinstance(value, bool):
        return rng.choice([value, "true" if value else "false"])
    if isinstance(value, int):
        return rng.choice([value, str(value)])
    return value


def _registration(spec, auth, name: str, params: dict[str, Any]):
    return base_connection_registration(name=name, connection_spec_id=spec.id, auth_spec_name=auth.name,
                                        auth_params=params, connection_spec_version=spec.version, sandbox="prod")


def _story(emulator, engine, index: int) -> None:
    spec, auth = PAIRS[index]
    rng, name = random.Random(index), f"conn-{index}"
    declared = _declared(auth)
    created = engine.up(name, _registration(spec, auth, "service-owned", declared))
    added = dict(rng.sample(sorted(ADDED_CANDIDATES.items()), k=rng.randint(1, 3)))
    added = {k: v for k, v in added.items() if auth.param(k) is None}
    echoed = {p.name: _echo(declared[p.name], rng) for p in auth.params if not p.secret}
    emulator.service_edit(created.id, params={**echoed, **added}, mask=rng.choice(["stars", "arn", "omit"]))

    refreshed = engine.refresh(name)
    assert not refreshed.diff.changed and not refreshed.diff.replace, refreshed.diff
    assert refreshed.outputs["service_params"].items() >= added.items()
    recorded = json.dumps(refreshed.outputs["service_params"])
    assert not any(str(declared[p.name]) in recorded for p in auth.params if p.secret), "a secret in plain text"

    emulator.clear_log()
    assert engine.up(name, _registration(spec, auth, "service-owned", declared)).op == "same"
    assert api_calls(emulator) == {}

    renamed = engine.up(name, _registration(spec, auth, "renamed", declared))
    assert renamed.op == "update" and api_calls(emulator) == {"PATCH /connections/{id}": 1}, api_calls(emulator)
    stored = next(c for c in emulator.connections() if c["id"] == created.id)["auth"]["params"]
    assert {k: stored.get(k) for k in added} == added, "a key the service added was removed or changed"


def test_service_changes_never_diff_replace_or_get_patched_away(emulator, engine):
    """One plugin for all pairs (a process per pair would cost half a minute); every failing pair is named."""
    failures = []
    for index, (spec, auth) in enumerate(PAIRS):
        try:
            _story(emulator, engine, index)
        except Exception as exc:  # collected so that one run names every failing pair
            failures.append(f"{spec.source} / {auth.name}: {type(exc).__name__}: {exc}")
    assert not failures, "\n".join(failures)
    assert len(PAIRS) > 70
    assert_emulator_matches_state(emulator, engine)


SALESFORCE = next(s for s in load_catalog().specs if s.source == "salesforce")
JWT = SALESFORCE.auth_spec("OAuth2 JWT Token Credential")
JWT_PARAMS = {"jwtToken": "header.payload.sig", "clientId": "3MVG9-consumer", "clientSecret": "sf-secret-77",
              "instanceUrl": "https://acme.my.salesforce.com"}


def _flow_calls(emulator) -> list[tuple[str, str, int]]:
    return [(r["method"], r["template"].rsplit("/flowservice", 1)[-1], r["status"])
            for r in emulator.requests() if "/flowservice" in r["template"]]


def test_the_services_own_update_after_create_costs_one_get_not_an_error(emulator, engine):
    """Salesforce on AWS: the service updates a new connection by itself (new etag, orgId). The next change is
    refused with 412 once; the connection still shows what state recorded, so the PATCH is sent again."""
    emulator.set_service_delay(3600)
    created = engine.up("sf", _registration(SALESFORCE, JWT, "CRM on AWS", JWT_PARAMS))
    assert emulator.run_service_updates() == 1
    emulator.clear_log()
    renamed = engine.up("sf", _registration(SALESFORCE, JWT, "CRM on AWS (renamed)", JWT_PARAMS))
    assert renamed.op == "update"
    assert _flow_calls(emulator) == [("PATCH", "/connections/{id}", 412), ("GET", "/connections/{id}", 200),
                                     ("PATCH", "/connections/{id}", 200)]
    stored = emulator.connections()[0]
    assert stored["name"] == "CRM on AWS (renamed)" and stored["auth"]["params"]["orgId"].startswith("00D")
    assert renamed.outputs["etag"] == stored["etag"]
    refreshed = engine.refresh("sf")
    assert not refreshed.diff.changed and refreshed.outputs["service_params"]["orgId"].startswith("00D")
    assert refreshed.outputs["state"] == "enabled" and refreshed.id == created.id
    assert_emulator_matches_state(emulator, engine)


HTTP_API = next(s for s in load_catalog().specs if s.source == "http-api")
STREAMING = HTTP_API.auth_spec("Streaming Connection")


def test_state_from_an_earlier_version_with_service_keys_in_auth_params(emulator, engine):
    """Before this version a refresh recorded the service's keys (inletUrl, inletId) among auth_params. Such a
    state neither diffs nor makes the next `up` remove them."""
    created = engine.up("inlet", _registration(HTTP_API, STREAMING, "Clickstream", {"dataType": "xdm"}))
    stored = emulator.connections()[0]["auth"]["params"]
    state = engine.state[engine.urn("inlet")]
    for props in (state.inputs, state.outputs):
        props["auth_params"] = dict(stored)  # what the earlier version's refresh wrote
        props.pop("service_params", None)
    emulator.clear_log()
    assert engine.up("inlet", _registration(HTTP_API, STREAMING, "Clickstream", {"dataType": "xdm"})).op == "same"
    assert api_calls(emulator) == {}
    renamed = engine.up("inlet", _registration(HTTP_API, STREAMING, "Clickstream (web)", {"dataType": "xdm"}))
    assert renamed.op == "update" and api_calls(emulator) == {"PATCH /connections/{id}": 1}
    assert emulator.connections()[0]["auth"]["params"] == stored and renamed.id == created.id
    assert not engine.refresh("inlet").diff.changed
