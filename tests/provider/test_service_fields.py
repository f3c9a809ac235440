"""provider/service_fields.py: the rules for fields the service owns, as pure functions (examples, then properties
with hypothesis)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from provider.service_fields import (
    CREDENTIAL_NAME,
    changed_by_the_service,
    covers,
    looks_masked,
    observe,
    param_ops,
    same_value,
    shows,
)


def test_numbers_and_booleans_are_compared_by_value():
    same = [(5432, "5432"), (5432, 5432.0), ("5432", 5432), (True, "true"), (False, "False"), (1.5, "1.5"),
            ({"a": 1}, {"a": "1"}), ([1, True], ["1", "true"]), ("x", "x")]
    different = [(5432, "5433"), (True, 1), (1, True), (True, "yes"), ("5432", "5432.0"), (0, ""), (None, "None"),
                 ({"a": 1}, {"a": 1, "b": 2}), ([1], [1, 1]), (float("nan"), "nan"),
                 (2**53 + 1, 2**53), (2**53 + 1, str(2**53)), (1000, "1_000"), (10, " 1e1x"), (5, "0x5")]
    assert all(same_value(a, b) for a, b in same), [p for p in same if not same_value(*p)]
    assert not any(same_value(a, b) for a, b in different), [p for p in different if same_value(*p)]


def test_changed_by_the_service_reads_updated_client_then_updated_by():
    class Obj:
        def __init__(self, client=None, by=None):
            self.updatedClient, self.updatedBy = client, by

    assert changed_by_the_service(Obj("acp_foundation_connectors"))
    assert changed_by_the_service(Obj(None, "acp_foundation_connectors@AdobeID"))
    assert not changed_by_the_service(Obj("exc_app", "acp_foundation_connectors@AdobeID"))
    assert not changed_by_the_service(Obj()) and not changed_by_the_service(Obj(None, "someone@AdobeID"))


def test_mask_shapes():
    masked = ["***", "********", "arn:aws:secretsmanager:us-east-1:123456789012:secret:sf-jwt-AbC123", "{PASSWORD}",
              " *** "]
    plain = ["**", "pw***", "arn:aws:s3:::bucket", "{lower}", "", "db.example.com"]
    assert all(map(looks_masked, masked)) and not any(map(looks_masked, plain))


def test_observe_keeps_declared_values_shows_drift_and_sets_added_keys_apart():
    declared = {"host": "db", "port": 5432, "ssl": True, "password": "pw", "gone": "x"}
    live = {"host": "moved", "port": "5432", "ssl": "***", "password": "arn:aws:secretsmanager:r:1:secret:p",
            "inletUrl": "https://dcs.adobedc.net/collection/abc", "apiToken": "raw-token", "extra": "***"}
    view, added = observe(declared, live, {"password"})
    assert view == {"host": "moved", "port": 5432, "ssl": True, "password": "pw"}  # "gone" left out: drift
    assert added == {"inletUrl": "https://dcs.adobedc.net/collection/abc"}  # no credential names, no masks


def test_param_ops_set_new_and_changed_keys_and_never_remove():
    ops = param_ops("/auth/params", {"a": 1, "b/c": "x", "old": True}, {"a": "1", "b/c": "y", "new": 2})
    assert ops == [{"op": "add", "path": "/auth/params/b~1c", "value": "y"},
                   {"op": "add", "path": "/auth/params/new", "value": 2}]


def test_covers_asks_only_for_the_new_sides_keys():
    assert covers({"a": 1, "dropped": "x"}, {"a": "1"})
    assert not covers({"a": 1}, {"a": 2}) and not covers({}, {"a": 1})


SCALARS = st.one_of(st.integers(-10**12, 10**12), st.booleans(), st.text(max_size=12))
KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)


def _echoes(value):
    """Ways the service may show a declared value without changing it."""
    if isinstance(value, bool):
        return st.sampled_from([value, "true" if value else "false", "TRUE" if value else "FALSE"])
    if isinstance(value, int):
        return st.sampled_from([value, str(value), float(value)])
    return st.just(value)


@st.composite
def service_views(draw):
    declared = draw(st.dictionaries(KEYS.map(lambda k: "d" + k), SCALARS, max_size=6))
    secret = draw(st.sets(st.sampled_from(sorted(declared)))) if declared else set()
    live = {}
    for key, value in declared.items():
        if key in secret:
            form = draw(st.sampled_from(["***", "arn:aws:secretsmanager:us-east-1:1:secret:x", "{SECRET}", None]))
            if form is not None:
                live[key] = form
        else:
            live[key] = draw(st.one_of(_echoes(value), st.just("*****")))
    added = draw(st.dictionaries(KEYS.map(lambda k: "s" + k), SCALARS, max_size=4))
    return declared, secret, {**live, **added}, added


@settings(max_examples=400, deadline=None)
@given(service_views())
def test_whatever_the_service_adds_or_echoes_nothing_changes(case):
    declared, secret, live, added = case
    view, seen = observe(declared, live, secret)
    assert view == declared  # no diff
    assert shows(declared, live, secret)  # adoption and the 412 check see no change
    assert seen == {k: v for k, v in added.items() if not looks_masked(v) and not CREDENTIAL_NAME.search(k)}
    assert param_ops("/auth/params", declared, view) == []


@settings(max_examples=400, deadline=None)
@given(service_views(), st.dictionaries(KEYS, SCALARS, max_size=6))
def test_a_change_only_sets_what_the_program_declares(case, wanted):
    """Whatever was recorded before (declared keys, or the service's keys an earlier version recorded), the
    operations only set keys the program now declares, each to its value, and never remove anything."""
    declared, _secret, _live, added = case
    ops = param_ops("/auth/params", {**added, **declared}, wanted)
    assert all(op["op"] == "add" and same_value(op["value"], wanted[op["path"].rsplit("/", 1)[1]]) for op in ops)
    assert {op["path"].rsplit("/", 1)[1] for op in ops} == {
        k for k, v in wanted.items() if not same_value(v, {**added, **declared}.get(k, object()))}
