"""`accord demo`: where it puts the project, what it prints, and when it opens the coding screen."""

from __future__ import annotations

import importlib.machinery
import sys
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from store import Project
from store.demo import DEMO_FILE
from tui.cli import main
from tui.commands.demo import user_data_dir



def run(*args: str, env: dict[str, str] | None = None) -> object:
    return CliRunner().invoke(main, ["demo", *args], env={"ACCORD_CODER": "dana", **(env or {})})


def test_demo_builds_the_project_and_prints_its_status_when_not_on_a_terminal(tmp_path: Path) -> None:
    result = run("--dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    path = tmp_path / DEMO_FILE
    assert f"Built the demo project: {path}" in result.stderr
    assert f"accord --project {path} code" in result.stderr
    assert "Paragraphs  55" in result.stdout
    assert "amina" in result.stdout and "ben" in result.stdout
    assert "Ms. Sørensen" in result.stdout


def test_demo_reopens_with_the_users_work_and_fresh_rebuilds(tmp_path: Path) -> None:
    run("--dir", str(tmp_path))
    path = tmp_path / DEMO_FILE
    with Project.open(path) as project:
        project.set_status("01_peru:1", "dana", "done")
    again = run("--dir", str(tmp_path))
    assert again.exit_code == 0
    assert "Reopened the demo project" in again.stderr
    assert "dana" in again.stdout
    fresh = run("--dir", str(tmp_path), "--fresh")
    assert fresh.exit_code == 0
    assert "Rebuilt the demo project" in fresh.stderr
    assert "dana" not in fresh.stdout


def test_demo_defaults_to_the_users_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    result = run(env={"XDG_DATA_HOME": str(tmp_path / "data")})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "accord" / DEMO_FILE).is_file()


def test_a_foreign_file_in_the_demo_place_is_a_one_line_error(tmp_path: Path) -> None:
    (tmp_path / DEMO_FILE).write_text("not a database")
    result = run("--dir", str(tmp_path))
    assert result.exit_code == 1
    assert "not an Accord project" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("platform", "env", "expected"),
    [
        ("linux", {}, "home/.local/share/accord"),
        ("linux", {"XDG_DATA_HOME": "/xdg"}, "/xdg/accord"),
        ("linux", {"XDG_DATA_HOME": "relative/ignored"}, "home/.local/share/accord"),
        ("darwin", {}, "home/Library/Application Support/accord"),
        ("win32", {"APPDATA": "/roaming"}, "/roaming/accord"),
        ("win32", {}, "home/AppData/Roaming/accord"),
    ],
)
def test_the_data_folder_is_where_each_system_expects_it(platform: str, env: dict[str, str], expected: str) -> None:
    home = Path("home")
    assert user_data_dir(platform, env, home) == Path(expected)


@pytest.fixture
def recording_app(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Path, str]]:
    """A `tui.app` whose AccordApp records how it was started instead of taking the terminal."""
    opened: list[tuple[Path, str]] = []

    class AccordApp:
        def __init__(self, project_path: Path, coder: str) -> None:
            self.args = (project_path, coder)

        def run(self) -> None:
            opened.append(self.args)

    module = types.ModuleType("tui.app")
    module.__spec__ = importlib.machinery.ModuleSpec("tui.app", None)
    module.AccordApp = AccordApp  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tui.app", module)
    monkeypatch.setattr("tui.commands.demo.on_a_terminal", lambda: True)
    return opened


def test_on_a_terminal_demo_opens_the_coding_app_for_the_coder(tmp_path: Path, recording_app: list) -> None:
    result = run("--dir", str(tmp_path), "--coder", "zoe")
    assert result.exit_code == 0, result.output
    assert recording_app == [(tmp_path / DEMO_FILE, "zoe")]
    assert "Paragraphs" not in result.stdout
    assert f"reopen it with: accord --project {tmp_path / DEMO_FILE} code" in result.stderr
    run("--dir", str(tmp_path))
    assert recording_app[-1] == (tmp_path / DEMO_FILE, "dana")


def test_no_open_prints_the_status_even_on_a_terminal(tmp_path: Path, recording_app: list) -> None:
    result = run("--dir", str(tmp_path), "--no-open")
    assert result.exit_code == 0
    assert recording_app == []
    assert "Paragraphs  55" in result.stdout
