r"""Explorers for notebook 07: from the errors :math:`\delta^l` to the parameter gradients.

* :func:`per_example_explorer`: the per-example partials :math:`\partial C_i/\partial w` of one
  weight, next to their mean :math:`\partial C/\partial w` and the cost curve it is the slope of.
* :func:`sum_vs_mean_explorer`: gradient descent with the summed or the averaged gradient; the
  sum multiplies the effective learning rate by :math:`n`.
"""

from __future__ import annotations

import functools

import numpy as np
from matplotlib.collections import LineCollection

from ..backward import weight_gradient_per_example
from ..datasets import moons
from ..network import Network
from ..plotting import BLUE, GREEN, GREY, ORANGE, RED, figure
from ..widgets import Explorer, slider, toggle
from .recursion import errors_by_layer


def per_example_gradients(net, X, Y):
    r"""Every example's own gradient :math:`\nabla C_i`, flattened: an ``(n, P)`` array.

    Row ``i`` lists :math:`\partial C_i/\partial w` for every weight (layer by
    layer, ``W.ravel()`` order) and then every bias. BP4 for one example is the
    outer product :math:`\delta^l_i (a^{l-1}_i)^T`; BP3 is :math:`\delta^l_i`.
    Their mean over the rows is ``net.gradients(X, Y)`` flattened the same way.
    """
    z, a, delta = errors_by_layer(net, X, Y)
    n = X.shape[0]
    layers = range(1, net.L + 1)
    parts = [weight_gradient_per_example(delta[l], a[l - 1]).reshape(n, -1) for l in layers]
    parts += [delta[l] for l in layers]
    return np.hstack(parts)


# ---------------------------------------------------------------------------
# 1. Per-example partials of one weight, and their mean.


@functools.lru_cache(maxsize=1)
def _trained_moons_net():
    """A 2-3-1 sigmoid net trained on 24 moons points (full-batch GD, 300 steps, eta = 3)."""
    X, y = moons(24, noise=0.15, seed=3)
    Y = y[:, None].astype(float)
    net = Network([2, 3, 1], activation="sigmoid", cost="quadratic", seed=0)
    net.fit(X, Y, epochs=300, batch_size=24, eta=3.0, seed=0, progress=False)
    return net, X, Y


def per_example_explorer(layer=2, j=0, k=0, half_range=6.0, step=0.1):
    r"""Bars of :math:`\partial C_i/\partial w^l_{jk}` for every example, their mean, and :math:`C(w)`.

    The network (2-3-1, sigmoid, quadratic cost) is first trained on 24 points of
    the moons set; the slider then moves one weight away from its trained
    value. Everything is precomputed on the slider's grid.
    """
    net, X, Y = _trained_moons_net()
    net = net.copy()
    W = net.W[layer]
    w_star = float(W[j, k])
    centre = round(w_star)
    grid = np.round(np.arange(centre - half_range, centre + half_range + step / 2, step), 10)
    order = np.argsort(Y[:, 0], kind="stable")  # class 0 first, then class 1
    n = X.shape[0]
    per_example = np.empty((grid.size, n))
    costs = np.empty((grid.size, n))
    for i, value in enumerate(grid):
        W[j, k] = value
        z, a, delta = errors_by_layer(net, X, Y)
        per_example[i] = weight_gradient_per_example(delta[layer], a[layer - 1])[order, j, k]  # BP4
        costs[i] = net.cost_function.fn(a[-1], Y)[order]
    W[j, k] = w_star
    mean_grad = per_example.mean(axis=1)
    mean_cost = costs.mean(axis=1)
    labels = Y[order, 0]
    colours = np.where(labels == 0, BLUE, ORANGE)
    tex = f"$w^{layer}_{{{j + 1}{k + 1}}}$"

    fig, (ax, ax2) = figure(2, 1, width=10.5, height=3.9)
    gmax = 1.1 * np.abs(per_example).max()
    ax.set_xlim(-0.5, n - 0.5)
    ax.set_ylim(-gmax, gmax)
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlabel("example i (class 0 left, class 1 right)")
    ax.set_ylabel(rf"$\partial C_i / \partial${tex}")
    ax.set_title("one bar per example; line = their mean")
    ax.grid(axis="x", visible=False)
    xs = np.arange(n)
    bars = LineCollection(
        [[(x, 0), (x, 0)] for x in xs], colors=colours, linewidths=9, capstyle="butt"
    )
    ax.add_collection(bars)
    (mean_line,) = ax.plot(
        [-0.5, n - 0.5], [0, 0], color=GREEN, lw=2.4, label=rf"mean $= \partial C/\partial${tex}"
    )
    ax.plot([], [], color=BLUE, lw=6, label="class 0")
    ax.plot([], [], color=ORANGE, lw=6, label="class 1")
    ax.legend(loc="upper left", fontsize=8.5, ncol=3)
    ticks = [0, *range(4, n, 5)]  # examples are numbered from 1: bar x is example x + 1
    ax.set_xticks(ticks, [str(t + 1) for t in ticks])

    ax2.set_xlim(grid[0], grid[-1])
    cmax = min(1.05 * costs.max(), 0.55)
    ax2.set_ylim(0, cmax)
    for c_i, col in zip(costs.T, colours):  # one curve per example, coloured by class
        ax2.plot(grid, c_i, color=col, lw=1.2, alpha=0.7)
    ax2.plot(grid, mean_cost, color="black", lw=2.2, label=r"$C = \frac{1}{n}\sum_i C_i$")
    ax2.plot([], [], color=BLUE, lw=1.2, alpha=0.7, label="each $C_i$, class 0")
    ax2.plot([], [], color=ORANGE, lw=1.2, alpha=0.7, label="each $C_i$, class 1")
    ax2.axvline(w_star, color=GREY, lw=1, ls=":")
    ax2.text(w_star, 0.005, " trained value", color="#555555", fontsize=9.5, va="bottom")
    ax2.set_xlabel(f"weight {tex}")
    ax2.set_ylabel("cost")
    ax2.set_title("the mean is the slope of $C$")
    (tangent,) = ax2.plot(
        [], [], color=GREEN, lw=2.4, label=r"tangent, slope $\partial C/\partial w$"
    )
    (point,) = ax2.plot([], [], "o", color=GREEN, ms=7)
    ax2.legend(loc="upper right", fontsize=8.5)
    half = 0.12 * (grid[-1] - grid[0])
    tiny = 5e-3  # the readout counts the bars beyond ±tiny

    def update(w_value):
        i = int(np.argmin(np.abs(grid - w_value)))
        g = per_example[i]
        bars.set_segments([[(x, 0), (x, v)] for x, v in zip(xs, g)])
        mean_line.set_ydata([mean_grad[i], mean_grad[i]])
        wv, c, s = grid[i], mean_cost[i], mean_grad[i]
        tangent.set_data([wv - half, wv + half], [c - s * half, c + s * half])
        point.set_data([wv], [c])
        up, down = int(np.sum(g > tiny)), int(np.sum(g < -tiny))
        return (
            f"mean of the {n} bars = dC/dw = {s:+.4f}; "
            f"{up} bars above {tiny:+g}, {down} below {-tiny:+g}; C = {c:.4f}"
        )

    controls = {
        "w_value": slider(
            f"weight {_pretty(layer, j, k)}",
            round(w_star, 1),
            float(grid[0]),
            float(grid[-1]),
            step,
            fmt=".1f",
        )
    }
    caption = (
        "Each bar is one example's own partial &part;C<sub>i</sub>/&part;w (BP4: "
        "a<sup>l&minus;1</sup><sub>k</sub> &delta;<sup>l</sup><sub>j</sub> for that example); the "
        "green line is their mean, the note's &part;C/&part;w = (1/n) &Sigma;<sub>i</sub> "
        "&part;C<sub>i</sub>/&part;w, and it is exactly the slope of the green tangent to the mean cost on the "
        "right. At the trained value the mean is almost zero, yet a few examples still pull hard in opposite "
        "directions while many bars are near zero: an example whose a<sup>l&minus;1</sup><sub>k</sub> or "
        "&delta;<sup>l</sup><sub>j</sub> is near zero has little to say about this weight. Move the weight away "
        "and the examples the change hurts pull back: the mean "
        "moves off zero and the tangent tilts with it."
    )
    return Explorer(fig, controls, update, caption, animated=[bars, mean_line, tangent, point])


def _pretty(layer, j, k):
    sup = "⁰¹²³⁴⁵⁶⁷⁸⁹"
    sub = "₀₁₂₃₄₅₆₇₈₉"
    return f"w{sup[layer]}{sub[j + 1]}{sub[k + 1]}"


# ---------------------------------------------------------------------------
# 2. Sum or mean: the effective learning rate.

MEAN, SUM = "mean: (1/n) Σ ∇C_i", "sum: Σ ∇C_i"


@functools.lru_cache(maxsize=4)
def linear_neuron_runs(n_max=60, eta=0.1, steps=40, seed=0):
    r"""Gradient descent on one linear neuron :math:`a = w x + b` for every n = 1..n_max.

    The data are the first n points of a fixed pool (x uniform on [-1, 2],
    y = 2x - 1 + noise); the cost is :math:`\frac{1}{n}\sum_k \frac12 (a_k - y_k)^2`.
    Each run starts at w = b = 0 and takes ``steps`` steps with the mean
    gradient (``MEAN``) or the summed gradient (``SUM``). Returns a dict with the
    excess cost :math:`C(\theta_t) - \min C` per step (``inf`` once it
    overflows), the largest curvature :math:`\lambda` per n, and the pool.
    """
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1.0, 2.0, n_max)
    y = 2.0 * x - 1.0 + rng.normal(0.0, 0.3, n_max)
    out = {
        "x": x,
        "y": y,
        "eta": eta,
        "steps": steps,
        "lam": np.empty(n_max),
        MEAN: np.empty((n_max, steps + 1)),
        SUM: np.empty((n_max, steps + 1)),
    }
    for n in range(1, n_max + 1):
        A = np.c_[x[:n], np.ones(n)]  # rows (x_k, 1): a_k = A_k @ (w, b)
        H = A.T @ A / n  # the Hessian of the mean cost
        theta_min = np.linalg.lstsq(A, y[:n], rcond=None)[0]
        c_min = 0.5 * np.mean((A @ theta_min - y[:n]) ** 2)
        out["lam"][n - 1] = np.linalg.eigvalsh(H)[-1]
        for mode, scale in ((MEAN, 1.0), (SUM, float(n))):
            theta = np.zeros(2)
            excess = []
            with np.errstate(over="ignore", invalid="ignore"):
                for _ in range(steps + 1):
                    r = A @ theta - y[:n]
                    excess.append(0.5 * np.mean(r * r) - c_min)
                    grad_mean = A.T @ r / n  # (1/n) sum_i grad C_i
                    theta = theta - eta * scale * grad_mean
            e = np.array(excess)
            out[mode][n - 1] = np.where(np.isfinite(e), np.maximum(e, 0.0), np.inf)
    return out


def sum_vs_mean_explorer(n_max=60, eta=0.1, steps=40):
    r"""Gradient descent with the summed or the averaged gradient, for n examples.

    One linear neuron fitted to n points; the learning rate :math:`\eta` is fixed.
    With the sum, the step is :math:`\eta n` times the mean gradient, so the
    effective learning rate grows with n until it passes the stability limit
    :math:`2/\lambda` and descent diverges.
    """
    runs = linear_neuron_runs(n_max, eta, steps)
    ns = np.arange(1, n_max + 1)
    limit = 2.0 / runs["lam"]
    fig, (ax, ax2) = figure(2, 1, width=10.5, height=3.9)
    lo, hi = 1e-6, 1e4
    ax.set_yscale("log")
    ax.set_xlim(0, steps)
    ax.set_ylim(lo, hi)
    ax.set_xlabel("gradient-descent step t")
    ax.set_ylabel(r"$C(\theta_t) - \min C$")
    ax.set_title(f"descent on n examples, $\\eta$ = {eta:g}")
    (curve,) = ax.plot([], [], "o-", ms=3, lw=1.6, color=BLUE)
    flag = ax.text(
        0.97,
        0.95,
        "",
        transform=ax.transAxes,
        ha="right",
        va="top",
        fontsize=10,
        color=RED,
        fontweight="bold",
    )
    ax2.set_xscale("log")
    ax2.set_yscale("log")
    ax2.set_xlim(0.9, n_max * 1.1)
    ax2.set_ylim(eta / 3, eta * n_max * 3)
    ax2.plot(ns, np.full(n_max, eta), color=BLUE, lw=1.6, label=r"mean: $\eta_{eff} = \eta$")
    ax2.plot(ns, eta * ns, color=ORANGE, lw=1.6, label=r"sum: $\eta_{eff} = \eta\, n$")
    ax2.plot(ns, limit, color=RED, lw=1.4, ls="--", label=r"stability limit $2/\lambda$")
    ax2.fill_between(ns, limit, eta * n_max * 3, color=RED, alpha=0.07, lw=0)
    ax2.set_xlabel("number of examples n")
    ax2.set_ylabel(r"effective learning rate $\eta_{eff}$")
    ax2.set_title("the step size the mean gradient really gets")
    ax2.legend(loc="upper left", fontsize=8.5)
    (marker,) = ax2.plot([], [], "o", ms=9, mfc="none", mew=2.2, color="black")
    ax2.text(
        n_max,
        eta * n_max * 2.4,
        "descent diverges\nabove the dashed line",
        ha="right",
        va="top",
        fontsize=8.5,
        color=RED,
    )

    def update(mode, n):
        e = runs[mode][n - 1]
        shown = np.clip(e, lo, hi * 10)  # overflowed or huge costs are drawn at the top edge
        curve.set_data(np.arange(steps + 1), shown)
        curve.set_color(BLUE if mode == MEAN else ORANGE)
        eta_eff = eta if mode == MEAN else eta * n
        marker.set_data([n], [eta_eff])
        diverged = not np.isfinite(e[-1]) or e[-1] > e[0]
        flag.set_text("diverges" if diverged else "")
        lim = limit[n - 1]
        end = "diverged" if diverged else f"below {lo:.0e}" if e[-1] < lo else f"{e[-1]:.2g}"
        return (
            f"eta_eff = {eta_eff:.2f}, limit 2/lambda = {lim:.2f}; "
            f"excess cost after {steps} steps: {end}"
        )

    controls = {
        "mode": toggle("gradient", [MEAN, SUM], MEAN, button_width="175px"),
        "n": slider("examples n", 10, 1, n_max, 1, integer=True),
    }
    caption = (
        "With the <b>mean</b> (the note's 1/n), the same &eta; gives much the same descent for every n: the "
        "left curve changes little as n moves (n = 1 and 2 differ: a line through one or two points is an "
        "easier problem). With the <b>sum</b>, each step is n times larger, so the "
        "effective learning rate is &eta;n. For a few examples that only speeds descent up; past some n "
        "&eta;n passes the stability limit 2/&lambda; (right, dashed; &lambda; is the largest "
        "curvature of C, as in notebook 03), every step overshoots by more than it corrects, and the cost explodes. "
        "Averaging is what lets one &eta; work for any batch size."
    )
    return Explorer(fig, controls, update, caption, animated=[curve, flag, marker])
