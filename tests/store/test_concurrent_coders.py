"""Two coders writing one project file at the same moment: both wait their turn, neither fails."""

from __future__ import annotations

import threading
from pathlib import Path

from store import Project
from tests.helpers import documents, small_codebook


def test_two_connections_writing_at_once_never_see_database_is_locked(tmp_path: Path) -> None:
    path = tmp_path / "accord.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(20))
    errors: list[BaseException] = []

    def code(coder: str) -> None:
        try:
            with Project.open(path) as project:
                for _ in range(3):
                    for p in range(1, 21):
                        project.toggle(f"doc1:{p}", coder, "border_control")
                        project.set_status(f"doc1:{p}", coder, "done")
        except BaseException as error:  # the test reports any failure
            errors.append(error)

    threads = [threading.Thread(target=code, args=(name,)) for name in ("alice", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Project.open(path) as project:
        for coder in ("alice", "bob"):
            assert project.progress(coder).done == 20
            assert project.codings("doc1:7", coder) == {"border_control": 1}
