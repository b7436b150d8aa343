"""Text views of model results and cited records (Markdown, HTML, plain text): the one layer that formats results
for people, between the models (numbers) and the widgets/notebooks (which show these strings).

* :mod:`.citations` — the one citation-link helper (HTML links, Markdown links or plain labels).
* :mod:`.radiation` — lesson 02's result tables and evidence lists (HTML).
"""

from .citations import cite

__all__ = ["cite"]
