"""What the coding screen marks on a paragraph: the trusted models' codes with their
probabilities, never on the reliability sample and never when the lead turned suggestions off.

Only codes whose held-out alpha passes the agreement report's verdict rule are suggested; a
code is marked when its probability reaches the threshold chosen on the cross-validation, a
variable's most probable level when it has one. Nothing is applied: the coder decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from typing import TYPE_CHECKING

from store import Project, load_models, reliability_sample, suggestions_off


if TYPE_CHECKING:
    from exports.suggest.predict import Predictor


@dataclass(frozen=True)
class Suggestion:
    code_id: str
    probability: float
    level: str | None = None
    """A variable's suggested level; None for a code."""


@dataclass
class Suggester:
    predictor: Predictor
    sample: set[str]

    @classmethod
    def for_file(cls, project: Project) -> Suggester | None:
        """None when nothing is to be shown: suggestions off, no model, a stale one, none trusted."""
        if suggestions_off(project.db):
            return None
        light = load_models(project.db, with_arrays=False)
        if not any(row.report.get("verdict") in ("reliable", "tentative") for row in light.values()):
            return None  # skips loading scikit-learn when no code could be suggested
        from exports.suggest.predict import Predictor

        predictor = Predictor.load(project, required=False)
        if predictor is None:
            return None
        trusted = {code: model for code, model in predictor.models.items() if model.trusted}
        shown = Predictor(predictor.idf, trusted, predictor.basis, predictor.report)
        # The models side by side are built with the screen, not when the first paragraph shows.
        shown.stacked  # noqa: B018
        return cls(shown, reliability_sample(project.db))

    def shown_on(self, paragraph_id: str) -> bool:
        """Whether suggestions may be drawn on this paragraph at all."""
        return paragraph_id not in self.sample

    def suggestions(self, paragraph_id: str, text: str) -> dict[str, Suggestion]:
        """Code id -> its suggestion on this paragraph ({} on the reliability sample)."""
        if not self.shown_on(paragraph_id):
            return {}
        out = {}
        for code, score in self.predictor.scores([text]).items():
            model = self.predictor.models[code]
            if model.levels:
                best = int(score[0].argmax())
                out[code] = Suggestion(code, float(score[0, best]), model.levels[best])
            elif float(score[0]) >= model.threshold:
                out[code] = Suggestion(code, float(score[0]))
        return out
