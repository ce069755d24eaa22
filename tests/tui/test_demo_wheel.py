"""`accord demo` from an installed wheel: the statements and the codebook travel as package data.

This is what README's first command does on a fresh machine (`pip install .` builds a wheel and
installs it): the wheel is built from a copy of the source tree (so the checkout stays clean) and
installed into a new virtual environment that borrows this one's dependencies instead of
downloading them. About ten seconds; it runs with the rest of the suite, so CI catches a data
file left out of the package. Offline (no index to fetch setuptools from) it is skipped.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from tests.helpers import REPO


SOURCE = ("pyproject.toml", "README.md", "codebook.yaml", "store", "tui", "exports")
"""What a clone holds that the wheel is built from."""


def run(*command: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ACCORD_PROJECT")}
    result = subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"{command}:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment with Accord installed from a freshly built wheel; returns its bin folder."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    for name in SOURCE:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, source / name, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif (REPO / name).exists():
            source.mkdir(exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    # Build isolation, as `pip install .` does: pip fetches setuptools (cached after the first time).
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "-q", "-w", str(root / "dist")],
                           cwd=source, capture_output=True, text=True)
    if built.returncode and "No matching distribution found for setuptools" in built.stderr:
        pytest.skip("no package index to fetch the build backend from (offline)")
    assert built.returncode == 0, built.stderr
    (wheel,) = (root / "dist").glob("accord-*.whl")
    environment = root / "venv"
    venv.create(environment, with_pip=False)
    bin_dir = environment / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    site_packages = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=root).stdout.strip())
    # Dependencies come from the environment running the tests (no network); Accord itself
    # only from the wheel, which comes first on sys.path.
    (site_packages / "borrowed-dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "-q", wheel, cwd=root)
    return bin_dir


def test_the_installed_accord_is_the_wheel(installed: Path, tmp_path: Path) -> None:
    result = run(installed / "python", "-c", "import store, tui; print(store.__file__, tui.__file__)", cwd=tmp_path)
    assert str(REPO) not in result.stdout
    assert "site-packages" in result.stdout


def test_accord_demo_works_from_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    accord = installed / ("accord.exe" if os.name == "nt" else "accord")
    result = run(accord, "demo", "--dir", tmp_path / "data", cwd=tmp_path)
    assert "Built the demo project" in result.stderr
    assert "Paragraphs  55" in result.stdout
    assert "amina" in result.stdout and "ben" in result.stdout
    again = run(accord, "--project", tmp_path / "data" / "accord-demo.db", "status", "--json", cwd=tmp_path)
    assert '"documents": 10' in again.stdout
