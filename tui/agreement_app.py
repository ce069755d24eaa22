"""A standalone app around the agreement screen: `accord agree --tui` runs it, tests drive it."""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from tui.screens.agreement import AgreementScreen


class AgreementApp(App[None]):
    """Agreement per code, and the paragraphs on which coders split."""

    CSS_PATH = "app.tcss"
    TITLE = "Accord · agreement"

    def __init__(self, project_path: Path, replicates: int = 1000, seed: int = 0, *, codes: list[str] | None = None,
                 coders: list[str] | None = None, documents: list[str] | None = None) -> None:
        super().__init__()
        self.project_path = Path(project_path)
        self.replicates, self.seed = replicates, seed
        self.codes, self.coders, self.documents = codes, coders, documents

    def on_mount(self) -> None:
        self.push_screen(AgreementScreen(self.project_path, self.replicates, self.seed, codes=self.codes,
                                         coders=self.coders, documents=self.documents))
