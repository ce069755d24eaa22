"""What the store's everyday paths load: creating a project, importing a folder, opening it and
reading the counts `accord status` shows load no pandas, NumPy, pyarrow, Textual, nor
sqlite-utils (which imports pandas and NumPy), and nothing is hidden from `sys.modules`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.helpers import REPO

HEAVY = ("pandas", "numpy", "pyarrow", "textual", "sqlite_utils")

SCRIPT = """
import sys
from pathlib import Path
from store import Project, load_codebook, default_codebook_path, read_paths, open_disagreements, sample_progress
folder = Path(sys.argv[1])
for n in range(3):
    (folder / f"s{n}.txt").write_text(f"First paragraph {n}.\\n\\nSecond paragraph {n}.\\n", encoding="utf-8")
path = folder / "accord.db"
with Project.create(path, load_codebook(default_codebook_path())) as project:
    documents, problems = read_paths([folder])
    project.import_documents(documents)
    for coder in ("ann", "ben"):
        project.set_coding("s0:1", coder, "border_control", int(coder == "ann"))
        project.set_status("s0:1", coder, "done")
with Project.open(path) as project:
    counts = (project.document_count(), project.paragraph_count(), project.codebook_sha256(),
              [project.progress(c) for c in project.coders()], project.assignment_progress(),
              project.codes(include_retired=False), project.speakers(), open_disagreements(project),
              sample_progress(project))
    assert counts[0] == 3 and counts[7] == 1, counts
print(sorted(m for m in sys.modules if m.split(".")[0] in {heavy}))
"""


def test_create_import_open_and_count_load_no_heavy_module(tmp_path: Path) -> None:
    script = SCRIPT.replace("{heavy}", repr(set(HEAVY)))
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path)], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_every_public_name_loads_from_store() -> None:
    import store

    assert sorted(store.__all__) == sorted(store._PUBLIC)
    for name in store.__all__:
        assert getattr(store, name) is not None
