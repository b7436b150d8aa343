"""One helper for citing reference keys in text: HTML links, Markdown links or plain author–year labels."""

from __future__ import annotations

from collections.abc import Iterable

from .. import references
from ..display import escape

__all__ = ["cite"]

_STYLES = ("html", "markdown", "plain")


def cite(keys: str | Iterable[str], style: str = "html", *, parens: bool = True, sep: str = "; ") -> str:
    """Author–year citations of one or more reference keys.

    ``style="html"``: ``(<a href="https://doi.org/…">Fowler 1989</a>)`` (escaped, opens in a new tab);
    ``"markdown"``: ``([Fowler 1989](https://doi.org/…))``; ``"plain"``: ``(Fowler 1989)`` (HTML-escaped, for use
    inside HTML). ``parens=False`` leaves out the brackets; ``sep`` joins several keys.
    """
    if style not in _STYLES:
        raise ValueError(f"style must be one of {', '.join(_STYLES)}; got {style!r}")
    if isinstance(keys, str):
        keys = [keys]
    parts = []
    for k in keys:
        label = references.short(k)
        if style == "html":
            parts.append(f'<a href="{escape(references.get(k).href)}" target="_blank" rel="noopener">'
                         f"{escape(label)}</a>")
        elif style == "markdown":
            parts.append(f"[{label}]({references.get(k).href})")
        else:
            parts.append(escape(label))
    body = sep.join(parts)
    return f"({body})" if parens else body
