import re

import pytest

from bonemets_edu import references
from bonemets_edu.references import ReferenceFileError, parse_references

GOOD = """
[smith2020]
authors = "Smith A, Jones B"
year = 2020
title = "A trial"
journal = "J Test 1:1-2"
doi = "10.1000/xyz123"
pmid = "12345678"
"""


def test_every_reference_in_the_course_file_is_valid_and_linkable():
    refs = references.load_references()
    assert len(refs) >= 1
    for key, ref in refs.items():
        assert ref.href.startswith("https://"), key
        assert ref.doi or ref.pmid or ref.url


def test_no_two_keys_share_a_doi_or_pmid():
    refs = references.load_references().values()
    dois = [r.doi.lower() for r in refs if r.doi]
    pmids = [r.pmid for r in refs if r.pmid]
    assert len(dois) == len(set(dois))
    assert len(pmids) == len(set(pmids))


def test_cite_and_bibliography_format():
    refs = parse_references(GOOD)
    assert refs["smith2020"].first_author == "Smith"
    text = references.bibliography(["fowler1989", "fowler1989"])
    assert text.count("\n") == 0 and text.startswith("1. Fowler JF (1989).")
    assert "https://doi.org/10.1259/0007-1285-62-740-679" in text
    assert references.cite("fowler1989").startswith("Fowler 1989, Br J Radiol")
    assert re.fullmatch(r"\[Fowler 1989\]\(https://doi\.org/.+\)", references.link("fowler1989"))


@pytest.mark.parametrize(
    "mutation, words",
    [
        (lambda t: t.replace('year = 2020', 'year = "2020"'), ["smith2020", "year", "int"]),
        (lambda t: t.replace('title = "A trial"\n', ''), ["smith2020", "missing required field 'title'"]),
        (lambda t: t.replace('doi = "10.1000/xyz123"\npmid = "12345678"\n', ''), ["smith2020", "doi", "pmid", "url"]),
        (lambda t: t.replace('doi = "10.1000/xyz123"', 'doi = "https://doi.org/10.1000/xyz123"'), ["smith2020", "doi"]),
        (lambda t: t.replace('pmid = "12345678"', 'pmid = "PMID12"'), ["smith2020", "pmid"]),
        (lambda t: t + 'confidence = "UNC"\n', ["smith2020", "confidence", "UNC"]),
        (lambda t: t + 'colour = "red"\n', ["smith2020", "unknown field 'colour'"]),
        (lambda t: t.replace("[smith2020]", "[Smith-2020]"), ["Smith-2020", "key"]),
    ],
)
def test_malformed_reference_is_rejected_with_key_and_field(mutation, words):
    with pytest.raises(ReferenceFileError) as info:
        parse_references(mutation(GOOD), filename="refs.toml")
    msg = str(info.value)
    assert "refs.toml" in msg
    for w in words:
        assert w in msg


def test_author_labels_handle_particles_and_groups():
    refs = parse_references(GOOD.replace("Smith A, Jones B", "van der Linden YM, Lok JJ") + """
[msts2019]
authors = "Musculoskeletal Tumor Society, American Society for Radiation Oncology"
year = 2019
title = "T"
journal = "J"
url = "https://example.org/x"
""")
    assert refs["smith2020"].first_author == "van der Linden" and not refs["smith2020"].is_group
    assert refs["msts2019"].first_author == "Musculoskeletal Tumor Society" and refs["msts2019"].is_group
    assert references.short("patchell2005") == "Patchell et al. 2005"
    assert references.short("mirels1989") == "Mirels 1989"
    assert references.short("sapareto1984") == "Sapareto and Dewey 1984"


def test_unknown_key_is_reported():
    with pytest.raises(ReferenceFileError, match="unknown reference key 'nobody1900'"):
        references.get("nobody1900")
    with pytest.raises(TypeError):
        references.bibliography("fowler1989")
