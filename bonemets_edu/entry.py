"""Typed numbers that never change silently: :class:`NumberEntry` (part of the widget layer, next to ``ui``).

ipywidgets' ``BoundedIntText``/``BoundedFloatText`` clean what a learner types in the browser without a word: "3.7"
fractions becomes 37 (the dot is dropped) and "-5" becomes the minimum. ``NumberEntry`` is a text box that reads the
typed text on the Python side instead: a value that is not a number, not a whole number where one is needed, or
outside the allowed range leaves the last valid value in place, puts that value back in the box and shows a plain
message that says what was typed and what is allowed. It is a drop-in for the bounded boxes: it has a ``value``
trait that can be observed (``entry.observe(f, names="value")``) and set from code.
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import traitlets

from .display import escape

__all__ = ["NumberEntry", "read_number"]


def read_number(text: str, *, minimum: float, maximum: float, integer: bool = False,
                unit: str = "") -> tuple[float | int | None, str]:
    """Parse a learner's typed number. Returns ``(value, "")`` or ``(None, plain message)``; never evaluates code.

    Accepts a decimal comma ("2,5"). ``integer=True`` accepts whole numbers only ("4", "4.0"), not "3.7".
    """
    unit_s = f" {unit}" if unit else ""
    allowed = f"{'a whole number' if integer else 'a number'} from {minimum:g} to {maximum:g}{unit_s}"
    cleaned = str(text).strip().replace(",", ".")
    try:
        number = float(cleaned)
    except ValueError:
        number = math.nan
    if not cleaned or not math.isfinite(number):
        return None, f"“{str(text).strip()[:40]}” is not a number; type {allowed}."
    if integer and number != int(number):
        return None, f"“{cleaned}” is not a whole number; type {allowed}."
    if not minimum <= number <= maximum:
        return None, f"{number:g}{unit_s} is outside the allowed range; type {allowed}."
    return (int(number) if integer else number), ""


class NumberEntry(widgets.VBox):
    """A labelled text box for one number with a range; bad input shows a message and keeps the last valid value.

    ``NumberEntry(4, minimum=1, maximum=40, description="Custom fractions (number)", integer=True)``.
    Public parts: ``box`` (the ``Text`` widget), ``note`` (the message ``HTML``), ``value`` (observable).
    """

    value = traitlets.Float()

    def __init__(self, value: float, *, minimum: float, maximum: float, description: str, integer: bool = False,
                 unit: str = "", **kwargs):
        if not (isinstance(minimum, (int, float)) and isinstance(maximum, (int, float)) and minimum <= maximum):
            raise ValueError(f"minimum must be <= maximum, got minimum={minimum!r}, maximum={maximum!r}")
        self.minimum, self.maximum, self.integer, self.unit = minimum, maximum, integer, unit
        if integer:
            self.add_traits(value=traitlets.Int())
        first, problem = read_number(str(value), minimum=minimum, maximum=maximum, integer=integer, unit=unit)
        if first is None:
            raise ValueError(f"value must be {problem.split('type ', 1)[-1].rstrip('.')}, got {value!r}")
        self.box = widgets.Text(value=self._fmt(first), description=description, continuous_update=False,
                                style={"description_width": "initial"},
                                tooltip=f"{description}: {minimum:g} to {maximum:g}")
        self.note = widgets.HTML("")
        super().__init__([self.box, self.note], **kwargs)
        self.add_class("bm-number-entry")
        self.value = first
        self.box.observe(self._on_text, names="value")
        self.observe(self._on_value, names="value")

    @property
    def description(self) -> str:
        """The label (with its unit), as on the other controls."""
        return self.box.description

    def _fmt(self, v) -> str:
        return str(int(v)) if self.integer else f"{v:g}"

    @traitlets.validate("value")
    def _check(self, proposal):
        v, problem = read_number(str(proposal["value"]), minimum=self.minimum, maximum=self.maximum,
                                 integer=self.integer, unit=self.unit)
        if v is None:
            raise ValueError(f"value: {problem}")
        return v

    def _on_text(self, change) -> None:
        typed = change["new"]
        if typed == self._fmt(self.value):
            return
        v, problem = read_number(typed, minimum=self.minimum, maximum=self.maximum, integer=self.integer,
                                 unit=self.unit)
        if v is None:
            kept = f"{self._fmt(self.value)}{' ' + self.unit if self.unit else ''}"
            self.note.value = (f'<div class="bm-msg bm-warning" role="status"><strong>Not changed:</strong> '
                               f'{escape(problem)} Still using {escape(kept)}.</div>')
            self.box.value = self._fmt(self.value)
            return
        self.note.value = ""
        self.value = v

    def _on_value(self, change) -> None:
        text = self._fmt(change["new"])
        if self.box.value != text:
            self.box.value = text
