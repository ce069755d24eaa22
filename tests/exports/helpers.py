"""A small coded project that export tests share: two coders, one adjudicator, notes and flags."""

from __future__ import annotations

from store import CONSENSUS, Project


def code_two_coders(project: Project) -> Project:
    """alice and bob on the fixture `project` (doc1: 3 paragraphs, doc2: 2).

    doc1:1 both apply border_control, both say stance=support, alice notes, bob flags;
    doc1:2 they disagree on border_control (alice 1, bob 0); adjudicated to 0 by consensus;
    doc1:3 nobody has done it (alice applied wmd but did not mark it done);
    doc2:1 only alice did it (wmd, nuclear); doc2:2 untouched.
    """
    for coder in ("alice", "bob"):
        project.set_coding("doc1:1", coder, "border_control", 1)
        project.set_coding("doc1:1", coder, "stance", "support")
        project.set_status("doc1:1", coder, "done")
        project.set_coding("doc1:2", coder, "border_control", 1 if coder == "alice" else 0)
        project.set_status("doc1:2", coder, "done")
    project.set_note("doc1:1", "alice", "=HYPERLINK(\"x\")")
    project.set_flag("doc1:1", "bob", True)
    project.set_coding("doc1:3", "alice", "wmd", 1)
    project.set_coding("doc2:1", "alice", "wmd", 1)
    project.set_coding("doc2:1", "alice", "nuclear", 1)
    project.set_status("doc2:1", "alice", "done")
    project.set_coding("doc1:2", CONSENSUS, "border_control", 0)
    project.set_status("doc1:2", CONSENSUS, "done")
    return project
