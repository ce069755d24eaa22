"""The promises of DESIGN.md section 1 and README, checked so they cannot rot."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.helpers import REPO


def test_core_packages_never_load_textual() -> None:
    code = (
        "import sys, store, exports; "
        "import pkgutil, importlib; "
        "[importlib.import_module(m.name) for p in (store, exports) "
        " for m in pkgutil.walk_packages(p.__path__, p.__name__ + '.')]; "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'tui')); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_cli_does_not_load_textual_for_data_commands() -> None:
    code = (
        "import sys; from click.testing import CliRunner; from tui.cli import main; "
        "r = CliRunner().invoke(main, ['status', '--help']); "
        "sys.exit(1 if 'textual' in sys.modules or r.exit_code else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_linter_contracts_hold() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; "
         "sys.exit(lint_imports_command())"],
        cwd=REPO, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text()
    ci_lines = (REPO / ".ci" / "run").read_text().splitlines()
    command = next(line for line in ci_lines if "pytest" in line)
    assert f"```sh\n{command}\n```" in readme


def test_tests_read_nothing_beside_the_clone() -> None:
    """README's test command passes in a plain clone: every file a test reads is under tests/data,
    none in the team's folder beside the repository (which only CI has)."""
    beside = re.compile(r"\.\./shared|\.parents?\b.*[\"']shared[\"']")
    mentions = [
        f"{path.relative_to(REPO)}:{n}"
        for path in sorted((REPO / "tests").rglob("*"))
        if path.is_file() and path.suffix in (".py", ".md", ".toml", ".cfg", ".txt", ".json")
        and path != Path(__file__)  # the pattern above names what it looks for
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1)
        if beside.search(line)
    ]
    assert mentions == []
