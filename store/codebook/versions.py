"""Applying a codebook version to a project: new codes appear, changes update, removals are guarded."""

from __future__ import annotations

from dataclasses import dataclass, field, replace


from store.base import ProjectBase
from store.codebook.model import REQUIRED, Code, Codebook, Level
from store.errors import AccordError
from store.intake.source import sha256_text
from store.words import plural


@dataclass
class CodebookChange:
    """What applying a codebook version changed."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    """Codes whose label, definition, key, parent, kind or levels changed."""
    retired: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    """Codes dropped from the codebook that had no codings: deleted."""
    restored: list[str] = field(default_factory=list)
    """Retired codes that the new version brings back."""
    reordered: bool = False
    """Codes kept from the old version changed places among themselves (digit keys follow order)."""

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.retired or self.removed or self.restored or self.reordered)


@dataclass(frozen=True)
class CodeRow:
    """A code as the project keeps it (retired codes included)."""

    id: str
    parent_id: str | None
    label: str
    kind: str
    key: str | None
    definition: str | None
    position: int
    retired: bool


class CodebookVersions(ProjectBase):
    """The project's codebook: every version kept, the current one applied to `codes`."""

    def codebook(self) -> Codebook:
        """The codebook version applied last, as typed models."""
        from store.codebook.parser import parse_codebook

        sha = self.meta("codebook_sha256")
        row = self.db.execute("select yaml from codebooks where sha256 = ?", [sha]).fetchone()
        if row is None:
            raise AccordError("this project has no codebook; apply one with `accord codebook update FILE`")
        codebook = parse_codebook(row[0], f"{self.path}:codebook", stored=True)
        retired = [r for r in self.codes() if r.retired]
        return with_retired(codebook, [self._retired_code(r) for r in retired]) if retired else codebook

    def codebook_yaml(self) -> str:
        """The YAML text of the codebook version applied last, as the project keeps it."""
        row = self.db.execute("select yaml from codebooks where sha256 = ?", [self.meta("codebook_sha256")]).fetchone()
        if row is None:
            raise AccordError("this project has no codebook; apply one with `accord codebook update FILE`")
        return str(row[0])

    def code_colors(self) -> dict[str, str]:
        """Code id -> its `color:` in the current codebook (for REFI-QDA exports)."""
        text = self.codebook_yaml() if self.meta("codebook_sha256") else ""
        if "color" not in text:  # most codebooks have none: no need to read them
            return {}
        import yaml

        # Validated when it was applied: a plain load is enough (see required_variables).
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        colors: dict[str, str] = {}
        stack = list(data.get("codes") or []) + list(data.get("variables") or []) if isinstance(data, dict) else []
        while stack:
            entry = stack.pop()
            if isinstance(entry, dict):
                if isinstance(entry.get("color"), str) and "id" in entry:
                    colors[str(entry["id"])] = entry["color"]
                stack.extend(entry.get("children") or [])
        return colors

    def required_variables(self) -> dict[str, str]:
        """Variable id -> its `required:` rule in the current codebook (`Codebook.required`)."""
        row = self.db.execute("select yaml from codebooks where sha256 = ?", [self.meta("codebook_sha256")]).fetchone()
        # Most codebooks require nothing: no need to read them (status and export ask).
        if row is None or "required" not in row[0]:
            return {}
        import yaml

        # The stored text was validated when it was applied: a plain load (libyaml's when there)
        # is enough, five times faster than the validating parser that `accord status` would pay.
        data = yaml.load(row[0], Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        variables = data.get("variables") if isinstance(data, dict) else None
        return {
            str(v["id"]): v["required"] for v in variables or []
            if isinstance(v, dict) and "id" in v and v.get("required") in REQUIRED
        }

    def _retired_code(self, row: CodeRow) -> Code:
        return Code(
            id=row.id, label=row.label, kind=row.kind, key=row.key, definition=row.definition or "",
            levels=tuple(Level(value, label) for value, label in self.levels(row.id)),
            parent_id=row.parent_id, retired=True,
        )

    def codebook_sha256(self) -> str | None:
        """Hash of the codebook version applied last (what reports cite)."""
        return self.meta("codebook_sha256")

    def codes(self, include_retired: bool = True) -> list[CodeRow]:
        """Codes and variables in codebook order."""
        where = "" if include_retired else "where retired = 0"
        rows = self.db.execute(
            f"select id, parent_id, label, kind, key, definition, position, retired from codes {where} order by position"
        ).fetchall()
        return [CodeRow(id_, parent, label, kind, key, definition, position, bool(retired))
                for id_, parent, label, kind, key, definition, position, retired in rows]

    def levels(self, code_id: str) -> list[tuple[str, str]]:
        """(value, label) of a variable's levels, in order."""
        return self.db.execute(
            "select value, label from code_levels where code_id = ? order by position", [code_id]
        ).fetchall()

    def apply_codebook(self, codebook: Codebook, retire: bool = False) -> CodebookChange:
        """Make `codebook` the project's current version, in one transaction.

        A code that the new version drops is deleted when it has no codings; when it has some,
        it is refused unless `retire`, which keeps it (hidden while coding, still exported).
        """
        change = CodebookChange()
        new = list(codebook.walk())
        new_ids = {code.id for code in new}
        with self.transaction():
            old = {row.id: row for row in self.codes()}
            dropped = [row for row in old.values() if row.id not in new_ids and not row.retired]
            used = self._codings_per_code()
            blocked = [row.id for row in dropped if used.get(row.id)]
            if blocked and not retire:
                listing = ", ".join(f"{code} ({plural(used[code], 'coding')})" for code in blocked)
                raise AccordError(
                    f"the new codebook drops codes that have codings: {listing}; "
                    "keep them in the codebook, or pass --retire to retire them"
                )
            for code in new:
                if (row := old.get(code.id)) and row.kind != code.kind and used.get(code.id):
                    raise AccordError(
                        f"code {code.id!r} changes kind from {row.kind} to {code.kind} but has "
                        f"{plural(used[code.id], 'coding')}; give the new kind a new id instead"
                    )
            self._check_levels_in_use(new)
            # Inserting or dropping codes shifts positions; only a change of relative order is news.
            before = [row.id for row in sorted(old.values(), key=lambda r: r.position)
                      if row.id in new_ids and not row.retired]
            change.reordered = before != [code.id for code in new if code.id in old and not old[code.id].retired]
            for row in dropped:
                if used.get(row.id):
                    self.db.execute("update codes set retired = 1 where id = ?", [row.id])
                    change.retired.append(row.id)
                else:
                    self.db.execute("delete from code_levels where code_id = ?", [row.id])
                    self.db.execute("delete from codes where id = ?", [row.id])
                    change.removed.append(row.id)
            for position, code in enumerate(new, start=1):
                self._upsert_code(code, position, old.get(code.id), change)
            self._record_version(codebook)
        return change

    def _codings_per_code(self) -> dict[str, int]:
        return dict(self.db.execute("select code_id, count(*) from codings group by code_id").fetchall())

    def _check_levels_in_use(self, new: list[Code]) -> None:
        for code in new:
            if code.kind == "code":
                continue
            values = {level.value for level in code.levels}
            for (value,) in self.db.execute(
                "select distinct value from codings where code_id = ? and value is not null", [code.id]
            ):
                if str(value) not in values:
                    raise AccordError(
                        f"variable {code.id!r} drops level {value!r}, which codings use; keep the level"
                    )

    def _upsert_code(self, code: Code, position: int, old: CodeRow | None, change: CodebookChange) -> None:
        row = CodeRow(code.id, code.parent_id, code.label, code.kind, code.key, code.definition, position, False)
        levels = [(level.value, level.label) for level in code.levels]
        if old is None:
            change.added.append(code.id)
        elif old.retired:
            change.restored.append(code.id)
        elif replace(old, position=position) != row or self.levels(code.id) != levels:
            change.updated.append(code.id)
        elif old.position == position:
            return
        self.db.execute(
            """insert into codes (id, parent_id, label, kind, key, definition, position, retired)
               values (?, ?, ?, ?, ?, ?, ?, 0)
               on conflict (id) do update set parent_id = excluded.parent_id, label = excluded.label,
               kind = excluded.kind, key = excluded.key, definition = excluded.definition,
               position = excluded.position, retired = 0""",
            [code.id, code.parent_id, code.label, code.kind, code.key, code.definition, position],
        )
        self.db.execute("delete from code_levels where code_id = ?", [code.id])
        self.db.executemany(
            "insert into code_levels (code_id, value, label, position) values (?, ?, ?, ?)",
            [(code.id, value, label, i) for i, (value, label) in enumerate(levels, start=1)],
        )

    def _record_version(self, codebook: Codebook) -> None:
        from store.codebook.yaml_dump import dump_codebook

        # A codebook built in code (e.g. from a .qdc file) has no YAML of its own: write one.
        source = codebook.source or dump_codebook(codebook)
        sha = sha256_text(source)
        self.db.execute(
            "insert or ignore into codebooks (sha256, yaml, loaded_at) values (?, ?, ?)",
            [sha, source, self.now()],
        )
        self.db.execute(
            "insert into meta (key, value) values ('codebook_sha256', ?) "
            "on conflict (key) do update set value = excluded.value",
            [sha],
        )


def with_retired(codebook: Codebook, retired: list[Code]) -> Codebook:
    """`codebook` with the project's retired codes put back, marked, so exports still see them.

    A retired code goes back under its parent when the parent is still there, else to the top
    level (codes) or among the variables.
    """
    under: dict[str, list[Code]] = {}
    top: list[Code] = []
    variables: list[Code] = []
    present = codebook.by_id()
    for code in retired:
        if code.parent_id in present and code.kind == "code":
            under.setdefault(code.parent_id, []).append(code)
        elif code.kind == "code":
            top.append(replace(code, parent_id=None))
        else:
            variables.append(replace(code, parent_id=None))

    def attach(code: Code) -> Code:
        children = tuple(attach(child) for child in code.children) + tuple(under.get(code.id, ()))
        return replace(code, children=children) if children != code.children else code

    return replace(
        codebook,
        codes=tuple(attach(code) for code in codebook.codes) + tuple(top),
        variables=codebook.variables + tuple(variables),
    )
