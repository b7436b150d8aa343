"""Table-driven bad-input checks: one test runs every row of a table and reports every row that fails, not just the
first. A row is ``(function, kwargs, exception type, fragments)``: calling ``function(**kwargs)`` must raise that type (or a
subclass) with every fragment (a string, or a list of strings) in its message, and the message must start with the first
fragment: the parameter's name, so every message names the parameter first. ``kwargs`` may also be a tuple of positional arguments."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

Row = tuple[Callable[..., Any], "Mapping[str, Any] | tuple", type[BaseException], "str | list[str]"]


def _describe(func: Callable, kwargs: Mapping[str, Any] | tuple) -> str:
    if isinstance(kwargs, tuple):
        args = ", ".join(map(repr, kwargs))
    else:
        args = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    return f"{getattr(func, '__qualname__', func)}({args})"


def _name(exc) -> str:
    return " or ".join(e.__name__ for e in exc) if isinstance(exc, tuple) else exc.__name__


def bad_input_failures(rows: Iterable[Row]) -> list[str]:
    """What went wrong, one line per failing row (empty when every row raises as the table says)."""
    problems = []
    for i, (func, kwargs, exc, fragments) in enumerate(rows):
        fragments = [fragments] if isinstance(fragments, str) else list(fragments)
        call = f"row {i}: {_describe(func, kwargs)}"
        try:
            func(*kwargs) if isinstance(kwargs, tuple) else func(**kwargs)
        except exc as err:
            msg = str(err)
            missing = [f for f in fragments if f not in msg]
            if missing:
                problems.append(f"{call}: message {msg!r} lacks {missing}")
            elif not msg.startswith(fragments[0]):
                problems.append(f"{call}: message {msg!r} does not start with the parameter {fragments[0]!r}")
        except Exception as err:  # noqa: BLE001 - a wrong exception type is a failing row, reported with the others
            problems.append(f"{call}: raised {type(err).__name__} ({err}), expected {_name(exc)}")
        else:
            problems.append(f"{call}: did not raise {_name(exc)}")
    return problems


def check_bad_inputs(rows: Iterable[Row]) -> None:
    """Assert that every row raises as the table says; the failure lists every failing row."""
    rows = list(rows)
    assert rows, "empty bad-input table"
    problems = bad_input_failures(rows)
    assert not problems, f"{len(problems)} of {len(rows)} bad-input rows failed:\n" + "\n".join(problems)
