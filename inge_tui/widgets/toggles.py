"""A radio button and a checkbox whose state shows in their shape, not only in their colour:
`(●)` chosen and `( )` not, `[✔]` ticked and `[ ]` not. Textual's draw the same `●`/`X` in
both states and tell them apart by colour alone, which `NO_COLOR`, 16-colour terminals and
colour-blind users cannot see (issue 14).
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox, RadioButton


class ShapedRadioButton(RadioButton):
    BUTTON_LEFT = "("
    BUTTON_RIGHT = ")"

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        inner = "●" if self.value else " "
        return Content.assemble("(", (inner, style), ")")


class ShapedCheckbox(Checkbox):
    BUTTON_LEFT = "["
    BUTTON_RIGHT = "]"

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        inner = "✔" if self.value else " "
        return Content.assemble("[", (inner, style), "]")
