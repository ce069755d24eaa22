"""Assisted coding's quality on real text (issue 16): `accord suggest train` and `suggest report`
on coded projects of human-written text, one basis after another, per code and on average.

Two sources of real text with labels made by people, never derived from the text:
- the demo project (`accord demo --no-open --dir DIR`): ten Security Council statements coded
  by amina and ben (55 paragraphs);
- Debian's package index (`apt-cache dumpavail > packages.txt`, after `apt-get update`): each
  binary package's one-line description, written by its maintainer, is a paragraph; the
  archive section the maintainer filed it under (games, science, sound, ...) is its code, one
  code per section (`s_games`, ...), coded by `debian`; a source package is a document (its binaries' lines are
  alike, so the cross-validation keeps them in one fold). Only the topical sections of
  `SECTIONS` are kept (not the language ecosystems, whose lines name their language).

    python -m benchmarks.suggest_quality --debian packages.txt --paragraphs 4000 --project deb.db
    python -m benchmarks.suggest_quality --evaluate deb.db --basis debian
    python -m benchmarks.suggest_quality --evaluate demo.db --basis amina --basis ben --basis consensus

`--evaluate` trains on a copy of the project, with whichever `accord` is imported (so the same
script judges an older checkout: PYTHONPATH=CHECKOUT), and prints one JSON line per basis: each
code's held-out F1, model alpha and positives, their means, and the training's CPU seconds.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

SECTIONS = ("utils", "net", "science", "admin", "games", "x11", "text", "misc", "sound", "graphics", "web",
            "math", "editors", "mail", "video", "database", "electronics", "hamradio")


def debian_paragraphs(index: Path) -> dict[str, list[tuple[str, str]]]:
    """Source package -> [(description, section)] of its binaries, one per distinct description."""
    documents: dict[str, dict[str, str]] = defaultdict(dict)
    for stanza in index.read_text(encoding="utf-8", errors="replace").split("\n\n"):
        fields = dict(line.split(": ", 1) for line in stanza.splitlines() if ": " in line and not line[0].isspace())
        section = fields.get("Section", "").rsplit("/", 1)[-1]
        if section in SECTIONS and fields.get("Description") and fields.get("Package"):
            source = fields.get("Source", fields["Package"]).split(" ")[0]
            documents[source].setdefault(fields["Description"].strip(), section)
    return {source: sorted(lines.items()) for source, lines in sorted(documents.items())}


def make_debian_project(index: Path, path: Path, paragraphs: int, seed: int = 0) -> None:
    """Documents drawn at random until `paragraphs`, coded by `debian` with their sections."""
    from store import Code, Codebook, Project, SourceDocument

    documents = debian_paragraphs(index)
    order = np.random.default_rng(seed).permutation(len(documents))
    sources, chosen, total = list(documents), [], 0
    for i in order:
        if total >= paragraphs:
            break
        chosen.append(sources[i])
        total += len(documents[sources[i]])
    codebook = Codebook(title="Debian sections", version="1",
                        codes=tuple(Code(id=f"s_{section}", label=section.capitalize()) for section in SECTIONS))
    with Project.create(path, codebook) as project:
        project.import_documents([SourceDocument(id=f"p{n:05d}", source=f"{source}.txt",
                                                 paragraphs=[text for text, _ in documents[source]])
                                  for n, source in enumerate(chosen)])
        with project.transaction():
            for n, source in enumerate(chosen):
                for p, (_, section) in enumerate(documents[source], start=1):
                    project.set_coding(f"p{n:05d}:{p}", "debian", f"s_{section}", 1)
                    project.set_status(f"p{n:05d}:{p}", "debian", "done")


def evaluate(path: Path, basis: str) -> dict[str, Any]:
    """Train on a copy of `path` with `basis`, then its report's per-code figures."""
    from click.testing import CliRunner

    from tui.cli import main

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "p.db"
        shutil.copy(path, copy)
        runner = CliRunner()
        cpu = time.process_time()
        trained = runner.invoke(main, ["--project", str(copy), "suggest", "train", "--basis", basis, "--bootstrap", "0"])
        cpu = time.process_time() - cpu
        if trained.exit_code != 0:
            raise SystemExit(trained.output)
        report = runner.invoke(main, ["--project", str(copy), "suggest", "report", "--format", "json",
                                      "-o", str(Path(folder) / "r.json"), "--bootstrap", "0"])
        if report.exit_code != 0:
            raise SystemExit(report.output)
        codes = json.loads((Path(folder) / "r.json").read_text())["codes"]
    rows = {code["code"]: {"f1": _round(code["f1"]), "alpha": _round(code["alpha"]), "positives": code["positives"]}
            for code in codes}
    return {"basis": basis, "codes": rows, "mean_f1": _round(float(np.mean([r["f1"] or 0 for r in rows.values()]))),
            "mean_alpha": _round(float(np.mean([r["alpha"] or 0 for r in rows.values()]))), "train_cpu_s": round(cpu, 1)}


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--debian", type=Path, help="a Debian package index (apt-cache dumpavail)")
    parser.add_argument("--paragraphs", type=int, default=4000)
    parser.add_argument("--project", type=Path, help="write the Debian project here")
    parser.add_argument("--evaluate", type=Path, help="a coded project to train and report on (a copy of it)")
    parser.add_argument("--basis", action="append", default=[], help="consensus, majority or a coder (repeatable)")
    args = parser.parse_args()
    if args.debian and args.project:
        make_debian_project(args.debian, args.project, args.paragraphs)
        print(f"wrote {args.project}", file=sys.stderr)
    if args.evaluate:
        for basis in args.basis or ["consensus"]:
            print(json.dumps(evaluate(args.evaluate, basis)), flush=True)


if __name__ == "__main__":
    main()
