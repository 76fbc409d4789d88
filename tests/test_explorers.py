"""The explorers of bplib.explorers and the static figures of bplib.plotting.

Every explorer builds, answers a slider move with a new picture and readout,
runs the network through the core (one forward pass, one δ recursion), and
computes the numbers its caption quotes.
"""

import pkgutil
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

import bplib
import bplib.explorers
from bplib import plotting
from bplib.explorers import (
    chain,
    cost,
    descent,
    epsilon,
    learning,
    neurons,
    output_error,
    partials,
    recursion,
)
from bplib.widgets import number

#: Every explorer the notebooks show, with one slider move.
CASES = [
    (neurons.network_explorer, {"activation": "relu"}),
    (cost.cost_parabola_explorer, {"a": 0.5}),
    (cost.batch_cost_explorer, {"n": 5}),
    (descent.descent_1d_explorer, {"eta": 0.6}),
    (descent.neuron_descent_explorer, {"eta": 60.0}),
    (chain.chain_explorer, {"which": "w(L-1)"}),
    (output_error.output_error_explorer, {"z1": -1.0}),
    (recursion.delta_network_explorer, {"w311": 0.0}),
    (recursion.depth_explorer, {"activation": "tanh"}),
    (recursion.depth_explorer, {"init": recursion.HE}),
    (partials.per_example_explorer, {"w_value": 1.0}),
    (partials.sum_vs_mean_explorer, {"mode": partials.SUM}),
    (learning.live_training_explorer, {"epochs": 5}),
    (learning.snapshot_explorer, {"epoch": 3}),
    (epsilon.eps_explorer, {"log10_eps": -6.0}),
]


@pytest.mark.slow
@pytest.mark.parametrize("build, change", CASES, ids=[b.__name__ for b, _ in CASES])
def test_every_explorer_builds_and_answers_a_slider(build, change):
    e = build()
    image, readout, caption = bytes(e.image.value), e.readout.value, e.caption
    assert image.startswith(b"\x89PNG")
    e.set(**change)
    assert bytes(e.image.value) != image and e.readout.value != readout
    assert len(e.event_ms) == 2
    assert not re.search(r"\{[a-z_]+[^}]*\}", caption), "an f-string placeholder left unformatted"


def test_no_explorer_module_shadows_a_core_module():
    core = {m.name for m in pkgutil.iter_modules(bplib.__path__)}
    explorers = {m.name for m in pkgutil.iter_modules(bplib.explorers.__path__)}
    assert not core & explorers, core & explorers


def test_explorers_do_not_reimplement_the_forward_pass_or_the_recursion():
    for path in Path(bplib.explorers.__file__).parent.glob("*.py"):
        src = path.read_text()
        for pattern in (
            r"@ W\b",
            r"@ \w+\.T \+",
            r"\.T \+ ",
            r"backpropagate_error\(",
            r"def backward_pass",
            r"einsum",
        ):
            assert not re.search(pattern, src), f"{path.name}: {pattern}"


def test_errors_by_layer_and_per_example_gradients_agree_with_backprop():
    net = bplib.Network([3, 4, 2], seed=1)
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(6, 3)), rng.uniform(size=(6, 2))
    grad_W, grad_b = net.gradients(X, Y)
    z, a, delta = recursion.errors_by_layer(net, X, Y)
    for l in (1, 2):
        np.testing.assert_allclose(delta[l].mean(axis=0), grad_b[l])
    G = partials.per_example_gradients(net, X, Y)
    assert G.shape == (6, 3 * 4 + 4 * 2 + 4 + 2)
    np.testing.assert_allclose(G.mean(axis=0), epsilon.flat(grad_W + grad_b))


def test_depth_profile_runs_the_core_network():
    sizes, primes = recursion.depth_profile("tanh", 3, 2.0)
    base, X, Y = recursion._depth_setup("tanh")
    net = bplib.Network([10, 20, 20, 20, 10], activation="tanh", output_activation="identity")
    net.W = [None] + [2.0 * base.W[l] for l in (1, 2, 3)] + [2.0 * base.W[-1]]
    net.b = [None] + [np.zeros(n) for n in net.sizes[1:]]
    z, a, delta = recursion.errors_by_layer(net, X, Y)
    np.testing.assert_allclose(sizes, [np.abs(delta[l]).mean() for l in range(1, 5)])
    assert primes.shape == (3,)
    # He's initialisation is the same draw with sqrt(2) times the standard deviation
    he, _ = recursion.depth_profile("tanh", 3, 2.0 / np.sqrt(2), recursion.HE)
    np.testing.assert_allclose(he, sizes)


def test_depth_setup_draws_the_data_apart_from_the_weights():
    base, X, Y = recursion._depth_setup("relu")
    W1 = base.W[1].ravel()
    assert not np.isin(np.round(X.ravel() / np.sqrt(10), 12), np.round(W1, 12)).any()
    assert not np.allclose(X[:20], np.sqrt(10) * base.W[1])


def test_he_keeps_the_relu_error_near_constant_and_xavier_does_not():
    he, _ = recursion.depth_profile("relu", recursion.DEPTH_MAX, 1.0, recursion.HE)
    xavier, primes = recursion.depth_profile("relu", recursion.DEPTH_MAX, 1.0, recursion.XAVIER)
    assert 0.9 < recursion.hidden_step_factor(he) < 1.1 and 0.3 < he[0] / he[-1] < 3
    assert (
        abs(recursion.hidden_step_factor(xavier) - 2**-0.5) < 0.05 and xavier[0] / xavier[-1] < 1e-3
    )
    assert abs(primes.mean() - 0.5) < 0.05  # half the ReLUs are on


@pytest.mark.slow
def test_sigmoid_never_brings_more_error_to_layer_1_than_the_output():
    # the depth explorer's caption checks this at two depths; here every slider setting
    lo, hi, step = recursion.SCALE_EXPONENTS
    for s in 2.0 ** np.arange(lo, hi + step / 2, step):
        for init in recursion.INITS:
            for d in range(1, recursion.DEPTH_MAX + 1):
                sizes, _ = recursion.depth_profile("sigmoid", d, s, init)
                assert sizes[0] < sizes[-1], (s, init, d)


@pytest.mark.slow
def test_captions_quote_computed_numbers():
    (w, b), c_min, H = descent.neuron_minimum()
    e = descent.neuron_descent_explorer()
    limit = 2 / np.linalg.eigvalsh(H)[-1]
    assert np.isclose(descent.neuron_eta_limit(), limit)
    assert f"past η = {limit:.1f}" in e.caption
    assert "Hessian" not in e.caption and "eigen" not in e.caption  # 03's eigenvalues are optional
    # the caption's λ is the curvature along the steepest line, which 03's main path measures:
    # named where the caption first uses it, and in the notebook's notation recap
    if "λ" in e.caption:
        assert "curvature λ" in e.caption.split("λ", 1)[0] + "λ"
        nb = nbformat.read(Path(__file__).parents[1] / "notebooks" / "03_gradient_descent.ipynb", 4)
        recap = next(c.source for c in nb.cells if c.source.startswith("## Notation recap"))
        assert "\\lambda" in recap
    tries = [float(t) for t in re.findall(r"try η = (\d+)", e.caption)]
    assert len(tries) == 2 and limit < tries[0] < tries[1]
    e = learning.snapshot_explorer(activation="sigmoid", hidden=3, epochs=6, resolution=20)
    assert "3 hidden sigmoid units" in e.caption and "tanh" not in e.caption
    assert (
        e.caption
        == learning.snapshot_explorer(
            activation="sigmoid", hidden=3, epochs=6, resolution=20
        ).caption
    )  # deterministic
    e = output_error.output_error_explorer(z=(-3.0, 0.0), y=(1.0, 0.0))
    assert f"(a1 = {bplib.sigmoid.fn(-3.0):.2f}, y1 = 1)" in e.caption


def test_chain_caption_says_what_to_notice_and_leaves_the_numbers_to_the_sliders():
    """04's caption names the setting of its last tip (w(L-1) at the slider's end) and what to
    compare there, but not the answer (folded in the notebook, whose check cell computes it:
    sigma'(z(L-1)) and the slope become tiny while the cost is the highest on the curve).
    It quotes no value the readout shows."""
    caption = chain.chain_explorer().caption
    assert "drag w^(L−1) to 5" in caption and "lowest point of the curve" in caption
    for answer in ("tiny", "highest", "small", "vanish"):
        assert answer not in caption, answer
    assert not re.search(r"\d\.\d", caption)  # no slope, cost or sigma' value


def test_number_uses_a_true_minus_and_no_negative_zero():
    assert number(-4) == "\u22124"
    assert number(-0.0001, ".3f") == "0.000"
    assert number(0.25) == "0.25"


def test_decision_boundary_one_and_several_outputs():
    X, y = bplib.moons(40, seed=0)
    for net in (bplib.Network([2, 3, 1], seed=0), bplib.Network([2, 3, 2], seed=0)):
        fig, ax = plotting.figure(width=3, height=3)
        plotting.plot_decision_boundary(ax, net, X, y, resolution=30, title="t")
        assert len(ax.images) == 1 and ax.get_title() == "t"
        fig.canvas.draw()


def test_draw_network_draws_every_edge_by_layer():
    net = bplib.Network([2, 3, 2], seed=0)
    fig, ax = plotting.figure(width=3, height=3)
    pos, edges, index, nodes = plotting.draw_network(ax, net.sizes, net.W, skip=(2, 0, 0))
    assert len(index) == 2 * 3 + 3 * 2 - 1 and (2, 0, 0) not in index
    assert plotting.edge_colors(net.W, [(1, 0, 0)]) == [
        plotting.POSITIVE if net.W[1][0, 0] >= 0 else plotting.NEGATIVE
    ]
    assert len(nodes.get_offsets()) == 7
    fig.canvas.draw()


def test_plot_digits_and_chain_graph_draw():
    fig, ax = plotting.figure(width=4, height=2)
    images = np.random.default_rng(0).uniform(size=(4, 784))
    plotting.plot_digits(ax, images, np.array([1, 2, 3, 4]), np.array([1, 2, 3, 5]), ncols=4)
    assert sum(p.get_edgecolor() != (0, 0, 0, 0) for p in ax.patches) == 1  # one wrong digit
    plotting.chain_graph().canvas.draw()


def test_snapshot_caption_says_what_to_find_and_leaves_the_numbers_to_the_slider():
    """08's replay: the caption points at the plateau and the epoch where the cost leaves it,
    which the notebook's "Try this" asks the reader to find, without quoting that epoch, a cost
    or an accuracy; the only numbers are the run's settings."""
    e = learning.snapshot_explorer()
    assert "plateau" in e.caption and "leaves the plateau" in e.caption
    numbers = re.findall(r"\d+(?:\.\d+)?", e.caption)
    assert sorted(numbers) == sorted(["5", "8", "20", "0"]), numbers
    assert "%" not in e.caption and not re.search(r"epochs? \d", e.caption), e.caption


def test_live_training_caption_describes_the_default_picture():
    """08's live explorer: the caption's accuracy is the one the default picture's corner shows
    (not a state a slider must first reach), and the marker of the replay is called by the colour
    it is drawn in (RED of the palette is a dark orange, not red)."""
    e = learning.live_training_explorer()
    shown = re.search(r"training accuracy ([\d.]+)%", e.text).group(1)
    assert f"{shown}% of the points are on the right side" in e.caption, (shown, e.caption)
    assert "wrong" not in e.caption and "(5 epochs)" not in e.caption, e.caption
    replay = learning.snapshot_explorer()
    titles = [ax.get_title() for ax in replay.fig.axes]
    assert all("red" not in t for t in titles) and "red dot" not in replay.caption, titles
    assert "dark orange dot" in replay.caption and any("dark orange dot" in t for t in titles)


@pytest.mark.parametrize("a, y", [(0.8, 0.3), (0.0, 0.9), (1.0, 0.0), (0.5, 0.5)])
def test_parabola_gap_bars_are_thick_and_labelled_inside_the_panel(a, y):
    """02's question (3) is about the gap between the parabola and its tangent (about 0.02 on
    an axis spanning 0.9): the bars are thick, capped, and their size is printed beside each,
    inside the panel, wherever a and y are; 02's text calls the tangent a line with the slope a
    central difference measures, not the central difference itself."""
    explorer = cost.cost_parabola_explorer(a=a, y=y)
    ax = explorer.fig.axes[0]
    bars = next(line for line in ax.get_lines() if line.get_label() == "gap to the tangent")
    assert bars.get_linewidth() >= 5 and bars.get_marker() == "_"
    labels = [t for t in ax.texts if t.get_text() == "0.020"]
    assert len(labels) == 2
    lo, hi = ax.get_xlim()
    renderer = explorer.fig.canvas.get_renderer()
    for text in labels:
        box = text.get_window_extent(renderer).transformed(ax.transData.inverted())
        assert lo <= box.x0 and box.x1 <= hi, (text.get_position(), box)
    nb = nbformat.read(Path(__file__).parents[1] / "notebooks" / "02_cost.ipynb", as_version=4)
    text = next(c.source for c in nb.cells if c.get("id") == "c10")
    assert "the central difference of notebook 01" not in text
    assert "the slope a central difference measures" in text
