"""Canary secrets through the program: every secret argument of every source component (75 components, the
catalog's 61 verified sources) and the IMS client secret get distinctive values, and a whole life goes by —
create through 20 % faults, a secret rotation that meets a connection changed in the UI (stale etag), a failed
connection test, a refused IMS client secret, destroy through faults. Then nothing a person or a log collector
can read holds a canary in any form (plain, base64 at any alignment, URL- or JSON-encoded):

  registered inputs and outputs that are not marked secret, exports, every run's error, the checkpoint,
  `__provider`, everything the program process and the plugin process wrote to stderr with every logger at
  DEBUG, this process's logs (caplog: the emulator runs here), and the emulator's request log.

The plugin's gRPC responses are scanned in test_canary_plugin_responses.py.
"""

from __future__ import annotations

import logging
from pathlib import Path

from provider.sources import COMPONENTS
from tests.harness.plugin import decode_provider_property
from tests.harness.program import ProgramHarness
from tests.reliability.fault_mix import twenty_percent
from tests.security import canary_values as canaries
from tests.security.canary_lifecycle import SANDBOX, STALE, canary_harness, outside_pulumi, run_until
from tests.security.canary_scanner import CanaryScanner, as_text, public_view
from tests.sources.samples import resource_name

FAULTS = twenty_percent(seed=8)


def stored_by_name(emulator) -> dict[str, dict]:
    return {c["name"]: c for c in emulator.connections()}


def holds_version(emulator, scanner: CanaryScanner, version: str, names: set[str]) -> bool:
    """Whether every connection in AEP holds all of its component's canaries of ``version``."""
    stored = stored_by_name(emulator)
    found = {c for c, _ in scanner.hits(as_text(emulator.connections()))}
    wanted = {v for c in COMPONENTS for v in canaries.secret_canaries(c, version).values()}
    return set(stored) == names and wanted <= found


def readable_texts(harness: ProgramHarness, log_dir: Path, caplog, emulator) -> dict[str, str]:
    """Everything the lifecycle left that is not a secret-marked value, by where it was found."""
    texts: dict[str, str] = {}
    for i, run in enumerate(harness.runs):
        texts[f"run {i} error"] = run.error or ""
        texts[f"run {i} program output"] = run.stderr
        texts[f"run {i} registered inputs and outputs"] = as_text(
            [(public_view(r.inputs), public_view(r.outputs)) for r in run.resources])
        texts[f"run {i} exports"] = as_text(run.exports)
        texts[f"run {i} checkpoint"] = as_text(run.checkpoint)
        texts[f"run {i} __provider"] = "".join(
            decode_provider_property(r.inputs["__provider"]).decode("latin-1") for r in run.base_connections())
    for log in sorted(log_dir.glob("*.log")):
        texts[f"process log {log.name}"] = log.read_text(encoding="utf-8", errors="replace")
    texts["caplog"] = caplog.text + "\n".join(str(r.args) for r in caplog.records)
    texts["emulator request log"] = as_text(emulator.request_log())
    return texts


def test_no_canary_in_anything_readable_after_a_whole_life(emulator, caplog, tmp_path):
    caplog.set_level(logging.DEBUG)
    scanner = CanaryScanner(canaries.all_canaries(("v1", "v2")))
    harness = canary_harness(emulator, tmp_path)
    names = {resource_name(c) for c in COMPONENTS}

    emulator.set_faults(**FAULTS)
    created = run_until(harness.up, lambda run: not run.error)
    assert set(created.exports["ids"]) == names and len(emulator.connections()) == len(COMPONENTS)

    # rotate every secret, through faults, until AEP holds every new value
    harness.env["CANARY_VERSION"] = "v2"
    run_until(harness.up, lambda run: not run.error)
    emulator.clear_faults()
    assert holds_version(emulator, scanner, "v2", names)

    harness.env["CANARY_FAILING_VERIFY"] = "1"
    verify = harness.up()
    assert "connection test failed" in verify.error and "previous settings were restored" in verify.error
    del harness.env["CANARY_FAILING_VERIFY"]

    # rotate back while someone renames a connection in the UI: that one is refused, nothing overwritten
    outside_pulumi(emulator).rename(created.exports["ids"][STALE], "renamed in the UI", sandbox=SANDBOX)
    harness.env["CANARY_VERSION"] = "v1"
    stale = harness.up()
    assert "StaleEtagError" in stale.error and "Nothing was overwritten" in stale.error
    assert "renamed in the UI" in stored_by_name(emulator)

    harness.set_secret("aep:clientSecret", canaries.WRONG_IMS_CLIENT_SECRET)
    harness.env["CANARY_VERSION"] = "v2"
    refused = harness.up()
    assert "AuthError" in refused.error and "aep:clientSecret" in refused.error

    # positive control: AEP holds the canaries (the key file only base64-encoded) and the scanner finds them
    stored_hits = scanner.hits(as_text(emulator.connections()))
    key_files = canaries.key_file_canaries(("v1", "v2"))
    key_file_forms = {form for c, form in stored_hits if c in key_files}
    assert key_file_forms and "plain" not in key_file_forms
    assert len({c for c, _ in stored_hits}) == canaries.SECRET_ARGUMENTS  # each connection holds one version

    harness.set_secret("aep:clientSecret", canaries.IMS_CLIENT_SECRET)
    emulator.set_faults(**FAULTS)
    run_until(harness.destroy, lambda run: not run.error)
    emulator.clear_faults()
    assert emulator.connections() == []

    texts = readable_texts(harness, tmp_path, caplog, emulator)
    # the capture worked: both processes of every run logged, at DEBUG, including the provider's warnings
    logs = "".join(t for where, t in texts.items() if where.startswith("process log"))
    assert sum(where.startswith("process log") for where in texts) >= 2 * len(harness.runs)
    assert "connectionpool" in logs and "adopting" in logs
    # and the registered inputs do hold the canaries, inside secret wrappers
    assert scanner.hits(as_text([r.inputs for r in created.resources]))
    for where, text in texts.items():
        scanner.assert_clean(where, text)
