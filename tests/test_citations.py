"""Citation links typed in lesson Markdown must use the label the bibliography gives for that reference."""

import json
import re
from pathlib import Path

import pytest

from bonemets_edu import references

ROOT = Path(__file__).resolve().parents[1]
LINK = re.compile(r"\[([^\]]+)\]\((https://[^)\s]+)\)")


def href_index():
    index = {}
    for key, ref in references.load_references().items():
        index.setdefault(ref.href, []).append(key)
    return index


def citation_links(path):
    nb = json.loads(path.read_text("utf-8"))
    for i, cell in enumerate(nb["cells"], 1):
        if cell["cell_type"] != "markdown":
            continue
        for label, href in LINK.findall("".join(cell["source"])):
            yield i, label, href


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.stem)
def test_citation_labels_match_the_bibliography(path):
    index = href_index()
    wrong = []
    for i, label, href in citation_links(path):
        keys = index.get(href)
        if not keys or not re.search(r"\b(1[89]|20)\d\d\b", label):
            continue  # not a citation (an ordinary link, or a label without a year)
        expected = {references.short(k) for k in keys}
        if label not in expected:
            wrong.append(f"cell {i}: [{label}] should read [{' or '.join(sorted(expected))}]")
    assert not wrong, "\n".join(wrong)
