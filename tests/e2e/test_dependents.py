"""A connection in use is never deleted by accident, through the real CLI: with a dataflow on the orders
connection (a source connection and a flow, made in the emulator as Adobe's tutorials make them), removing its
entry and destroying the stack are both refused with the message, and the emulator logs no DELETE for it; with
`force_delete: true` recorded by an `up` (an update that makes no API call), the provider sends the DELETE, which
Flow Service itself refuses while the flow reads through it (FLOW-1418, said in the error); once the flow is gone,
one DELETE deletes it and leaves the source connection broken, as asked.

The engine hands Delete the connection's recorded state, so `force_delete` counts once an `up` with the entry
still declared has recorded it: setting it on an entry already removed, or only before `destroy`, changes
nothing.
"""

from __future__ import annotations

import pytest

from tests.support.dataflows import Dataflows

FLOW = "/data/foundation/flowservice"
DELETE, LIST_SOURCES, LIST_FLOWS = (f"DELETE {FLOW}/connections/{{id}}", f"GET {FLOW}/sourceConnections",
                                    f"GET {FLOW}/flows")
ORDERS = "Orders database (PostgreSQL)"


@pytest.fixture
def in_use(project):
    """`up`, then a dataflow on the orders connection: (connection id, source connection id, flow id)."""
    project.up()
    orders_id = project.connections()[ORDERS]["id"]
    made = Dataflows(project.emulator)
    source_id, flow_id = made.add(orders_id, "dev", "Orders")
    made.close()
    project.emulator.clear_log()
    yield orders_id, source_id, flow_id


def _delete_flow(project, flow_id: str) -> None:
    made = Dataflows(project.emulator)
    made.delete("flows", flow_id, "dev")
    made.close()


def _assert_refused(error, project, orders_id: str, source_id: str, flow_id: str) -> None:
    text = str(error)
    assert "ConnectionInUseError" in text
    assert f"base connection '{ORDERS}' ({orders_id}) in sandbox dev is still used by 1 source connection(s) " \
           "and 1 dataflow(s)" in text
    assert f"source connection 'Orders table' ({source_id})" in text
    assert f"dataflow 'Orders to AEP' ({flow_id})" in text
    assert "Nothing was deleted" in text and "force_delete: true" in text
    deletes = [r["path"] for r in project.emulator.requests() if r["method"] == "DELETE"]
    assert not [p for p in deletes if p.endswith(orders_id)], "a DELETE was sent for the connection in use"
    assert project.connections()[ORDERS]["id"] == orders_id


def test_removing_the_entry_is_refused_until_force_delete_is_recorded(project, in_use):
    orders_id, source_id, flow_id = in_use
    stack_file = project.dir / "stacks" / "Pulumi.local.yaml"
    with_entry = stack_file.read_text()
    project.remove_path("aep:connections.orders-db")
    error = project.failing("up")
    assert project.flow_calls() == [LIST_SOURCES, LIST_FLOWS]
    _assert_refused(error, project, orders_id, source_id, flow_id)

    # The entry back, with force_delete: recorded by an update that calls nothing ...
    stack_file.write_text(with_entry)
    project.set_path("aep:connections.orders-db.force_delete", "true")
    project.emulator.clear_log()
    result = project.up()
    assert result.summary.resource_changes.get("update") == 1 and project.flow_calls() == []

    # ... then removing it sends one DELETE and no listing, which Flow Service refuses while the flow reads
    # through it; with the flow deleted (as the error says), the DELETE goes through: the source connection stays.
    project.remove_path("aep:connections.orders-db")
    project.emulator.clear_log()
    error = str(project.failing("up"))
    assert project.flow_calls() == [DELETE] and "FLOW-1418" in error and "force_delete or not" in error
    assert project.connections()[ORDERS]["id"] == orders_id
    _delete_flow(project, flow_id)
    project.emulator.clear_log()
    project.up()
    assert project.flow_calls() == [DELETE]
    assert ORDERS not in project.connections()


def test_destroy_is_refused_for_the_connection_in_use_then_force_delete_lets_it_go(project, in_use):
    orders_id, source_id, flow_id = in_use
    error = project.failing("destroy")
    _assert_refused(error, project, orders_id, source_id, flow_id)
    assert project.flow_calls().count(LIST_FLOWS) == 1  # only the connection in use has something to list

    # Set in the config only, force_delete does not reach Delete: destroy runs on the recorded state.
    project.set_path("aep:connections.orders-db.force_delete", "true")
    project.emulator.clear_log()
    _assert_refused(project.failing("destroy"), project, orders_id, source_id, flow_id)

    project.up()  # records force_delete (and puts back whatever the refused destroys had already deleted)
    _delete_flow(project, flow_id)  # Flow Service itself refuses while a flow reads through it (FLOW-1418)
    project.emulator.clear_log()
    project.destroy()
    calls = project.flow_calls()
    assert calls.count(DELETE) == 3 and calls.count(LIST_SOURCES) == 2 and LIST_FLOWS not in calls
    assert project.emulator.connections() == []
