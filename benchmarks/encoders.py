"""PNG encoders on the course's widget figures: time per figure and total size (``python3 run.py bench encoders``).

Every widget registered in ``benchmarks/widgets_*.py`` is built once; the figure of each of its panes
(``ui.FigurePane``) is encoded by each encoder ``repeat`` times. Reported: the median over figures of each figure's
fastest encode (the fastest of ``repeat`` tries is the least disturbed by other work on the machine), and the total
size of all figures' files. The course's writer is ``display.encode_canvas`` (filter 0 + zlib); the others are
Pillow's PNG encoder at three levels (adaptive filtering) and the course's writer at other zlib levels.
"""

from __future__ import annotations

import statistics
import time


def _figures() -> list:
    from bonemets_edu.ui import FigurePane

    from .harness import discover

    seen, figures = set(), []
    for case in discover():
        if case.build in seen:
            continue
        seen.add(case.build)
        app = case.build()
        for value in vars(app).values():
            if isinstance(value, FigurePane) and id(value.fig) not in {id(f) for _n, f in figures}:
                value.png()
                figures.append((case.name.split(" (")[0], value.fig))
    return figures


def _encoders() -> dict:
    from bonemets_edu import display

    def writer(level):
        def go(canvas):
            saved = display.PNG_COMPRESS_LEVEL
            display.PNG_COMPRESS_LEVEL = level
            try:
                return display.encode_canvas(canvas)
            finally:
                display.PNG_COMPRESS_LEVEL = saved
        return go

    return {
        f"course writer, filter 0, zlib {display.PNG_COMPRESS_LEVEL} (used)": display.encode_canvas,
        "course writer, filter 0, zlib 1": writer(1),
        "course writer, filter 0, zlib 6": writer(6),
        "Pillow, compress_level=1": lambda c: display.encode_canvas_pillow(c, 1),
        "Pillow, compress_level=3": lambda c: display.encode_canvas_pillow(c, 3),
        "Pillow, compress_level=6 (its default)": lambda c: display.encode_canvas_pillow(c, 6),
    }


def run_encoders(repeat: int = 7) -> list[dict]:
    figures = _figures()
    rows = []
    for name, encode in _encoders().items():
        best, size = [], 0
        for _label, fig in figures:
            canvas = fig.canvas
            times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                png = encode(canvas)
                times.append((time.perf_counter() - t0) * 1000.0)
            best.append(min(times))
            size += len(png)
        rows.append({"encoder": name, "median_ms": statistics.median(best), "total_kb": size / 1024,
                     "figures": len(figures)})
    return rows


def format_rows(rows: list[dict]) -> str:
    lines = [f"{'encoder':48s} {'ms / figure':>11s} {'all figures':>12s}", "-" * 73]
    for r in rows:
        lines.append(f"{r['encoder']:48s} {r['median_ms']:11.1f} {r['total_kb']:9.0f} kB")
    lines.append(f"({rows[0]['figures']} figures; ms = median over figures of each figure's fastest encode)")
    return "\n".join(lines)
