"""The lesson's prose states the model's computed numbers: each is checked against the model here."""

from __future__ import annotations

import json
import re
from pathlib import Path

from bonemets_edu import focused_ultrasound as fus
from bonemets_edu.figures.fus import absorption_alt

NB = Path(__file__).resolve().parents[1] / "notebooks" / "05_focused_ultrasound.ipynb"


def _markdown() -> list[str]:
    cells = json.loads(NB.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]


def test_self_check_answer_matches_the_figure_and_the_model():
    """Section 1's self-check answer, the figure's alt text and the model give the same share of the beam at 40 mm."""
    computed = round(100 * fus.fraction_reaching_bone(40.0))
    (answer,) = [m for m in _markdown() if m.startswith("*Answer.* About") and "e^(" in m]
    stated = int(re.search(r"About (\d+)% in this model \[computed\]", answer).group(1))
    assert stated == computed == 69
    assert f"about {computed}% of its power" in absorption_alt(40.0)


def test_planner_grid_and_nerve_claims_in_the_prose():
    text = "\n".join(_markdown())
    assert f"{fus.PLANNER_CELL_MM:g} mm grid, and so does the\nscenario table" in text
    assert "keep warming after the power goes off" not in text and "heat conducts sideways" not in text
    assert "hottest at the moment the power stops" in text
