"""Figures for the ablation lesson: the ablation zone (profile + cross-section), the heat-sink effect, the transient
warm-up, and the published pain trajectories. Functions return Figures (or redraw given axes); nothing is displayed."""

from __future__ import annotations

import numpy as np
from matplotlib.patches import Circle, Rectangle
from matplotlib.ticker import MaxNLocator

from .. import references, style, thermal

__all__ = [
    "zone_figure",
    "ZonePlot",
    "zone_alt",
    "heat_sink_figure",
    "transient_figure",
    "pain_figure",
    "PainPlot",
    "pain_alt",
]

_C = style.COLORS


def zone_figure(result: thermal.ZoneResult):
    """Two panels: temperature against distance from the probe, and a cross-section of tumour, margin, lethal zone
    and nerve. Returns ``(fig, axes)`` (a :class:`ZonePlot`'s figure)."""
    plot = ZonePlot(result)
    return plot.fig, plot.axes


class ZonePlot:
    """The ablation-zone figure; owns its artists (``artists``) and what its static part depends on (``static``).

    The artists are created once; :meth:`draw` updates them in place for a new result. ``moving`` are the artists
    that change with the treatment settings (a widget blits them over a background keyed on ``static``).
    """

    def __init__(self, result: thermal.ZoneResult):
        self.fig, self.axes, self.artists = _make_zone(self, result)

    def draw(self, res: thermal.ZoneResult) -> None:
        _draw_zone(self, res)

    @property
    def moving(self) -> list:
        a = self.artists
        names = ("profile", "core_text", "lethal_dot", "lethal_note", "nerve_dot", "nerve_note",
                 "ice", "range20", "lethal", "tumour", "margin", "centre", "nerve_x")
        return [a[n] for n in names] + [self.axes[1].title]


def _make_zone(plot: ZonePlot, result: thermal.ZoneResult):
    fig, axes = style.new_figure(9.2, 4.1, 1, 2, width_ratios=[1.4, 1])
    ax, bx = axes
    a = {}
    a["tumour_span"] = ax.add_patch(
        Rectangle(
            (0, 0),
            1,
            1,
            transform=ax.get_xaxis_transform(),
            facecolor=_C[1],
            alpha=0.18,
            hatch="//",
            edgecolor=_C[1],
            linewidth=0,
        )
    )
    a["tumour_edge"] = ax.axvline(1, color=_C[1], linestyle="-", linewidth=1.5)
    a["margin_edge"] = ax.axvline(1, color=_C[1], linestyle="--", linewidth=1.5)
    a["tumour_text"] = ax.annotate(
        "tumour", (0, 0.97), xycoords=ax.get_xaxis_transform(), xytext=(4, 0), textcoords="offset points",
        ha="left", va="top",
    )  # at the start of the shaded band (inside the axes even for a small tumour)
    # The moving artists (profile, markers, notes, cross-section) sit above every static artist (z-order > 3), so a
    # widget can blit them over a cached background and the picture equals a full render.
    a["profile"] = ax.plot([0, 1], [37, 37], color=_C[0], linestyle="-", linewidth=2.6, zorder=3.1)[0]
    a["nerve_line"] = ax.axhline(45, color=_C[3], linestyle=":", linewidth=2)
    a["nerve_line_text"] = ax.text(1, 45, "", ha="right", va="bottom", transform=ax.get_yaxis_transform())
    a["cold_band"] = ax.axhspan(-40, -20, facecolor=_C[2], alpha=0.15, edgecolor="none", linewidth=0)
    a["cold_band_text"] = ax.text(
        0.99, -30, "lethal range\n−20 to −40 °C", ha="right", va="center", transform=ax.get_yaxis_transform()
    )
    a["zero_line"] = ax.axhline(0, color="0.3", linestyle=":", linewidth=1.5)
    a["zero_text"] = ax.text(
        0.99, 0, "0 °C = ice-ball edge", ha="right", va="bottom", transform=ax.get_yaxis_transform()
    )
    a["core_text"] = ax.text(
        1, -41, "−40 °C or colder\n(rule ends)", ha="center", va="top", fontsize=style.BASE_FONT_PT - 1
    )
    a["lethal_dot"] = ax.plot([0], [0], marker="o", markersize=10, color=_C[4], linestyle="none", zorder=3.2)[0]
    a["lethal_note"] = ax.annotate("", (0, 0), xytext=(8, 8), textcoords="offset points", zorder=3.3)
    a["nerve_dot"] = ax.plot([0], [0], marker="^", markersize=12, color=_C[3], linestyle="none", zorder=3.2)[0]
    a["nerve_note"] = ax.annotate("", (0, 0), xytext=(8, -16), textcoords="offset points", zorder=3.3)
    ax.set_xlabel("Distance from the probe (mm)")
    ax.set_ylabel("Temperature (°C)")
    a["ice"] = bx.add_patch(Circle((0, 0), 1, facecolor="none", edgecolor="0.3", linestyle=":", linewidth=2))
    a["range20"] = bx.add_patch(Circle((0, 0), 1, facecolor="none", edgecolor=_C[2], linestyle="-.", linewidth=1.2))
    a["lethal"] = bx.add_patch(Circle((0, 0), 1, facecolor=_C[4], alpha=0.35, hatch="xx", edgecolor=_C[4], linewidth=2))
    a["tumour"] = bx.add_patch(Circle((0, 0), 1, facecolor="none", edgecolor=_C[1], linewidth=2.2))
    a["margin"] = bx.add_patch(Circle((0, 0), 1, facecolor="none", edgecolor=_C[1], linestyle="--", linewidth=1.8))
    a["centre"] = bx.plot([0], [0], marker="o", color="black", markersize=6, linestyle="none")[0]
    a["nerve_x"] = bx.plot([1], [0], marker="^", color=_C[3], markersize=12, linestyle="none")[0]
    bx.set_aspect("equal")
    bx.set_ylabel("Distance (mm)")
    bx.grid(False)
    for axis in (ax.xaxis, ax.yaxis, bx.xaxis, bx.yaxis):
        axis.set_major_locator(MaxNLocator(nbins=5))
    a["key"] = bx.set_xlabel("")
    plot.fig, plot.axes, plot.artists, plot.static = fig, axes, a, None
    _draw_zone(plot, result)
    ylim = ax.get_ylim()
    ax.set_ylim(-50.0, 45.0)  # lay out for the widest tick labels (cold: "−40"), so that neither mode clips them
    fig.draw_without_rendering()  # let constrained layout place everything once ...
    ax.set_ylim(ylim)
    fig.set_layout_engine("none")  # freeze the layout: later redraws only move artists
    _place_notes(ax, a)  # again, now that the axes sit where they will stay
    return fig, axes, a


def _draw_zone(plot: ZonePlot, res: thermal.ZoneResult) -> None:
    """Update the artists of a :class:`ZonePlot` for a new result (same figure, same axes, nothing re-created)."""
    ax, bx = plot.axes
    a = plot.artists
    r_max = float(res.radius_mm[-1])
    hot = res.modality == "heat"
    a["profile"].set_data(res.radius_mm, res.temperature_c)
    a["tumour_span"].set_width(res.tumour_radius_mm)
    a["tumour_edge"].set_xdata([res.tumour_radius_mm, res.tumour_radius_mm])
    edge = res.tumour_radius_mm + res.margin_mm
    a["margin_edge"].set_xdata([edge, edge])
    a["nerve_line"].set_visible(hot)
    a["nerve_line"].set_ydata([res.nerve_threshold_c] * 2)
    a["nerve_line_text"].set_visible(hot)
    a["nerve_line_text"].set_position((0.99, res.nerve_threshold_c))
    a["nerve_line_text"].set_text(f"nerve injury {res.nerve_threshold_c:.0f} °C")
    for key in ("cold_band", "cold_band_text", "zero_line", "zero_text"):
        a[key].set_visible(not hot)
    core = res.ice_ball_radius_mm - thermal.CRYO_CORE_DEPTH_MM
    a["core_text"].set_visible(not hot and core > 3)
    a["core_text"].set_x(core / 2)
    if res.lethal_radius_mm > 0:
        lethal_t = float(np.interp(res.lethal_radius_mm, res.radius_mm, res.temperature_c))
        a["lethal_dot"].set_data([res.lethal_radius_mm], [lethal_t])
        a["lethal_note"].xy = (res.lethal_radius_mm, lethal_t)
        a["lethal_note"].set_text(f"lethal edge {res.lethal_radius_mm:.1f} mm")
    a["lethal_dot"].set_visible(res.lethal_radius_mm > 0)
    a["lethal_note"].set_visible(res.lethal_radius_mm > 0)
    a["nerve_dot"].set_data([res.nerve_radius_mm], [res.nerve_temperature_c])
    a["nerve_note"].xy = (res.nerve_radius_mm, res.nerve_temperature_c)
    a["nerve_note"].set_text(f"nerve {thermal.shown_value(res.nerve_temperature_c):.1f} °C")
    ax.set_xlim(0, r_max)
    ax.set_ylim((30.0, max(100.0, float(res.temperature_c.max()) + 5)) if hot else (-50.0, 45.0))
    ax.set_title("Heat: steady state (model)" if hot else "Cold: ice-ball rule (empirical)")
    # cross-section
    a["ice"].set_radius(max(res.ice_ball_radius_mm, 1e-6))
    a["ice"].set_visible(not hot)
    a["range20"].set_radius(max(res.lethal_range_mm[0], 1e-6))
    a["range20"].set_visible(not hot and res.lethal_range_mm[0] > 0)
    a["lethal"].set_radius(max(res.lethal_radius_mm, 1e-6))
    a["lethal"].set_visible(res.lethal_radius_mm > 0)
    a["tumour"].set_radius(res.tumour_radius_mm)
    a["margin"].set_radius(max(edge, 1e-6))
    a["nerve_x"].set_data([res.nerve_radius_mm], [0])
    lim = _step_up(max(res.nerve_radius_mm, edge, res.ice_ball_radius_mm, res.lethal_radius_mm) * 1.15 + 2)
    bx.set_xlim(-lim, lim)
    bx.set_ylim(-lim, lim)
    verdict = "COVERED" if res.covered else "NOT COVERED"
    bx.set_title(f"{verdict}" + (" · nerve at risk" if res.nerve_at_risk else ""))
    key = "solid: tumour · dashed: + margin\ncross-hatched: lethal zone · ▲ nerve"
    key += "\ndotted: ice ball (0 °C) · dash-dot: −20 °C" if not hot else "\n(heat: no ice ball)"
    bx.set_xlabel(key, fontsize=style.BASE_FONT_PT - 1)
    # Everything drawn that is not in ZonePlot.moving depends only on this (a blitting widget's background key).
    plot.static = (res.modality, res.tumour_radius_mm, res.margin_mm, res.nerve_threshold_c)
    _place_notes(ax, a)


#: Where a marker's note may go, in points from the marker (first choice first), with its horizontal alignment.
_NOTE_SPOTS = tuple((dx, dy, "left" if dx > 0 else "right")
                    for dy in (8, -16, 24, -32, 40, -48, 56) for dx in (8, -8))


def _place_notes(ax, a: dict) -> None:
    """Put the "lethal edge" and "nerve" notes where they overlap neither each other, the markers nor the fixed labels
    (ice-ball edge, lethal range, nerve threshold, tumour, "−40 °C or colder"), inside the axes: the first free spot of
    ``_NOTE_SPOTS``; when none is free, the first spot."""
    from matplotlib.transforms import Bbox

    from ..display import agg_canvas

    renderer = agg_canvas(ax.figure).get_renderer()
    inside = ax.bbox
    taken = [a[k].get_window_extent(renderer) for k in ("cold_band_text", "zero_text", "nerve_line_text",
                                                         "tumour_text", "core_text")
             if a[k].get_visible() and a[k].get_text()]
    for dot in (a["lethal_dot"], a["nerve_dot"]):
        if dot.get_visible():
            x, y = ax.transData.transform((dot.get_xdata()[0], dot.get_ydata()[0]))
            r = dot.get_markersize() * ax.figure.dpi / 72 / 2 + 2
            taken.append(Bbox.from_extents(x - r, y - r, x + r, y + r))
    for note in (a["lethal_note"], a["nerve_note"]):
        if not (note.get_visible() and note.get_text()):
            continue
        for dx, dy, ha in _NOTE_SPOTS:
            note.set_position((dx, dy))
            note.set_horizontalalignment(ha)
            box = note.get_window_extent(renderer)  # (these notes have no arrow: the box of the words)
            if (box.x0 >= inside.x0 and box.x1 <= inside.x1 and box.y0 >= inside.y0 and box.y1 <= inside.y1
                    and not any(box.overlaps(t) for t in taken)):
                break
        else:
            dx, dy, ha = _NOTE_SPOTS[0]
            note.set_position((dx, dy))
            note.set_horizontalalignment(ha)
            box = note.get_window_extent(renderer)
        taken.append(box)


#: Half-widths (mm) of the cross-section panel: the view snaps to the next step, so the background (axes, ticks) is
#: reused while a slider moves (and the tick labels do not jitter).
#: (A little beyond round numbers, so that the outermost tick label is never cut at the figure's edge.)
_CROSS_SECTION_STEPS_MM = (11.0, 16.0, 22.0, 27.0, 33.0, 44.0, 55.0, 66.0, 88.0)


def _step_up(value: float) -> float:
    return next((s for s in _CROSS_SECTION_STEPS_MM if s >= value), float(value))


def zone_alt(res: thermal.ZoneResult) -> str:
    """Alt text for the zone figure (the same facts as the verdict, in words)."""
    kind = "steady temperature around a heated probe" if res.modality == "heat" else "temperature around an ice ball"
    return (
        f"Left: {kind} against distance. Right: cross-section of tumour, margin, lethal zone and nerve. {res.verdict}"
    )


def heat_sink_figure(probe_temperature_c: float = 90.0, threshold_c: float = 50.0):
    """Lethal-zone radius against perfusion (multiple of the table value) for each tissue: the heat-sink effect."""
    fig, ax = style.new_figure(7.5, 4.4)
    scales = np.linspace(0.25, 4.0, 40)
    for i, name in enumerate(thermal.tissue_names()):
        radii = [
            thermal.lesion_radius_mm(
                probe_temperature_c=probe_temperature_c, threshold_c=threshold_c, tissue=name, perfusion_scale=float(s)
            )
            for s in scales
        ]
        st = style.series_style(i)
        ax.plot(scales, radii, markevery=6, label=thermal.tissue(name).label, **st)
    ax.set_xlabel("Blood perfusion (multiple of the table value)")
    ax.set_ylabel(f"Radius of the {threshold_c:.0f} °C zone (mm)")
    ax.set_title(f"Probe held at {probe_temperature_c:.0f} °C: more perfusion, smaller zone")
    ax.set_xlim(0, 4.1)
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper right", fontsize=style.BASE_FONT_PT - 1)
    ax.text(
        0.02,
        0.03,
        f"Computed (Pennes model); tissue values: {references.short('cancers2019_tissue')}",
        transform=ax.transAxes,
        fontsize=style.BASE_FONT_PT - 1,
        color="0.25",
    )
    return fig


def transient_figure(tissue: str = "tumour", probe_temperature_c: float = 90.0, minutes=(1, 2, 5, 10, 20)):
    """Temperature profiles after the probe is switched on, converging on the steady-state curve."""
    fig, ax = style.new_figure(7.5, 4.4)
    res = thermal.transient_profile(
        probe_temperature_c=probe_temperature_c, duration_s=60.0 * max(minutes), tissue=tissue, save_every_s=60.0
    )
    for i, m in enumerate(minutes):
        k = int(np.argmin(np.abs(res.times_s - 60.0 * m)))
        st = style.series_style(i + 1)
        ax.plot(res.radius_mm, res.temperature_c[k], markevery=12, label=f"after {m} min", **st)
    steady = thermal.steady_temperature_c(res.radius_mm, probe_temperature_c=probe_temperature_c, tissue=tissue)
    ax.plot(res.radius_mm, steady, color="black", linestyle="--", linewidth=2.6, label="steady state")
    ax.axhline(50, color="0.4", linestyle=":", linewidth=1.5)
    ax.text(19.5, 50.5, "50 °C", ha="right", va="bottom")
    ax.set_xlim(0, 20)
    ax.set_ylim(35, probe_temperature_c + 3)
    ax.set_xlabel("Distance from the probe (mm)")
    ax.set_ylabel("Temperature (°C)")
    ax.set_title(f"{tissue.capitalize()}: warming up after switch-on")
    ax.legend(loc="upper right", fontsize=style.BASE_FONT_PT - 1)
    ax.text(
        0.02,
        0.03,
        f"Computed: explicit finite differences, step {res.dt_s:.2f} s (stable limit {res.stable_dt_s:.2f} s)",
        transform=ax.transAxes,
        fontsize=style.BASE_FONT_PT - 1,
        color="0.25",
    )
    return fig


def pain_figure(series, visible=None, week=None):
    """Published mean worst-pain trajectories on one weeks axis. Returns ``(fig, ax)`` (a :class:`PainPlot`'s)."""
    plot = PainPlot(series, visible, week)
    return plot.fig, plot.ax


class PainPlot:
    """The pain chart; owns its artists: per series its line and value notes, the follow-up ``week`` marker, and
    ``shown`` (the series on screen: what the static part depends on). :meth:`draw` only toggles and moves them."""

    def __init__(self, series, visible=None, week=None):
        self.series = series
        self.shown = None
        _make_pain(self, series, visible, week)

    def draw(self, visible=None, week=None) -> None:
        _draw_pain(self, visible, week)


def _make_pain(plot: PainPlot, series, visible, week) -> None:
    fig, ax = style.new_figure(8.0, 4.4)
    arts = {}
    for i, s in enumerate(series):
        st = style.series_style(i)
        if s.time_unit == "month":
            st = {**st, "linestyle": ":"}
        fill = "none" if s.time_unit == "month" else st["color"]
        line = ax.plot(
            s.weeks, s.worst_pain, markersize=9, markerfacecolor=fill, label=f"{s.label}, n = {s.n_patients}", **st
        )[0]
        dy = (8, -16, 8)[i % 3]
        notes = [
            ax.annotate(
                f"{y:g}",
                (x, y),
                xytext=(5, dy),
                textcoords="offset points",
                fontsize=style.BASE_FONT_PT - 1,
                color=st["color"] if i != 2 else "0.2",
            )
            for x, y in zip(s.weeks, s.worst_pain, strict=True)
        ]
        arts[s.id] = (line, notes)
    # On top of everything (z-order 3.5), so that a widget can redraw only this marker over a cached background.
    week_line = ax.axvline(0, color="0.3", linestyle=":", linewidth=2, zorder=3.5)
    month_note = ax.text(
        0.99,
        0.60,
        "open markers: published as 6 months,\nplotted at 26 weeks (computed)",
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=style.BASE_FONT_PT - 1,
    )
    empty = ax.text(0.5, 0.5, "No series selected", transform=ax.transAxes, ha="center", va="center")
    ax.set_xlim(-1, 30)
    ax.set_ylim(0, 10)
    ax.set_xlabel("Time after ablation (weeks)")
    ax.set_ylabel("Mean worst pain (0–10)")
    ax.set_title("Published mean worst pain after ablation")
    plot.fig, plot.ax = fig, ax
    plot.lines, plot.week, plot.month_note, plot.empty = arts, week_line, month_note, empty
    _draw_pain(plot, visible, week)
    fig.draw_without_rendering()  # place axes once (constrained layout), then keep that layout for redraws
    fig.set_layout_engine("none")


def _draw_pain(plot: PainPlot, visible=None, week=None) -> None:
    """Show the chosen series and move the follow-up marker (no artists created unless the selection changes)."""
    ax, series = plot.ax, plot.series
    shown = tuple(s.id for s in series if visible is None or s.id in visible)
    if shown != plot.shown:
        for sid, (line, notes) in plot.lines.items():
            on = sid in shown
            line.set_visible(on)
            for n in notes:
                n.set_visible(on)
        legend = ax.get_legend()
        if legend is not None:
            legend.remove()
        if shown:
            ax.legend(
                handles=[plot.lines[sid][0] for sid in shown], loc="upper right", fontsize=style.BASE_FONT_PT - 1
            )
        plot.month_note.set_visible(any(s.time_unit == "month" and s.id in shown for s in series))
        plot.empty.set_visible(not shown)
        plot.shown = shown
    plot.week.set_visible(week is not None)
    if week is not None:
        plot.week.set_xdata([week, week])


def pain_alt(series, visible=None) -> str:
    parts = []
    for s in series:
        if visible is not None and s.id not in visible:
            continue
        pts = ", ".join(
            f"{p:g} at {t:g} {s.time_unit}{'s' if t != 1 else ''}" for t, p in zip(s.times, s.worst_pain, strict=True)
        )
        parts.append(f"{s.label}: {pts}")
    return "Line chart of mean worst pain (0-10) after ablation. " + ("; ".join(parts) or "No series selected.")
