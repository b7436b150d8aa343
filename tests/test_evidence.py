import pytest

from bonemets_edu.evidence import EvidenceError, by_id, load_records

SCHEMA = {"name": str, "n": int, "rate_percent": float}


def write(tmp_path, text):
    p = tmp_path / "trial.toml"
    p.write_text(text, encoding="utf-8")
    return str(p)


GOOD = """
[[trial]]
id = "t1"
name = "A trial"
n = 10
rate_percent = 50
source = "fowler1989"

[[trial]]
id = "t2"
name = "B trial"
n = 12
rate_percent = 40.5
sources = ["fowler1989"]
[trial.arm]
label = "x"
source = "fowler1989"
"""


def test_good_records_load(tmp_path):
    recs = load_records(write(tmp_path, GOOD), "trial", SCHEMA, optional={"arm": dict})
    assert [r["id"] for r in recs] == ["t1", "t2"]
    assert by_id(recs, "t2")["rate_percent"] == 40.5
    with pytest.raises(TypeError):
        recs[0]["n"] = 11  # read-only


@pytest.mark.parametrize(
    "mutation, words",
    [
        (lambda t: t.replace('source = "fowler1989"\n\n[[trial]]', 'source = "nobody1900"\n\n[[trial]]'),
         ["trial.toml", "'t1'", "source", "unknown reference key 'nobody1900'"]),
        (lambda t: t.replace('label = "x"\nsource = "fowler1989"', 'label = "x"\nsource = "ghost2000"'),
         ["'t2'", "arm", "ghost2000"]),
        (lambda t: t.replace('n = 10\n', ''), ["'t1'", "missing required field 'n'"]),
        (lambda t: t.replace('n = 10', 'n = "ten"'), ["'t1'", "field 'n'", "whole number", "str"]),
        (lambda t: t.replace('rate_percent = 50', 'rate_percent = true'), ["'t1'", "rate_percent", "number"]),
        (lambda t: t.replace('id = "t2"', 'id = "t1"'), ["'t1'", "duplicates"]),
        (lambda t: t.replace('source = "fowler1989"\n\n[[trial]]', '\n[[trial]]'), ["'t1'", "'source'"]),
        (lambda t: t.replace('n = 10', 'n = 10\nnn = 3'), ["'t1'", "unknown field 'nn'"]),
        (lambda t: t.replace('[[trial]]', '[[study]]'), ["trial.toml", "[[trial]]"]),
    ],
)
def test_bad_records_fail_naming_file_record_and_field(tmp_path, mutation, words):
    with pytest.raises(EvidenceError) as info:
        load_records(write(tmp_path, mutation(GOOD)), "trial", SCHEMA, optional={"arm": dict})
    for w in words:
        assert w in str(info.value)


def test_every_shipped_data_file_has_resolving_sources():
    """Every source/sources key anywhere in every data file resolves (the course-wide guarantee)."""
    import tomllib
    from importlib import resources
    from pathlib import Path

    from bonemets_edu.evidence import check_sources

    data = Path(str(resources.files("bonemets_edu") / "data"))
    files = [p for p in data.rglob("*.toml") if p.name != "references.toml"]
    assert files
    for p in files:
        check_sources(tomllib.loads(p.read_text("utf-8")), p.name)
