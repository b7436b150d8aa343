"""Text views of model results and cited records (Markdown, HTML, plain text): the one layer that formats results
for people, between the models (numbers) and the widgets/notebooks (which show these strings).

* :mod:`.citations` — the one citation-link helper (HTML links, Markdown links or plain labels).
* :mod:`.radiation` — lesson 02's result table and evidence list (HTML), schedule table (plain text) and retreatment
  advice (Markdown).
* :mod:`.fus` — lesson 05's session steps, neighbours at risk, candidacy (Markdown), trial evidence and what-if
  scenario table (plain text).
* :mod:`.choosing` — lesson 06's rules, one therapy's verdict with reasons, and a case printout (plain text).

The models return numbers and records; nothing in them formats Markdown or HTML.
"""

from .citations import cite

__all__ = ["cite"]
