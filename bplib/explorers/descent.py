r"""Explorers for notebook 03: gradient descent on one parameter and on a sigmoid neuron.

Both show the update :math:`\theta \leftarrow \theta - \eta \nabla C` as a chain
of arrows, one per step; the one-parameter explorer also offers the note's wording
("add" the gradient) as a switch so the reader can see the cost rise.
"""

from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from .. import plotting
from ..activations import sigmoid
from ..plotting import BLUE, GREY, ORANGE, RED
from ..widgets import Explorer, number, slider, toggle

SUBTRACT = "subtract: θ − η∇C"
ADD = "add: θ + η∇C (the note)"


def _direction():
    return toggle("update", [SUBTRACT, ADD], SUBTRACT, button_width="195px")


def _hide_quiver(q, n_max):
    q.set_offsets(np.full((n_max, 2), np.nan))
    q.set_UVC(np.zeros(n_max), np.zeros(n_max))


def _show_steps(q, points, n_max):
    """Draw the steps points[i] -> points[i+1] as the first arrows of quiver ``q``."""
    offsets = np.full((n_max, 2), np.nan)
    uv = np.zeros((n_max, 2))
    steps = np.diff(points, axis=0)
    m = min(len(steps), n_max)
    offsets[:m], uv[:m] = points[:m], steps[:m]
    q.set_offsets(offsets)
    q.set_UVC(uv[:, 0], uv[:, 1])


# -- one parameter ---------------------------------------------------------------

#: The one-parameter cost of notebook 03: C(θ) = (θ - THETA_STAR)², curvature C'' = 2.
THETA_STAR = 1.0


def parabola_cost(theta):
    """C(θ) = (θ − 1)², the one-parameter example (curvature C'' = 2)."""
    return (theta - THETA_STAR) ** 2


def parabola_grad(theta):
    """C'(θ) = 2 (θ − 1)."""
    return 2.0 * (theta - THETA_STAR)


def descend_1d(theta0, eta, steps, sign=-1.0, tol=0.0):
    """The points θ_0 .. θ_T of θ ← θ + sign · η C'(θ) (sign = −1 is descent): ``steps`` steps,
    or fewer, T, if |C'(θ_T)| < ``tol`` first (no step is taken from such a point)."""
    theta = [float(theta0)]
    for _ in range(steps):
        if abs(parabola_grad(theta[-1])) < tol:
            break
        theta.append(theta[-1] + sign * eta * parabola_grad(theta[-1]))
    return np.array(theta)


def descent_1d_explorer(eta=0.2, steps=10, theta0=-1.5):
    """Gradient descent on C(θ) = (θ − 1)²: the path on the parabola and C per step."""
    n_max, lo, hi = 30, -2.5, 4.5
    with matplotlib.rc_context(plotting.STYLE):
        fig, (ax, ax_c) = plotting.figure(2, width=9.5, height=3.6)
        grid = np.linspace(lo, hi, 300)
        ax.plot(grid, parabola_cost(grid), color=GREY, lw=1.5)
        ax.axvline(THETA_STAR, color=GREY, ls=":", lw=1)
        ax.set(
            xlim=(lo, hi),
            ylim=(-0.5, 13),
            xlabel=r"parameter $\theta$",
            ylabel=r"cost $C(\theta)$",
            title=rf"$C(\theta) = (\theta - {THETA_STAR:g})^2$: each arrow is one step",
        )
        (path,) = ax.plot([], [], "o", color=BLUE, ms=4, zorder=3)
        (start,) = ax.plot([], [], "s", color=ORANGE, ms=7, zorder=4)
        q = ax.quiver(
            np.zeros(n_max),
            np.zeros(n_max),
            np.zeros(n_max),
            np.zeros(n_max),
            angles="xy",
            scale_units="xy",
            scale=1,
            color=BLUE,
            width=0.006,
            zorder=3,
        )
        _hide_quiver(q, n_max)
        ax_c.set(
            yscale="log",
            xlim=(-0.5, n_max + 0.5),
            ylim=(1e-8, 1e6),
            xlabel="step $t$",
            ylabel=r"$C(\theta_t)$ (log scale)",
            title="cost after each step",
        )
        (curve,) = ax_c.plot([], [], "o-", color=BLUE, ms=3, lw=1)
        text = ax_c.text(0.97, 0.95, "", transform=ax_c.transAxes, ha="right", va="top")

    def update(eta, steps, theta0, direction):
        sign = -1.0 if direction == SUBTRACT else 1.0
        with np.errstate(over="ignore", invalid="ignore"):
            theta = descend_1d(theta0, eta, steps, sign)
            cost = parabola_cost(theta)
        path.set_data(theta, cost)
        start.set_data([theta0], [parabola_cost(theta0)])
        _show_steps(q, np.column_stack([theta, cost]), n_max)
        curve.set_data(np.arange(steps + 1), np.maximum(cost, 1e-8))  # C = 0 drawn at the floor
        factor = 1 + sign * curv * eta
        text.set_text(f"each step: distance × {factor:+.2f}")
        return (
            f"θ_{steps} = {theta[-1]:.4g}, C = {cost[-1]:.4g}; "
            f"distance to the minimum × {abs(factor):.2f} per step"
        )

    controls = {
        "eta": slider("learning rate η", eta, 0.05, 1.2, 0.05),
        "steps": slider("steps", steps, 1, n_max, 1, integer=True),
        "theta0": slider("start θ₀", theta0, -2.0, 4.0, 0.1, fmt=".1f"),
        "direction": _direction(),
    }
    curv = parabola_grad(THETA_STAR + 1.0) - parabola_grad(THETA_STAR)  # C'' (C' is linear)
    caption = (
        f"Each arrow is one step θ ← θ − η C′(θ), from the orange square. At η = {eta:g} the "
        "arrows walk down the left wall, each shorter than the last, and never cross the dotted "
        "minimum; on the right the cost falls on a straight line, because on a log scale a "
        "constant factor per step is a straight line (the label gives the factor for the "
        "distance, 1 − 2η of (5)). Move η across its range and find, in the arrows and in that "
        "line, the five behaviours that (5) and (6) predict: creeping in from one side, landing "
        "on the minimum in one step, zig-zagging inwards, bouncing between two points forever, "
        "and zig-zagging outwards. (1) η = 0.3 and η = 0.7 draw the same line on the right: why, "
        "and how do their arrows differ? (2) With more steps, how many does η = 0.2 need to bring "
        "the cost below 10<sup>−6</sup>, and how many does η = 0.45 need? (3) Switch the update to "
        "<i>add</i> (the note's wording): is there any η, or any start, for which the points "
        "come closer to the minimum?"
    )
    return Explorer(fig, controls, update, caption, animated=[path, start, q, curve, text])


# -- a sigmoid neuron with two parameters ------------------------------------------

#: Seven points (x_i, y_i) for one sigmoid neuron a = σ(w x + b) to fit.
NEURON_X = np.array([-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0])
NEURON_Y = np.round(sigmoid.fn(NEURON_X - 0.5) + 0.03 * np.array([1, -1, 1, -1, 1, -1, 1]), 3)


def neuron_data():
    """The points ``x, y`` (each shape (7,)) that the neuron of notebook 03 fits."""
    return NEURON_X.copy(), NEURON_Y.copy()


def neuron_cost(w, b, x=NEURON_X, y=NEURON_Y):
    r""":math:`C(w, b) = \frac1n \sum_i \tfrac12 (\sigma(w x_i + b) - y_i)^2`; w, b broadcast."""
    w, b = np.asarray(w, float), np.asarray(b, float)
    a = sigmoid.fn(w[..., None] * x + b[..., None])
    return 0.5 * np.mean((a - y) ** 2, axis=-1)


def neuron_gradient(w, b, x=NEURON_X, y=NEURON_Y):
    r"""``(dC/dw, dC/db)``: the means of :math:`(a_i - y_i)\,\sigma'(z_i)\,x_i` and of
    :math:`(a_i - y_i)\,\sigma'(z_i)`."""
    z = w * x + b
    delta = (sigmoid.fn(z) - y) * sigmoid.prime(z)
    return float(np.mean(delta * x)), float(np.mean(delta))


def neuron_minimum(x=NEURON_X, y=NEURON_Y):
    """The minimiser (w*, b*), the minimum cost and the Hessian there (Newton's method)."""
    p, h = np.array([1.0, -0.5]), 1e-5
    for _ in range(20):
        g = np.array(neuron_gradient(*p, x, y))
        H = np.empty((2, 2))
        for i in range(2):
            e = np.eye(2)[i] * h
            H[:, i] = (
                np.array(neuron_gradient(*(p + e), x, y))
                - np.array(neuron_gradient(*(p - e), x, y))
            ) / (2 * h)
        p = p - np.linalg.solve(H, g)
    return p, float(neuron_cost(*p, x, y)), H


def neuron_eta_limit(x=NEURON_X, y=NEURON_Y):
    """The largest η for which descent settles into the neuron's minimum: 2 / λ_max, with
    λ_max the steepest curvature of C there (the largest eigenvalue of its Hessian), as
    2 / C'' on a parabola."""
    H = neuron_minimum(x, y)[2]
    return float(2 / np.linalg.eigvalsh(H)[-1])


def descend_neuron(w0, b0, eta, steps, sign=-1.0, x=NEURON_X, y=NEURON_Y):
    """The points (w_t, b_t), t = 0..steps, of (w, b) ← (w, b) + sign · η ∇C; shape (steps+1, 2)."""
    p = np.empty((steps + 1, 2))
    p[0] = w0, b0
    for t in range(steps):
        gw, gb = neuron_gradient(p[t, 0], p[t, 1], x, y)
        p[t + 1] = p[t, 0] + sign * eta * gw, p[t, 1] + sign * eta * gb
    return p


#: A start on the plateau where the neuron saturates (σ′ ≈ 0), named in the caption.
PLATEAU_START = (8.0, -4.0)


def _unstable_etas(w0, b0, steps, c_min, eta_limit, etas=range(10, 101, 5)):
    """The caption's two suggestions past ``eta_limit``, from the start (w0, b0).

    ``bounce``: the first η whose cost still jumps about over the last ten of ``steps`` steps,
    staying above twice the minimum (clear on the log scale). ``stuck``: the first η whose
    path ends on a plateau, a cost over ten times the minimum with a gradient below 1e-3,
    and the step t that throws w farthest out: (η, t)."""
    bounce = stuck = None
    for eta in etas:
        if eta <= eta_limit:
            continue
        p = descend_neuron(w0, b0, eta, steps)
        c = neuron_cost(p[:, 0], p[:, 1])
        if c[-1] > 10 * c_min and max(map(abs, neuron_gradient(*p[-1]))) < 1e-3:
            if stuck is None:
                stuck = (eta, int(np.argmax(np.abs(p[:, 0]))))
        elif bounce is None and c[-10:].min() > 2 * c_min:
            bounce = eta
    return bounce, stuck


def _visit(w0, b0, eta, steps, c_min):
    """The first and last step of the first run of steps whose cost is within 1% of the
    minimum, for descent from (w0, b0) with ``eta``: the caption's visit to the minimum."""
    p = descend_neuron(w0, b0, eta, steps)
    near = neuron_cost(p[:, 0], p[:, 1]) < 1.01 * c_min
    t_on = int(np.argmax(near))
    t_off = t_on + int(np.argmin(near[t_on:])) - 1
    return t_on, t_off


def neuron_descent_explorer(eta=10.0, steps=30, w0=-2.0, b0=2.5):
    """Gradient descent for one sigmoid neuron: path on the contour of C(w, b), the fit, C per step."""
    n_max = 80
    wlim, blim = (-3.0, 9.5), (-4.5, 3.5)
    (w_star, b_star), c_min, _ = neuron_minimum()
    eta_limit = neuron_eta_limit()
    ws, bs = np.linspace(*wlim, 281), np.linspace(*blim, 181)
    Cgrid = neuron_cost(ws[None, :], bs[:, None])
    xs = np.linspace(-4, 4, 200)

    with matplotlib.rc_context(plotting.STYLE):
        fig = Figure(figsize=(11.0, 4.6), dpi=90, layout="constrained")
        FigureCanvasAgg(fig)
        axd = fig.subplot_mosaic([["c", "f"], ["c", "t"]], width_ratios=[1.55, 1])
        ax, ax_f, ax_t = axd["c"], axd["f"], axd["t"]
        levels = np.geomspace(c_min * 1.05, Cgrid.max(), 14)
        cf = ax.contourf(
            ws, bs, Cgrid, levels=levels, cmap="viridis_r", norm="log", extend="both", alpha=0.75
        )
        ax.contour(ws, bs, Cgrid, levels=levels, colors="k", linewidths=0.4, alpha=0.5)
        fig.colorbar(
            cf,
            ax=ax,
            label="$C(w, b)$ (log colour scale)",
            format="%g",
            ticks=[0.001, 0.003, 0.01, 0.03, 0.1, 0.3],
            shrink=0.9,
        )
        # The minimum is drawn last, as an outline over the path, so that the dot of the
        # last step (which lands on it when descent converges) cannot hide it.
        (minimum,) = ax.plot(
            [w_star], [b_star], "*", mfc="none", mec=RED, mew=2, ms=18, zorder=7, label="minimum"
        )
        ax.set(
            xlim=wlim,
            ylim=blim,
            xlabel="weight $w$",
            ylabel="bias $b$",
            aspect="equal",
            title="each arrow is one step $-\\eta\\nabla C$",
        )
        ax.grid(False)
        q = ax.quiver(
            np.zeros(n_max),
            np.zeros(n_max),
            np.zeros(n_max),
            np.zeros(n_max),
            angles="xy",
            scale_units="xy",
            scale=1,
            color="w",
            width=0.005,
            headwidth=4,
            zorder=4,
        )
        _hide_quiver(q, n_max)
        (dots,) = ax.plot([], [], "o", color="w", mec="k", mew=0.5, ms=3.5, zorder=4)
        (start,) = ax.plot([], [], "s", color=ORANGE, mec="k", ms=8, zorder=6, label="start")
        (end,) = ax.plot(
            [], [], "o", color=BLUE, mec="w", ms=8, zorder=6, label="after the last step"
        )
        ax.legend(loc="lower right", frameon=True, fontsize=9)

        ax_f.plot(NEURON_X, NEURON_Y, "o", color="k", ms=5, zorder=4)
        (fit0,) = ax_f.plot([], [], "--", color=ORANGE, lw=1.5)
        (fit1,) = ax_f.plot([], [], "-", color=BLUE, lw=2)
        ax_f.set(
            xlim=(-4, 4),
            ylim=(-0.05, 1.05),
            xlabel="input $x$",
            ylabel=r"$a = \sigma(wx + b)$",
            title="the fit: start (dashed), end (solid)",
        )

        (cost_line,) = ax_t.plot([], [], "o-", color=BLUE, ms=2.5, lw=1)
        ax_t.axhline(c_min, color=RED, ls=":", lw=1, label="minimum")
        ax_t.legend(loc="upper right", fontsize=9)
        ax_t.set(
            xlim=(-1, n_max + 1),
            ylim=(2e-4, 0.6),
            yscale="log",
            xlabel="step $t$",
            ylabel="$C(w_t, b_t)$ (log)",
            title="cost after each step",
        )

    def update(eta, steps, w0, b0):
        p = descend_neuron(w0, b0, eta, steps)
        cost = neuron_cost(p[:, 0], p[:, 1])
        _show_steps(q, p, n_max)
        dots.set_data(p[:, 0], p[:, 1])
        start.set_data([w0], [b0])
        end.set_data([p[-1, 0]], [p[-1, 1]])
        fit0.set_data(xs, sigmoid.fn(w0 * xs + b0))
        fit1.set_data(xs, sigmoid.fn(p[-1, 0] * xs + p[-1, 1]))
        cost_line.set_data(np.arange(steps + 1), cost)
        return (
            f"after {steps} steps: w = {p[-1, 0]:.3g}, b = {p[-1, 1]:.3g}, "
            f"C = {cost[-1]:.4f} (start {cost[0]:.4f}, minimum {c_min:.4f}); "
            f"it settles only for η < {eta_limit:.1f}"
        )

    controls = {
        "eta": slider("learning rate η", eta, 1.0, 100.0, 1.0, fmt=".0f"),
        "steps": slider("steps", steps, 0, n_max, 1, integer=True),
        "w0": slider("start w", w0, -3.0, 9.0, 0.25),
        "b0": slider("start b", b0, -4.5, 3.5, 0.25),
    }
    eta_bounce, (eta_stuck, _) = _unstable_etas(w0, b0, n_max, c_min, eta_limit)
    caption = (
        "Each white arrow is one step −η∇C from where the previous one ended; on the right are "
        "the neuron's curve before (dashed) and after the steps, and the cost after each step, "
        "with the minimum dotted. A small η creeps along the valley and a larger one gets there "
        f"in fewer, longer steps, but past η = {eta_limit:.1f} (2 divided by the steepest "
        "curvature λ of the valley) the minimum is one you cannot stay at: set "
        f"{n_max} steps, try η = {eta_bounce:g}, then try η = {eta_stuck:g}, and compare where "
        "the cost on the right ends, in times the minimum. Starts on a plateau, such as "
        f"w = {number(PLATEAU_START[0])}, b = {number(PLATEAU_START[1])}, stall from the first "
        "step."
    )
    return Explorer(
        fig,
        controls,
        update,
        caption,
        animated=[q, dots, start, end, minimum, fit0, fit1, cost_line],
    )
