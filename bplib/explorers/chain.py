r"""Notebook 04: the chain rule on a chain of single neurons (one neuron per layer).

The chain is the 3Blue1Brown picture with two layers of parameters::

    x = a^(L-2) --w^(L-1), b^(L-1)--> z^(L-1) --sigma--> a^(L-1)
                --w^L, b^L-->     z^L   --sigma--> a^L --> C_i

with bplib's cost :math:`C_i = \tfrac12 (a^L - y)^2`.
"""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid
from ..plotting import BLUE, GREEN, GREY, RED, TEXT_GREEN, TEXT_ORANGE, figure
from ..widgets import Explorer, number, slider, toggle
from .fastdraw import BandedPNG, PillowText

#: The two weights the explorer can plot the cost against (the toggle's values), and the
#: plain-text names its buttons, sliders and caption show.
WEIGHTS = ("w(L)", "w(L-1)")
NAMES = {"w(L)": "w^L", "w(L-1)": "w^(L−1)"}


def chain_forward(x, w_prev, b_prev, w_L, b_L):
    r"""Forward pass of the chain: ``z^(L-1), a^(L-1), z^L, a^L`` (arrays broadcast)."""
    z_prev = w_prev * x + b_prev
    a_prev = sigmoid.fn(z_prev)
    z_L = w_L * a_prev + b_L
    return z_prev, a_prev, z_L, sigmoid.fn(z_L)


def chain_cost(x, w_prev, b_prev, w_L, b_L, y):
    r"""The cost :math:`C_i = \tfrac12 (a^L - y)^2` of the chain (bplib's default)."""
    return 0.5 * (chain_forward(x, w_prev, b_prev, w_L, b_L)[3] - y) ** 2


#: Every local derivative on the paths from w^L and w^(L-1) to C_i (mathtext labels),
#: and which of them make up each weight's chain-rule product.
FACTOR_LABELS = (
    r"$\partial z^{L-1}/\partial w^{L-1} = a^{L-2}$",
    r"$\partial a^{L-1}/\partial z^{L-1} = \sigma'(z^{L-1})$",
    r"$\partial z^L/\partial a^{L-1} = w^L$",
    r"$\partial z^L/\partial w^L = a^{L-1}$",
    r"$\partial a^L/\partial z^L = \sigma'(z^L)$",
    r"$\partial C_i/\partial a^L = a^L - y$",
)
PATHS = {"w(L)": (3, 4, 5), "w(L-1)": (0, 1, 2, 4, 5)}


def chain_factors(x, w_prev, b_prev, w_L, b_L, y):
    r"""The values of the six local derivatives of :data:`FACTOR_LABELS`.

    ``dC_i/dw^L`` is the product of those listed in ``PATHS["w(L)"]``:
    a^(L-1) sigma'(z^L) (a^L - y); ``dC_i/dw^(L-1)`` of ``PATHS["w(L-1)"]``:
    a^(L-2) sigma'(z^(L-1)) w^L sigma'(z^L) (a^L - y).
    """
    z_prev, a_prev, z_L, a_L = chain_forward(x, w_prev, b_prev, w_L, b_L)
    return [float(v) for v in (x, sigmoid.prime(z_prev), w_L, a_prev, sigmoid.prime(z_L), a_L - y)]


def _signed(v, digits):
    """``v`` with a sign and ``digits`` decimals, never "-0.000"."""
    return f"{round(float(v), digits) + 0.0:+.{digits}f}"


class _ChainExplorer(Explorer):
    """The explorer of :func:`chain_explorer`, drawn for speed (the picture is the same).

    What the toggle changes (the two titles, which are mathtext and slow to draw, and the
    rows greyed "not on the path") stays put while the sliders move, so it is drawn into a
    blitting background per chosen weight, kept after its first use. A slider event restores
    that background and redraws the curves with matplotlib. The label "central difference,
    h = ..." changes only with h: matplotlib draws each of its strings once, and the pixels
    are kept and pasted back. The changing numbers (the values of the rows on the path, the
    product and the central difference) are drawn with Pillow (:class:`~bplib.explorers.fastdraw.PillowText`). The picture
    is compressed as an RGB PNG with no row filter
    (:class:`~bplib.explorers.fastdraw.BandedPNG`), several times faster than Pillow's encoder.
    """

    def __init__(self, fig, controls, update, caption, *, moving, label, numbers, rows):
        self._moving, self._label, self._rows = moving, label, rows
        self._numbers = {id(t): PillowText(t) for t in [*numbers, *rows]}
        self._backgrounds, self._label_pixels, self._png = {}, {}, BandedPNG()
        animated = [*moving, label, *numbers, *rows]
        super().__init__(fig, controls, update, caption, animated=animated)

    @property
    def which(self):
        """The weight on the horizontal axis: ``"w(L)"`` or ``"w(L-1)"``."""
        return self.controls["which"].value

    def _animated(self, which):
        """The artists that move while ``which`` is chosen: all but the rows off its path."""
        off = [self._rows[i] for i in range(len(self._rows)) if i not in PATHS[which]]
        return [a for a in self.animated if not any(a is r for r in off)]

    def render(self):
        which, canvas = self.which, self.fig.canvas
        if not self._backgrounds:
            canvas.draw()  # lay out once, then freeze the layout: redraws stay fast
            self.fig.set_layout_engine("none")
        animated = self._animated(which)
        if which not in self._backgrounds:
            for a in self.animated:
                a.set_animated(any(a is b for b in animated))
            canvas.draw()
            self._backgrounds[which] = canvas.copy_from_bbox(self.fig.bbox)
        canvas.restore_region(self._backgrounds[which])
        for a in self._moving:
            a.axes.draw_artist(a)
        key = (which, self._label.get_text())
        kept = self._label_pixels.get(key)
        if kept is None:
            self._label.axes.draw_artist(self._label)
        renderer = canvas.get_renderer()
        pixels = np.array(canvas.buffer_rgba())
        if kept is None:  # keep what matplotlib drew, with a margin round its extent
            box = self._label.get_window_extent(renderer)
            rows = slice(
                max(int(renderer.height - box.y1) - 2, 0), int(renderer.height - box.y0) + 3
            )
            cols = slice(max(int(box.x0) - 2, 0), int(box.x1) + 3)
            self._label_pixels[key] = kept = (rows, cols, pixels[rows, cols].copy())
        else:
            rows, cols, patch = kept
            pixels[rows, cols] = patch
        for a in animated:
            if id(a) in self._numbers:
                self._numbers[id(a)].draw(pixels, renderer)
        return self._png.encode(pixels[..., :3])


def chain_explorer(
    x=1.5, w_prev=1.0, b_prev=-0.5, w_L=-1.5, b_L=1.0, y=0.8, h=1.0, w_range=(-5.0, 5.0)
):
    r"""Cost :math:`C_i` against one weight of the chain, with the backprop tangent,
    the central-difference secant, and every factor of the chain rule with its value.

    Sliders: which weight is on the horizontal axis, the values of both weights,
    the input :math:`x = a^{L-2}` and the finite-difference step ``h``. The
    biases and the target ``y`` stay fixed at the given values.
    """
    fig, (ax, tx) = figure(2, 1, width=10.0, height=4.3)
    fig.get_layout_engine().set(w_pad=0.02)
    ws = np.linspace(*w_range, 241)
    lo, hi = w_range
    top = 0.5 * max(y, 1.0 - y) ** 2 * 1.35  # the largest cost, plus room for the legend
    ax.set(
        xlim=w_range,
        ylim=(-0.04 * top, top),
        ylabel=r"cost $C_i = \frac{1}{2}(a^L - y)^2$",
        xlabel=r"the chosen weight, $w^L$ or $w^{L-1}$",
    )
    (curve,) = ax.plot(ws, 0 * ws, color=BLUE, lw=2, label=r"$C_i$ against the weight")
    (tangent,) = ax.plot([], [], color=TEXT_ORANGE, lw=2.5, label="tangent, slope from backprop")
    (secant,) = ax.plot(
        [], [], color=GREEN, lw=1.5, ls="--", label="secant through $w \\pm h$ (central difference)"
    )
    (ends,) = ax.plot([], [], "o", color=GREEN, ms=5)
    (point,) = ax.plot([], [], "o", color=RED, ms=8, zorder=5)
    ax.legend(loc="upper left", fontsize=9)
    # Which weight is on the axis: the (animated) title. An animated axis label
    # would not work: the axis draws it into the blitting background anyway.
    xlabel = ax.set_title(" ", fontsize=11)

    # The right panel: every local derivative, one per row, with its value. The labels
    # are static (drawn once); only the values change, and the rows that are not on
    # the chosen weight's path are marked as such.
    tx.set_axis_off()
    tx.set(xlim=(0, 1), ylim=(0, 1))
    title = tx.text(0.0, 0.985, "", fontsize=12, va="top")
    step = 0.083
    values = []
    for i, label in enumerate(FACTOR_LABELS):
        tx.text(0.0, 0.87 - step * i, label, fontsize=11, va="top")
        values.append(
            tx.text(
                0.98, 0.87 - step * i, "", fontsize=11, va="top", ha="right", family="monospace"
            )
        )
    tx.plot([0.0, 0.98], [0.36, 0.36], color=GREY, lw=0.8)
    tx.text(0.0, 0.335, "product = backprop slope", fontsize=11, va="top")
    product = tx.text(
        0.98,
        0.335,
        "",
        fontsize=11,
        va="top",
        ha="right",
        family="monospace",
        color=TEXT_ORANGE,
        weight="bold",
    )
    central = (
        tx.text(0.0, 0.245, "", fontsize=11, va="top"),
        tx.text(
            0.98,
            0.245,
            "",
            fontsize=11,
            va="top",
            ha="right",
            family="monospace",
            color=TEXT_GREEN,
            weight="bold",
        ),
    )
    tx.text(
        0.0,
        0.12,
        rf"fixed: $b^{{L-1}}$ = {b_prev:g}, $b^L$ = {b_L:g}, target $y$ = {y:g}",
        fontsize=10,
        va="top",
        color=GREY,
    )

    def update(which, w_L, w_prev, x, h):
        params = dict(x=x, w_prev=w_prev, b_prev=b_prev, w_L=w_L, b_L=b_L, y=y)
        key = "w_L" if which == "w(L)" else "w_prev"
        sym = "w^L" if which == "w(L)" else "w^{L-1}"
        w0 = params[key]
        curve.set_ydata(chain_cost(**{**params, key: ws}))
        c0 = float(chain_cost(**params))
        factors = chain_factors(**params)
        used = [factors[i] for i in PATHS[which]]
        slope = float(np.prod(used))
        c_plus = float(chain_cost(**{**params, key: w0 + h}))
        c_minus = float(chain_cost(**{**params, key: w0 - h}))
        fd = (c_plus - c_minus) / (2 * h)
        span = np.array([max(lo, w0 - 1.5), min(hi, w0 + 1.5)])
        tangent.set_data(span, c0 + slope * (span - w0))
        secant.set_data(span, (c_plus + c_minus) / 2 + fd * (span - w0))
        ends.set_data([w0 - h, w0 + h], [c_minus, c_plus])
        point.set_data([w0], [c0])
        xlabel.set_text(f"$C_i$ against ${sym}$")
        title.set_text(rf"$\partial C_i/\partial {sym}$ = product of the rows with a value:")
        for i, (value, v) in enumerate(zip(values, factors)):
            on_path = i in PATHS[which]
            value.set_text(_signed(v, 3) if on_path else "not on the path")
            value.set_color("black" if on_path else "#808080")
            value.set_fontsize(11 if on_path else 9)
        product.set_text(_signed(slope, 4))
        central[0].set_text(f"central difference, h = {h:.2g}")
        central[1].set_text(_signed(fd, 4))
        a_L = chain_forward(x, w_prev, b_prev, w_L, b_L)[3]
        shown = " x ".join(_signed(v, 3) for v in used)
        return (
            f"a^L = {a_L:.3f}, C_i = {c0:.4f}; dC_i/d{NAMES[which]} = {shown} "
            f"= {_signed(slope, 4)} (backprop); central difference (h = {h:.2g}) "
            f"= {_signed(fd, 4)}"
        )

    which_control = toggle(
        "cost against", [(NAMES[v], v) for v in WEIGHTS], "w(L)", button_width="70px"
    )
    controls = {
        "which": which_control,
        "w_L": slider(NAMES["w(L)"], w_L, lo, hi, 0.05),
        "w_prev": slider(NAMES["w(L-1)"], w_prev, lo, hi, 0.05),
        "x": slider("input x = a^(L−2)", x, -2.0, 2.0, 0.05),
        "h": slider("step h", h, 0.01, 1.5, 0.01),
    }
    caption = (
        "The orange tangent has the slope that the chain rule (backprop) gives: the product "
        "of the rows on the right that show a value, the local derivatives on the path from "
        'the chosen weight to the cost (the others read "not on the path"). The dashed green secant joins the cost at w − h and w + h; its '
        "slope is the central difference. Shrink h and the secant turns into the tangent: the "
        "two slopes on the right agree to more and more digits (the gap falls like h²). "
        "Switch to w^(L−1): which rows gain a value and which lose theirs? Back on w^L, move "
        "w^L until the tangent is level: which row of the product is 0 there, and what has the "
        "output a^L become? "
        f"Then, with the toggle on w^(L−1), drag w^(L−1) to {number(hi)}: compare the row "
        "σ′(z^(L−1)) and the slope with their values at the start, and the cost there with the "
        "lowest point of the curve. The answers to these three questions are folded under the explorer."
    )
    return _ChainExplorer(
        fig,
        controls,
        update,
        caption,
        moving=[curve, tangent, secant, ends, point],
        label=central[0],
        numbers=[product, central[1]],
        rows=values,
    )
