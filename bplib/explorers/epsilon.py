r"""Notebook 09 (gradient checking): how the step :math:`\varepsilon` of a central difference matters.

:func:`eps_explorer` shows, for one weight, what the central difference sees at a
given :math:`\varepsilon` in float64 and float32, next to the relative error of the
whole numerical gradient as a function of :math:`\varepsilon`.
"""

from __future__ import annotations

import numpy as np
from matplotlib.legend_handler import HandlerTuple

from ..gradcheck import numerical_gradients, relative_error
from ..network import Network
from ..plotting import BLUE, GREY, ORANGE, figure
from ..widgets import Explorer, slider

DTYPES = (np.float64, np.float32)
COLOURS = {np.float64: BLUE, np.float32: ORANGE}


def example_problem(dtype=np.float64, seed=0):
    """The small problem of notebook 09: a [3, 4, 2] sigmoid network and 5 random examples."""
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(5, 3)), rng.uniform(size=(5, 2))
    return Network([3, 4, 2], seed=seed, dtype=dtype), X, Y


def flat(arrays):
    """Concatenate lists indexed by layer (e.g. ``grad_W + grad_b``) into one float64 vector.

    The ``None`` of the input layer is skipped.
    """
    return np.concatenate([np.ravel(a) for a in arrays if a is not None]).astype(np.float64)


def exact_gradient(net, X, Y):
    """Backprop in float64 at the parameters of ``net`` (whatever its dtype): the reference."""
    ref = Network(
        net.sizes,
        activation=net.activation,
        output_activation=net.output_activation,
        cost=net.cost_function,
    )
    ref.W, ref.b = net.W, net.b  # copied into float64
    grad_W, grad_b = ref.gradients(X, Y)
    return flat(grad_W + grad_b)


def eps_sweep(net, X, Y, eps_values):
    """Relative error of ``numerical_gradients(net, X, Y, eps)`` for each eps, in ``net``'s dtype."""
    g = exact_gradient(net, X, Y)
    return np.array(
        [
            relative_error(flat(sum(numerical_gradients(net, X, Y, eps=e), [])), g)
            for e in eps_values
        ]
    )


def _e(x):
    """A positive number in short scientific notation: 2.5e-4, 1e-8, 0.1."""
    if 1e-3 <= x < 1e3:
        return f"{x:.2g}"
    mantissa, exponent = f"{x:.1e}".split("e")
    return f"{mantissa.removesuffix('.0')}e{int(exponent)}"


def eps_explorer(log10_min=-12.0, log10_max=0.0, step=0.2, n_points=41):
    r"""A slider for :math:`\log_{10}\varepsilon`; the cost around one weight, and the error curves.

    Left: :math:`C(\theta + h) - C(\theta)` for :math:`h \in [-\varepsilon, \varepsilon]`,
    divided by :math:`\varepsilon\, \partial C/\partial\theta` so that the exact
    tangent is the diagonal whatever :math:`\varepsilon` is, for float64 and
    float32; the secant through the two ends is what the central difference
    measures. Right: the relative error of the whole numerical gradient against
    :math:`\varepsilon`, with a marker at the slider's :math:`\varepsilon`.
    """
    exps = np.round(np.arange(log10_min, log10_max + step / 2, step), 10)
    eps_values = 10.0**exps
    t = np.linspace(-1.0, 1.0, n_points)

    curves, secants, errors = {}, {}, {}
    for dtype in DTYPES:
        net, X, Y = example_problem(dtype)
        n_params = sum(p.size for p in net.W[1:] + net.b[1:])
        W = net.W[1]  # the weight we look at: w^1_{11}
        old = W[0, 0]
        g = exact_gradient(net, X, Y)[0]  # its exact slope dC/dw (float64 backprop)
        C0 = net.cost(X, Y)
        rows = []
        for eps in eps_values:
            c = np.empty(n_points)
            for i, ti in enumerate(t):
                W[0, 0] = old + ti * eps  # rounded to the network's dtype, as in a check
                c[i] = net.cost(X, Y)
            W[0, 0] = old
            rows.append((c - C0) / (g * eps))
        curves[dtype] = np.array(rows)
        secants[dtype] = 0.5 * (curves[dtype][:, -1] - curves[dtype][:, 0])  # slope / exact slope
        errors[dtype] = eps_sweep(net, X, Y, eps_values)

    fig, (ax, ax_err) = figure(2, 1, width=10.0, height=4.0)
    (tangent,) = ax.plot([-1, 1], [-1, 1], color=GREY, lw=5, alpha=0.35)
    dots, lines, handles, labels = {}, {}, [tangent], ["exact slope (backprop)"]
    # Where the two precisions agree their points coincide: as in section 3's plot, float64 is
    # drawn as small filled dots and a thin line on top, float32 as hollow squares and a wide
    # pale line underneath, so that both stay visible (and so do both legend entries).
    for dtype in DTYPES:
        name = np.dtype(dtype).name
        if dtype == np.float64:
            dot_style = dict(marker="o", ms=3.5, zorder=4)
            line_style = dict(lw=1.5, zorder=3.5)
            what = "C (dots)"
        else:
            dot_style = dict(marker="s", ms=6, mfc="none", mew=1.2, zorder=3)
            line_style = dict(lw=5, alpha=0.45, zorder=2.5)
            what = "C (squares)"
        (dots[dtype],) = ax.plot([], [], ls="none", color=COLOURS[dtype], **dot_style)
        (lines[dtype],) = ax.plot([], [], "-", color=COLOURS[dtype], **line_style)
        handles.append((dots[dtype], lines[dtype]))
        labels.append(f"{name}: {what}, central-difference slope")
    ax.set(
        xlim=(-1.05, 1.05),
        ylim=(-2.2, 2.2),
        xlabel=r"step $h / \varepsilon$",
        ylabel=r"$[C(w + h) - C(w)] \,/\, (\varepsilon\, \partial C/\partial w)$",
        title=r"the cost around one weight $w = w^1_{11}$",
    )
    ax.legend(
        handles,
        labels,
        handler_map={tuple: HandlerTuple(ndivide=None)},
        loc="upper left",
        fontsize=9,
    )

    for dtype in DTYPES:
        ax_err.loglog(
            eps_values,
            np.maximum(errors[dtype], 1e-16),
            color=COLOURS[dtype],
            label=np.dtype(dtype).name,
            # float64 thin on top of a wide float32, so both show where they coincide
            **(dict(lw=1.5, zorder=3) if dtype == np.float64 else dict(lw=4, alpha=0.6, zorder=2)),
        )
    markers = {
        np.float64: ax_err.plot([], [], "o", ms=6, color=COLOURS[np.float64], zorder=4)[0],
        np.float32: ax_err.plot(
            [], [], "s", ms=10, mfc="none", mew=1.5, color=COLOURS[np.float32], zorder=3
        )[0],
    }
    vline = ax_err.axvline(eps_values[0], color="k", lw=1, ls=":")
    ax_err.set(
        xlim=(eps_values[0], eps_values[-1]),
        ylim=(1e-12, 3),
        xlabel=r"$\varepsilon$",
        ylabel="relative error of the whole gradient",
        title=f"all {n_params} parameters: error against $\\varepsilon$",
    )
    ax_err.legend(loc="lower left")

    def update(log10_eps):
        k = int(np.argmin(np.abs(log10_eps - exps)))
        parts = []
        for dtype in DTYPES:
            y = np.clip(curves[dtype][k], -2.15, 2.15)
            dots[dtype].set_data(t, y)
            s = secants[dtype][k]
            lines[dtype].set_data([-1, 1], np.clip([-s, s], -2.15, 2.15))
            markers[dtype].set_data([eps_values[k]], [max(errors[dtype][k], 1e-16)])
            parts.append(f"{np.dtype(dtype).name} {errors[dtype][k]:.1e}")
        vline.set_xdata([eps_values[k]])
        return f"ε = {eps_values[k]:.2g}: relative error " + ", ".join(parts)

    # a linear slider over log10(eps): its readout is the same in Python and in the browser
    control = slider("log₁₀ ε", -1.0, log10_min, log10_max, step, fmt=".1f")
    # The caption says what to look for and leaves the numbers to the slider and its readout
    # (where each precision is most accurate, where the float32 dots scatter and lie flat).
    caption = (
        "the dots are C around one weight, scaled so that the exact tangent is the grey diagonal "
        f"for every ε. At the start (ε = {_e(10.0**control.value)}) the dots bend away from the "
        "tangent because C is curved, yet the central-difference slope stays on it: the curved "
        "(even) part cancels in C(w + ε) - C(w - ε). Both precisions agree there, and the error "
        "of the whole gradient (right) is truncation, ∝ ε². Drag ε smaller: the error falls by "
        "a factor 100 per decade until rounding takes over and it rises again by a factor 10 "
        "per decade (∝ u/ε), much sooner in float32 than in float64. In float32 the orange squares "
        "then scatter about the line, settle on a few levels (a staircase: C changes by only a "
        "few float32 steps across the window) and at last lie flat, ĝ = 0 (section 3). The "
        "blue float64 dots stay on the line over the whole slider."
    )
    return Explorer(
        fig,
        {"log10_eps": control},
        update,
        caption,
        animated=[*dots.values(), *lines.values(), *markers.values(), vline],
    )
