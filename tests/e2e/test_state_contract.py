"""What the real engine writes to state and must keep reading for as long as stacks exist.

- `__provider` pickles `provider.base_connection.BaseConnectionProvider` BY REFERENCE: moving or renaming that
  class breaks every stored stack (Read, Update and Delete unpickle it from state). This test fails if it moves.
  It holds no secret, so it is stored plain (`serialize_as_secret_always = False`), not sealed.
- A child's URN carries its parent's type (`aep:sources:<Class>$pulumi-python:dynamic/aep:BaseConnection`):
  renaming a component class, or moving a connection under another parent, replaces the connection unless
  aliased. This test pins the URNs of the local stack.
- The credentials in Pulumi.yaml default to "" so the documented AEP_* fallback runs under the real CLI.
"""

from __future__ import annotations

import base64
import pickle
import pickletools

from provider.base_connection import BaseConnectionProvider
from tests.e2e.project import E2EProject

TYPE = "pulumi-python:dynamic/aep:BaseConnection"
EXPECTED_URNS = {
    f"urn:pulumi:local::aep::aep:sources:PostgreSqlConnection${TYPE}::orders-db",
    f"urn:pulumi:local::aep::aep:sources:GoogleBigQueryConnection${TYPE}::marketing-bigquery",
    f"urn:pulumi:local::aep::aep:sources:GoogleBigQueryServiceAccountConnection${TYPE}::events-bigquery",
}


def _globals_in_pickle(data: bytes) -> set[str]:
    """`module name` pairs the pickle refers to (GLOBAL and STACK_GLOBAL opcodes)."""
    found, strings = set(), []
    for opcode, arg, _pos in pickletools.genops(data):
        if opcode.name in ("SHORT_BINUNICODE", "BINUNICODE", "UNICODE"):
            strings.append(arg)
        elif opcode.name == "STACK_GLOBAL":
            found.add(f"{strings[-2]} {strings[-1]}")
        elif opcode.name == "GLOBAL":
            found.add(arg)
    return found


def test_state_pins_the_provider_class_and_parent_typed_urns(project):
    project.up()
    resources = project.export()["resources"]
    connections = [r for r in resources if r["type"] == TYPE]
    assert {r["urn"] for r in connections} == EXPECTED_URNS
    for resource in connections:
        assert_plain_provider_reference(resource)


def assert_plain_provider_reference(resource: dict, sections: tuple[str, ...] = ("inputs", "outputs")) -> None:
    """``__provider`` in ``sections``: a plain string (not a sealed secret), a by-reference pickle of
    BaseConnectionProvider and nothing else."""
    for section in sections:
        stored = resource[section]["__provider"]
        assert isinstance(stored, str), f"{section}.__provider is stored sealed: {stored!r}"
        blob = base64.b64decode(stored)
        assert _globals_in_pickle(blob) == {"provider.base_connection BaseConnectionProvider"}
        assert len(blob) < 200
        assert type(pickle.loads(blob)) is BaseConnectionProvider and vars(pickle.loads(blob)) == {}


def test_credentials_from_the_environment_under_the_cli(tmp_path, emulator, pulumi_cli):
    copy = E2EProject(tmp_path, emulator, pulumi_cli)
    copy.env.update(AEP_ORG_ID=emulator.org_id, AEP_CLIENT_ID=emulator.client_id,
                    AEP_CLIENT_SECRET=emulator.client_secret)
    for key in ("aep:orgId", "aep:clientId", "aep:clientSecret"):
        copy.remove_path(key)
    copy.set_config("aep:endpoint", emulator.flow_url)
    copy.set_config("aep:imsEndpoint", emulator.ims_url)
    emulator.clear_log()
    copy.up()
    assert copy.writes() == ["POST /data/foundation/flowservice/connections"] * 3
    assert {c["org"] for c in emulator.connections()} == {emulator.org_id}
    copy.destroy()
    assert emulator.connections() == []
