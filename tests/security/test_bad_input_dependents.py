"""Bad input from the other side: the names of source connections and dataflows that the delete check lists
come from AEP, where anyone with access to the sandbox chose them. Through the real plugin, the refusal shows
them escaped (no line break or terminal escape reaches the CLI), bounded (256 characters each, 100 dependents),
with the connection's own credentials redacted, and still sends no DELETE."""

from __future__ import annotations

import pytest

from tests.harness.engine import Engine
from tests.harness.plugin import PluginError, PluginProcess
from tests.provider.conftest import pg_registration, stack_config
from tests.support.dataflows import Dataflows
from tests.support.emulator import EmulatorControl

DELETE = "DELETE /data/foundation/flowservice/connections/{id}"


@pytest.fixture(scope="module")
def plugin(emulator_server):
    with PluginProcess() as process:
        process.configure(stack_config(EmulatorControl.for_server(emulator_server)), secret_keys={"aep:clientSecret"})
        yield process


@pytest.fixture
def engine(plugin) -> Engine:
    return Engine(plugin)


@pytest.fixture
def dataflows(emulator):
    made = Dataflows(emulator)
    yield made
    made.close()


def _refusal(engine, emulator, name: str) -> str:
    """The error's own line (the plugin sends the whole traceback), after checking nothing was deleted."""
    emulator.clear_log()
    with pytest.raises(PluginError) as refused:
        engine.destroy(name)
    assert DELETE not in emulator.counts() and len(emulator.connections()) == 1
    (line,) = [ln for ln in refused.value.details.splitlines() if ln.startswith("provider.errors.ConnectionInUse")]
    return line


@pytest.mark.parametrize("hostile, shown", [
    ("Orders\r\nDeleted base connection, all clear", r"'Orders\r\nDeleted base connection, all clear'"),
    ("\x1b[2J\x1b[1;1HNothing to see", r"'\x1b[2J\x1b[1;1HNothing to see'"),
    ("tab\there\x00nul", r"'tab\there\x00nul'"),
], ids=["line-break", "terminal-escape", "tab-and-nul"])
def test_control_characters_in_a_dependent_name_come_out_escaped(emulator, engine, dataflows, hostile, shown):
    conn = engine.up("pg", pg_registration())
    source_id = dataflows.source_connection(conn.id, "prod", hostile)
    line = _refusal(engine, emulator, "pg")
    assert f"source connection {shown} ({source_id})" in line
    assert not any(c in line for c in "\r\x1b\x00\t")


def test_an_oversized_name_is_cut(emulator, engine, dataflows):
    conn = engine.up("pg", pg_registration())
    dataflows.add(conn.id, "prod", "n" * 10_000)
    line = _refusal(engine, emulator, "pg")
    assert f"'{'n' * 256}...'" in line and "n" * 257 not in line and len(line) < 3_000


def test_a_name_holding_the_connections_password_is_redacted(emulator, engine, dataflows):
    conn = engine.up("pg", pg_registration(password="Wh0-Kn0ws-Th1s"))
    dataflows.add(conn.id, "prod", "copied Server=db.example.com;Database=sales;Port=5432;UID=loader;"
                                   "Password=Wh0-Kn0ws-Th1s by mistake")
    line = _refusal(engine, emulator, "pg")
    assert "Wh0-Kn0ws-Th1s" not in line and "[redacted]" in line


def test_at_most_a_hundred_dependents_are_named(emulator, engine, dataflows):
    """Long names make the message ~30 KB: it still reaches the caller whole (as the engine reads it)."""
    conn = engine.up("pg", pg_registration())
    pad = "." * 200
    made = [dataflows.source_connection(conn.id, "prod", f"table {i:03d} {pad}") for i in range(105)]
    line = _refusal(engine, emulator, "pg")
    assert "still used by 105 source connection(s):" in line and "; and 5 more. Nothing was deleted." in line
    assert f"'table 099 {pad}' ({made[99]})" in line and "'table 100" not in line
