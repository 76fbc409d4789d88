r"""Explorers for notebook 06: the error :math:`\delta^l` flowing backwards (BP2).

* :func:`delta_network_explorer` draws a 2-3-3-2 network whose nodes are
  coloured by their error :math:`\delta^l_j` and whose edges are coloured and
  thickened by their weight; sliders move an input, a target and one weight.
* :func:`depth_explorer` shows the size of :math:`\delta^l` layer by layer in
  deep nets: vanishing and exploding gradients.

The error explorer's numbers (in the nodes, :math:`x_1` and the row of :math:`W^3` the slider
changes) are drawn with Pillow (:class:`~bplib.explorers.fastdraw.PillowExplorer`), several
times faster than matplotlib's text.
"""

from __future__ import annotations

import functools

import ipywidgets as w
import numpy as np
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.patches import Rectangle

from ..backward import backpropagate, output_error
from ..costs import quadratic
from ..forward import feedforward_layers
from ..network import Network
from ..plotting import BLUE, GREY, NEGATIVE, ORANGE, POSITIVE, draw_network, edge_widths, figure
from ..widgets import Explorer, number, slider, toggle
from .fastdraw import PillowExplorer

#: Nodes: a diverging map, red for positive delta, blue for negative, white for 0.
#: Annotations (the gauge letter, the storage note, the legend lines): darker than GREY
#: (7.5:1 on white instead of 4.5:1), at 10 pt instead of 8.5.
NOTE_GREY = "#555555"
DELTA_CMAP = colormaps["RdBu_r"]


def errors_by_layer(net, X, Y):
    r"""``z, a, delta`` by layer for the batch ``X, Y``: the core's forward pass, BP1 and BP2.

    ``net.feedforward_layers`` gives ``z`` and ``a``; :func:`bplib.output_error`
    the output error :math:`\delta^L`; :func:`bplib.backpropagate` the rest,
    ``delta[l]`` for ``l = 1 .. L`` (``delta[0]`` is ``None``).
    """
    z, a = net.feedforward_layers(X)
    sigmas = net.sigmas
    delta_L = output_error(a[-1], Y, z[-1], net.cost_function, sigmas[-1])
    return z, a, backpropagate(delta_L, net.W, z, sigmas)


def _matrix_row(row, mark=None):
    """One row of a weight matrix as fixed-width text; entry ``mark`` in brackets."""
    return "".join(f"[{v:+.1f}]" if k == mark else f" {v:+.1f} " for k, v in enumerate(row))


GAUGE = 0.5  # height of an activation gauge, in data units
W_RANGE = (-4.0, 4.0)  # of the slider on w^3_11


# The 2-3-3-2 network of the diagram: weights chosen by hand (of moderate size,
# so that the error visibly reaches layer 1), every unit sigmoid, quadratic cost.
DIAGRAM_WEIGHTS = [
    [[1.5, -2.0], [-1.0, 2.5], [2.0, 1.0]],
    [[2.0, -1.5, 1.0], [-2.0, 1.0, 2.5], [1.5, 2.0, -1.0]],
    [[2.5, -2.0, 1.5], [-1.5, 2.0, 2.5]],
]
DIAGRAM_BIASES = [[0.0, 0.5, -0.5], [0.0, -1.0, 0.5], [-1.0, -1.0]]


def diagram_network():
    """The hand-set 2-3-3-2 sigmoid network (quadratic cost) drawn by :func:`delta_network_explorer`."""
    net = Network([2, 3, 3, 2], activation="sigmoid", cost="quadratic")
    net.W = [None] + [np.array(W, float) for W in DIAGRAM_WEIGHTS]
    net.b = [None] + [np.array(b, float) for b in DIAGRAM_BIASES]
    return net


def delta_network_explorer(x2=0.5, y2=0.0, dmax=0.15):
    r"""The 2-3-3-2 network with every node coloured by its error :math:`\delta^l_j`.

    Sliders: the input :math:`x_1`, the target :math:`y_1` and the weight
    :math:`w^3_{11}` (from neuron 1 of layer 2 to output neuron 1). The colour
    scale of :math:`\delta` is fixed at ``±dmax``.
    """
    net = diagram_network()
    sizes = net.sizes
    dx = 1.8
    fig, ax = figure(width=9.6, height=5.3)
    pos, edges, index, nodes = draw_network(ax, sizes, net.W, dx=dx, node_size=2100, skip=(3, 0, 0))
    norm = Normalize(-dmax, dmax)
    ax.set_xlim(-0.9, 3 * dx + 1.75)
    ax.set_ylim(-2.9, 1.75)
    titles = [
        "input\n$a^0 = x$",
        "layer 1\nerrors $\\delta^1$",
        "layer 2\nerrors $\\delta^2$",
        "output layer L = 3\nerrors $\\delta^3$",
    ]
    for l, t in enumerate(titles):
        ax.text(l * dx, 1.68, t, ha="center", va="top", fontsize=11)
    # Inside each node its delta (text); beside it a gauge of its activation a in [0, 1].
    node_text, gauges = [], []
    for l in range(len(sizes)):
        for j in range(sizes[l]):
            x, y = pos[l][0][j], pos[l][1][j]
            node_text.append(ax.text(x, y, "", ha="center", va="center", fontsize=9.5, zorder=4))
            if l > 0:
                gx, gy = x + 0.36, y - GAUGE / 2
                ax.add_patch(
                    Rectangle((gx - 0.045, gy), 0.09, GAUGE, fill=False, lw=0.8, ec=GREY, zorder=2)
                )
                gauges.append((gx, gy))
    gauge_fill = LineCollection(
        [[g, g] for g in gauges], colors="#444444", linewidths=5.5, capstyle="butt", zorder=3
    )
    ax.add_collection(gauge_fill)
    for l in range(1, len(sizes)):
        ax.text(
            pos[l][0][-1] + 0.36,
            pos[l][1][-1] - GAUGE / 2 - 0.05,
            "a",
            ha="center",
            va="top",
            fontsize=10,
            color=NOTE_GREY,
        )
    # Inputs and targets: x_1 and y_1 follow the sliders; x_2 and y_2 are fixed.
    x1_text = ax.text(pos[0][0][0], pos[0][1][0] - 0.3, "", ha="center", va="top", fontsize=9)
    ax.text(
        pos[0][0][1], pos[0][1][1] - 0.3, f"x\u2082 = {x2:+.2f}", ha="center", va="top", fontsize=9
    )
    y1_text = ax.text(pos[3][0][0] + 0.52, pos[3][1][0], "", ha="left", va="center", fontsize=9.5)
    ax.text(
        pos[3][0][1] + 0.52,
        pos[3][1][1],
        f"y\u2082 = {y2:.2f}",
        ha="left",
        va="center",
        fontsize=9.5,
    )
    # The slider's weight w^3_11: its edge is drawn on its own, highlighted, with its value.
    (x0, y0), (x1, y1) = (pos[2][0][0], pos[2][1][0]), (pos[3][0][0], pos[3][1][0])
    chosen_halo = ax.plot(
        [x0, x1], [y0, y1], color="#FFD23F", lw=1, zorder=1.5, solid_capstyle="round"
    )[0]
    chosen = ax.plot([x0, x1], [y0, y1], color="black", lw=1, zorder=2, solid_capstyle="round")[0]
    ax.text(
        0.5 * (x0 + x1),
        0.5 * (y0 + y1) + 0.3,
        "w\u00b3\u2081\u2081 (slider)",
        ha="center",
        va="bottom",
        fontsize=10,
        zorder=5,
        bbox=dict(boxstyle="round,pad=0.15", fc="#FFF1B8", ec="none"),
    )
    # The weight matrices as text under each gap, in storage order (n_out, n_in), one text
    # per row; only row 1 of W^3 (which holds the slider's weight) changes.
    mat_rows = {}
    for l in range(1, len(sizes)):
        for j in range(sizes[l]):
            mat_rows[l, j] = ax.text(
                (l - 0.5) * dx,
                -1.97 - 0.19 * j,
                "",
                ha="center",
                va="top",
                fontsize=9,
                family="monospace",
            )
        ax.text((l - 0.5) * dx, -1.9, f"$W^{l}$", ha="center", va="bottom", fontsize=10)
    ax.text(
        -0.9,
        -1.93,
        "as stored:\nrow j: to j\ncol k: from k",
        ha="left",
        va="top",
        fontsize=10,
        color=NOTE_GREY,
    )
    ax.text(
        -0.9,
        -2.82,
        "nodes are numbered j = 1, 2, 3 from the top; the bar beside a node is its "
        "activation a (0 to 1)\nedges: green w > 0, purple w < 0, width \u221d |w|",
        ha="left",
        va="bottom",
        fontsize=10,
        color=NOTE_GREY,
    )
    cax = ax.inset_axes([0.965, 0.38, 0.02, 0.55])
    cb = fig.colorbar(ScalarMappable(norm=norm, cmap=DELTA_CMAP), cax=cax)
    cb.set_label(r"node colour: error $\delta^l_j$", fontsize=10)
    cb.ax.tick_params(labelsize=8)

    def update(x1, y1, w311):
        net.W[3][0, 0] = w311  # the stored arrays are plain numpy: edit in place
        X = np.array([[x1, x2]])
        Y = np.array([[y1, y2]])
        zs, acts, deltas = errors_by_layer(net, X, Y)
        x1_text.set_text(f"x\u2081 = {x1:+.2f}")
        y1_text.set_text(f"y\u2081 = {y1:.2f}")
        colors = ["#DDDDDD"] * sizes[0]
        i = sizes[0]
        for l in range(1, len(sizes)):
            for j in range(sizes[l]):
                d = deltas[l][0, j]
                colors.append(DELTA_CMAP(norm(d)))
                node_text[i].set_text(f"{d:+.3f}")
                node_text[i].set_color("white" if abs(d) > 0.7 * dmax else "black")
                i += 1
        nodes.set_facecolor(colors)
        a_all = np.concatenate([acts[l][0] for l in range(1, len(sizes))])
        gauge_fill.set_segments(
            [[(gx, gy), (gx, gy + GAUGE * a)] for (gx, gy), a in zip(gauges, a_all)]
        )
        lw = edge_widths(net.W, [(3, 0, 0)])[0]
        chosen.set_color(POSITIVE if w311 >= 0 else NEGATIVE)
        chosen.set_linewidth(lw)
        chosen_halo.set_linewidth(lw + 8)
        for (l, j), t in mat_rows.items():
            t.set_text(_matrix_row(net.W[l][j], 0 if (l, j) == (3, 0) else None))
        C = float(net.cost_function.fn(acts[3], Y)[0])
        d3, s2 = deltas[3][0], net.sigmas[2].prime(zs[2])[0, 0]
        W3 = net.W[3]
        return (
            f"C = {C:.3f};  δ²₁ = (w³₁₁ δ³₁ + w³₂₁ δ³₂) σ′(z²₁)"
            f" = ({W3[0, 0]:+.2f}*{d3[0]:+.3f} + {W3[1, 0]:+.2f}*{d3[1]:+.3f})*{s2:.3f}"
            f" = {deltas[2][0, 0]:+.3f}"
        )

    w_max = max(*map(abs, W_RANGE), *(float(np.abs(W).max()) for W in net.W[1:]))
    controls = {
        "x1": slider("input x\u2081", 1.0, -3.0, 3.0, 0.1, fmt=".1f"),
        "y1": slider("target y\u2081", 1.0, 0.0, 1.0, 0.05),
        "w311": slider("weight w\u00b3\u2081\u2081", 2.5, *W_RANGE, 0.1, fmt=".1f"),
    }
    # The caption's numbers, from the picture at the sliders' starting values (the stored picture).
    start = {name: c.value for name, c in controls.items()}
    _, acts0, deltas0 = errors_by_layer(
        net, np.array([[start["x1"], x2]]), np.array([[start["y1"], y2]])
    )
    size0 = [float(np.abs(deltas0[l]).mean()) for l in range(1, len(sizes))]
    a31, d31 = float(acts0[3][0, 0]), float(deltas0[3][0, 0])
    side = "below" if a31 < start["y1"] else "above"
    caption = (
        f"<b>The stored picture</b> (x<sub>1</sub> = {number(start['x1'])}, y<sub>1</sub> = "
        f"{number(start['y1'])}, w<sup>3</sup><sub>11</sub> = {number(start['w311'])}): output 1 is "
        f"{side} its target (a<sup>3</sup><sub>1</sub> = {a31:.2f}), so &delta;<sup>3</sup><sub>1</sub> = "
        f"{d31:+.3f}, and BP2 carries the output errors back along the edges. Each node's colour is its "
        "error &delta;<sup>l</sup><sub>j</sub> = &part;C/&part;z<sup>l</sup><sub>j</sub> (red positive, "
        "blue negative, white near 0). The mean |&delta;| of a layer falls from "
        f"{size0[-1]:.3f} at the output to {size0[-2]:.3f} in layer 2 and {size0[0]:.3f} in layer 1: "
        f"every step back multiplies by {net.activation.name} &sigma;&prime; &le; "
        f"{number(float(net.activation.prime(np.zeros(1))[0]))}, which these weights "
        f"(|w| &le; {number(w_max)}) rarely make up for."
    )
    assert size0[-1] > size0[-2] > size0[0] and (d31 < 0) == (side == "below")  # what it says
    shapes = [chosen_halo, chosen, nodes, gauge_fill, y1_text]
    texts = [*node_text[sizes[0] :], x1_text, mat_rows[3, 0]]  # centred: Pillow draws them
    return PillowExplorer(fig, controls, update, caption, shapes=shapes, texts=texts)


# ---------------------------------------------------------------------------
# Depth view: vanishing and exploding errors, and the initialisation that avoids them.

DEPTH_MAX = 30  # hidden layers at most
DEPTH_WIDTH = 20  # units per hidden layer
DEPTH_INPUTS = 10  # inputs and outputs
SCALE_EXPONENTS = (-2.0, 3.0, 0.25)  # the weight scale slider: s = 2**x, x from -2 to 3
ACTIVATIONS = ("sigmoid", "tanh", "relu")
#: The initialisation toggle: its label and the variance of each weight times n_{l-1}
#: (the number of inputs of its layer l, the text's symbol in notebook 06), before the scale slider s multiplies the
#: standard deviation. 1/n_in is LeCun's variance (bplib's default); Glorot and Bengio's
#: "Xavier" 2/(n_in + n_out) equals it only where a layer has as many outputs as inputs.
LECUN = "Var(w) = 1/n_(l-1) (LeCun)"
XAVIER = LECUN  # the name this toggle value had before
HE = "Var(w) = 2/n_(l-1) (He)"
INITS = {LECUN: 1.0, HE: 2.0}


@functools.lru_cache(maxsize=4)
def _depth_setup(activation, seed=0):
    """The deepest net (weights N(0, 1/n_in), LeCun's draw), a batch X and targets Y.

    X and Y come from their own generator, ``default_rng([seed, 1])``: drawn from the
    weights' generator they would repeat the weights' numbers.
    """
    sizes = [DEPTH_INPUTS] + [DEPTH_WIDTH] * DEPTH_MAX + [DEPTH_INPUTS]
    net = Network(sizes, activation=activation, output_activation="identity", seed=seed)
    rng = np.random.default_rng([seed, 1])
    X = rng.normal(0.0, 1.0, (64, DEPTH_INPUTS))
    Y = rng.normal(0.0, 1.0, (64, DEPTH_INPUTS))
    return net, X, Y


def depth_profile(activation, depth, scale, init=LECUN, seed=0):
    r"""Mean :math:`|\delta^l|` for l = 1..L (L = depth + 1) and mean :math:`\sigma'(z^l)` per hidden layer.

    The network has ``depth`` hidden layers of 20 units with ``activation``, an
    identity output layer (so :math:`\delta^L = a^L - y` for the quadratic
    cost), weights drawn from :math:`N(0, \text{scale}^2 v/n_{in})` with
    :math:`v` = ``INITS[init]`` (1 for LeCun, 2 for He) and zero biases.
    ``depth`` uses the first hidden layers of one fixed deep net plus its output
    layer, so the same weights appear at every depth.
    """
    base, X, Y = _depth_setup(activation, seed)
    sigma = base.activation
    L = depth + 1
    s = scale * np.sqrt(INITS[init])
    W = [None] + [s * base.W[l] for l in range(1, L)] + [s * base.W[-1]]
    b = [None] + [np.zeros(len(W_l)) for W_l in W[1:]]
    sigmas = [None] + [sigma] * depth + [base.output_activation]
    z, a = feedforward_layers(W, b, sigmas, X)
    # BP1 with an identity output and the quadratic cost is a^L - y; then BP2 down to layer 1
    delta = backpropagate(output_error(a[L], Y, z[L], quadratic, sigmas[L]), W, z, sigmas)
    sizes = [np.abs(delta[l]).mean() for l in range(1, L + 1)]
    primes = [sigma.prime(z[l]).mean() for l in range(1, L)]
    return np.array(sizes), np.array(primes)


def step_factor(sizes):
    """The typical factor of one step back: the geometric mean of mean|δ^l| / mean|δ^{l+1}|."""
    return float(np.exp(np.mean(np.log(sizes[:-1] / sizes[1:]))))


def hidden_step_factor(sizes):
    """:func:`step_factor` over the steps between hidden layers (the output layer's step left out:
    it has 10 units, not 20, so its step back differs)."""
    return step_factor(sizes[:-1])


def depth_explorer(ymin=1e-20, ymax=1e8, depth=10):
    r"""Mean :math:`|\delta^l|` per layer, relative to the output layer, in deep nets.

    Controls: the activation (sigmoid, tanh or ReLU), the initialisation
    (:math:`\mathrm{Var}(w) = 1/n_{in}` or :math:`2/n_{in}`), the number of
    hidden layers and the weight scale s, a multiplier of the initialisation's
    standard deviation (weights :math:`\sim N(0, s^2 v/n_{in})`).
    """
    fig, (ax, ax2) = figure(2, 1, width=10.5, height=3.9)
    layers = np.arange(1, DEPTH_MAX + 2)
    ax.set_yscale("log")
    ax.set_xlim(0.5, DEPTH_MAX + 1.5)
    ax.set_ylim(ymin, ymax)
    ax.axhline(1.0, color=GREY, lw=1, ls="--")
    ax.set_xlabel("layer $l$ (layer 1 next to the input)")
    ax.set_ylabel(r"mean $|\delta^l|$ / mean $|\delta^L|$")
    ax.set_title("how much of the output error reaches layer $l$")
    (line,) = ax.plot([], [], "o-", color=BLUE, ms=4, lw=1.5)
    (out_pt,) = ax.plot([], [], "s", color=ORANGE, ms=8, label="output layer $L$")
    ax.legend(loc="upper right", fontsize=9)
    ax2.set_yscale("log")
    ax2.set_xlim(0.5, DEPTH_MAX + 0.5)
    ax2.set_ylim(1e-3, 1e2)
    ax2.axhline(1.0, color=GREY, lw=1, ls="--")
    ax2.set_xlabel("hidden layer $l$")
    ax2.set_title("one step back, from layer $l+1$ to layer $l$")
    (gain,) = ax2.plot(
        [],
        [],
        "o-",
        color=BLUE,
        ms=4,
        lw=1.5,
        label=r"factor: mean$|\delta^l|$ / mean$|\delta^{l+1}|$",
    )
    (prime,) = ax2.plot([], [], "^-", color=ORANGE, ms=4, lw=1.2, label=r"mean $\sigma'(z^l)$")
    ax2.legend(loc="upper left", fontsize=9)
    below = ax.text(
        0.98, 0.03, "", transform=ax.transAxes, ha="right", va="bottom", fontsize=9, color="#B00000"
    )

    def update(activation, init, depth, scale):
        sizes, primes = depth_profile(activation, depth, scale, init)
        rel = sizes / sizes[-1]
        L = depth + 1
        line.set_data(layers[:L], rel)
        out_pt.set_data([L], [1.0])
        ratio = sizes[:-1] / sizes[1:]
        gain.set_data(layers[:depth], ratio)
        prime.set_data(layers[:depth], primes)
        n_low = int(np.sum(rel < ymin))
        below.set_text(f"{n_low} layer(s) below {ymin:.0e}: off the axis" if n_low else "")
        factor = step_factor(sizes)
        return (
            f"Var(w) = {scale**2 * INITS[init]:.2f}/n_(l-1); "
            f"mean |δ¹| / mean |δᴸ| = {rel[0]:.1e}; "
            f"typical factor per step {factor:.2f}; mean σ′ {primes.mean():.3f}"
        )

    lo, hi, step = SCALE_EXPONENTS
    controls = {
        "activation": toggle("activation", ACTIVATIONS, "sigmoid", button_width="90px"),
        "init": toggle("initialisation", list(INITS), LECUN, button_width="190px"),
        "depth": slider("hidden layers", depth, 1, DEPTH_MAX, 1, integer=True),
        "scale": w.FloatLogSlider(
            value=1.0,
            base=2,
            min=lo,
            max=hi,
            step=step,
            description="weight scale s",
            readout_format=".2f",
            continuous_update=True,
            style={"description_width": "initial"},
            layout=w.Layout(width="320px"),
        ),
    }
    # The caption's numbers, from the same profile the default picture shows.
    shown, shown_primes = depth_profile("sigmoid", depth, 1.0)  # the default picture
    sig_default = step_factor(shown)
    # What to try with the controls is the markdown cell under the explorer in notebook 06; the
    # caption says what the default picture shows (tests/test_spoilers_06_07.py checks the claims).
    caption = (
        f"<b>The stored picture</b> (the default: sigmoid, Var(w) = 1/n_(l&minus;1), s = 1, {depth} hidden "
        "layers): each step back multiplies the error by W<sup>T</sup> and by &sigma;&prime;(z<sup>l</sup>). "
        f"The right panel shows this factor, about {sig_default:.2f} per step, close to the mean "
        f"&sigma;&prime; ({shown_primes.mean():.2f}), so the error "
        "<b>vanishes</b> geometrically: on the log axis the line falls steadily from the output, on "
        "the right, towards the input, on the left, and layer 1 gets about "
        f"10<sup>{number(np.round(np.log10(shown[0] / shown[-1])), '.0f')}</sup> of the output error. "
        "A factor above 1 would make the line rise towards the input: the error <b>explodes</b>. "
        "The questions under the explorer ask which activation and weights keep it flat."
    )
    return Explorer(fig, controls, update, caption, animated=[line, out_pt, gain, prime, below])
