"""The codebook as a methods appendix (Markdown or HTML): every code with its definition, rules,
examples, and how often the coders applied it."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from store import CONSENSUS, Code, Codebook, Project, plural


@dataclass
class Usage:
    """How often each code (and each level of a variable) was applied, per coder."""

    done: dict[str, int] = field(default_factory=dict)
    """Paragraphs each coder marked done."""
    applied: dict[tuple[str, str | None], dict[str, int]] = field(default_factory=dict)
    """(code id, level or None for a code) -> coder -> paragraphs (done ones only)."""

    @classmethod
    def of(cls, project: Project) -> Usage:
        usage = cls(done=project.done_counts())
        for code_id, coder, value, count in project.code_usage():
            level = None if isinstance(value, int) else str(value)  # codes store 1, variables a level
            usage.applied.setdefault((code_id, level), {})[coder] = int(count)
        return usage

    def describe(self, code_id: str, level: str | None = None) -> str:
        """"12 times: alice 7 of 40 done (18%), bob 5 of 38 done (13%)", or "never applied"."""
        counts = self.applied.get((code_id, level), {})
        if not counts:
            return "never applied"
        coders = sorted(counts, key=lambda c: (c == CONSENSUS, c))
        parts = []
        for coder in coders:
            done = self.done.get(coder, 0)
            share = f" ({100 * counts[coder] / done:.0f}%)" if done else ""
            parts.append(f"{coder} {counts[coder]} of {done} done{share}")
        total = sum(counts[c] for c in coders if c != CONSENSUS)
        return f"{plural(total, 'time')} by the coders: " + ", ".join(parts)


@dataclass
class Section:
    """One code's part of the appendix, whatever the output format."""

    depth: int
    title: str
    fields: list[tuple[str, str | list[str]]]


def sections(codebook: Codebook, usage: Usage) -> list[Section]:
    """Codes depth-first, then variables, each with the fields an appendix reports."""
    out = []
    depth_of: dict[str, int] = {}
    for code in codebook.walk():
        depth = depth_of.get(code.parent_id, -1) + 1 if code.parent_id else 0
        depth_of[code.id] = depth
        out.append(Section(depth, _title(code), _fields(code, usage)))
    return out


def _title(code: Code) -> str:
    retired = " — retired" if code.retired else ""
    return f"{code.label} (`{code.id}`){retired}"


def _fields(code: Code, usage: Usage) -> list[tuple[str, str | list[str]]]:
    fields: list[tuple[str, str | list[str]]] = []
    kind = {"code": "code (present/absent)", "single": "variable (one level)", "ordinal": "variable (ordered levels)"}
    fields.append(("Kind", kind.get(code.kind, code.kind) + (f", key `{code.key}`" if code.key else "")))
    if code.required:
        rule = "on every paragraph with a code applied" if code.required == "when_coded" else "on every paragraph marked done"
        fields.append(("Required", f"set {rule} (`required: {code.required}`)"))
    if code.definition:
        fields.append(("Definition", code.definition.strip()))
    for name, values in (("Include", code.include), ("Exclude", code.exclude), ("Examples", code.examples)):
        if values:
            fields.append((name, [v.strip() for v in values]))
    if code.keywords:
        fields.append(("Keywords", ", ".join(code.keywords)))
    if code.kind == "code":
        fields.append(("Applied", usage.describe(code.id)))
    else:
        fields.append(("Levels", [f"`{lv.value}` {lv.label}: {usage.describe(code.id, lv.value)}" for lv in code.levels]))
    return fields


def _header(codebook: Codebook, project_id: str | None, sha: str | None) -> list[tuple[str, str]]:
    rows = [("Version", codebook.version or "—"), ("Unit", codebook.unit)]
    if sha:
        rows.append(("Codebook SHA-256", sha))
    if project_id:
        rows.append(("Project", project_id))
    return rows


def codebook_markdown(codebook: Codebook, usage: Usage, project_id: str | None = None, sha: str | None = None) -> str:
    """The appendix as Markdown."""
    lines = [f"# Codebook: {_md(codebook.title)}", ""]
    lines += [f"- **{name}:** {_md(value)}" for name, value in _header(codebook, project_id, sha)]
    if codebook.instructions:
        lines += ["", "## Instructions to coders", "", _md(codebook.instructions.strip())]
    lines += ["", "## Codes and variables"]
    for section in sections(codebook, usage):
        lines += ["", "#" * min(3 + section.depth, 6) + " " + _md(section.title), ""]
        for name, value in section.fields:
            if isinstance(value, list):
                lines.append(f"**{name}:**")
                lines += [""] + [f"- {_md(item)}" for item in value] + [""]
            else:
                lines.append(f"**{name}:** {_md(value)}  ")
        while lines and lines[-1] == "":
            lines.pop()
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Codebook text for Markdown: `& < >` escaped, so HTML in a label or definition (`<script>`)
    shows as text instead of reaching the page as markup (the HTML appendix escapes the same way)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


CSS = """body{font-family:Georgia,serif;max-width:46em;margin:2em auto;line-height:1.45;color:#222}
code{font-family:Menlo,monospace;font-size:.9em}dt{font-weight:bold;margin-top:.4em}dd{margin-left:1.5em}
h3,h4,h5,h6{margin-bottom:.2em}.meta td{padding-right:1em}"""


def codebook_html(codebook: Codebook, usage: Usage, project_id: str | None = None, sha: str | None = None) -> str:
    """The appendix as one self-contained HTML page."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Codebook: {e(codebook.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>Codebook: {e(codebook.title)}</h1>", '<table class="meta">',
    ]
    parts += [f"<tr><td>{e(name)}</td><td>{e(value)}</td></tr>" for name, value in _header(codebook, project_id, sha)]
    parts.append("</table>")
    if codebook.instructions:
        paragraphs = [p for p in codebook.instructions.strip().split("\n\n") if p.strip()]
        parts += ["<h2>Instructions to coders</h2>"] + [f"<p>{e(p)}</p>" for p in paragraphs]
    parts.append("<h2>Codes and variables</h2>")
    for section in sections(codebook, usage):
        level = min(3 + section.depth, 6)
        parts.append(f"<h{level}>{_inline(section.title)}</h{level}><dl>")
        for name, value in section.fields:
            if isinstance(value, list):
                items = "".join(f"<li>{_inline(item)}</li>" for item in value)
                parts.append(f"<dt>{e(name)}</dt><dd><ul>{items}</ul></dd>")
            else:
                parts.append(f"<dt>{e(name)}</dt><dd>{_inline(value)}</dd>")
        parts.append("</dl>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _inline(text: str) -> str:
    """Escape text for HTML, turning `backticks` into <code>."""
    pieces = html.escape(text).split("`")
    return "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(pieces))
