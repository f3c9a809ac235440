"""Our Python language host (tools/pulumi_cli/language-python) under the real CLI, for what the other e2e suites
do not type: `pulumi install` (a virtualenv made from requirements.txt), `pulumi about`, Pulumi.yaml's `main`,
a program error reported once with the program's own traceback, and a missing virtualenv named with the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.cli import Cli, CliFailure, user_env
from tests.e2e.infra_repo import pinned

ROOT = Path(__file__).resolve().parents[2]


def project(folder: Path, program: str, *, main: str = "") -> Path:
    folder.mkdir()
    (folder / "Pulumi.yaml").write_text(
        "name: hello\nruntime:\n  name: python\n  options:\n    toolchain: pip\n    virtualenv: venv\n"
        + (f"main: {main}\n" if main else ""))
    (folder / (main or "__main__.py")).write_text(program)
    (folder / "requirements.txt").write_text(pinned("pulumi") + "\n")
    return folder


@pytest.fixture
def cli(tmp_path, pulumi_cli):
    def make(folder: Path) -> Cli:
        env = user_env(PULUMI_BACKEND_URL=f"file://{tmp_path / 'state'}", PULUMI_CONFIG_PASSPHRASE="p",
                       PULUMI_HOME=str(tmp_path / "home"))
        (tmp_path / "state").mkdir(exist_ok=True)
        return Cli(pulumi_cli, folder, env)
    return make


def test_install_then_about_then_up_with_main(tmp_path, cli):
    folder = project(tmp_path / "hello", 'import pulumi\npulumi.export("greeting", "hi " + pulumi.get_stack())\n',
                     main="app.py")
    pulumi = cli(folder)
    pulumi.run("install")
    assert (folder / "venv" / "bin" / "python").exists()
    pulumi.run("stack", "init", "dev")
    about = pulumi.run("about", "--stack", "dev").stdout
    assert f"executable='{folder / 'venv' / 'bin' / 'python'}'" in about and "language  python" in about
    result = pulumi.operation("up", "dev")
    assert result.outputs["greeting"].value == "hi dev"


def test_a_program_error_is_printed_once_with_the_programs_traceback(tmp_path, cli):
    folder = project(tmp_path / "broken", "import pulumi\n\ndef build():\n    raise ValueError('no such bucket')\n\n"
                                          "build()\n")
    (folder / "venv").symlink_to(ROOT / ".venv")
    pulumi = cli(folder)
    pulumi.run("stack", "init", "dev")
    with pytest.raises(CliFailure) as failed:
        pulumi.operation("preview", "dev")
    text = failed.value.stdout + failed.value.stderr
    assert text.count("ValueError: no such bucket") == 1, text
    assert f'File "{folder / "__main__.py"}", line 4, in build' in text
    assert "runner" not in text and "<string>" not in text


def test_a_missing_virtualenv_is_named_with_the_fix(tmp_path, cli):
    folder = project(tmp_path / "novenv", "import pulumi\n")
    pulumi = cli(folder)
    pulumi.run("stack", "init", "dev")
    with pytest.raises(CliFailure) as failed:
        pulumi.operation("preview", "dev")
    text = failed.value.stdout + failed.value.stderr
    assert "The 'virtualenv' option in Pulumi.yaml is set to" in text and str(folder / "venv") in text, text
    assert f"-m venv {folder / 'venv'}" in text and "pip install -r requirements.txt" in text  # the fix
