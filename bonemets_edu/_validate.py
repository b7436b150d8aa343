"""Input validation shared by every model.

Each helper raises a ``TypeError`` (wrong kind of value) or ``ValueError`` (right kind, outside the allowed range)
whose message names the parameter, the value received and what is allowed, e.g.
``ValueError: fractions must be a whole number >= 1, got 0``.

Scalars and numpy arrays are both accepted where a model is vectorised; booleans and strings are never numbers.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

__all__ = [
    "require_number",
    "require_positive",
    "require_non_negative",
    "require_in_range",
    "require_whole",
    "require_choice",
    "require_bool",
]


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _as_float_array(name: str, value: Any) -> np.ndarray:
    """Convert a scalar or array-like to a float array, or raise TypeError naming ``name``."""
    if isinstance(value, (str, bytes, bool, np.bool_)) or value is None:
        raise TypeError(f"{name} must be a number or an array of numbers, got {type(value).__name__} {value!r}")
    if _is_number(value):
        return np.asarray(float(value))
    try:
        arr = np.asarray(value)
    except Exception as exc:  # pragma: no cover - numpy raises many kinds
        raise TypeError(f"{name} must be a number or an array of numbers, got {type(value).__name__}") from exc
    if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"{name} must be a number or an array of numbers, got {type(value).__name__} of {arr.dtype}")
    return arr.astype(float)


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray) and value.ndim > 0:
        return f"an array containing {value.ravel()[0]!r}" if value.size else "an empty array"
    return repr(value.item() if isinstance(value, np.generic) else value)


def require_number(name: str, value: Any, *, allow_array: bool = True) -> Any:
    """Return ``value`` (as float or float array) if it is a finite real number (or array of them)."""
    if not allow_array and not _is_number(value):
        raise TypeError(f"{name} must be a single number, got {type(value).__name__} {value!r}")
    arr = _as_float_array(name, value)
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    bad = ~np.isfinite(arr)
    if bad.any():
        culprit = arr[bad].ravel()[0] if arr.ndim else arr.item()
        raise ValueError(f"{name} must be a finite number (not NaN or infinity), got {culprit!r}")
    return arr if arr.ndim else float(arr)


def require_positive(name: str, value: Any, *, unit: str = "", allow_array: bool = True) -> Any:
    """Finite and > 0."""
    out = require_number(name, value, allow_array=allow_array)
    arr = np.asarray(out)
    if (arr <= 0).any():
        culprit = arr[arr <= 0].ravel()[0] if arr.ndim else out
        raise ValueError(f"{name} must be greater than 0{_unit(unit)}, got {_describe(culprit)}")
    return out


def require_non_negative(name: str, value: Any, *, unit: str = "", allow_array: bool = True) -> Any:
    """Finite and >= 0."""
    out = require_number(name, value, allow_array=allow_array)
    arr = np.asarray(out)
    if (arr < 0).any():
        culprit = arr[arr < 0].ravel()[0] if arr.ndim else out
        raise ValueError(f"{name} must be 0 or greater{_unit(unit)}, got {_describe(culprit)}")
    return out


def require_in_range(
    name: str,
    value: Any,
    low: float | None = None,
    high: float | None = None,
    *,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
    unit: str = "",
    allow_array: bool = True,
) -> Any:
    """Finite and within [low, high] (each end inclusive or exclusive; ``None`` means unbounded)."""
    out = require_number(name, value, allow_array=allow_array)
    arr = np.asarray(out)
    ok = np.ones(arr.shape, dtype=bool)
    if low is not None:
        ok &= arr >= low if low_inclusive else arr > low
    if high is not None:
        ok &= arr <= high if high_inclusive else arr < high
    if not ok.all():
        culprit = arr[~ok].ravel()[0] if arr.ndim else out
        lo = "" if low is None else ("[" if low_inclusive else "(") + f"{low:g}"
        hi = "" if high is None else f"{high:g}" + ("]" if high_inclusive else ")")
        if low is None:
            allowed = f"{'at most' if high_inclusive else 'less than'} {high:g}"
        elif high is None:
            allowed = f"{'at least' if low_inclusive else 'greater than'} {low:g}"
        else:
            allowed = f"in {lo}, {hi}"
        raise ValueError(f"{name} must be {allowed}{_unit(unit)}, got {_describe(culprit)}")
    return out


def require_whole(name: str, value: Any, *, minimum: int = 1, maximum: int | None = None, allow_array: bool = True) -> Any:
    """A whole number (int, or a float with no fractional part) >= ``minimum`` (and <= ``maximum``)."""
    rng = f">= {minimum}" if maximum is None else f"from {minimum} to {maximum}"
    if isinstance(value, (str, bytes, bool, np.bool_)) or value is None:
        raise TypeError(f"{name} must be a whole number {rng}, got {type(value).__name__} {value!r}")
    out = require_number(name, value, allow_array=allow_array)
    arr = np.asarray(out)
    bad = (arr != np.round(arr)) | (arr < minimum)
    if maximum is not None:
        bad |= arr > maximum
    if bad.any():
        culprit = arr[bad].ravel()[0] if arr.ndim else out
        shown = int(culprit) if float(culprit).is_integer() else culprit
        raise ValueError(f"{name} must be a whole number {rng}, got {shown!r}")
    return arr.astype(int) if arr.ndim else int(out)


def require_choice(name: str, value: Any, allowed: Iterable[str], *, case_sensitive: bool = False) -> str:
    """One of ``allowed`` (compared case-insensitively by default, surrounding spaces ignored).

    Returns the canonical spelling from ``allowed``.
    """
    allowed = list(allowed)
    listing = ", ".join(repr(a) for a in allowed)
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, one of {listing}; got {type(value).__name__} {value!r}")
    probe = value.strip() if case_sensitive else value.strip().casefold()
    for option in allowed:
        if (option if case_sensitive else option.casefold()) == probe:
            return option
    raise ValueError(f"{name} must be one of {listing}; got {value!r}")


def require_bool(name: str, value: Any) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")
    return bool(value)


def _unit(unit: str) -> str:
    return f" {unit}" if unit else ""
