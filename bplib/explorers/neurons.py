r"""Notebook 01, the network: activations flowing forward through a small network.

* :func:`network_explorer` draws a 2-3-2 network; sliders move the two inputs,
  the two weights into neuron 1 of layer 1 and its bias, and a toggle picks the
  activation (sigmoid, tanh, ReLU). Every node shows its activation :math:`a^l_j`,
  the weight matrices are printed underneath in bplib's storage order (n_out, n_in).
* :func:`index_figure` (static): which neuron :math:`w^l_{jk}` joins, and where it
  sits in the stored matrix :math:`W^l`.
* :func:`activation_figure` (static): σ, tanh and ReLU with their derivatives,
  the formulas drawn as lines and central differences as dots.

The network runs through the core's forward pass (:func:`bplib.feedforward_layers`).
The explorer's numbers (inside and under the nodes, and the rows of the matrices that the
sliders change) are drawn with Pillow on the rendered picture, in the same font, size, colour
and place as matplotlib would, and its PNG is compressed again only where the picture changed
(see :class:`~bplib.explorers.fastdraw.PillowExplorer`): matplotlib takes about 1 ms per short
text, and these 14 texts and the PNG were most of a slider event's cost.
"""

from __future__ import annotations

import numpy as np
from matplotlib import colormaps
from matplotlib.colors import Normalize

from ..activations import get_activation
from ..forward import feedforward_layers
from ..plotting import (
    BLUE,
    GREY,
    TEXT_ORANGE,
    draw_network,
    edge_colors,
    edge_widths,
    figure,
    node_positions,
)
from ..widgets import number, slider, toggle
from .fastdraw import PillowExplorer

#: Notes on the figures: darker than GREY (7.5:1 contrast on white).
NOTE_GREY = "#555555"
#: Node colour: the activation a, blue negative, white 0, red positive, fixed at ±A_MAX.
ACTIVATION_CMAP = colormaps["RdBu_r"]
A_MAX = 1.5
ACTIVATIONS = ("sigmoid", "tanh", "relu")

# The 2-3-2 network of the explorer: weights and biases set by hand, W[l] stored (n_l, n_{l-1}).
# Row 0 of W^1 and entry 0 of b^1 (neuron 1 of layer 1) are replaced by the sliders.
EXPLORER_WEIGHTS = [
    [[1.5, -1.0], [-1.0, 2.0], [0.5, 1.0]],
    [[2.0, -1.5, 1.0], [-1.0, 1.0, 2.0]],
]
EXPLORER_BIASES = [[0.5, 0.0, -0.5], [-0.5, 0.0]]
DEFAULTS = dict(x1=1.0, x2=-0.5, w11=1.5, w12=-1.0, b1=0.5, activation="sigmoid")


def explorer_parameters(w11, w12, b1):
    """``W, b`` of the explorer's 2-3-2 network, lists indexed by layer (``W[0]`` is None),
    with :math:`w^1_{11}`, :math:`w^1_{12}` and :math:`b^1_1` set to the given values."""
    W = [None] + [np.array(Wl, float) for Wl in EXPLORER_WEIGHTS]
    b = [None] + [np.array(bl, float) for bl in EXPLORER_BIASES]
    W[1][0] = w11, w12
    b[1][0] = b1
    return W, b


def forward(x1, x2, w11, w12, b1, activation):
    """``z, a`` by layer for the single example :math:`x = (x_1, x_2)`, through the core's
    forward pass; every layer uses ``activation``."""
    W, b = explorer_parameters(w11, w12, b1)
    sigma = get_activation(activation)
    return feedforward_layers(W, b, [None, sigma, sigma], np.array([[x1, x2]], float))


def switch_off_bias(x1, x2, w11, w12):
    r"""The bias :math:`b^1_1` below which :math:`z^1_1 < 0` (a ReLU neuron 1 is off)."""
    return -(w11 * x1 + w12 * x2)


def _matrix_row(row, marks=()):
    """One row of a matrix as fixed-width text; entries in ``marks`` in brackets."""
    return "".join(f"[{v:+.1f}]" if k in marks else f" {v:+.1f} " for k, v in enumerate(row))


def network_explorer():
    r"""The 2-3-2 network with every node showing (and coloured by) its activation.

    Sliders: the inputs :math:`x_1, x_2`, the weights :math:`w^1_{11}, w^1_{12}` into
    neuron 1 of layer 1, its bias :math:`b^1_1`; a toggle for the activation of every layer.
    """
    d = DEFAULTS
    W0, _ = explorer_parameters(d["w11"], d["w12"], d["b1"])
    sizes = [2, 3, 2]
    dx = 2.6
    fig, ax = figure(width=9.6, height=5.4)
    pos, edges, index, nodes = draw_network(ax, sizes, W0, dx=dx, node_size=2300)
    norm = Normalize(-A_MAX, A_MAX)
    ax.set_xlim(-1.1, 2 * dx + 1.5)
    ax.set_ylim(-3.05, 1.75)
    titles = ["input layer 0\n$a^0 = x$", "layer 1\n$a^1 = \\sigma(z^1)$", "output layer 2\n$a^2$"]
    for l, t in enumerate(titles):
        ax.text(l * dx, 1.7, t, ha="center", va="top", fontsize=11)
    # The two edges that the weight sliders move: a yellow halo under them.
    halos = []
    for k in range(2):
        (x0, y0), (x1_, y1_) = (pos[0][0][k], pos[0][1][k]), (pos[1][0][0], pos[1][1][0])
        halos.append(
            ax.plot(
                [x0, x1_], [y0, y1_], color="#FFD23F", lw=1, zorder=0.5, solid_capstyle="round"
            )[0]
        )
    ax.text(
        0.5 * dx,
        pos[1][1][0] + 0.42,
        "w\u00b9\u2081\u2081, w\u00b9\u2081\u2082 (sliders)",
        ha="center",
        va="bottom",
        fontsize=10,
        bbox=dict(boxstyle="round,pad=0.15", fc="#FFF1B8", ec="none"),
    )
    # Inside each node its activation; under each node of layers 1 and 2 its weighted input.
    a_text, z_text = [], []
    for l in range(len(sizes)):
        for j in range(sizes[l]):
            x, y = pos[l][0][j], pos[l][1][j]
            a_text.append(ax.text(x, y, "", ha="center", va="center", fontsize=10, zorder=4))
            if l > 0:
                z_text.append(
                    ax.text(x, y - 0.36, "", ha="center", va="top", fontsize=9, color=NOTE_GREY)
                )
    for j in range(2):
        ax.text(
            pos[0][0][j] - 0.4, pos[0][1][j], f"$x_{j + 1}$", ha="right", va="center", fontsize=11
        )
        ax.text(
            pos[2][0][j] + 0.4,
            pos[2][1][j],
            f"$a^2_{j + 1}$",
            ha="left",
            va="center",
            fontsize=11,
        )
    # The stored arrays, as text under each gap between layers: W^l row by row, then b^l.
    mat_rows = {}
    for l in (1, 2):
        xc = (l - 0.5) * dx
        ax.text(xc, -1.72, f"$W^{l}$ {sizes[l]}\u00d7{sizes[l - 1]}", ha="center", va="bottom")
        for j in range(sizes[l]):
            mat_rows[l, j] = ax.text(
                xc, -1.78 - 0.2 * j, "", ha="center", va="top", fontsize=9, family="monospace"
            )
        mat_rows[l, "b"] = ax.text(
            xc, -2.45, "", ha="center", va="top", fontsize=9, family="monospace"
        )
        ax.text(xc - 0.95, -2.45, f"$b^{l}$", ha="right", va="top", fontsize=10)
    ax.text(
        -1.1,
        -1.75,
        "as stored:\nrow j: into j\ncolumn k: from k",
        ha="left",
        va="top",
        fontsize=10,
        color=NOTE_GREY,
    )
    ax.text(
        -1.1,
        -3.0,
        "inside a node: its activation a (red > 0, blue < 0); under it: z.  "
        "Edges: green w > 0, purple w < 0, width \u221d |w|",
        ha="left",
        va="bottom",
        fontsize=10,
        color=NOTE_GREY,
    )
    # Only row 1 of W^1 and b^1 change; the rest of the matrices is drawn once, with the figure.
    W0b = explorer_parameters(d["w11"], d["w12"], d["b1"])
    for l in (1, 2):
        for j in range(sizes[l]):
            mat_rows[l, j].set_text(_matrix_row(W0b[0][l][j], (0, 1) if (l, j) == (1, 0) else ()))
        mat_rows[l, "b"].set_text(_matrix_row(W0b[1][l], (0,) if l == 1 else ()))
    changing = [mat_rows[1, 0], mat_rows[1, "b"]]
    # Redrawn on each event in this order: halos under edges, edges under nodes, then the texts.
    shapes = [*halos, edges, nodes]
    texts = [*a_text, *z_text, *changing]

    def update(x1, x2, w11, w12, b1, activation):
        W, b = explorer_parameters(w11, w12, b1)
        z, a = forward(x1, x2, w11, w12, b1, activation)
        edges.set_colors(edge_colors(W, index))
        edges.set_linewidths(edge_widths(W, index))
        for k, h in enumerate(halos):
            h.set_linewidth(edge_widths(W, [(1, 0, k)])[0] + 7)
        values = np.concatenate([a[l][0] for l in range(3)])
        nodes.set_facecolor(
            ["#EEEEEE"] * sizes[0] + [ACTIVATION_CMAP(norm(v)) for v in values[sizes[0] :]]
        )
        for i, (t, v) in enumerate(zip(a_text, values)):
            t.set_text(number(v, "+.2f") if i < sizes[0] else number(v, ".3f"))
            t.set_color("white" if i >= sizes[0] and abs(v) > 0.75 * A_MAX else "black")
        zs = np.concatenate([z[1][0], z[2][0]])
        for t, v in zip(z_text, zs):
            t.set_text(f"z = {number(v, '+.2f')}")
        mat_rows[1, 0].set_text(_matrix_row(W[1][0], (0, 1)))
        mat_rows[1, "b"].set_text(_matrix_row(b[1], (0,)))
        name = activation
        return (
            f"z\u00b9\u2081 = w\u00b9\u2081\u2081 x\u2081 + w\u00b9\u2081\u2082 x\u2082 + b\u00b9\u2081"
            f" = ({w11:+.1f})({x1:+.1f}) + ({w12:+.1f})({x2:+.1f}) + ({b1:+.1f})"
            f" = {z[1][0, 0]:+.2f};  a\u00b9\u2081 = {name}(z\u00b9\u2081) = {a[1][0, 0]:.3f};"
            f"  output a\u00b2 = ({a[2][0, 0]:.3f}, {a[2][0, 1]:.3f})"
        )

    controls = {
        "x1": slider("input x\u2081", d["x1"], -2.0, 2.0, 0.1, fmt="+.1f"),
        "x2": slider("input x\u2082", d["x2"], -2.0, 2.0, 0.1, fmt="+.1f"),
        "w11": slider("weight w\u00b9\u2081\u2081", d["w11"], -3.0, 3.0, 0.1, fmt="+.1f"),
        "w12": slider("weight w\u00b9\u2081\u2082", d["w12"], -3.0, 3.0, 0.1, fmt="+.1f"),
        "b1": slider("bias b\u00b9\u2081", d["b1"], -3.0, 3.0, 0.1, fmt="+.1f"),
        "activation": toggle("activation", ACTIVATIONS, d["activation"], button_width="110px"),
    }
    caption = network_caption()
    title = (
        "A 2-3-2 network drawn as circles (neurons) joined by lines (weights): inputs x1, x2 "
        "on the left, three neurons in layer 1, two outputs in layer 2. Each neuron shows its "
        "activation a and, under it, its weighted input z; the weight matrices W1 (3 by 2) and "
        "W2 (2 by 3) and the biases are printed underneath, row j holding the weights into "
        "neuron j"
    )
    return PillowExplorer(fig, controls, update, caption, shapes=shapes, texts=texts, title=title)


def network_caption():
    """The explorer's caption: what to notice, and what to find with the sliders. It quotes no
    number the sliders show; the claims it makes are checked here on the explorer's network."""
    d = DEFAULTS
    x1, x2, w11, w12, b1 = (d[k] for k in ("x1", "x2", "w11", "w12", "b1"))
    # Weights into neuron 1 at 0: its activation is sigma(b) for any input (checked at two).
    a_off = [forward(u, v, 0.0, 0.0, b1, "sigmoid")[1][1][0, 0] for u, v in ((x1, x2), (-2, 2))]
    assert np.isclose(*a_off) and np.isclose(a_off[0], get_activation("sigmoid").fn(b1))
    # ReLU: below the switch-off bias neuron 1 of layer 1 is off, and w11 no longer moves the
    # outputs; above it, it does.
    b_off = switch_off_bias(x1, x2, w11, w12)
    for bias, silent in ((b_off - 0.5, True), (b_off + 0.5, False)):
        outs = [forward(x1, x2, w, w12, bias, "relu")[1][2][0] for w in (w11, w11 - 0.2)]
        assert np.allclose(*outs) == silent
    # Saturation: at x1 = 2, w11 from 2.5 to 3 moves z by 1.0 and a by less than 0.002, while
    # the same step of w11 near z = 0 moves a more than a hundred times as much.
    (z_lo, a_lo), (z_hi, a_hi) = [
        (z[1][0, 0], a[1][0, 0])
        for z, a in (forward(2.0, x2, w, w12, b1, "sigmoid") for w in (2.5, 3.0))
    ]
    assert np.isclose(z_hi - z_lo, 1.0) and a_hi - a_lo < 0.002
    w_mid = -(w12 * x2 + b1) / 2.0  # z = 0 at x1 = 2
    a_mid = [
        forward(2.0, x2, w, w12, b1, "sigmoid")[1][1][0, 0] for w in (w_mid - 0.25, w_mid + 0.25)
    ]
    assert a_mid[1] - a_mid[0] > 100 * (a_hi - a_lo)
    return (
        "Move x<sub>1</sub>: every neuron after the input changes, because each one reads every "
        "activation of the layer before it. The highlighted weights w<sup>1</sup><sub>11</sub> "
        "and w<sup>1</sup><sub>12</sub> are the entries in brackets in the table underneath: "
        "row 1 of W<sup>1</sup>, the weights <i>into</i> neuron 1, one column per input k. The "
        "readout spells out the sum for neuron 1; check it by hand once. Then find out, "
        "with the sliders and the readout:<br>(1) Set both highlighted weights to 0. Neuron 1 no "
        "longer sees the inputs: which slider still moves its activation, and what does "
        "the activation equal?<br>(2) Choose <b>relu</b> and lower b<sup>1</sup><sub>1</sub> "
        "until neuron 1 outputs 0. At which bias does that happen (work it out from the sum "
        "first), and what does w<sup>1</sup><sub>11</sub> do to the outputs from then on?<br>"
        "(3) With <b>sigmoid</b>, set x<sub>1</sub> = 2 and move w<sup>1</sup><sub>11</sub> "
        "from 2.5 to 3. How much does z<sup>1</sup><sub>1</sub> change, and how much "
        "a<sup>1</sup><sub>1</sub>? Make the same change of w<sup>1</sup><sub>11</sub> where "
        "z<sup>1</sup><sub>1</sub> is near 0 and compare.<br>(4) Choose <b>relu</b>, keep the other "
        "sliders at their start and move x<sub>1</sub> down from 1: over which range of "
        "x<sub>1</sub> does neither output change at all, and what does layer 1 show there?"
    )


# ---------------------------------------------------------------------------
# Static figures


def index_figure():
    r"""Which neurons :math:`w^l_{jk}` joins (left) and where it sits in :math:`W^l` (right).

    Layer :math:`l-1` has 2 neurons, layer :math:`l` has 3; the edge and the matrix entry
    of :math:`w^l_{21}` (into neuron 2 of layer l, from neuron 1 of layer l-1) are highlighted.
    """
    fig, (ax, mx) = figure(2, 1, width=9.6, height=3.6)
    fig.set_label(
        "Left: two neurons k = 1, 2 of layer l−1 joined to three neurons j = 1, 2, 3 of layer l; "
        "the edge from neuron k = 1 to neuron j = 2 is highlighted and labelled w^l_21 (to j = 2, "
        "from k = 1). Right: the matrix W^l with 3 rows (one per neuron j of layer l, the neurons "
        "the weights go into) and 2 columns (one per neuron k of layer l−1, where they come "
        "from); the entry in row 2, column 1 is w^l_21, in numpy W[l][1, 0]. Row j holds every "
        "weight into neuron j, so z^l_j is row j times the column a^(l−1)."
    )
    sizes = [2, 3]
    pos = node_positions(sizes, dx=2.6)
    for k in range(2):
        for j in range(3):
            hi = (j, k) == (1, 0)
            ax.plot(
                [pos[0][0][k], pos[1][0][j]],
                [pos[0][1][k], pos[1][1][j]],
                color=TEXT_ORANGE if hi else GREY,
                lw=3.0 if hi else 1.0,
                zorder=2 if hi else 1,
            )
    ax.scatter(
        np.concatenate([p[0] for p in pos]),
        np.concatenate([p[1] for p in pos]),
        s=900,
        c="white",
        edgecolors="black",
        linewidths=1.2,
        zorder=3,
    )
    for k in range(2):
        ax.text(pos[0][0][k], pos[0][1][k], f"$k={k + 1}$", ha="center", va="center", zorder=4)
    for j in range(3):
        ax.text(pos[1][0][j], pos[1][1][j], f"$j={j + 1}$", ha="center", va="center", zorder=4)
    ax.text(0, 1.55, "layer $l-1$\n(from)", ha="center", va="center", fontsize=11)
    ax.text(2.6, 1.55, "layer $l$\n(to)", ha="center", va="center", fontsize=11)
    ax.text(
        1.3,
        0.32,
        "$w^l_{21}$",
        ha="center",
        va="bottom",
        fontsize=13,
        color=TEXT_ORANGE,
        bbox=dict(boxstyle="round,pad=0.1", fc="white", ec="none"),
        zorder=5,
    )
    ax.set_xlim(-0.8, 3.4)
    ax.set_ylim(-1.5, 2.0)
    ax.set_aspect("equal")
    ax.axis("off")
    # The matrix: rows j (into), columns k (from).
    mx.set_xlim(-1.6, 2.6)
    mx.set_ylim(-0.9, 3.6)
    mx.axis("off")
    for j in range(3):
        for k in range(2):
            hi = (j, k) == (1, 0)
            mx.text(
                k,
                2 - j,
                f"$w^l_{{{j + 1}{k + 1}}}$",
                ha="center",
                va="center",
                fontsize=14,
                color=TEXT_ORANGE if hi else "black",
                fontweight="bold" if hi else "normal",
            )
        mx.text(-0.75, 2 - j, f"row $j={j + 1}$", ha="right", va="center", fontsize=10, color=BLUE)
    for k in range(2):
        mx.text(k, 2.75, f"col $k={k + 1}$", ha="center", va="center", fontsize=10, color=BLUE)
    mx.plot([-0.45, -0.55, -0.55, -0.45], [2.4, 2.4, -0.4, -0.4], color="black", lw=1.2)
    mx.plot([1.45, 1.55, 1.55, 1.45], [2.4, 2.4, -0.4, -0.4], color="black", lw=1.2)
    mx.text(0.5, 3.35, "$W^l$: $n_l \\times n_{l-1}$ = 3 \u00d7 2", ha="center", fontsize=12)
    mx.text(
        0.5,
        -0.8,
        "numpy: $w^l_{21}$ = W[l][1, 0]",
        ha="center",
        va="bottom",
        fontsize=10,
        color=NOTE_GREY,
    )
    return fig


def central_difference(f, z, eps=1e-5):
    """The central difference (f(z + eps) - f(z - eps)) / (2 eps), element-wise."""
    return (f(z + eps) - f(z - eps)) / (2 * eps)


def activation_figure():
    """σ, tanh and ReLU (solid) with their derivatives (dashed) and central differences (dots)."""
    fig, axes = figure(3, 1, width=10.5, height=3.3, sharey=True)
    fig.set_label(
        "Three panels, z from −4 to 4 on each horizontal axis. Sigmoid: an S from 0 to 1 "
        "through 0.5 at z = 0; its derivative σ′ = σ(1 − σ) is a bump with peak 0.25 at 0. "
        "tanh: an S from −1 to 1 through 0; its derivative 1 − tanh² is a narrower bump with "
        "peak 1 at 0. ReLU: 0 for z < 0, then the line z; its derivative is 0 for z < 0 and "
        "1 for z > 0, with no vertical segment between: at z = 0, where there is no derivative, "
        "a filled dot at 0 marks the value bplib uses and an open circle at 1 the end of the "
        "right-hand piece. In every panel the dots, central differences of the function, lie on "
        "the dashed derivative."
    )
    z = np.linspace(-4, 4, 401)
    zd = np.linspace(-3.8, 3.8, 12)  # the dots: none on the ReLU kink at 0
    names = {"sigmoid": "sigmoid $\\sigma$", "tanh": "tanh", "relu": "ReLU"}
    for ax, name in zip(axes, ACTIVATIONS):
        act = get_activation(name)
        ax.plot(z, act.fn(z), color=BLUE, lw=2, label="$f(z)$")
        if name == "relu":  # two pieces, no vertical segment at the corner
            for piece in (z[z < 0], z[z > 0]):
                ax.plot(piece, act.prime(piece), color=TEXT_ORANGE, lw=2, ls="--")
            ax.plot([0], [1], "o", ms=7, mfc="white", mec=TEXT_ORANGE, mew=2, zorder=4)
            ax.plot([0], [float(act.prime(np.array(0.0)))], "o", ms=7, color=TEXT_ORANGE, zorder=4)
            ax.annotate("bplib: 0 at $z = 0$", (0, 0), (0.6, -0.7), fontsize=9, color=TEXT_ORANGE)
        else:
            ax.plot(z, act.prime(z), color=TEXT_ORANGE, lw=2, ls="--", label="$f'(z)$, formula")
        ax.plot(
            zd,
            central_difference(act.fn, zd),
            "o",
            color="black",
            ms=4,
            label="central difference",
        )
        ax.axhline(0, color=GREY, lw=0.8)
        ax.axvline(0, color=GREY, lw=0.8)
        ax.set_title(names[name])
        ax.set_xlabel("$z$")
        ax.set_ylim(-1.15, 2.15)
    axes[0].legend(loc="upper left", fontsize=9)
    return fig
