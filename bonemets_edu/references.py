"""The course bibliography: ``data/references.toml`` loaded, validated and rendered.

Every number a student sees carries a ``source`` key that must resolve here. A reference needs authors, year, title
and where it appeared, plus at least one of a DOI, a PMID or (for official guidelines and curated model pages) a URL.

>>> cite("fowler1989")  # doctest: +SKIP
'Fowler 1989, Br J Radiol. doi:10.1259/0007-1285-62-740-679'
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

__all__ = ["Reference", "ReferenceFileError", "load_references", "get", "cite", "bibliography", "link"]

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
PMID_PATTERN = re.compile(r"^\d{5,9}$")
CONFIDENCE = ("SIS", "SSS")


class ReferenceFileError(ValueError):
    """A reference file is malformed or a key does not resolve."""


@dataclass(frozen=True)
class Reference:
    key: str
    authors: str
    year: int
    title: str
    journal: str
    doi: str = ""
    pmid: str = ""
    url: str = ""
    confidence: str = "SIS"
    note: str = ""
    undated: bool = False  # an undated web page: ``year`` is then the year it was consulted

    @property
    def date_label(self) -> str:
        """The year as printed: ``"2014"``, or ``"n.d., accessed 2026"`` for an undated web page."""
        return f"n.d., accessed {self.year}" if self.undated else str(self.year)

    @property
    def first_author(self) -> str:
        """Family name of the first author ("van der Linden YM" → "van der Linden"); an organisation as written."""
        first = re.sub(r",?\s+et al\.?$", "", self.authors.split(",")[0].strip())
        tokens = first.split()
        if len(tokens) >= 2 and re.fullmatch(r"[A-Z]{1,3}(-[A-Z])?\.?", tokens[-1]):
            return " ".join(tokens[:-1])  # "Surname II" style
        return first

    @property
    def is_group(self) -> bool:
        """True when the author is an organisation or working party (no "Surname II" initials)."""
        if re.search(r"\bet al\.?$", self.authors.strip()):
            return False
        first = self.authors.split(",")[0].strip().split()
        return not (len(first) >= 2 and re.fullmatch(r"[A-Z]{1,3}(-[A-Z])?\.?", first[-1]))

    @property
    def href(self) -> str:
        if self.doi:
            return f"https://doi.org/{self.doi}"
        if self.pmid:
            return f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"
        return self.url

    @property
    def identifier(self) -> str:
        parts = []
        if self.doi:
            parts.append(f"doi:{self.doi}")
        if self.pmid:
            parts.append(f"PMID {self.pmid}")
        if not parts and self.url:
            parts.append(self.url)
        return "; ".join(parts)


_FIELDS = {
    "authors": str,
    "year": int,
    "title": str,
    "journal": str,
    "doi": str,
    "pmid": str,
    "url": str,
    "confidence": str,
    "note": str,
    "undated": bool,
}
_REQUIRED = ("authors", "year", "title", "journal")


def _default_path() -> Path:
    return Path(str(resources.files("bonemets_edu") / "data" / "references.toml"))


def parse_references(text: str, filename: str = "references.toml") -> dict[str, Reference]:
    """Parse and validate the text of a references file; errors name the file, the key and the field."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ReferenceFileError(f"{filename}: not valid TOML: {exc}") from exc
    out: dict[str, Reference] = {}
    for key, entry in raw.items():
        where = f"{filename}: reference {key!r}"
        if not KEY_PATTERN.match(key):
            raise ReferenceFileError(f"{where}: key must be lower-case letters, digits and '_', starting with a letter")
        if not isinstance(entry, dict):
            raise ReferenceFileError(f"{where}: must be a table of fields, got {type(entry).__name__}")
        for field_name, value in entry.items():
            if field_name not in _FIELDS:
                raise ReferenceFileError(f"{where}: unknown field {field_name!r} (allowed: {', '.join(_FIELDS)})")
            expected = _FIELDS[field_name]
            if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
                raise ReferenceFileError(
                    f"{where}: field {field_name!r} must be {expected.__name__}, got {type(value).__name__} {value!r}"
                )
        for field_name in _REQUIRED:
            if field_name not in entry or (isinstance(entry[field_name], str) and not entry[field_name].strip()):
                raise ReferenceFileError(f"{where}: missing required field {field_name!r}")
        if not (1800 <= entry["year"] <= 2100):
            raise ReferenceFileError(f"{where}: field 'year' must be from 1800 to 2100, got {entry['year']}")
        if not any(entry.get(f) for f in ("doi", "pmid", "url")):
            raise ReferenceFileError(f"{where}: needs at least one of 'doi', 'pmid' or 'url'")
        if entry.get("doi") and not DOI_PATTERN.match(entry["doi"]):
            raise ReferenceFileError(f"{where}: field 'doi' must look like '10.NNNN/…' without a URL prefix, got {entry['doi']!r}")
        if entry.get("pmid") and not PMID_PATTERN.match(entry["pmid"]):
            raise ReferenceFileError(f"{where}: field 'pmid' must be 5-9 digits, got {entry['pmid']!r}")
        if entry.get("url") and not entry["url"].startswith("https://"):
            raise ReferenceFileError(f"{where}: field 'url' must start with https://, got {entry['url']!r}")
        if entry.get("confidence", "SIS") not in CONFIDENCE:
            raise ReferenceFileError(
                f"{where}: field 'confidence' must be one of {', '.join(CONFIDENCE)} (uncertain sources are not cited), "
                f"got {entry['confidence']!r}"
            )
        out[key] = Reference(key=key, **entry)
    return out


@functools.cache
def load_references(path: str | None = None) -> dict[str, Reference]:
    """All references, keyed by their key (cached; the file is parsed once per process)."""
    p = Path(path) if path else _default_path()
    return parse_references(p.read_text(encoding="utf-8"), filename=p.name)


#: Keys that an earlier version of the course used and this one no longer has. A lesson the student changed is never
#: overwritten in ``my-course/``, so its reference-list cell may still name them: :func:`bibliography` lists the
#: references that replaced each one, with a note, and :func:`get` names the replacement in its error.
RETIRED: dict[str, tuple[tuple[str, ...], str]] = {
    "cementmeta2017": (("hulme2006",), "its author list could not be verified; the leakage rates now come from "
                                       "Hulme et al. 2006"),
    "asme2003_cem240": (("mcdannold2006",), "its title and authors could not be verified; the 240-CEM43 threshold "
                                            "now cites McDannold et al. 2006"),
    "boneandjoint2018": (("maccauro2011", "hindiskere_aoj", "coleman2006"), "its author list could not be verified; "
                         "the sites and post-mortem figures now cite these sources"),
    "endocrrelatcancer2025": (("virk2007", "price2016"), "its title and authors could not be verified; the molecules "
                              "now cite these sources"),
    "biomchl1999": (("smit1999",), "renamed after its author"),
    "radiatoncol2021_tab3": ((), "its authors could not be verified and no figure or number of the course used it"),
    "insightsimaging2014_ablation": (("deschamps2014", "kurup2010", "sag2022"), "its author list could not be "
                                     "verified; its 3-cm limit for curative ablation is no longer used, and the "
                                     "ablation rules now cite these sources"),
}


def get(key: str) -> Reference:
    """The reference for ``key``; ``ReferenceFileError`` naming the key if it does not exist."""
    if not isinstance(key, str):
        raise TypeError(f"key must be a string, got {type(key).__name__} {key!r}")
    refs = load_references()
    try:
        return refs[key]
    except KeyError:
        if key in RETIRED:
            new, why = RETIRED[key]
            use = f"; use {', '.join(map(repr, new))}" if new else ""
            raise ReferenceFileError(f"reference key {key!r} was retired ({why}){use}") from None
        close = [k for k in refs if k.startswith(key[:4])][:5]
        hint = f" (similar keys: {', '.join(close)})" if close else ""
        raise ReferenceFileError(f"unknown reference key {key!r}{hint}") from None


def _etal(ref: Reference) -> str:
    several = "," in ref.authors or " and " in ref.authors or re.search(r"\bet al\.?$", ref.authors.strip())
    return " et al." if several and not ref.is_group else ""


def cite(key: str) -> str:
    """Short citation: ``'Hurwitz et al. 2014, J Natl Cancer Inst 106(5). doi:…'``."""
    ref = get(key)
    return f"{ref.first_author}{_etal(ref)} {ref.date_label}, {ref.journal}. {ref.identifier}"


def short(key: str) -> str:
    """Author–year label: ``'Hurwitz et al. 2014'``, ``'van der Linden et al. 2004'``, ``'Sapareto and Dewey 1984'``."""
    ref = get(key)
    names = [n.strip() for n in ref.authors.split(",") if n.strip()]
    if len(names) == 2 and not ref.is_group and not re.search(r"\bet al", ref.authors):
        second = Reference(key, names[1], ref.year, ref.title, ref.journal, url="https://x").first_author
        return f"{ref.first_author} and {second} {ref.date_label}"
    return f"{ref.first_author}{_etal(ref)} {ref.date_label}"


def link(key: str) -> str:
    """A Markdown link for the key: ``[Hurwitz et al. 2014](https://doi.org/…)`` — ``text.cite(key, "markdown",
    parens=False)``, the one citation helper (kept for the callers that still use this name)."""
    from .text import cite

    return cite(key, "markdown", parens=False)


def bibliography(keys) -> str:
    """A Markdown reference list for ``keys`` (order kept, duplicates dropped), each with DOI/PMID links."""
    if isinstance(keys, str):
        raise TypeError("keys must be a list of reference keys, not a single string")
    seen: list[str] = []
    retired = []
    for k in keys:
        if isinstance(k, str) and k in RETIRED and k not in load_references():
            retired.append(k)
            for new in RETIRED[k][0]:
                if new not in seen:
                    seen.append(new)
        elif k not in seen:
            seen.append(k)
    lines = []
    for i, k in enumerate(seen, 1):
        ref = get(k)
        ids = []
        if ref.doi:
            ids.append(f"doi:[{ref.doi}](https://doi.org/{ref.doi})")
        if ref.pmid:
            ids.append(f"PMID:[{ref.pmid}](https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/)")
        if ref.url and not ids:
            ids.append(f"<{ref.url}>")
        title = ref.title if ref.title.endswith((".", "?", "!")) else ref.title + "."  # never "nailing?."
        lines.append(f"{i}. {ref.authors} ({ref.date_label}). {title} *{ref.journal}*. {' · '.join(ids)}")
    if retired:
        notes = "; ".join(f"`{k}` ({RETIRED[k][1]})" for k in retired)
        lines.append(f"\n*Updated since this copy of the lesson was saved: {notes}. The list above shows the references "
                     "that replaced them; `python3 run.py reset` with the lesson number brings the whole lesson up to date.*")
    return "\n".join(lines)
