"""The column table of the reliability report: one entry puts a coefficient in every file format."""

from __future__ import annotations

import csv
import io
import json

import pytest

from exports import report_columns
from exports.agreement import brennan_prediger
from exports.agreement_html import to_html
from exports.agreement_report import to_csv, to_json, to_markdown
from exports.alpha import Interval
from exports.reliability import ReliabilityReport, reliability_report
from exports.report_columns import shown_columns
from store import Project
from tests.helpers import EXTRA_COLUMN, code_two_coders


@pytest.fixture
def extended(monkeypatch: pytest.MonkeyPatch) -> None:
    """Brennan and Prediger's coefficient registered after the others, with an interval."""
    monkeypatch.setattr(report_columns, "COEFFICIENTS", (*report_columns.COEFFICIENTS, EXTRA_COLUMN))


@pytest.fixture
def report(project: Project, extended: None) -> ReliabilityReport:
    return reliability_report(code_two_coders(project), codes=["border_control"], replicates=10)


def test_the_shown_columns_follow_the_table() -> None:
    headers = [(column.header, column.interval) for column in shown_columns()]
    assert headers == [("% agree", False), ("Fleiss κ", False), ("α", False), ("95 % CI", True), ("AC1", False)]


def test_one_table_entry_reaches_every_file_format(report: ReliabilityReport) -> None:
    code = report.codes[0]
    value = brennan_prediger([[1, 1], [1, 0]])  # alice and bob on doc1:1 and doc1:2
    assert value.value is not None
    assert code.coefficients["brennan_prediger"] == value
    assert code.intervals["brennan_prediger"] == Interval(0.1111, 0.9999)

    entry = json.loads(to_json(report))["codes"][0]
    assert list(entry)[7:13] == ["percent_agreement", "fleiss_kappa", "krippendorff_alpha", "gwet_ac1",
                                 "brennan_prediger", "verdict"]
    assert entry["brennan_prediger"] == {"value": value.value, "reason": None, "low": 0.1111, "high": 0.9999,
                                         "interval_reason": None}

    rows = list(csv.DictReader(io.StringIO(to_csv(report))))
    assert list(rows[0])[12:17] == ["gwet_ac1", "brennan_prediger", "bp_low", "bp_high", "verdict"]
    assert rows[0]["brennan_prediger"] == repr(round(value.value, 6)) and rows[0]["bp_high"] == "0.9999"

    shown = f"{value.value:.3f}"
    markdown = to_markdown(report)
    assert "| AC1 | BP | 95 % CI | Verdict |" in markdown and "|---:|---:|---|---|" in markdown
    assert f" | {shown} | [0.111, 1.000] | " in markdown

    html = to_html(report)
    assert "<th>AC1</th><th>BP</th><th>95 % CI</th><th>Verdict</th>" in html
    assert f"<td>{shown}</td><td>[0.111, 1.000]</td><td class=\"verdict\"" in html
