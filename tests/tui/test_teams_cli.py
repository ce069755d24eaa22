"""The team commands as a researcher types them: handout, merge, adjudicate, status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from store import Project
from tests.helpers import documents, small_codebook
from tui.cli import main


@pytest.fixture
def lead(tmp_path: Path) -> Path:
    path = tmp_path / "study.db"
    with Project.create(path, small_codebook()) as project:
        project.import_documents(documents(10, 10))
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def code_all(path: Path, coder: str, wmd_when: int) -> None:
    """The coder codes every assigned paragraph: wmd on every seq ≡ wmd_when (mod 3)."""
    with Project.open(path) as project:
        while project.progress(coder, assigned=True).done < project.assigned(coder):
            paragraph = project.paragraph_at(project.next_not_done(coder))
            if paragraph.seq % 3 == wmd_when:
                project.set_coding(paragraph.id, coder, "wmd", 1)
            project.set_coding(paragraph.id, coder, "border_control", 1)
            project.set_status(paragraph.id, coder, "done")


def test_handout_merge_status_and_accept_unanimous(lead: Path, tmp_path: Path) -> None:
    code, stdout, stderr = run("--project", str(lead), "handout", "--coders", "ann,ben", "--overlap", "0.5",
                               "--seed", "4", "--out", str(tmp_path / "out"))
    assert code == 0, stderr
    assert "study-ann.db" in stdout.replace("\n", "").replace("│", "").replace(" ", "")
    assert "10 of them to more than one coder" in stderr
    files = [tmp_path / "out" / "study-ann.db", tmp_path / "out" / "study-ben.db"]
    code_all(files[0], "ann", 0)
    code_all(files[1], "ben", 1)

    code, stdout, stderr = run("--project", str(lead), "merge", "--dry-run", *map(str, files))
    assert code == 0 and "dry run" in stdout and "would add" in stderr
    assert [c["done"] for c in json.loads(run("--project", str(lead), "status", "--json")[1])["coders"]] == [0, 0]

    code, stdout, stderr = run("--project", str(lead), "merge", *map(str, files))
    assert code == 0 and "Coders seen: ann, ben; added" in stderr
    status = json.loads(run("--project", str(lead), "status", "--json")[1])
    assert [(c["coder"], c["assigned"], c["assigned_done"]) for c in status["coders"]] == [("ann", 15, 15), ("ben", 15, 15)]
    assert status["reliability_sample"] == {"paragraphs": 10, "done_by_all": 10}
    # Shared paragraphs: ann applies wmd at seq%3==0, ben at seq%3==1 -> disagree unless seq%3==2.
    with Project.open(lead) as project:
        shared = [p for p, in project.db.execute(
            "select paragraph_id from assignments group by paragraph_id having count(*) = 2")]
        expected = sum(1 for p in shared if project.paragraph(p).seq % 3 != 2)
    assert status["open_disagreements"] == expected
    assert f"Open disagreements: {expected}" in run("--project", str(lead), "status")[1]

    code, stdout, _ = run("--project", str(lead), "adjudicate", "--accept-unanimous")
    assert code == 0 and "Accepted" in stdout
    assert json.loads(run("--project", str(lead), "status", "--json")[1])["open_disagreements"] == expected


def test_user_mistakes_are_one_line_errors(lead: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    Project.create(other, small_codebook()).close()
    result = CliRunner().invoke(main, ["--project", str(lead), "merge", str(other)])
    assert result.exit_code == 1 and "belongs to another project" in result.stderr
    assert "Traceback" not in result.output
    result = CliRunner().invoke(main, ["--project", str(lead), "handout", "--coders", "ann", "--overlap", "0.3"])
    assert result.exit_code == 1 and "at least two coders" in result.stderr
    result = CliRunner().invoke(main, ["--project", str(lead), "adjudicate", "--codes", "nope"])
    assert result.exit_code == 1 and "no code 'nope'" in result.stderr
    result = CliRunner().invoke(main, ["--project", str(lead), "adjudicate"])
    assert result.exit_code == 0 and "nothing to adjudicate" in result.stderr


def test_merge_refuses_work_under_a_name_the_file_was_not_handed_to(lead: Path, tmp_path: Path) -> None:
    run("--project", str(lead), "handout", "--coders", "ann,ben", "--out", str(tmp_path / "out"))
    with Project.open(tmp_path / "out" / "study-ann.db") as copy:
        copy.set_status("doc1:1", "annsmith", "done")  # ann forgot --coder: her login name
    code, _, stderr = run("--project", str(lead), "merge", str(tmp_path / "out" / "study-ann.db"))
    assert code == 1
    assert ("study-ann.db was handed out to ann but carries the work of annsmith (1 status, 1 event)"
            in " ".join(stderr.split()))


def test_a_handed_out_file_knows_its_coder(lead: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.commands.common import coder_for

    run("--project", str(lead), "handout", "--coders", "ann,ben", "--out", str(tmp_path / "out"))
    monkeypatch.delenv("ACCORD_CODER", raising=False)
    assert coder_for(tmp_path / "out" / "study-ben.db", None) == "ben"
    assert coder_for(tmp_path / "out" / "study-ben.db", "zoe") == "zoe"
    monkeypatch.setenv("ACCORD_CODER", "env")
    assert coder_for(tmp_path / "out" / "study-ben.db", None) == "env"
    monkeypatch.delenv("ACCORD_CODER")
    assert coder_for(lead, None) not in ("ann", "ben")  # the lead's project: the login name


def test_a_row_naming_a_paragraph_that_exists_nowhere_is_named(lead: Path, tmp_path: Path) -> None:
    """A coder file edited with sqlite3: its rows name paragraphs neither file has. The merge
    says which table names which ids, not that the file "may be damaged"."""
    import sqlite3

    from store import now

    run("--project", str(lead), "handout", "--coders", "ann,ben", "--out", str(tmp_path / "out"))
    copy = tmp_path / "out" / "study-ann.db"
    with Project.open(copy) as coder_file:
        coder_file.set_coding("doc1:1", "ann", "wmd", 1)
    with sqlite3.connect(copy) as db:  # foreign keys are off in a plain sqlite3 connection
        db.executemany("insert into codings values (?, 'ann', 'wmd', 1, ?)", [("doc1:99", now()), ("doc3:1", now())])
        db.execute("insert into assignments (paragraph_id, coder_id) values ('doc1:77', 'ann')")
    before = sqlite3.connect(lead).execute("select count(*) from codings").fetchone()
    code, _, stderr = run("--project", str(lead), "merge", str(copy))
    said = " ".join(stderr.split())
    assert code == 1
    assert f"{copy}: 2 rows of its table codings name paragraph doc1:99, doc3:1, which this project lacks" in said
    assert "1 row of its table assignments names paragraph doc1:77" in said
    assert "may be damaged" not in said and "Nothing was merged" in said
    assert sqlite3.connect(lead).execute("select count(*) from codings").fetchone() == before


def test_merging_the_project_through_a_hard_link_is_refused_at_once(lead: Path, tmp_path: Path) -> None:
    import os
    import time

    link = tmp_path / "copy-of-study.db"
    os.link(lead, link)
    started = time.monotonic()
    code, _, stderr = run("--project", str(lead), "merge", str(link))
    assert code == 1
    assert f"{link} is the current project itself" in " ".join(stderr.split())
    assert "another Accord process" not in stderr and time.monotonic() - started < 5
    assert not (tmp_path / "copy-of-study.db-wal").exists()


def test_merging_into_a_read_only_project_names_the_project(tmp_path: Path) -> None:
    """The lead's project is read-only (a shared folder mounted so): the message is about the
    project, not the coder's file. Run as an unprivileged user, for whom file modes count."""
    import os
    import shutil
    import stat
    import subprocess
    import sys
    import tempfile

    as_user: list[str] = []
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("root ignores file modes, and setpriv is missing to run as another user")
        as_user = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    folder = Path(tempfile.mkdtemp(prefix="accord-ro-"))
    try:
        lead = folder / "study.db"
        with Project.create(lead, small_codebook()) as project:
            project.import_documents(documents(4))
        run("--project", str(lead), "handout", "--coders", "ann,ben", "--out", str(folder / "out"))
        with Project.open(folder / "out" / "study-ann.db") as copy:
            copy.set_coding("doc1:1", "ann", "wmd", 1)
        for path in (folder, *folder.rglob("*")):
            path.chmod(path.stat().st_mode | stat.S_IRWXU | stat.S_IRWXG | stat.S_IRWXO)
        lead.chmod(0o444)
        result = subprocess.run([*as_user, sys.executable, "-m", "tui", "--project", str(lead), "merge",
                                 str(folder / "out" / "study-ann.db")],
                                capture_output=True, text=True, timeout=120, cwd=Path(__file__).parents[2])
        said = " ".join(result.stderr.split())
        assert result.returncode == 1, said
        assert f"cannot write to {lead}: the file or its folder is read-only" in said
        assert "study-ann.db" not in said and "damaged" not in said
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="a file-size limit needs a POSIX system")
def test_handout_that_cannot_write_a_coder_file_names_that_file(tmp_path: Path) -> None:
    """The coders' files cannot be written (here a file-size limit stands in for a full disk):
    the message names the coder's file, not the project, which stays as it was."""
    import resource
    import signal
    import sqlite3
    import subprocess
    import sys

    lead = tmp_path / "study.db"
    with Project.create(lead, small_codebook()) as project:
        project.import_documents(documents(400, 400))
    size = lead.stat().st_size

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size // 2, size // 2))

    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "tui", "--project", str(lead), "handout", "--coders", "ann,ben",
                             "--out", str(out)], capture_output=True, text=True, preexec_fn=limit, timeout=120,
                            cwd=Path(__file__).parents[2])
    said = " ".join(result.stderr.split())
    assert result.returncode == 1, said
    assert f"cannot write the coder's file {out / 'study-ann.db'}" in said and "the project is unchanged" in said
    assert f"{lead}:" not in said and f"write {lead}" not in said
    assert list(out.iterdir()) == []
    assert sqlite3.connect(lead).execute("select count(*) from assignments").fetchone() == (0,)
