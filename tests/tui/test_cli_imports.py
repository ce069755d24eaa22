"""The CLI's modules import alone, and asking for help loads none of the heavy libraries."""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import tui.commands
from tui.cli import COMMANDS

REPO = Path(__file__).resolve().parents[2]

HEAVY = ("pandas", "numpy", "pyarrow", "textual")
COMMAND_MODULES = sorted(m.name for m in pkgutil.iter_modules(tui.commands.__path__, "tui.commands."))
HELP = [[], *([name] for name in sorted(COMMANDS)), ["codebook", "export"]]
"""`accord --help` and every `accord COMMAND --help`."""


def python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)


@pytest.mark.parametrize("module", COMMAND_MODULES)
def test_each_command_module_imports_alone(module: str) -> None:
    result = python(f"import {module}")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("args", HELP, ids=lambda args: " ".join(args) or "accord")
def test_help_loads_no_heavy_module(args: list[str]) -> None:
    code = (
        "import json, sys; from click.testing import CliRunner; from tui.cli import main; "
        f"r = CliRunner().invoke(main, {[*args, '--help']!r}); "
        f"print(json.dumps([r.exit_code, sorted(m for m in {HEAVY!r} if m in sys.modules)]))"
    )
    result = python(code)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [0, []]


def test_init_import_and_status_load_no_heavy_module(tmp_path: Path) -> None:
    """The commands a new user runs first pay for no dataset or screen library (issue 11)."""
    (tmp_path / "statement.txt").write_text("The Council met.\n\nIt spoke of border control.\n", encoding="utf-8")
    project = str(tmp_path / "accord.db")
    runs = [["init"], ["import", str(tmp_path / "statement.txt")], ["status"], ["status", "--json"]]
    code = (
        "import json, sys; from click.testing import CliRunner; from tui.cli import main; "
        f"r = CliRunner().invoke(main, ['--project', {project!r}, *sys.argv[1:]]); "
        f"print(json.dumps([r.exit_code, r.output, sorted(m for m in {HEAVY!r} if m in sys.modules)]))"
    )
    for args in runs:
        result = subprocess.run([sys.executable, "-c", code, *args], cwd=tmp_path, capture_output=True, text=True,
                                env={**os.environ, "PYTHONPATH": str(REPO)})
        assert result.returncode == 0, result.stderr
        exit_code, output, heavy = json.loads(result.stdout)
        assert (args, exit_code, heavy) == (args, 0, []), output


def test_every_command_is_where_the_group_says() -> None:
    from tui.cli import main

    with main.make_context("accord", ["--help"], resilient_parsing=True) as ctx:
        assert all(main.get_command(ctx, name) is not None for name in COMMANDS)
