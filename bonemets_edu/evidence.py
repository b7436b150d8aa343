"""Evidence records (trial results, schedules, therapy attributes…) as cited TOML data.

A data file holds one or more arrays of tables, e.g.::

    [[trial]]
    id = "dutch_bms"
    name = "Dutch Bone Metastasis Study"
    n_single = 579
    source = "steenland1999"

``load_records("radiation.toml", "trial", schema={...})`` returns the records of that array after checking that:

* every record has a unique string ``id`` and a ``source`` key (string) or ``sources`` (list of strings);
* every field named in ``schema`` is present with the right type (``float`` accepts whole numbers);
  fields listed in ``optional`` may be missing but, when present, must have the right type;
* no field outside ``schema``/``optional``/``id``/``source(s)``/``note`` is present (catches typos);
* every ``source``/``sources`` value anywhere in the record (nested tables too) resolves to ``references.toml``.

Any failure raises ``EvidenceError`` naming the file, the record and the field.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import references

__all__ = ["EvidenceError", "load_records", "load_table", "data_path", "check_sources"]

_BASE_FIELDS = {"id", "source", "sources", "note", "locator"}


class EvidenceError(ValueError):
    """A data file is malformed: the message names the file, the record and the field."""


def data_path(name: str) -> Path:
    """Path of a file under ``bonemets_edu/data/`` (or ``name`` itself if it is an existing path)."""
    p = Path(name)
    if p.is_absolute() or p.exists():
        return p
    return Path(str(resources.files("bonemets_edu") / "data" / name))


@functools.cache
def _read(path: str) -> Mapping[str, Any]:
    p = Path(path)
    try:
        return tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvidenceError(f"{p.name}: data file not found at {p}") from None
    except tomllib.TOMLDecodeError as exc:
        raise EvidenceError(f"{p.name}: not valid TOML: {exc}") from exc


def _type_name(t: Any) -> str:
    if isinstance(t, tuple):
        return " or ".join(_type_name(x) for x in t)
    return {float: "number", int: "whole number", str: "string", bool: "true/false", list: "list", dict: "table"}.get(
        t, getattr(t, "__name__", str(t))
    )


def _type_ok(value: Any, expected: Any) -> bool:
    if isinstance(expected, tuple):
        return any(_type_ok(value, e) for e in expected)
    if expected is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, expected)


def check_sources(obj: Any, where: str) -> list[str]:
    """Every ``source``/``sources`` value inside ``obj`` (recursively) must resolve; return the keys found."""
    found: list[str] = []
    refs = references.load_references()
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "source":
                if not isinstance(v, str) or not v:
                    raise EvidenceError(f"{where}: field 'source' must be a non-empty string (a reference key), got {v!r}")
                keys = [v]
            elif k == "sources":
                if not isinstance(v, list) or not v or not all(isinstance(x, str) for x in v):
                    raise EvidenceError(f"{where}: field 'sources' must be a non-empty list of reference keys, got {v!r}")
                keys = list(v)
            else:
                found += check_sources(v, f"{where}.{k}")
                continue
            for key in keys:
                if key not in refs:
                    raise EvidenceError(f"{where}: field '{k}' names unknown reference key {key!r}")
            found += keys
    elif isinstance(obj, list):
        for i, item in enumerate(obj):
            found += check_sources(item, f"{where}[{i}]")
    return found


def load_table(name: str, table: str) -> Any:
    """The raw value of a top-level key of a data file (sources inside it checked)."""
    path = data_path(name)
    raw = _read(str(path))
    if table not in raw:
        raise EvidenceError(f"{path.name}: has no table {table!r} (tables: {', '.join(raw)})")
    check_sources(raw[table], f"{path.name}: {table}")
    return raw[table]


@functools.cache
def _load_records_cached(path: str, table: str, schema_items: tuple, optional_items: tuple) -> tuple:
    p = Path(path)
    raw = _read(path)
    if table not in raw:
        raise EvidenceError(f"{p.name}: has no array of tables [[{table}]] (found: {', '.join(raw) or 'nothing'})")
    records = raw[table]
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise EvidenceError(f"{p.name}: {table!r} must be an array of tables written [[{table}]]")
    schema = dict(schema_items)
    optional = dict(optional_items)
    allowed = _BASE_FIELDS | set(schema) | set(optional)
    seen_ids: set[str] = set()
    out = []
    for i, rec in enumerate(records):
        rid = rec.get("id")
        where = f"{p.name}: [[{table}]] record {rid!r}" if isinstance(rid, str) else f"{p.name}: [[{table}]] record #{i + 1}"
        if not isinstance(rid, str) or not rid:
            raise EvidenceError(f"{where}: missing required field 'id' (a non-empty string)")
        if rid in seen_ids:
            raise EvidenceError(f"{where}: field 'id' duplicates an earlier record")
        seen_ids.add(rid)
        if "source" not in rec and "sources" not in rec:
            raise EvidenceError(f"{where}: missing required field 'source' (or 'sources')")
        for field_name in rec:
            if field_name not in allowed:
                raise EvidenceError(f"{where}: unknown field {field_name!r} (allowed: {', '.join(sorted(allowed))})")
        for field_name in schema:
            if field_name not in rec:
                raise EvidenceError(f"{where}: missing required field {field_name!r}")
        for field_name, expected in {**schema, **optional}.items():
            if field_name in rec and not _type_ok(rec[field_name], expected):
                raise EvidenceError(
                    f"{where}: field {field_name!r} must be {_type_name(expected)}, "
                    f"got {type(rec[field_name]).__name__} {rec[field_name]!r}"
                )
        if "note" in rec and not isinstance(rec["note"], str):
            raise EvidenceError(f"{where}: field 'note' must be string, got {type(rec['note']).__name__}")
        check_sources(rec, where)
        out.append(MappingProxyType(dict(rec)))
    return tuple(out)


def load_records(
    name: str,
    table: str,
    schema: Mapping[str, Any] | None = None,
    optional: Mapping[str, Any] | None = None,
) -> tuple[Mapping[str, Any], ...]:
    """Validated records of array ``table`` in data file ``name`` (cached; read-only mappings).

    ``schema``/``optional`` map field names to a type (``str``, ``int``, ``float``, ``bool``, ``list``, ``dict``)
    or a tuple of types.
    """
    path = str(data_path(name))
    return _load_records_cached(
        path, table, tuple(sorted((schema or {}).items())), tuple(sorted((optional or {}).items()))
    )


def by_id(records, record_id: str) -> Mapping[str, Any]:
    """The record with ``id == record_id``; ``KeyError`` listing the ids if absent."""
    for r in records:
        if r["id"] == record_id:
            return r
    raise KeyError(f"no record with id {record_id!r}; ids: {', '.join(r['id'] for r in records)}")
