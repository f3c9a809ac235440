"""Fields the service owns: how a live Flow Service object is compared with what the user declared.

One set of rules for every managed object (base connections today; source and target connections and dataflows
on the same terms). Flow Service adds params nobody sent (HTTP API's ``inletUrl``), updates objects by itself
(Salesforce on AWS adds ``orgId``), masks secrets in more than one form, and may echo a number as a string
(Adobe's own dataflow examples show ``"interval": "15"``). So:

* only declared keys are compared; what the service adds is kept apart (``observe``) and never diffed;
* a declared value and a live one are the same if they are equal by value, whatever their JSON type
  (``same_value``: ``5432`` and ``"5432"``, ``True`` and ``"true"``);
* a live value shaped like a mask (``***``, an AWS Secrets Manager reference, a ``{PLACEHOLDER}``) stands for
  the declared value, for secret params and for params the catalog does not know are secret (``looks_masked``);
* a change is patched key by key (``param_ops``), never by replacing the whole object, which would drop the keys
  the service added (Adobe's "Update accounts" tutorial shows a replaced ``/auth/params`` losing a key), and
  never by removing one: a param dropped from the program is left as it is (``covers``).
"""

from __future__ import annotations

import math
import re
from typing import Any, Collection, Mapping

_MASKS = (
    re.compile(r"\*{3,}"),                                   # ***, ********
    re.compile(r"arn:aws:secretsmanager:[^\s]+"),            # Salesforce on AWS, an older revision of Adobe's page
    re.compile(r"\{[A-Z][A-Z0-9_]*\}"),                      # {PASSWORD}, as in Adobe's sample responses
)
# The client Adobe's responses name for changes the platform makes by itself (Salesforce on AWS after create, flow
# runs): "updatedClient": "acp_foundation_connectors", "updatedBy": "acp_foundation_connectors@AdobeID".
SERVICE_CLIENTS = frozenset({"acp_foundation_connectors"})
CREDENTIAL_NAME = re.compile(r"password|passwd|secret|token|api_?key|private_?key|key_?file|credential", re.I)


def changed_by_the_service(obj: Any) -> bool:
    """Whether an object's last change was the platform's own (its ``updatedClient``/``updatedBy``), not a
    person's or another tool's: only then may a write that met a new etag be sent again."""
    client = getattr(obj, "updatedClient", None) or (getattr(obj, "updatedBy", None) or "").split("@", 1)[0]
    return client in SERVICE_CLIENTS


def looks_masked(value: Any) -> bool:
    """Whether a live value is a stand-in for a hidden one rather than a value."""
    return isinstance(value, str) and any(mask.fullmatch(value.strip()) for mask in _MASKS)


_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?")


def _number(value: Any) -> int | float | None:
    """A JSON number, or a string holding one in plain decimal notation; integers stay exact."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
        text = value.strip()
        if text.lstrip("-").isdigit():
            return int(text)
        number = float(text)
        return int(number) if number.is_integer() and math.isfinite(number) else number
    return None


def as_boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def same_value(declared: Any, live: Any) -> bool:
    """Equal by value: numbers and booleans whatever their JSON type; objects and lists element by element."""
    if isinstance(declared, Mapping) and isinstance(live, Mapping):
        return declared.keys() == live.keys() and all(same_value(declared[k], live[k]) for k in declared)
    if isinstance(declared, (list, tuple)) and isinstance(live, (list, tuple)):
        return len(declared) == len(live) and all(map(same_value, declared, live))
    if isinstance(declared, bool) or isinstance(live, bool):
        return as_boolean(declared) is not None and as_boolean(declared) == as_boolean(live)
    if isinstance(declared, (int, float)) or isinstance(live, (int, float)):
        return _number(declared) is not None and _number(declared) == _number(live)
    return declared == live


def covers(old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> bool:
    """Whether ``old`` already has every key of ``new``, each the same by value. Keys only ``old`` has do not
    count: a param dropped from the program is no longer managed (``param_ops`` leaves it as it is)."""
    old, new = dict(old or {}), dict(new or {})
    return all(key in old and same_value(value, old[key]) for key, value in new.items())


def observe(
    declared: Mapping[str, Any], live: Mapping[str, Any], secret: Collection[str],
    never_record: Collection[str] = (),
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the declared keys as the service shows them, the keys the service added).

    A declared key keeps its declared value when the live one is the same by value, masked, or secret (secret
    params come back masked or not at all); otherwise the live value shows, so drift shows. A declared key the
    service no longer has is left out, so that shows too. Added keys leave out secrets and masks, ``never_record``
    (names secret elsewhere) and any key whose name says credential: they are recorded in plain text."""
    view: dict[str, Any] = {}
    for key, want in declared.items():
        if key in secret:
            view[key] = want
        elif key in live:
            have = live[key]
            view[key] = want if same_value(want, have) or looks_masked(have) else have
    added = {
        key: value for key, value in live.items()
        if key not in declared and key not in secret and key not in never_record and not looks_masked(value)
        and not CREDENTIAL_NAME.search(key)
    }
    return view, added


def shows(declared: Mapping[str, Any], live: Mapping[str, Any], secret: Collection[str]) -> bool:
    """Whether the live params show every declared, comparable value (what the service added does not count)."""
    view, _ = observe(declared, live, secret)
    return view.keys() == declared.keys() and all(same_value(declared[k], view[k]) for k in declared)


def _pointer(prefix: str, key: str) -> str:
    return f"{prefix}/{key.replace('~', '~0').replace('/', '~1')}"


def param_ops(
    prefix: str, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, *, remove_dropped: bool = False
) -> list[dict[str, Any]]:
    """JSON Patch operations under ``prefix`` (e.g. ``/auth/params``) for the declared keys that are new or
    changed: ``add``, which sets a key whether or not it exists (RFC 6902). Nothing is ever removed: a key the
    service added is in neither mapping, and a key dropped from the program may be one the service defaults (an
    earlier version's refresh recorded those as declared), so it is left as it is and no longer managed.
    ``remove_dropped`` is for undoing our own write: keys it added are removed again."""
    old, new = dict(old or {}), dict(new or {})
    ops = [{"op": "add", "path": _pointer(prefix, key), "value": value}
           for key, value in new.items() if key not in old or not same_value(value, old[key])]
    if remove_dropped:
        ops += [{"op": "remove", "path": _pointer(prefix, key)} for key in old if key not in new]
    return ops
