"""Figures for the MR-guided focused ultrasound lesson (return Figures; no display side effects).

* :func:`absorption_figure` — where the beam's energy is absorbed along the depth (soft tissue vs bone).
* :class:`SonicationFigure` — temperature map with the 240-CEM43 region, skin, bone surface, focal spot and the
  heat-sensitive structure, next to the temperature-versus-time traces. ``update(result)`` redraws the same figure.
* :class:`TrialFigure` — responder rates with 95 % confidence intervals and the arm sizes; ``update(summary)``.

The continuous map uses matplotlib's ``cividis`` colour map (designed to be readable with colour-vision deficiency
and in greyscale); everything else uses the course palette. Meaning is never carried by colour alone: lines differ
in style and marker and are labelled directly, the destroyed region is outlined and hatched.
"""

from __future__ import annotations

import numpy as np

from .. import focused_ultrasound as fus
from ..style import CMAP, COLORS, annotate_source, bar_style, new_figure, series_style

__all__ = ["absorption_figure", "SonicationFigure", "TrialFigure", "sonication_alt", "trial_alt"]

MAP_CMAP = CMAP


def _caption(fig, text: str) -> None:
    """The course's source caption, with room reserved below the axes so it never overlaps the labels."""
    fig.get_layout_engine().set(rect=(0, 0.07, 1, 0.93))
    annotate_source(fig, text)
MAP_RANGE_C = (37.0, 100.0)


def absorption_figure(bone_depth_mm: float = 40.0, beam: fus.BeamParameters | None = None):
    """Fraction of the beam still travelling and heat absorbed per mm, along the beam axis."""
    beam = beam if beam is not None else fus.default_beam()
    z, remaining, per_mm = fus.absorption_profile(bone_depth_mm, beam=beam)
    # power still travelling at the slab boundaries (exact values; one boundary is the bone surface itself)
    dz = float(z[1] - z[0])
    z_face = np.concatenate([[0.0], z + dz / 2])
    remaining_face = np.concatenate([[1.0], 1.0 - np.cumsum(per_mm * dz)])
    fig, (ax1, ax2) = new_figure(10, 4.2, 1, 2)
    st = series_style(0)
    ax1.plot(z_face, 100 * remaining_face, color=st["color"], linestyle=st["linestyle"], label="beam power still travelling")
    ax1.axvline(bone_depth_mm, color="black", linestyle="--", linewidth=1.5)
    ax1.text(bone_depth_mm - 1, 30, "bone surface", rotation=90, va="center", ha="right")
    ax1.set_xlabel("depth below the skin (mm)")
    ax1.set_ylabel("beam power still travelling (%)")
    ax1.set_ylim(0, 105)
    ax1.set_title("The beam is used up in the bone")
    st2 = series_style(1)
    ax2.semilogy(z, np.maximum(100 * per_mm, 1e-4), color=st2["color"], linestyle=st2["linestyle"])
    ax2.axvline(bone_depth_mm, color="black", linestyle="--", linewidth=1.5)
    soft = z < bone_depth_mm
    ax2.text(bone_depth_mm / 2, 100 * per_mm[soft].max() * 2.5, "soft tissue:\nlittle absorbed", ha="center")
    ax2.text(bone_depth_mm + 2, 100 * per_mm.max() * 0.8, "bone: most\nabsorbed here", ha="left", va="top")
    ax2.set_xlabel("depth below the skin (mm)")
    ax2.set_ylabel("beam power absorbed (% per mm)")
    ax2.set_ylim(1e-2, 100 * per_mm.max() * 8)
    ax2.set_title("Heat is deposited at the bone surface")
    _caption(fig, f"Teaching model: bone absorbs {beam.bone_absorption_ratio:g}x more than soft tissue (illustrative); "
                  f"soft tissue {beam.soft_attenuation_np_m_mhz:g} Np/m/MHz (Aubry 2022).")
    return fig


def absorption_alt(bone_depth_mm: float = 40.0, beam: fus.BeamParameters | None = None) -> str:
    beam = beam if beam is not None else fus.default_beam()
    at_bone = 100 * fus.fraction_reaching_bone(bone_depth_mm, beam=beam)
    return (
        f"Two line plots against depth. Left: the beam keeps about {at_bone:.0f}% of its power (computed) down to the "
        f"bone surface at {bone_depth_mm:g} mm, then falls to almost nothing within a few millimetres of bone. Right, on a "
        "logarithmic scale: the heat absorbed per millimetre is small in the soft tissue and jumps by more than ten "
        "times at the bone surface."
    )


class SonicationFigure:
    """Persistent two-panel figure for a sonication result; call :meth:`update` with a new result.

    ``fixed_limits=(depth_mm, time_s, top_c)`` pins the axes (the widget does, so that only the data change between
    frames and the widget's blitting ``FigurePane`` can reuse the background); by default the axes follow the result.
    """

    def __init__(self, result: fus.SonicationResult, fixed_limits: tuple[float, float, float] | None = None):
        self.fixed = fixed_limits
        self.fig, (self.ax_map, self.ax_t) = new_figure(10.5, 4.4, 1, 2, width_ratios=[1.25, 1])
        ax = self.ax_map
        self._extent = None
        self.im = ax.imshow(
            np.zeros((2, 2)), cmap=MAP_CMAP, vmin=MAP_RANGE_C[0], vmax=MAP_RANGE_C[1], origin="upper",
            aspect="auto", interpolation="nearest",
        )
        cb = self.fig.colorbar(self.im, ax=ax, pad=0.01)
        cb.set_label("peak temperature (°C)")
        ax.set_xlabel("distance from the beam axis (mm)")
        ax.set_ylabel("depth below the skin (mm)")
        ax.grid(False)
        (self.bone_line,) = ax.plot([], [], color="white", linestyle="--", linewidth=1.8)
        # (clipped to the map like the other map artists: they sit inside it, and a blitting pane then knows that they
        # never reach the axis' tick labels, which stay in the background)
        self.bone_text = ax.text(0, 0, "bone surface", color="white", fontsize=12, va="bottom", ha="left",
                                 clip_on=True)
        self.skin_text = ax.text(0, 0, "skin", color="white", fontsize=12, va="top", ha="left", clip_on=True)
        (self.struct_marks,) = ax.plot([], [], linestyle="none", marker="^", markersize=11, markerfacecolor="white",
                                       markeredgecolor="black", label="structure (nerve)")
        (self.focus_mark,) = ax.plot([], [], linestyle="none", marker="X", markersize=11, markerfacecolor=COLORS[1],
                                     markeredgecolor="black", label="focal spot centre")
        self._contours = []
        ax.plot([], [], color="white", linewidth=2.2, label="≥ 240 CEM43 (destroyed)")
        ax.legend(loc="lower right", fontsize=11, framealpha=0.85)
        self.ax_map.set_title("Peak temperature during the sonication")

        axt = self.ax_t
        self.traces = {}
        for i, (key, label) in enumerate(
            (("focus", "bone surface (focus)"), ("structure", "structure (nerve)"), ("skin", "hottest skin"))
        ):
            st = series_style(i)
            (line,) = axt.plot([], [], color=st["color"], linestyle=st["linestyle"], marker=st["marker"],
                               markevery=12, label=label)
            self.traces[key] = line
        self.band = axt.axhspan(fus.clinical_value("target_low"), fus.clinical_value("target_high"),
                                facecolor="none", edgecolor="0.4", hatch="//", linewidth=0.8,
                                label="65–85 °C reported in the trial")
        nerve = fus.threshold("nerve_temperature")["value"]
        axt.axhline(nerve, color="black", linestyle=":", linewidth=1.5)
        self.nerve_text = axt.text(0.99, nerve + 1, f"{nerve:g} °C nerve threshold", fontsize=12, va="bottom", ha="right",
                 transform=axt.get_yaxis_transform())
        self.off_line = axt.axvline(0, color="0.3", linestyle="-.", linewidth=1.2)
        self.off_text = axt.text(0, 0, " power off", fontsize=12, color="0.2", va="top")
        axt.set_xlabel("time (s)")
        axt.set_ylabel("temperature (°C)")
        axt.legend(loc="upper center", fontsize=11, ncol=2, columnspacing=0.8, handlelength=1.6)
        axt.set_title("Temperature over time")
        _caption(self.fig, "Illustrative teaching model (Pennes bioheat; skin, muscle, bone). Not for treatment planning.")
        self.update(result)

    def dynamic_artists(self) -> list:
        """The artists that change from one result to the next (the pane's ``animated`` artists)."""
        # The static labels, legends and spines that lie on top of the map and of the traces are redrawn over them by
        # the pane's renderer when they touch a moving artist (the blitted frame equals a full render).
        return [self.im, self.bone_line, self.bone_text, self.skin_text, self.struct_marks, self.focus_mark,
                *self._contours, *self.traces.values(), self.off_line, self.off_text]

    def update(self, result: fus.SonicationResult) -> None:
        r = result.r_mm
        z = result.z_mm
        dr = float(r[1] - r[0])
        half = result.peak_temperature_c
        full = np.concatenate([half[:, ::-1], half], axis=1)
        rmax = float(r[-1] + dr / 2)
        zmax = float(z[-1] + dr / 2)
        self.im.set_data(full)
        if self.fixed:
            zmax = max(zmax, self.fixed[0])
        self.im.set_extent((-rmax, rmax, zmax, 0.0))
        ax = self.ax_map
        ax.set_xlim(-rmax, rmax)
        ax.set_ylim(zmax, 0.0)
        d = result.bone_depth_mm
        self.bone_line.set_data([-rmax, rmax], [d, d])
        self.bone_text.set_position((-rmax + 1, d - 0.5))
        self.skin_text.set_position((-rmax + 1, 0.8))
        s = result.structure_distance_mm
        z_s = float(z[result.bone_surface_row - 1])
        self.struct_marks.set_data([-s, s], [z_s, z_s])
        self.focus_mark.set_data([0.0], [d])
        for c in self._contours:
            c.remove()
        self._contours = []
        mask = result.cem43_min >= fus.CEM43_LETHAL_MIN
        if mask.any():
            full_mask = np.concatenate([mask[:, ::-1], mask], axis=1).astype(float)
            xs = np.concatenate([-r[::-1], r])
            cs = ax.contour(xs, z, full_mask, levels=[0.5], colors="white", linewidths=2.2)
            hatch = ax.contourf(xs, z, full_mask, levels=[0.5, 1.5], colors="none", hatches=["xx"])
            self._contours = [cs, hatch]
            if self.fixed:
                for c in self._contours:
                    c.set_animated(True)

        t = result.times_s
        self.traces["focus"].set_data(t, result.focus_trace_c)
        self.traces["structure"].set_data(t, result.structure_trace_c)
        self.traces["skin"].set_data(t, result.skin_trace_c)
        axt = self.ax_t
        if self.fixed:
            axt.set_xlim(0, self.fixed[1])
            top = self.fixed[2]
        else:
            axt.set_xlim(0, float(t[-1]))
            top = max(125.0, float(result.focus_trace_c.max()) + 35)
        axt.set_ylim(35, top)
        self.off_line.set_xdata([result.duration_s, result.duration_s])
        self.off_text.set_position((result.duration_s, 0.72 * top + 0.28 * 35))


def sonication_alt(result: fus.SonicationResult) -> str:
    depth = result.lethal_depth_range_mm
    lethal = (
        f"The region that reached 240 CEM43 is outlined and hatched: it spans {2 * result.lethal_radius_on_bone_mm:.0f} mm "
        f"across the bone surface and reaches from {depth[0]:.0f} to {depth[1]:.0f} mm deep."
        if depth else "No region reached 240 CEM43."
    )
    return (
        f"Left: a colour map of the peak temperature in a vertical slice through the beam, skin at the top, bone surface "
        f"dashed at {result.bone_depth_mm:g} mm. The hot spot sits on the bone surface at {result.peak_periosteal_c:.0f} °C. "
        f"{lethal} Triangles mark the structure {result.structure_distance_mm:g} mm from the axis. Right: temperature "
        f"against time for {result.duration_s:g} s of {result.power_w:g} W and then cooling: the bone surface peaks at "
        f"{result.focus_trace_c.max():.0f} °C, the structure at {result.peak_structure_c:.1f} °C and the skin at "
        f"{result.peak_skin_c:.1f} °C."
    )


class TrialFigure:
    """Responder rates with 95 % CIs (left) and adverse events in the MRgFUS arm (right).

    Bars and the adverse-event panel are drawn once; :meth:`update` moves only the interval whiskers and the title
    (the arms and counts do not depend on the interval method), so the widget's blitting ``FigurePane`` can reuse the background.
    """

    _NAMES = {"wilson": "Wilson", "exact": "Clopper–Pearson", "wald": "Wald"}

    def __init__(self, summary: fus.TrialSummary):
        self.fig, (self.ax, self.ax_ae) = new_figure(11, 4.4, 1, 2, width_ratios=[1, 1.25])
        ax = self.ax
        ax.grid(True, axis="y", alpha=0.3)
        x = np.arange(len(summary.arms))
        self.whiskers = []
        for i, arm in enumerate(summary.arms):
            ax.bar(x[i], arm.percent, width=0.6, **bar_style(i))
            (stem,) = ax.plot([], [], color="black", linewidth=2)
            (caps,) = ax.plot([], [], color="black", linewidth=2)
            self.whiskers.append((x[i], stem, caps))
            ax.text(x[i] + 0.33, arm.percent, f"{arm.percent:.1f}%\n({arm.responders}/{arm.n})", va="center",
                    ha="left", fontsize=12)
        ax.set_xticks(x, [f"{a.label}\n(n = {a.n})" for a in summary.arms])
        ax.set_xlim(-0.5, len(summary.arms) - 0.1)
        ax.set_ylim(0, 100)
        ax.set_ylabel("responders at 3 months (%)")
        self.title = ax.set_title(" ")

        axa = self.ax_ae
        axa.grid(True, axis="x", alpha=0.3)
        labels = [ae[0].split(" (")[0] for ae in summary.adverse_events]
        counts = [ae[1] for ae in summary.adverse_events]
        y = np.arange(len(labels))[::-1]
        for i, (yy, c) in enumerate(zip(y, counts, strict=False)):
            axa.barh(yy, c, height=0.6, **bar_style(i + 2))
            axa.text(c + 0.6, yy, f"{c}", va="center", fontsize=12)
        n_arm = summary.arms[0].n
        notes = [f"{ae[1]} = {ae[2]:g}% of {n_arm} (computed)" for ae in summary.adverse_events if ae[5]]
        if notes:
            axa.text(0.98, 0.02, "\n".join(notes), transform=axa.transAxes, ha="right", va="bottom", fontsize=12,
                     color="0.25")
        axa.set_yticks(y, labels)
        axa.set_xlabel(f"patients in the MRgFUS arm (n = {n_arm})")
        axa.set_xlim(0, max(counts) * 1.25)
        axa.set_title("Adverse events with MRgFUS")
        _caption(self.fig, "Hurwitz et al. 2014. Counts and intervals computed from the published % and arm sizes.")
        self.update(summary)

    def dynamic_artists(self) -> list:
        return [self.title] + [a for _x, stem, caps in self.whiskers for a in (stem, caps)]

    def update(self, summary: fus.TrialSummary) -> None:
        for (x, stem, caps), arm in zip(self.whiskers, summary.arms, strict=False):
            lo, hi = arm.ci_low_percent, arm.ci_high_percent
            stem.set_data([x, x], [lo, hi])
            w = 0.08
            caps.set_data([x - w, x + w, np.nan, x - w, x + w], [lo, lo, np.nan, hi, hi])
        self.title.set_text(f"Responders, 95% CI: {self._NAMES[summary.method]}")


def trial_alt(summary: fus.TrialSummary) -> str:
    a, b = summary.arms
    return (
        f"Bar chart: {a.label} {a.percent:.1f}% responders ({a.responders} of {a.n}, 95% CI {a.ci_low_percent:.1f} to "
        f"{a.ci_high_percent:.1f}%) versus {b.label} {b.percent:.1f}% ({b.responders} of {b.n}, 95% CI "
        f"{b.ci_low_percent:.1f} to {b.ci_high_percent:.1f}%), intervals by the {summary.method} method; the intervals "
        "do not overlap. A second bar chart counts adverse events in the MRgFUS arm: "
        + ", ".join(f"{ae[0].split(' (')[0].lower()} {ae[1]}" for ae in summary.adverse_events) + "."
    )
