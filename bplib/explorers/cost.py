r"""Explorers for notebook 02: the quadratic cost of one output and of a batch.

- :func:`cost_parabola_explorer`: bplib's :math:`C_i(a) = \tfrac12 (a - y)^2` with its
  tangent at ``a``, and its slope.
- :func:`batch_cost_explorer`: per-example costs :math:`C_i` of a batch (summed
  over two output neurons) as stacked bars, with their mean :math:`C`.
"""

from __future__ import annotations

import matplotlib
import numpy as np

from .. import plotting
from ..costs import Quadratic
from ..plotting import BLUE, GREY, ORANGE, TEXT_ORANGE
from ..widgets import Explorer, number, slider

BPLIB_COST = Quadratic(half=True)


def _slope_fd(cost, a, y, eps=1e-6):
    """Central difference dC/da of a one-output cost at a."""
    A, Y = np.array([[a + eps], [a - eps]]), np.array([[y], [y]])
    c = cost.fn(A, Y)
    return float((c[0] - c[1]) / (2 * eps))


def cost_parabola_explorer(a=0.8, y=0.3):
    """Sliders for a and y: bplib's quadratic cost as a parabola with its tangent, and its slope."""
    half_width = 0.2  # of each tangent segment, in units of a: both ends stay on the plot
    with matplotlib.rc_context(plotting.STYLE):
        fig, (ax, ax_s) = plotting.figure(2, width=9.5, height=3.7)
        lo, hi = -half_width - 0.05, 1 + half_width + 0.05  # a in [0, 1], the tangent a ± 0.2
        grid = np.linspace(lo, hi, 261)
        ax.set(
            xlim=(lo, hi),
            ylim=(-0.1, 0.8),
            xlabel="output activation $a$",
            ylabel="cost",
            title="the cost of one output and its tangent at $a$",
        )
        ax_s.set(
            xlim=(lo, hi),
            ylim=(-1.3, 1.3),
            xlabel="output activation $a$",
            ylabel=r"slope $\partial C / \partial a$",
            title="the slope of the cost",
        )
        ax_s.axhline(0, color=GREY, lw=0.8)
        artists = []
        for cost, colour, label, dlabel in (
            (BPLIB_COST, BLUE, r"$C_i = \frac{1}{2}(a - y)^2$", "slope of the parabola"),
        ):
            (curve,) = ax.plot(grid, grid, color=colour, lw=2, label=label)
            (tangent,) = ax.plot([], [], color="k", lw=1.3, ls=(0, (4, 2)))
            # the gap between the parabola and the tangent at the tangent's two ends: a thick
            # bar with a dark cap at each end and its size printed beside it (it is only
            # about 0.02 of the 0.9 the axis spans, so the bar alone is hard to see)
            (gaps,) = ax.plot(
                [],
                [],
                color=ORANGE,
                lw=6,
                solid_capstyle="butt",
                marker="_",
                ms=11,
                mew=2.5,
                mec=TEXT_ORANGE,
                zorder=5,
                label="gap to the tangent",
            )
            gap_texts = [
                ax.text(0, 0, "", color=TEXT_ORANGE, fontsize=10, weight="bold", va="center")
                for _ in range(2)
            ]
            (point,) = ax.plot([], [], "o", color=colour, mec="k", ms=7, zorder=4)
            (line,) = ax_s.plot(grid, grid, color=colour, lw=2, label=dlabel)
            (fd,) = ax_s.plot([], [], "x", color="k", ms=9, mew=2, zorder=4)
            artists.append((cost, curve, tangent, gaps, gap_texts, point, line, fd))
        target = ax.axvline(0, color=GREY, ls=":", lw=1.2)
        target_s = ax_s.axvline(0, color=GREY, ls=":", lw=1.2)
        ytext = ax.text(0, -0.09, " $a = y$", ha="left", va="bottom", color=GREY, fontsize=9)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.93), fontsize=9)
        ax_s.plot([], [], "x", color="k", ms=8, mew=2, label="finite difference")
        ax_s.legend(loc="upper left", fontsize=9)

    def update(a, y):
        parts = []
        for cost, curve, tangent, gaps, gap_texts, point, line, fd in artists:
            c = float(cost.fn(np.array([[a]]), np.array([[y]]))[0])
            slope = float(cost.grad_a(np.array([[a]]), np.array([[y]]))[0, 0])
            slope_fd = round(_slope_fd(cost, a, y), 3) + 0.0  # no "-0.000"
            curve.set_ydata(cost.fn(grid[:, None], np.full((grid.size, 1), y)))
            xs = np.array([a - half_width, a + half_width])
            tangent.set_data(xs, c + slope * (xs - a))
            ends = cost.fn(xs[:, None], np.full((2, 1), y))
            gaps.set_data(
                [xs[0], xs[0], np.nan, xs[1], xs[1]],
                [ends[0], c + slope * (xs[0] - a), np.nan, ends[1], c + slope * (xs[1] - a)],
            )
            gap = float(ends[1] - (c + slope * (xs[1] - a)))
            for k, (text, x, top) in enumerate(zip(gap_texts, xs, ends)):
                # outside the tangent's end, unless that runs off the panel: then inside
                outside = (x - 0.05 > lo + 0.18) if k == 0 else (x + 0.05 < hi - 0.18)
                side = (-1 if k == 0 else 1) * (1 if outside else -1)
                text.set_position((x + 0.05 * side, float(top) - gap / 2))
                text.set_horizontalalignment("left" if side > 0 else "right")
                text.set_text(f"{gap:.3f}")
            point.set_data([a], [c])
            line.set_ydata(cost.grad_a(grid[:, None], np.full((grid.size, 1), y))[:, 0])
            fd.set_data([a], [slope_fd])
            parts.append(
                f"C = {c:.3f}, slope {slope:+.3f} (finite difference {slope_fd:+.3f}); "
                f"gap at a ± {half_width}: {gap:.3f}"
            )
        target.set_xdata([y, y])
        target_s.set_xdata([y, y])
        ytext.set_x(y)
        return "; ".join(parts)

    controls = {
        "a": slider("output a", a, 0.0, 1.0, 0.01),
        "y": slider("target y", y, 0.0, 1.0, 0.01),
    }
    caption = (
        "The cost is a parabola whose lowest point (cost 0, slope 0) sits at a = y: drag "
        "<i>y</i> and the valley moves with it. The dashed tangent at <i>a</i> has the "
        "cost's slope there; the right panel plots that slope against a, with the "
        "finite-difference slope (cross). (1) Move <i>a</i> across <i>y</i>: where does the slope change sign, and how "
        "does its sign compare with the sign of a − y? (2) Set y = 0.3 and find the two outputs "
        "a whose cost is 0.020: what are their slopes, and how do the two tangents differ? "
        f"(3) The orange bars are the gap between the parabola and its tangent at the tangent's "
        f"ends, {half_width} either side of a, with its size printed beside it. Move a and y "
        "over their whole range: does the gap change? What would it be 0.1 either side of a? (The tangent is what "
        "notebook 03 steps along.)"
    )
    animated = [x for row in artists for x in row[1:] if not isinstance(x, list)]
    animated += [t for row in artists for t in row[4]] + [target, target_s, ytext]
    return Explorer(fig, controls, update, caption, animated=animated)


# -- a batch ---------------------------------------------------------------------------


#: The mean error of neuron 1 in :func:`batch_example` (neuron 2's errors average to zero): neuron 1's
#: outputs are too high on average, so the best common shift of neuron 1 is minus this.
NODE1_BIAS = 0.08


def batch_example(n=12, seed=3):
    """A fixed batch: targets ``Y`` and outputs ``A``, each (n, 2); two output neurons.

    Neuron 2's errors average to zero; neuron 1's average to :data:`NODE1_BIAS`, so the batch cost
    is smallest at a common shift of neuron 1 of ``-NODE1_BIAS``, not at 0.
    """
    rng = np.random.default_rng(seed)
    Y = rng.uniform(0.1, 0.9, (n, 2))
    E = rng.normal(0.0, 0.1, (n, 2))
    E -= E.mean(axis=0)  # zero-mean errors ...
    E[:, 0] += NODE1_BIAS  # ... then neuron 1's outputs are too high on average
    return Y + E, Y


#: Slider ranges of :func:`batch_cost_explorer` (they also set its y-range).
SHIFT_MAX, OUTLIER_MAX = 0.3, 0.5
#: The mean line: dark and dashed, apart from the blue and orange bars.
MEAN_COLOUR = "#222222"


def batch_cost_explorer(shift=0.0, outlier=0.4, n=12):
    """Per-example costs C_i of a batch as bars (stacked by output neuron) with their mean C.

    Examples are numbered i = 1..n (row i - 1), output neurons j = 1, 2 (column j - 1).
    """
    n_max, top = 12, 0.2
    A0, Y = batch_example(n_max)
    k = np.arange(n_max)  # bar positions: row i - 1 of example i
    # y-range of the errors: the largest error the sliders can reach, not more
    E0 = np.abs(A0 - Y)
    e_max = max(E0[0].max() + SHIFT_MAX + OUTLIER_MAX, E0.max() + SHIFT_MAX)
    e_lim = np.ceil(10 * e_max) / 10 + 0.05
    with matplotlib.rc_context(plotting.STYLE):
        fig, (ax_e, ax_c) = plotting.figure(1, 2, width=10.0, height=5.4)
        ax_e.axhline(0, color=GREY, lw=0.8)
        (err1,) = ax_e.plot([], [], "o", color=BLUE, ms=7, label="neuron 1: $A_{i1} - Y_{i1}$")
        (err2,) = ax_e.plot([], [], "^", color=ORANGE, ms=7, label="neuron 2: $A_{i2} - Y_{i2}$")
        ax_e.set(
            xlim=(-0.6, n_max - 0.4),
            ylim=(-e_lim, e_lim),
            ylabel="error $A_{ij} - Y_{ij}$",
            xticks=k,
            xticklabels=k + 1,
            title="errors of each example $i$ (one row of $A - Y$)",
        )
        ax_e.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)
        bars1 = ax_c.bar(
            k,
            np.zeros(n_max),
            color=BLUE,
            width=0.7,
            label=r"neuron 1: $\frac{1}{2}(A_{i1} - Y_{i1})^2$",
        )
        bars2 = ax_c.bar(
            k,
            np.zeros(n_max),
            color=ORANGE,
            width=0.7,
            label=r"neuron 2: $\frac{1}{2}(A_{i2} - Y_{i2})^2$",
        )
        (mean_line,) = ax_c.plot(
            [], [], color=MEAN_COLOUR, lw=2.5, ls="--", label=r"mean $C = \frac{1}{n}\sum_i C_i$"
        )
        labels = [
            ax_c.text(
                i,
                top * 0.97,
                "",
                ha="center",
                va="top",
                fontsize=8,
                rotation=90,
                color="w",
                fontweight="bold",
            )
            for i in k
        ]
        out_of_batch = ax_c.axvspan(n_max - 0.5, n_max - 0.5, color=GREY, alpha=0.25, lw=0)
        out_of_batch_e = ax_e.axvspan(n_max - 0.5, n_max - 0.5, color=GREY, alpha=0.25, lw=0)
        ax_c.set(
            xlim=(-0.6, n_max - 0.4),
            ylim=(0, top),
            xticks=k,
            xticklabels=k + 1,
            xlabel="example $i$ (grey: not in the batch)",
            ylabel="cost $C_i$",
            title=r"$C_i = \frac{1}{2} \sum_j (A_{ij} - Y_{ij})^2$, stacked by output neuron",
        )
        ax_c.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=9)

    def update(shift, outlier, n):
        A = A0.copy()
        A[:, 0] += shift
        A[0, 0] += outlier
        E = A - Y
        parts = 0.5 * E**2  # (n_max, 2): each output neuron's share of C_i
        Ck = parts.sum(axis=1)  # C_i, summed over output neurons
        C = Ck[:n].mean()
        err1.set_data(k, E[:, 0])
        err2.set_data(k, E[:, 1])
        for i in range(n_max):
            bars1[i].set_height(parts[i, 0])
            bars2[i].set_y(parts[i, 0])
            bars2[i].set_height(parts[i, 1])
            labels[i].set_text(f"{Ck[i]:.2f}↑" if Ck[i] > top else "")
        mean_line.set_data([-0.5, n - 0.5], [C, C])
        for span in (out_of_batch, out_of_batch_e):
            span.set_x(n - 0.5)
            span.set_width(n_max - n)
            span.set_visible(n < n_max)
        share = Ck[0] / Ck[:n].sum()
        return (
            f"n = {n}: C = mean of C_i = {C:.4f}, sum of C_i = {Ck[:n].sum():.4f}; "
            f"example 1 gives {100 * share:.0f}% of the sum; "
            f"mean error of neuron 1 = {number(E[:n, 0].mean(), '+.3f')}"
        )

    controls = {
        "shift": slider("shift of neuron 1", shift, -SHIFT_MAX, SHIFT_MAX, 0.01),
        "outlier": slider("extra error of example 1", outlier, -OUTLIER_MAX, OUTLIER_MAX, 0.01),
        "n": slider("batch size n", n, 1, n_max, 1, integer=True),
    }
    # What the caption asks the reader to find, checked on the default batch: the outlier's bar
    # towers over the others; with no outlier and every example, C is smallest at the shift
    # -NODE1_BIAS, where neuron 1's errors average to zero, and rises by exactly ½ (shift +
    # NODE1_BIAS)² around it; the sum grows with n, the mean does not.
    A = A0.copy()
    A[:, 0] += shift
    A[0, 0] += outlier
    C_default = 0.5 * np.sum((A - Y) ** 2, axis=1)
    assert C_default[0] > 5 * np.median(C_default[1:])
    assert np.isclose(np.mean(A0[:, 0] - Y[:, 0]), NODE1_BIAS, rtol=0, atol=1e-12)
    C0 = 0.5 * np.sum((A0 - [NODE1_BIAS, 0] - Y) ** 2, axis=1).mean()
    for sh in (-0.2, 0.1, 0.3):
        C_s = 0.5 * np.sum((A0 + [sh, 0] - Y) ** 2, axis=1).mean()
        assert np.isclose(C_s - C0, 0.5 * (sh + NODE1_BIAS) ** 2)
    caption = (
        "Top: the errors A_ij − Y_ij of each example i, one point per output neuron j. Bottom: "
        "each bar is one example's cost C_i, the sum of ½(A_ij − Y_ij)² over its two output "
        "neurons (the two colours), and the dashed black line is their mean C, the cost of the batch. Squaring "
        "makes big errors count far more than small ones. (1) How many times taller than a typical "
        "bar is example 1's, with its extra error, and how far does it lift the mean? "
        "<i>Shift</i> adds the same amount to every output of neuron 1 (a systematic bias): the "
        "blue bars of the examples it moves away from their targets grow, the others shrink. "
        f"(2) Set the extra error to 0 and n to {n_max}: at which shift is C smallest? "
        "What is the mean error of neuron 1 (readout) there, and what does that say about the best "
        "common shift? How does C grow on either side of it? (3) The batch size n leaves out "
        "the examples after example n (grey). Set the extra error to 0 and move n: which grows "
        "with n, the sum of the bars (readout) or the mean, and which stays near one level? "
        "Which of them would you want to compare between batches of different sizes?"
    )
    animated = [err1, err2, *bars1, *bars2, mean_line, *labels, out_of_batch, out_of_batch_e]
    return Explorer(fig, controls, update, caption, animated=animated)
