"""Each format written to a real file and read back with the reader a researcher would use."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pyreadstat
import pytest

from exports.datasets import DatasetSpec, build_dataset
from exports.varnames import valid_names
from exports.writers import write_dataset
from store import AccordError, Codebook, Project
from tests.helpers import code_two_coders, small_codebook

GOLDEN_CSV = (
    "paragraph_id,document_id,position,title,speaker,country,date,border_control,wmd,nuclear,stance,"
    "status,flag,note,text\n"
    "doc1:1,doc1,1,,Mr. Test,Testland,,1,0,0,support,done,0,\"'=HYPERLINK(\"\"x\"\")\","
    "Paragraph 1 of doc1 on border control.\n"
    "doc1:2,doc1,2,,Mr. Test,Testland,,1,0,0,,done,0,,Paragraph 2 of doc1 on border control.\n"
    "doc1:3,doc1,3,,Mr. Test,Testland,,,,,,,0,,Paragraph 3 of doc1 on border control.\n"
    "doc2:1,doc2,1,,Mr. Test,Testland,,0,1,1,,done,0,,Paragraph 1 of doc2 on border control.\n"
    "doc2:2,doc2,2,,Mr. Test,Testland,,,,,,,0,,Paragraph 2 of doc2 on border control.\n"
)


def dataset(project: Project, **spec: object):  # type: ignore[no-untyped-def]
    return build_dataset(project, DatasetSpec(**spec))  # type: ignore[arg-type]


def test_csv_golden_bytes(project: Project, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    report = write_dataset(dataset(code_two_coders(project), coder="alice"), "csv", target)
    assert target.read_bytes() == GOLDEN_CSV.encode("utf-8")
    assert report.rows == 5


def test_csv_raw_keeps_formulas_and_stdout_stream(project: Project) -> None:
    stream = io.StringIO()
    write_dataset(dataset(code_two_coders(project), coder="alice"), "csv", None, raw=True, stream=stream)
    assert '"=HYPERLINK(""x"")"' in stream.getvalue()
    back = pd.read_csv(io.StringIO(stream.getvalue()), dtype={"border_control": "Int8"})
    assert back["border_control"].isna().tolist() == [False, False, True, False, True]


def test_tsv_and_jsonl_read_back(project: Project, tmp_path: Path) -> None:
    code_two_coders(project)
    write_dataset(dataset(project, whose="all"), "tsv", tmp_path / "out.tsv")
    tsv = pd.read_csv(tmp_path / "out.tsv", sep="\t")
    assert len(tsv) == 10 and tsv["wmd"].isna().sum() == 5
    write_dataset(dataset(project, whose="consensus"), "jsonl", tmp_path / "out.jsonl")
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert rows[1]["border_control"] == 0 and rows[1]["basis"] == "adjudicated"
    assert rows[2]["border_control"] is None and rows[4]["stance"] is None
    assert pd.read_json(tmp_path / "out.jsonl", lines=True).shape == (5, 16)


def test_parquet_keeps_types_and_codebook(project: Project, tmp_path: Path) -> None:
    target = tmp_path / "out.parquet"
    write_dataset(dataset(code_two_coders(project), coder="alice"), "parquet", target)
    back = pd.read_parquet(target)
    assert str(back["border_control"].dtype) == "Int8"
    assert back["border_control"].isna().tolist() == [False, False, True, False, True]
    assert list(back["stance"].cat.categories) == ["support", "oppose"]
    assert back["stance"].tolist()[0] == "support" and pd.isna(back["stance"].tolist()[1])
    schema = pq.read_schema(target)
    assert schema.metadata[b"accord.project_id"].decode() == project.project_id
    assert schema.metadata[b"accord.codebook"].decode() == small_codebook().source
    assert schema.field("border_control").metadata[b"label"] == b"Border control"
    assert str(schema.field("border_control").type) == "int8"


def test_parquet_in_several_row_groups(project: Project, tmp_path: Path) -> None:
    code_two_coders(project)
    target = tmp_path / "out.parquet"
    write_dataset(build_dataset(project, DatasetSpec(whose="all"), chunk_size=2), "parquet", target)
    assert pq.ParquetFile(target).num_row_groups == 3
    assert len(pd.read_parquet(target)) == 10


@pytest.mark.parametrize("fmt", ["dta", "sav"])
def test_stata_and_spss_carry_labels_and_missing(project: Project, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    write_dataset(dataset(code_two_coders(project), coder="alice"), fmt, target)
    frame, meta = (pyreadstat.read_dta if fmt == "dta" else pyreadstat.read_sav)(str(target))
    assert frame["border_control"].tolist()[:2] == [1, 1] and frame["border_control"].isna().tolist() == [
        False, False, True, False, True]
    assert meta.column_names_to_labels["border_control"] == "Border control"
    assert meta.variable_value_labels["border_control"] == {0: "absent", 1: "present"}
    assert meta.variable_value_labels["stance"] == {1: "Supports", 2: "Opposes"}
    assert frame["stance"].tolist()[0] == 1 and frame["stance"].isna().sum() == 4
    assert frame["text"][0] == "Paragraph 1 of doc1 on border control."
    if fmt == "dta":
        labelled = pd.read_stata(target)
        assert labelled["border_control"].tolist()[0] == "present"
        assert labelled["stance"].tolist()[0] == "Supports"
    else:
        assert meta.variable_measure["stance"] == "nominal"


def test_long_code_ids_are_renamed_for_stata(tmp_path: Path) -> None:
    from store import Code

    long_a = "a_very_long_code_identifier_for_border_control_one"
    long_b = "a_very_long_code_identifier_for_border_control_two"
    codebook = Codebook(title="t", codes=(Code(long_a, "One"), Code(long_b, "Two"), Code("in", "In")), source="x")
    project = Project.create(tmp_path / "p.db", codebook)
    from tests.helpers import documents

    project.import_documents(documents(1))
    project.set_coding("doc1:1", "alice", long_b, 1)
    project.set_status("doc1:1", "alice", "done")
    report = write_dataset(dataset(project), "dta", tmp_path / "out.dta")
    assert report.renames == {long_a: long_a[:31], long_b: long_b[:29] + "_2", "in": "in_"}
    # (31 and 29+2: room for the label-set number pyreadstat appends; "in" is reserved in Stata)
    frame, meta = pyreadstat.read_dta(str(tmp_path / "out.dta"))
    assert frame[long_b[:29] + "_2"].tolist() == [1]
    assert meta.column_names_to_labels[long_b[:29] + "_2"] == "Two"
    project.close()


def test_valid_names_rules() -> None:
    names, renames = valid_names(["1st", "_x", "with", "Ünïcode col", "A", "a", "str12"])
    assert names == ["v1st", "v_x", "with_", "Unicode_col", "A", "a_2", "str12_"]
    assert names[3][0].isalpha() and len({n.lower() for n in names}) == len(names)
    assert "A" not in renames and renames["a"] == "a_2"


def test_existing_file_needs_force_and_failure_leaves_it(project: Project, tmp_path: Path) -> None:
    target = tmp_path / "out.csv"
    target.write_text("precious")
    with pytest.raises(AccordError, match="already exists; pass --force"):
        write_dataset(dataset(code_two_coders(project), coder="alice"), "csv", target)
    assert target.read_text() == "precious"

    def broken():  # type: ignore[no-untyped-def]
        yield pd.DataFrame({"paragraph_id": ["x"]})
        raise RuntimeError("disk on fire")

    failing = dataset(project, coder="alice")
    failing.chunks = broken()
    with pytest.raises(RuntimeError):
        write_dataset(failing, "csv", target, force=True, raw=True)
    assert target.read_text() == "precious"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left
    write_dataset(dataset(project, coder="alice"), "csv", target, force=True)
    assert target.read_text().startswith("paragraph_id,")
    assert target.stat().st_mode & 0o044  # readable by co-authors, not mkstemp's 0600


def test_binary_format_needs_a_file(project: Project) -> None:
    with pytest.raises(AccordError, match="binary format"):
        write_dataset(dataset(code_two_coders(project), coder="alice"), "dta", None, stream=io.StringIO())


@pytest.mark.parametrize("fmt", ["dta", "sav"])
def test_many_labelled_columns_with_long_names_still_write(tmp_path: Path, fmt: str) -> None:
    from store import Code
    from tests.helpers import documents

    longest = "c" * 32
    codes = (*(Code(f"code_{i}", f"Code {i}") for i in range(11)), Code(longest, "Longest"))
    project = Project.create(tmp_path / "p.db", Codebook(title="t", codes=codes, source="x"))
    project.import_documents(documents(1))
    project.set_coding("doc1:1", "alice", longest, 1)
    project.set_status("doc1:1", "alice", "done")
    report = write_dataset(dataset(project), fmt, tmp_path / f"out.{fmt}")
    assert report.renames == {longest: "c" * 30}  # the 12th label set is named NAME + "11"
    frame, meta = (pyreadstat.read_dta if fmt == "dta" else pyreadstat.read_sav)(str(tmp_path / f"out.{fmt}"))
    assert frame["c" * 30].tolist() == [1] and meta.variable_value_labels["c" * 30] == {0: "absent", 1: "present"}
    project.close()


def test_stata_labels_are_shortened_keeping_their_meaning() -> None:
    from exports.writers import short_label

    ddr = "Disarmament, demobilization and reintegration (DDR): share of coded paragraphs with a value"
    assert short_label(ddr, 80) == "DDR: share of coded paragraphs with a value"
    long = "A label without any acronym that keeps going on and on about something: share of coded paragraphs"
    shortened = short_label(long, 80)
    assert len(shortened) <= 80 and shortened.endswith("…: share of coded paragraphs")
    assert short_label("x" * 100, 80) == "x" * 79 + "…"
    level = "Stance toward binding instruments on small arms: Supports: share of coded paragraphs with a value"
    assert short_label(level, 80) == "Stance toward binding…: Supports: share of coded paragraphs with a value"
    assert short_label("Border control", 80) == "Border control"


def test_a_file_format_refusal_is_an_error_naming_file_and_column(tmp_path: Path) -> None:
    from exports.writers import _write_labelled

    # What ReadStat refuses (here a label past Stata's 80 characters) is an AccordError, not a traceback.
    frame = pd.DataFrame({"id": ["a"], "ddr_share": [0.5]})
    labels = {"id": "Id", "ddr_share": "x" * 81}
    target = tmp_path / "doc.dta"
    with pytest.raises(AccordError) as caught:
        _write_labelled(pyreadstat.write_dta, "dta", frame, target, labels, {})
    message = str(caught.value)
    assert "doc.dta" in message and "'ddr_share'" in message and "too long" in message
    assert list(tmp_path.iterdir()) in ([], [target])


@pytest.mark.parametrize("fmt, separator", [("csv", ","), ("tsv", "\t")])
@pytest.mark.parametrize("raw", [False, True])
def test_delimited_bytes_are_pandas_to_csv_bytes_on_hostile_cells(fmt: str, separator: str, raw: bool) -> None:
    """The column-wise writer quotes, neutralises and formats exactly as pandas' to_csv did, except
    that a lone carriage return is quoted (the csv module leaves it bare, and every reader ends a
    row there: the rows read back are the rows written)."""
    from exports.cells import neutralised
    from exports.datasets import Column, Dataset

    def neutralise_formulas(frame: pd.DataFrame, columns: list[Column]) -> pd.DataFrame:
        """The per-cell way, as the reference."""
        frame = frame.copy()
        for column in columns:
            if column.type == "str":
                frame[column.name] = frame[column.name].map(lambda v: neutralised(v) if isinstance(v, str) else v)
        return frame.rename(columns=neutralised)

    lone_cr = ["\rw", "cr\rmid"]
    cells = ["a", "", None, "=1+2", "+x", "-3", "@y", "\tz", "a,b", 'q"uote', "line\nbreak", "cr\r\nmid",
             "tab\tmid", "ünï €", " space", "'", " =1", "＝1", float("nan"), *lone_cr]
    n = len(cells)
    frame = pd.DataFrame({
        "text": pd.Series(cells, dtype=object),
        "position": pd.array([i if i % 3 else None for i in range(n)], dtype="Int64"),
        "wmd": pd.array([i % 2 if i % 4 else None for i in range(n)], dtype="Int8"),
        "share": [i / 7 if i % 5 else float("nan") for i in range(n - 3)] + [2001.0, 1e-05, 1e16],
        "stance": pd.Categorical([["for, mostly", "against", None][i % 3] for i in range(n)],
                                 categories=["for, mostly", "against"], ordered=True),
        'odd,"name"': pd.Series(cells[::-1], dtype=object),
        "=header": pd.Series(cells[::2] + cells[1::2], dtype=object),
    })
    columns = [Column("text", "", "str"), Column("position", "", "int"), Column("wmd", "", "code"),
               Column("share", "", "float"), Column("stance", "", "level", (("for, mostly", "F"), ("against", "A"))),
               Column('odd,"name"', "", "str"), Column("=header", "", "str")]
    reference = frame if raw else neutralise_formulas(frame, columns)

    def written(rows: pd.DataFrame) -> str:
        stream = io.StringIO()
        write_dataset(Dataset(columns, iter([rows.iloc[:7], rows.iloc[7:]]), len(rows)), fmt, None, raw=raw,
                      stream=stream)
        return stream.getvalue()

    text = written(frame)
    back = pd.read_csv(io.StringIO(text), sep=separator, dtype=str, keep_default_na=False)
    assert len(back) == n and list(back.columns) == list(reference.columns)
    for name in ("text", 'odd,"name"', "=header"):
        column = "'=header" if name == "=header" and not raw else name
        assert back[column].tolist() == reference[column].map(lambda v: v if isinstance(v, str) else "").tolist()
    assert ("'=1+2" in text) is not raw and ("'=header" in text) is not raw
    # Without a lone carriage return, the bytes are pandas' own.
    plain = [not any(isinstance(v, str) and "\r" in v.replace("\r\n", "") for v in row)
             for row in frame.itertuples(index=False)]
    expected = io.StringIO()
    reference[plain].to_csv(expected, sep=separator, index=False, na_rep="", lineterminator="\n")
    assert written(frame[plain]) == expected.getvalue()


@pytest.mark.parametrize("raw", [False, True])
def test_a_column_of_few_values_is_made_once_per_value_with_pandas_bytes(raw: bool,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """A document's fields repeat beside each of its paragraphs, a status or a level over the
    rows: each distinct value is neutralised and quoted once (work counted: the cells the regexes
    read), and the lines are pandas' to_csv lines. Values a hash takes for one (1, 1.0, True)
    keep their own cells."""
    import pyarrow.compute as pc

    from exports.cells import neutralised
    from exports.datasets import Column, Dataset

    hostile = ["=cmd()", 'a,"b"', "plain", None, "line\nbreak", "@x"]
    rows = 1200
    frame = pd.DataFrame({
        "speaker": pd.Series([hostile[i % len(hostile)] for i in range(rows)], dtype=object),
        "stance": pd.Categorical([["for, mostly", "+against", None][i % 3] for i in range(rows)],
                                 categories=["for, mostly", "+against"]),
        "mixed": pd.Series([[1, 1.0, True, "1", None][i % 5] for i in range(rows)], dtype=object),
    })
    columns = [Column("speaker", "", "str"), Column("stance", "", "level", (("for, mostly", "F"), ("+against", "A"))),
               Column("mixed", "", "str")]
    matched: list[int] = []
    match = pc.match_substring_regex

    def counted(array, *args, **kwargs):  # type: ignore[no-untyped-def]
        matched.append(len(array))
        return match(array, *args, **kwargs)

    monkeypatch.setattr(pc, "match_substring_regex", counted)
    stream = io.StringIO()
    write_dataset(Dataset(columns, iter([frame.iloc[:600], frame.iloc[600:]]), rows), "csv", None, raw=raw,
                  stream=stream)
    monkeypatch.setattr(pc, "match_substring_regex", match)
    # speaker and stance: a handful of cells per chunk; `mixed` (not text alone) cell by cell.
    assert sum(matched) < 2 * 600 * 3 + 100, sum(matched)
    reference = frame.copy()
    if not raw:
        for name in ("speaker", "stance", "mixed"):
            reference[name] = reference[name].astype(object).map(lambda v: neutralised(v) if isinstance(v, str) else v)
    expected = io.StringIO()
    reference.to_csv(expected, index=False, na_rep="", lineterminator="\n")
    assert stream.getvalue() == expected.getvalue()
    back = pd.read_csv(io.StringIO(stream.getvalue()), dtype=str, keep_default_na=False)
    assert back["mixed"].tolist()[:5] == ["1", "1.0", "True", "1", ""]


@pytest.mark.parametrize("fmt, separator", [("csv", ","), ("tsv", "\t")])
def test_codes_side_by_side_are_one_part_of_the_line_with_pandas_bytes(fmt: str, separator: str,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Twenty-odd code columns (0, 1 or missing) and the flag side by side: laid out at once, not
    joined column by column (work counted: the parts of each line's join), with pandas' bytes; a
    column holding another number is written as before."""
    import pyarrow.compute as pc

    from exports.datasets import Column, Dataset

    rows = 50
    frame = pd.DataFrame({"text": pd.Series([f"p{i}, said" for i in range(rows)], dtype=object)})
    for j in range(20):
        frame[f"code{j}"] = pd.array([None if (i + j) % 3 == 0 else (i * j) % 2 for i in range(rows)], dtype="Int8")
    frame["flag"] = pd.array([i % 2 for i in range(rows)], dtype="Int8")
    frame["count"] = pd.array([i * 2 - 30 if i % 4 else None for i in range(rows)], dtype="Int8")
    frame["last"] = pd.array([1 if i % 5 else None for i in range(rows)], dtype="Int8")
    columns = [Column("text", "", "str"), *(Column(f"code{j}", "", "code") for j in range(20)),
               Column("flag", "", "int"), Column("count", "", "int"), Column("last", "", "code")]
    joined: list[int] = []
    join = pc.binary_join_element_wise

    def counted(*parts, **kwargs):  # type: ignore[no-untyped-def]
        joined.append(len(parts))
        return join(*parts, **kwargs)

    monkeypatch.setattr(pc, "binary_join_element_wise", counted)
    stream = io.StringIO()
    write_dataset(Dataset(columns, iter([frame.iloc[:20], frame.iloc[20:]]), rows), fmt, None, stream=stream)
    monkeypatch.setattr(pc, "binary_join_element_wise", join)
    assert max(joined) < 20, joined
    expected = io.StringIO()
    frame.to_csv(expected, sep=separator, index=False, na_rep="", lineterminator="\n")
    assert stream.getvalue() == expected.getvalue()
