"""One helper for citing reference keys in text: HTML links, Markdown links or author–year labels."""

from __future__ import annotations

from collections.abc import Iterable

from .. import references
from ..display import escape

__all__ = ["cite"]

_STYLES = ("html", "markdown", "plain", "text")


def cite(keys: str | Iterable[str], style: str = "html", *, parens: bool = True, sep: str = "; ",
         brackets: bool = False, tooltip: bool = False, css_class: str | None = None) -> str:
    """Author–year citations of one or more reference keys.

    ``style="html"``: ``(<a href="https://doi.org/…">Fowler 1989</a>)`` (escaped, opens in a new tab);
    ``"markdown"``: ``([Fowler 1989](https://doi.org/…))``; ``"plain"``: ``(Fowler 1989)`` (HTML-escaped, for use
    inside HTML); ``"text"``: the same label unescaped (plain text and Markdown). ``parens=False`` leaves out the
    brackets around the whole; ``sep`` joins several keys.

    HTML only: ``brackets=True`` writes each link as ``[Fowler 1989]``, ``tooltip=True`` adds the full citation
    (``references.cite``) as the link's title, ``css_class`` sets its class.
    """
    if style not in _STYLES:
        raise ValueError(f"style must be one of {', '.join(_STYLES)}; got {style!r}")
    if (brackets or tooltip or css_class is not None) and style != "html":
        raise ValueError(f"brackets, tooltip and css_class apply to style 'html' only; got style {style!r}")
    if isinstance(keys, str):
        keys = [keys]
    parts = []
    for k in keys:
        label = references.short(k)
        if style == "html":
            label = escape(f"[{label}]" if brackets else label)
            attrs = f' class="{escape(css_class)}"' if css_class is not None else ""
            attrs += f' href="{escape(references.get(k).href)}" target="_blank" rel="noopener"'
            if tooltip:
                attrs += f' title="{escape(references.cite(k))}"'
            parts.append(f"<a{attrs}>{label}</a>")
        elif style == "markdown":
            parts.append(f"[{label}]({references.get(k).href})")
        elif style == "plain":
            parts.append(escape(label))
        else:
            parts.append(label)
    body = sep.join(parts)
    return f"({body})" if parens else body
