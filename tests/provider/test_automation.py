"""provider.automation: which `pulumi` it drives (the SDK's PulumiCommand only knows `<root>/bin/pulumi`) and how
it refuses a folder that is not a Pulumi project. The operations themselves run in tests/e2e/test_infra_repo.py."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import pytest

from provider import automation
from provider.automation import _command, find_cli, main


def fake_cli(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\necho v3.274.1\n")
    path.chmod(0o755)
    return path


def test_a_cli_in_a_bin_folder_is_run_as_it_is(tmp_path):
    cli = fake_cli(tmp_path / "home" / "bin" / "pulumi")
    assert _command(cli).command == str(cli)


def test_a_cli_kept_elsewhere_is_reached_through_a_link(tmp_path):
    cli = fake_cli(tmp_path / "opt" / "pulumi" / "pulumi")
    command = _command(cli)
    assert command.command.endswith("/bin/pulumi") and os.path.realpath(command.command) == str(cli)
    assert str(command.version) == "3.274.1"


def test_a_symlinked_cli_keeps_its_bin_folder(tmp_path, monkeypatch):
    real = fake_cli(tmp_path / "Cellar" / "pulumi" / "pulumi")
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "pulumi").symlink_to(real)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    monkeypatch.delenv("PULUMI_CLI", raising=False)
    assert find_cli() == tmp_path / "bin" / "pulumi"


def test_a_folder_without_pulumi_yaml_is_refused_with_the_fix(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["preview", "--stack", "dev", "--cwd", str(tmp_path)])
    assert "has no Pulumi.yaml: pass the project folder with --cwd" in capsys.readouterr().err


def test_large_stack_skips_checkpoints_for_the_engine_and_reaches_each_fanned_out_stack(monkeypatch):
    monkeypatch.delenv("PULUMI_SKIP_CHECKPOINTS", raising=False)
    assert "PULUMI_SKIP_CHECKPOINTS" not in automation.environment(False)
    assert automation.environment(True)["PULUMI_SKIP_CHECKPOINTS"] == "true"
    args = argparse.Namespace(cwd=Path("."), cli=None, policy_pack=[], policy_pack_config=[], expect_no_changes=False,
                              large_stack=True)
    assert "--large-stack" in automation._options(args)
