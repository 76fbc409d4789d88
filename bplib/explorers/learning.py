"""Explorers for notebook 08 (training); its static figures are in :mod:`bplib.plotting`.

* :func:`live_training_explorer` retrains a small 2-D network as the sliders move.
* :func:`snapshot_explorer` scrubs through the saved epochs of one training run.
"""

from __future__ import annotations

import numpy as np
from matplotlib.collections import LineCollection

from ..datasets import moons
from ..network import Network
from ..plotting import (
    BLUE,
    GREY,
    RED,
    BoundaryGrid,
    figure,
    probability_image,
    scatter_classes,
)
from ..widgets import Explorer, slider, toggle


class _PictureCache(Explorer):
    """An explorer whose picture depends on its controls alone keeps the PNG of each setting.

    Moving back to a setting already drawn (a slider dragged to and fro) then costs no redraw;
    the ``keep`` most recent settings are kept (about 100 kB each).
    """

    def __init__(self, *args, keep=64, **kwargs):
        self._pngs, self._keep = {}, keep
        super().__init__(*args, **kwargs)

    def render(self):
        key = tuple(self.values.values())
        if key not in self._pngs:
            if len(self._pngs) >= self._keep:
                del self._pngs[next(iter(self._pngs))]  # the oldest
            self._pngs[key] = super().render()
        return self._pngs[key]


# -- explorer (a): retrain live ------------------------------------------------
def live_training_explorer(n=200, noise=0.15, seed=0, resolution=60, max_epochs=60):
    """Sliders for eta, hidden units, batch size and epochs; each event shows a network trained
    from scratch.

    A ``[2, hidden, 1]`` network (tanh or sigmoid hidden units, chosen by a
    toggle; a sigmoid output; the quadratic cost) learns the moons set with
    ``net.fit``, with the same initial seed and shuffling seed on every event,
    so only the controls change the result. Epochs are capped at ``max_epochs``
    and the batch size starts at 10, so an event takes at most
    ``max_epochs * 20`` SGD steps. A run is kept for each setting of the other
    controls and trained on when more epochs are asked for (the same numbers as
    training anew), so the epochs slider costs only the epochs it adds; a
    setting already drawn costs neither training nor drawing. The left panel shows the
    output :math:`a^L` over the plane and the boundary :math:`a^L = 0.5`; the
    right panel the training cost per epoch.
    """
    X, y = moons(n, noise=noise, seed=seed)
    Y = y.reshape(-1, 1)
    grid = BoundaryGrid(X, resolution)

    fig, (ax, ax_cost) = figure(2, 1, width=9.4, height=3.9)
    image = probability_image(ax, grid, np.full(grid.shape, 0.5))
    boundary = LineCollection([], colors="k", linewidths=1.8)
    ax.add_collection(boundary)
    points = scatter_classes(ax, X, y)
    ax.set_xlim(grid.extent[:2])
    ax.set_ylim(grid.extent[2:])
    ax.set(
        xlabel="$x_1$", ylabel="$x_2$", title="output $a^L$ (white = 0.5) and boundary $a^L = 0.5$"
    )
    ax.grid(False)
    status = ax.text(
        0.02,
        0.02,
        "",
        transform=ax.transAxes,
        fontsize=10,
        bbox=dict(boxstyle="round", fc="white", ec=GREY, alpha=0.9),
    )

    (cost_line,) = ax_cost.plot([], [], color=BLUE, lw=2, label="training cost $C$")
    (end_dot,) = ax_cost.plot([], [], "o", color=BLUE)
    ax_cost.set(
        xlim=(0, max_epochs),
        ylim=(0, 0.24),
        xlabel="epoch",
        ylabel="cost $C$ (quadratic)",
        title="training cost after each epoch",
    )
    ax_cost.legend(loc="upper right")

    # Every event trains from the same start with the same shuffling seed, so a run of E epochs
    # is the start of every longer one: one run per setting of the other sliders is kept, and
    # trained on (its shuffling generator continued) when more epochs are asked for.
    runs = {}  # (activation, eta, hidden, batch_size) -> (network, shuffling rng, history)

    def trained(activation, eta, hidden, batch_size, epochs):
        """A network holding the parameters after ``epochs`` epochs, and the training cost after
        each epoch: the same numbers as a new network trained with ``net.fit(epochs=epochs)``."""
        key = (activation, eta, hidden, batch_size)
        fit = dict(batch_size=batch_size, eta=eta, snapshots=True, progress=False)
        if key not in runs:
            if len(runs) >= 64:
                del runs[next(iter(runs))]  # the oldest
            net = Network(
                [2, hidden, 1], activation=activation, output_activation="sigmoid", seed=seed
            )
            rng = np.random.default_rng(seed)  # fit's default_rng(rng) is rng itself
            runs[key] = (net, rng, net.fit(X, Y, epochs=0, seed=rng, **fit))
        net, rng, history = runs[key]
        if len(history.cost) <= epochs:  # a sigmoid output and the quadratic cost never diverge
            more = net.fit(X, Y, epochs=epochs + 1 - len(history.cost), seed=rng, **fit)
            history.cost += more.cost[1:]  # more.cost[0] is the last epoch's, already there
            history.snapshots += more.snapshots[1:]
        shown = net.copy()
        shown.W, shown.b = history.snapshots[epochs]
        return shown, history.cost[: epochs + 1]

    def update(activation, eta, hidden, batch_size, epochs):
        net, cost = trained(activation, eta, hidden, batch_size, epochs)
        P = grid.probability(net)
        image.set_data(P)
        boundary.set_segments(grid.contour(P))
        cost_line.set_data(np.arange(len(cost)), cost)
        end_dot.set_data([len(cost) - 1], [cost[-1]])
        acc = net.accuracy(X, y)
        steps = epochs * int(np.ceil(n / batch_size))
        status.set_text(f"{steps} SGD steps\naccuracy {100 * acc:.1f}%")
        return (
            f"{steps} steps, cost {cost[0]:.3f} -> {cost[-1]:.3f}, "
            f"training accuracy {100 * acc:.1f}%"
        )

    controls = {
        "activation": toggle("hidden σ", ["tanh", "sigmoid"], "tanh", button_width="84px"),
        "eta": slider("learning rate η", 3.0, 0.5, 20.0, 0.5, fmt=".1f"),
        "hidden": slider("hidden units", 8, 1, 16, 1, integer=True),
        "batch_size": slider("batch size m", 20, 10, 200, 10, integer=True),
        "epochs": slider("epochs", 40, 1, max_epochs, 1, integer=True),
    }
    d = {name: control.value for name, control in controls.items()}  # the defaults
    # the caption describes the default picture, with numbers from the same run it shows
    shown, cost = trained(d["activation"], d["eta"], d["hidden"], d["batch_size"], d["epochs"])
    right = shown.accuracy(X, y)
    c = controls
    caption = (
        "each event trains a new network with net.fit from the same random start, so only the "
        f"sliders change the result. The default picture ({d['hidden']} {d['activation']} hidden "
        f"units, η = {d['eta']:g}, m = {d['batch_size']}, {d['epochs']} epochs): the boundary bends "
        f"between the moons and {100 * right:.1f}% of the points are on the right side; the cost curve "
        "falls fast in the first few epochs, then slowly. Fewer epochs or a smaller η leave the boundary "
        "closer to a straight line. A larger batch m means fewer steps per "
        f"epoch (⌈{n}/m⌉), so the same number of epochs learns less: the corner counts the "
        f"steps. With {c['activation'].options[1]} hidden units the same settings leave the "
        "boundary nearly straight, on a plateau that only some settings get past."
    )
    return _PictureCache(
        fig,
        controls,
        update,
        caption,
        animated=[image, boundary, *points, cost_line, end_dot, status],
    )


# -- explorer (b): scrub through the epochs of one run -------------------------
def unit_segment(w1, w2, b, extent):
    """The part of the line ``w1 x1 + w2 x2 + b = 0`` inside ``extent``: (2, 2) array or None."""
    norm2 = w1 * w1 + w2 * w2
    if norm2 == 0:
        return None
    p0 = -b * np.array([w1, w2]) / norm2  # the point of the line closest to the origin
    d = np.array([w2, -w1])  # a direction along the line
    t_lo, t_hi = -np.inf, np.inf
    for k, (lo, hi) in enumerate((extent[:2], extent[2:])):
        if d[k] == 0:
            if not lo <= p0[k] <= hi:
                return None
            continue
        t1, t2 = sorted(((lo - p0[k]) / d[k], (hi - p0[k]) / d[k]))
        t_lo, t_hi = max(t_lo, t1), min(t_hi, t2)
    if t_lo >= t_hi:
        return None
    return np.array([p0 + t_lo * d, p0 + t_hi * d])


def snapshot_explorer(
    n=200,
    noise=0.15,
    seed=0,
    hidden=5,
    activation="tanh",
    eta=8.0,
    batch_size=20,
    epochs=60,
    resolution=60,
):
    """An epoch slider over ``history.snapshots`` of one run: boundary, hidden lines, cost, weights.

    The left panel draws the boundary :math:`a^L = 0.5` and, dashed, the line
    :math:`z^1_j = 0` of each hidden unit ``j`` (where its sigmoid crosses 0.5).
    The middle panel is the cost curve with a marker at the chosen epoch; the
    right panel shows every parameter as a coloured cell, with its colour scale.
    """
    X, y = moons(n, noise=noise, seed=seed)
    Y = y.reshape(-1, 1)
    grid = BoundaryGrid(X, resolution)
    net = Network([2, hidden, 1], activation=activation, output_activation="sigmoid", seed=seed)
    history = net.fit(
        X,
        Y,
        epochs=epochs,
        batch_size=batch_size,
        eta=eta,
        seed=seed,
        snapshots=True,
        progress=False,
    )
    shown = net.copy()  # receives each snapshot in turn

    # what an epoch shows is computed when the slider first reaches it, then kept, so an event
    # only moves artists; the accuracies (the caption quotes them) are computed now
    accs = []
    for W, b in history.snapshots:
        shown.W, shown.b = W, b
        accs.append(shown.accuracy(X, y))
    frames = {}

    def frame(epoch):
        if epoch not in frames:
            shown.W, shown.b = history.snapshots[epoch]
            P = grid.probability(shown)
            frames[epoch] = (P, grid.contour(P), accs[epoch])
        return frames[epoch]

    params = np.array(
        [np.c_[W[1], b[1], W[2][0]] for W, b in history.snapshots]
    )  # (epochs+1, hidden, 4)
    vmax = float(np.abs(params).max())

    fig = figure(3, 1, width=10.5, height=3.8)[0]
    fig.clear()
    gs = fig.add_gridspec(1, 3, width_ratios=[1.25, 1.0, 0.75])
    ax, ax_cost, ax_w = (fig.add_subplot(gs[0, i]) for i in range(3))

    image = probability_image(ax, grid, frame(0)[0])
    boundary = LineCollection([], colors="k", linewidths=1.8)
    ax.add_collection(boundary)
    points = scatter_classes(ax, X, y)
    unit_lines = [ax.plot([], [], "--", color=GREY, lw=1.1)[0] for _ in range(hidden)]
    unit_labels = [
        ax.text(
            0,
            0,
            str(j + 1),
            fontsize=9,
            color="k",
            ha="center",
            va="center",
            bbox=dict(boxstyle="circle,pad=0.15", fc="white", ec=GREY, lw=0.6),
        )
        for j in range(hidden)
    ]
    ax.set_xlim(grid.extent[:2])
    ax.set_ylim(grid.extent[2:])
    ax.set(xlabel="$x_1$", ylabel="$x_2$", title="boundary; dashed: $z^1_j = 0$ of unit $j$")
    ax.grid(False)

    ax_cost.plot(np.arange(epochs + 1), history.cost, color=BLUE, lw=2)
    (marker,) = ax_cost.plot([], [], "o", color=RED, ms=8)
    ax_cost.set(
        xlim=(-1, epochs + 1),
        ylim=(0, 1.08 * max(history.cost)),
        xlabel="epoch",
        ylabel="training cost $C$",
        title="cost; dark orange dot = this epoch",
    )

    # the table: a mesh of cells (drawn in 0.5 ms; imshow resampled it on every event, ~10 ms)
    table = ax_w.pcolormesh(
        np.arange(5) - 0.5,
        np.arange(hidden + 1) - 0.5,
        params[0],
        cmap="RdBu_r",
        vmin=-vmax,
        vmax=vmax,
    )
    ax_w.set(xlim=(-0.5, 3.5), ylim=(hidden - 0.5, -0.5))  # unit 1 at the top
    # the scale instead of a number in each cell: 20 numbers redrawn per event cost more
    # than the rest of the picture together
    fig.colorbar(table, ax=ax_w, shrink=0.85, pad=0.03).ax.tick_params(labelsize=8)
    ax_w.set_xticks(range(4), ["$w^1_{j1}$", "$w^1_{j2}$", "$b^1_j$", "$w^2_{1j}$"])
    ax_w.set_yticks(range(hidden), [f"$j$ = {j + 1}" for j in range(hidden)])
    ax_w.set_title("parameters of unit $j$")
    ax_w.grid(False)
    ax_w.tick_params(length=0)
    for side in ("top", "right", "bottom", "left"):
        ax_w.spines[side].set_visible(False)
    fig.set_layout_engine("constrained")

    def update(epoch):
        P, lines, acc = frame(epoch)
        image.set_data(P)
        boundary.set_segments(lines)
        p = params[epoch]
        for j in range(hidden):
            ends = unit_segment(p[j, 0], p[j, 1], p[j, 2], grid.extent)
            unit_lines[j].set_data(*ends.T if ends is not None else ([], []))
            unit_labels[j].set_visible(ends is not None)
            if ends is not None:  # label near one end; alternate ends so labels collide less
                f = 0.12 if j % 2 == 0 else 0.88
                unit_labels[j].set_position((1 - f) * ends[0] + f * ends[1])
        table.set_array(p)
        marker.set_data([epoch], [history.cost[epoch]])
        return f"epoch {epoch}: cost {history.cost[epoch]:.4f}, training accuracy {100 * acc:.1f}%"

    controls = {"epoch": slider("epoch", epochs, 0, epochs, 1, integer=True)}
    # The caption says what to look for and leaves the epochs and costs to the slider: the
    # notebook's "Try this" asks the reader to find where the cost leaves the plateau.
    caption = (
        f"one run ({hidden} hidden {activation} units, η = {eta:g}, batch size {batch_size}) "
        "replayed. Drag the slider from 0. Within a few epochs the cost falls to a plateau, "
        "where the boundary is almost the straight line of a single hidden unit. Find the "
        "epoch where the cost leaves the plateau (the dark orange dot marks the chosen epoch on the cost "
        "curve) and step through "
        "the epochs around it: the other dashed lines swing into place and the boundary bends "
        "between the moons. The table's cells change colour as training goes on: compare them "
        "with the width of the white band around the boundary."
    )
    animated = [
        image,
        *points,
        boundary,
        marker,
        table,
        *unit_lines,
        *unit_labels,
    ]
    return _PictureCache(fig, controls, update, caption, animated=animated)
