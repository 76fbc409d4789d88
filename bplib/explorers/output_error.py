r"""Notebook 05: the output error :math:`\delta^L` (BP1), and why saturated neurons learn slowly."""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid
from ..backward import output_error
from ..costs import cross_entropy, quadratic
from ..plotting import BLUE, GREEN, GREY, ORANGE, PURPLE, figure
from ..widgets import Explorer, number, slider

#: One colour per output node, used in the left and middle panels only; blue and orange
#: belong to the two costs (the right panel), so no node colour is orange-like.
NODE_COLOURS = (GREEN, PURPLE, "#444444")
#: Value labels of the cost bars: the cost colours, dark enough for small text on white.
TEXT_BLUE, TEXT_ORANGE = BLUE, "#A35200"


def output_error_explorer(z=(-4.0, 0.5, 3.0), y=(1.0, 0.0, 1.0), z_max=8.0):
    r"""Sliders for the output pre-activations :math:`z^L_j` and targets :math:`y_j`.

    Shows :math:`a_j = \sigma(z^L_j)` against its target, :math:`\sigma'(z^L_j)`,
    and :math:`\delta^L_j` for the quadratic cost (bplib's 1/2 convention,
    :math:`(a_j - y_j)\sigma'(z^L_j)`) next to cross-entropy (:math:`a_j - y_j`),
    both computed by :func:`bplib.output_error`.
    """
    n = len(z)
    if len(y) != n or n > len(NODE_COLOURS):
        raise ValueError(f"give one target per node and at most {len(NODE_COLOURS)} nodes.")
    colours = NODE_COLOURS[:n]
    fig, (ax_a, ax_p, ax_d) = figure(3, 1, width=11.5, height=4.2)
    zs = np.linspace(-z_max, z_max, 321)

    ax_a.plot(zs, sigmoid.fn(zs), color=GREY, lw=2)
    ax_a.set(
        xlim=(-z_max, z_max),
        ylim=(-0.05, 1.1),
        xlabel="$z^L_j$",
        title=r"dots: $a^L_j = \sigma(z^L_j)$; bars: targets $y_j$",
    )
    ax_p.plot(zs, sigmoid.prime(zs), color=GREY, lw=2)
    ax_p.axhline(0.25, color=GREY, lw=0.8, ls=":")
    ax_p.set(
        xlim=(-z_max, z_max),
        ylim=(-0.01, 0.28),
        xlabel="$z^L_j$",
        title=r"$\sigma'(z^L_j)$: the slope on the left",
    )

    points, targets, gaps, labels, primes = [], [], [], [], []
    for j, c in enumerate(colours):
        (gap,) = ax_a.plot([], [], color=c, lw=1.5, ls="--")
        (pt,) = ax_a.plot([], [], "o", color=c, ms=9, zorder=5)
        (tg,) = ax_a.plot([], [], "_", color=c, ms=18, mew=3, zorder=5)
        lab = ax_a.text(
            0, 0, str(j + 1), color=c, fontsize=11, weight="bold", ha="right", va="center"
        )
        (pp,) = ax_p.plot([], [], "o", color=c, ms=9, zorder=5)
        points.append(pt), targets.append(tg), gaps.append(gap), labels.append(lab)
        primes.append(pp)

    x = np.arange(n)
    width = 0.38
    bars_q = ax_d.bar(
        x - width / 2,
        np.zeros(n),
        width,
        color=BLUE,
        label=r"quadratic: $(a_j - y_j)\,\sigma'(z^L_j)$",
    )
    bars_ce = ax_d.bar(
        x + width / 2, np.zeros(n), width, color=ORANGE, label=r"cross-entropy: $a_j - y_j$"
    )
    ax_d.axhline(0, color="black", lw=0.8)
    ax_d.set(
        xlim=(-0.6, n - 0.4),
        ylim=(-1.2, 1.2),
        title=r"output error $\delta^L_j$",
        xticks=x,
        xticklabels=[f"node {j + 1}" for j in range(n)],
    )
    ax_d.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), fontsize=9)
    ax_d.grid(False, axis="x")
    values_q = [
        ax_d.text(xi - width / 2, 0, "", ha="center", fontsize=8, color=TEXT_BLUE) for xi in x
    ]
    values_ce = [
        ax_d.text(xi + width / 2, 0, "", ha="center", fontsize=8, color=TEXT_ORANGE) for xi in x
    ]

    def place(text, v):
        text.set_position((text.get_position()[0], v + (0.04 if v >= 0 else -0.04)))
        text.set_va("bottom" if v >= 0 else "top")
        text.set_text(f"{float(v) + 0.0:.2g}")  # two significant figures: 0.00034, not 0.000

    def update(**values):
        z_L = np.array([[values[f"z{j + 1}"] for j in range(n)]])
        Y = np.array([[values[f"y{j + 1}"] for j in range(n)]])
        a_L = sigmoid.fn(z_L)
        d_q = output_error(a_L, Y, z_L, quadratic, sigmoid)[0]
        d_ce = output_error(a_L, Y, z_L, cross_entropy, sigmoid)[0]
        s_p = sigmoid.prime(z_L)[0]
        for j in range(n):
            zj, aj, yj = z_L[0, j], a_L[0, j], Y[0, j]
            points[j].set_data([zj], [aj])
            targets[j].set_data([zj], [yj])
            gaps[j].set_data([zj, zj], [aj, yj])
            labels[j].set_position((zj - 0.75, aj))  # left of the dot, clear of the target bar
            primes[j].set_data([zj], [s_p[j]])
            bars_q[j].set_height(d_q[j])
            bars_ce[j].set_height(d_ce[j])
            place(values_q[j], d_q[j])
            place(values_ce[j], d_ce[j])
        return "; ".join(
            f"node {j + 1}: a = {a_L[0, j]:.2g}, sigma' = {s_p[j]:.2g}, "
            f"delta quadratic = {d_q[j] + 0.0:+.2g}, cross-entropy = {d_ce[j] + 0.0:+.2g}"
            for j in range(n)
        )

    controls = {}
    for j in range(n):  # node by node: z_j, then its target y_j
        controls[f"z{j + 1}"] = slider(f"z{j + 1}", z[j], -z_max, z_max, 0.1, fmt=".1f")
        controls[f"y{j + 1}"] = slider(f"target y{j + 1}", y[j], 0.0, 1.0, 0.05)
    animated = [
        *points,
        *targets,
        *gaps,
        *labels,
        *primes,
        *bars_q,
        *bars_ce,
        *values_q,
        *values_ce,
    ]
    # Node 1 at its default state (numbers for the caption); what the "Try this" moves show is
    # left to the reader
    z_1 = np.array([[z[0]]])
    a_1, y_1 = sigmoid.fn(z_1), np.full((1, 1), y[0])
    d_q1 = output_error(a_1, y_1, z_1, quadratic, sigmoid)[0, 0]
    d_ce1 = output_error(a_1, y_1, z_1, cross_entropy, sigmoid)[0, 0]
    caption = (
        "Each output node j has a weighted input zj and a target yj. Left: the output "
        "aj = σ(zj) on the sigmoid; the dashed line to the bar at yj is the error aj − yj. "
        "Middle: σ'(zj), at most 1/4 (at z = 0) and almost 0 once |z| > 5. Right: δj for the "
        "quadratic cost (blue, (aj − yj) σ'(zj), section 2's (4)) and for cross-entropy "
        "(orange, aj − yj). Node 1 starts saturated and wrong "
        f"(a1 = {number(a_1[0, 0], '.2f')}, y1 = {number(y[0])}): its cross-entropy δ is "
        f"{number(d_ce1, '.2f')}, but its quadratic δ is only {number(d_q1, '.3f')} because "
        "σ' is nearly 0. The orange bar "
        "is always just a − y; the blue bar is that times the middle panel's σ'."
    )
    return Explorer(fig, controls, update, caption, animated=animated)
