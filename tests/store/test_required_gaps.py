"""The `required:` rule, one paragraph at a time (Codebook.missing_required) and set-based over a
project (required_gaps): both must say the same."""

from __future__ import annotations

from pathlib import Path

from store import Project, parse_codebook, required_gaps
from tests.helpers import SMALL_YAML, documents

ALWAYS_YAML = SMALL_YAML.replace("    key: s\n", "    key: s\n    required: always\n")
WHEN_CODED_YAML = SMALL_YAML.replace("    key: s\n", "    key: s\n    required: when_coded\n")


def test_always_and_when_coded_one_paragraph_at_a_time() -> None:
    always, when_coded = parse_codebook(ALWAYS_YAML, "a.yaml"), parse_codebook(WHEN_CODED_YAML, "w.yaml")
    assert [v.id for v in always.missing_required({})] == ["stance"]
    assert when_coded.missing_required({}) == []
    assert when_coded.missing_required({"wmd": 0}) == []  # removed again: nothing applied
    assert [v.id for v in when_coded.missing_required({"nuclear": 1})] == ["stance"]
    assert when_coded.missing_required({"nuclear": 1, "stance": "oppose"}) == []


def test_required_gaps_agree_with_the_rule(tmp_path: Path) -> None:
    for name, text in (("always", ALWAYS_YAML), ("when_coded", WHEN_CODED_YAML)):
        codebook = parse_codebook(text, f"{name}.yaml")
        with Project.create(tmp_path / f"{name}.db", codebook) as project:
            project.import_documents(documents(4))
            project.set_status("doc1:1", "ann", "done")  # nothing applied
            project.set_coding("doc1:2", "ann", "wmd", 1)
            project.set_status("doc1:2", "ann", "done")  # coded, no stance
            project.set_coding("doc1:3", "ann", "wmd", 1)
            project.set_coding("doc1:3", "ann", "stance", "support")
            project.set_status("doc1:3", "ann", "done")  # complete
            project.set_coding("doc1:4", "ann", "wmd", 1)  # not done: not a gap
            expected = [p.id for p in project.paragraphs()
                        if project.status(p.id, "ann").status == "done"
                        and codebook.missing_required(project.codings(p.id, "ann"))]
            gaps = required_gaps(project.db, project.required_variables())
            assert [(g.paragraph_id, g.coder_id, g.variables) for g in gaps] == [(p, "ann", ("stance",)) for p in expected]
            assert expected == (["doc1:1", "doc1:2"] if name == "always" else ["doc1:2"])
