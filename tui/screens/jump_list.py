"""A dialog over a list of paragraphs that `enter` jumps to: search (`/`) and retrieve (`R`)."""

from __future__ import annotations

from textual import on
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList


class JumpListScreen(ModalScreen[int | None]):
    """Answers the `seq` of the chosen paragraph, or None.

    The list is the OptionList `#hits`, each option's id a paragraph's seq; enter in a query box
    takes the highlighted one, as does enter on the list.
    """

    @on(Input.Submitted)
    def submitted(self) -> None:
        option = self.query_one("#hits", OptionList).highlighted_option
        if option is not None:
            self.dismiss(int(option.id or 0))

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option_id or 0))

    def action_results(self) -> None:
        self.query_one("#hits", OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
