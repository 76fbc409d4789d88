"""Notebook 01, the network: its explorer, its static figures, its exercises and its
predict-then-run cells. Cheap tests (a few seconds); the notebook itself runs under nbval."""

import ast
import io
import os
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

import bplib
from bplib.exercises import EXERCISES, check, exercises_for
from bplib.explorers import fastdraw, neurons, recursion

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = Path(os.environ.get("BPLIB_NOTEBOOKS", ROOT / "notebooks")) / "01_network.ipynb"


@pytest.fixture(scope="module")
def explorer():
    return neurons.network_explorer()


@pytest.fixture(autouse=True)
def _not_grading(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)


# ----------------------------------------------------------------------------
# The explorer
# ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "change",
    [{"x1": -1.0}, {"w11": 0.0}, {"w12": 2.0}, {"b1": -2.5}, {"activation": "tanh"}],
    ids=lambda c: next(iter(c)),
)
def test_every_control_changes_the_picture_and_the_readout(explorer, change):
    image, readout = bytes(explorer.image.value), explorer.readout.value
    explorer.set(**change)
    try:
        assert bytes(explorer.image.value) != image
        assert explorer.readout.value != readout
    finally:
        explorer.set(**{k: neurons.DEFAULTS[k] for k in change})
    assert bytes(explorer.image.value) == image  # back to the default picture


def _pixels(png, mode="L"):
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(bytes(png))).convert(mode)).astype(float)


@pytest.mark.parametrize(
    "make, moves",
    [
        (neurons.network_explorer, dict(x1=-1.3, w11=-2.2, activation="tanh")),
        (recursion.delta_network_explorer, dict(x1=-1.3, y1=0.2, w311=-2.2)),  # notebook 06
    ],
    ids=["01-network", "06-errors"],
)
def test_the_numbers_drawn_by_pillow_sit_where_matplotlib_draws_them(make, moves):
    """The explorers of 01 and 06 draw their changing numbers with Pillow (fast); each one must
    land where matplotlib itself would draw that text, with as much ink: compared with a full
    matplotlib draw of the same figure, the centre of its ink is within 0.75 px and its ink
    within 5%."""
    from PIL import Image

    e = make()
    e.set(**moves)
    got = _pixels(e.image.value)
    for a in e.animated:
        a.set_animated(False)
    for label in e._labels:
        label.text.set_visible(True)
    e.fig.canvas.draw()  # everything by matplotlib
    ref = np.asarray(Image.fromarray(np.asarray(e.fig.canvas.buffer_rgba())).convert("L"))
    ref = ref.astype(float)
    assert got.shape == ref.shape
    for label in e._labels:
        x0, y0, x1, y1 = label.font.getbbox(label.text.get_text(), anchor="ms")
        x, y = label.x, label.baseline
        win = (slice(int(y + y0) - 4, int(y + y1) + 5), slice(int(x + x0) - 4, int(x + x1) + 5))
        ys, xs = np.mgrid[win]
        (m1, cx1, cy1), (m2, cx2, cy2) = [
            (ink.sum(), (ink * xs).sum() / ink.sum(), (ink * ys).sum() / ink.sum())
            for ink in (np.abs(im[win] - np.median(im[win])) for im in (got, ref))
        ]
        where = (label.text.get_text(), cx1 - cx2, cy1 - cy2, m1 / m2)
        assert abs(cx1 - cx2) < 0.75 and abs(cy1 - cy2) < 0.75 and abs(m1 / m2 - 1) < 0.05, where


def test_the_banded_png_holds_exactly_the_pixels_after_any_change():
    rng = np.random.default_rng(3)
    png = fastdraw.BandedPNG(rows=16)
    picture = np.full((70, 50, 4), 255, np.uint8)
    for _ in range(4):
        top = rng.integers(0, 60)
        picture[top : top + 5, 10:20] = rng.integers(0, 256, (5, 10, 4))  # one or two bands
        np.testing.assert_array_equal(_pixels(png.encode(picture), "RGBA"), picture)
    rgb = picture[..., :3].copy()
    np.testing.assert_array_equal(_pixels(fastdraw.BandedPNG().encode(rgb), "RGB"), rgb)


def test_the_network_runs_through_the_core_forward_pass():
    W, b = neurons.explorer_parameters(0.7, -1.3, 0.2)
    assert W[0] is None and b[0] is None
    assert [Wl.shape for Wl in W[1:]] == [(3, 2), (2, 3)]  # stored (n_out, n_in)
    assert W[1][0].tolist() == [0.7, -1.3] and b[1][0] == 0.2
    for name in neurons.ACTIVATIONS:
        sigma = bplib.get_activation(name)
        z, a = neurons.forward(0.4, -0.9, 0.7, -1.3, 0.2, name)
        # the column form, written out: a^l = sigma(W^l a^{l-1} + b^l)
        col = np.array([[0.4], [-0.9]])
        for l in (1, 2):
            col = sigma.fn(W[l] @ col + b[l][:, None])
        np.testing.assert_allclose(a[2], col.T, rtol=1e-12)
        net = bplib.Network([2, 3, 2], activation=name)
        net.W, net.b = W, b
        np.testing.assert_allclose(a[2], net.feedforward(np.array([[0.4, -0.9]])), rtol=1e-12)


def test_readout_spells_out_the_sum_for_neuron_1(explorer):
    z, a = neurons.forward(**neurons.DEFAULTS)
    assert f"= {z[1][0, 0]:+.2f};" in explorer.text
    assert f"sigmoid(z¹₁) = {a[1][0, 0]:.3f}" in explorer.text
    assert f"({a[2][0, 0]:.3f}, {a[2][0, 1]:.3f})" in explorer.text


def test_caption_says_what_to_find_and_gives_no_number_away():
    """The caption asks for what the sliders show (the activation with no weights, the ReLU's
    switch-off bias, the flat sigmoid) and quotes none of it: the reader finds the numbers."""
    d = neurons.DEFAULTS
    caption = neurons.network_caption()
    z, a = neurons.forward(**d)
    b_off = neurons.switch_off_bias(d["x1"], d["x2"], d["w11"], d["w12"])
    z_sat, a_sat = neurons.forward(2.0, d["x2"], 3.0, d["w12"], d["b1"], "sigmoid")
    given = [
        f"{a[1][0, 0]:.3f}",  # the start
        f"{z[1][0, 0]:+.2f}",
        f"{bplib.sigmoid.fn(d['b1']):.3f}",  # both weights 0
        f"{b_off:.1f}",  # the switch-off bias, with either minus sign
        f"{b_off:.1f}".replace("-", "\u2212"),
        f"{z_sat[1][0, 0]:.1f}",  # the saturated sigmoid
        f"{a_sat[1][0, 0]:.4f}",
        f"{a_sat[1][0, 0]:.3f}",
    ]
    for number in given:
        assert number not in caption, number
    for asked in ("relu", "sigmoid", "Set both highlighted weights to 0", "At which bias", "?"):
        assert asked in caption, asked
    assert not re.search(r"\{[a-z_]+[^}]*\}", caption)


def test_relu_below_the_switch_off_bias_silences_neuron_1():
    d = neurons.DEFAULTS
    b_off = neurons.switch_off_bias(d["x1"], d["x2"], d["w11"], d["w12"])
    z, a = neurons.forward(d["x1"], d["x2"], d["w11"], d["w12"], b_off - 0.1, "relu")
    assert z[1][0, 0] < 0 and a[1][0, 0] == 0
    z, a = neurons.forward(d["x1"], d["x2"], d["w11"], d["w12"], b_off + 0.1, "relu")
    assert a[1][0, 0] > 0


def test_alt_texts_say_what_the_pictures_show(explorer):
    alt = explorer.alt_text()
    assert "2-3-2 network" in alt and "Drawn at" in alt and "activation = sigmoid" in alt
    assert "alt=" in explorer.static_html() and "What to notice" in explorer.static_html()
    for fig, words in (
        (neurons.index_figure(), ("row 2, column 1", "W[l][1, 0]")),
        (neurons.activation_figure(), ("1 − tanh²", "central differences")),
    ):
        label = fig.get_label()
        assert all(w in label for w in words), label


def test_relu_prime_is_drawn_without_a_vertical_segment_and_with_bplibs_0_at_the_corner():
    """ReLU′ has no derivative at z = 0 and bplib uses 0 there: the figure draws two pieces
    (none of its lines crosses z = 0), a filled marker at (0, 0) and an open one at (0, 1)."""
    fig = neurons.activation_figure()
    relu = fig.axes[list(neurons.ACTIVATIONS).index("relu")]
    filled, hollow = [], []
    for line in relu.get_lines():
        x, y = np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)
        if len(x) == 1 and x[0] == 0:
            (filled if line.get_markerfacecolor() != "white" else hollow).append(y[0])
        elif len(x) > 2 and line.get_linestyle() == "--":  # a piece of the derivative
            assert x.max() < 0 or x.min() > 0, "a dashed line runs through the corner"
    assert filled == [0.0] and hollow == [1.0]
    assert "open circle" in fig.get_label() and "no vertical segment" in fig.get_label()


def test_central_difference_is_the_derivative_away_from_the_kink():
    z = np.linspace(-3.8, 3.8, 12)
    for name in neurons.ACTIVATIONS:
        act = bplib.get_activation(name)
        np.testing.assert_allclose(neurons.central_difference(act.fn, z), act.prime(z), atol=1e-8)
    assert neurons.central_difference(bplib.relu.fn, np.array(0.0)) == 0.5


def test_tanh_prime_is_one_minus_tanh_squared():
    z = np.linspace(-5, 5, 41)
    np.testing.assert_allclose(bplib.tanh.prime(z), 1 - np.tanh(z) ** 2, rtol=1e-12)


# ----------------------------------------------------------------------------
# The exercises
# ----------------------------------------------------------------------------
def test_notebook_01_has_the_three_exercises():
    names = [ex.name for ex in exercises_for("01")]
    assert names == ["feedforward_rows", "collapse", "tanh_prime"]
    keys = {b.key for b in EXERCISES["feedforward_rows"].bugs}
    # a[0] not X, the product without the transpose, z stored for σ(z), a layer reading a[0]
    assert {"input_transposed", "input_as_none", "input_missing"} <= keys
    assert {"no_transpose", "column_form", "bias_as_column", "stores_z", "reads_input"} <= keys


@pytest.mark.parametrize("i", range(3))
def test_feedforward_rows_is_bplibs_forward_pass(i):
    ex = EXERCISES["feedforward_rows"]
    W, b, X = ex.cases()[i]
    sigmas = [None] + [bplib.sigmoid] * (len(W) - 1)
    _, want = bplib.feedforward_layers(W, b, sigmas, X)
    got = ex.reference(W, b, X)
    assert len(got) == len(W) and got[0] is X  # every layer, a[0] the input itself
    for l in range(1, len(W)):
        np.testing.assert_allclose(got[l], want[l], rtol=1e-12)


def test_only_the_last_case_is_square():
    """Cases 0 and 1 have no two neighbouring sizes equal and no width equal to n, so that an
    answer kept as columns has the wrong shape there and the shape slips stop; the last case
    (every size 3) lets those slips run, so that each is named."""
    from bplib.exercises.nb01_network import SQUARE

    cases = EXERCISES["feedforward_rows"].cases()
    assert SQUARE == len(cases) - 1
    W, _, X = cases[SQUARE]
    assert {X.shape[0], X.shape[1], *(w.shape[0] for w in W[1:])} == {3}
    for W, _, X in cases[:SQUARE]:
        sizes = [X.shape[1]] + [w.shape[0] for w in W[1:]]
        assert all(p != q for p, q in zip(sizes, sizes[1:])) and X.shape[0] not in sizes


def test_tanh_prime_against_central_differences():
    z = np.linspace(-3, 3, 49)
    ref = EXERCISES["tanh_prime"].reference(np.tanh(z))
    np.testing.assert_allclose(ref, neurons.central_difference(np.tanh, z), atol=1e-8)


@pytest.mark.parametrize("i", range(4))
def test_collapse_is_the_linear_network_as_one_layer(i):
    """1.2's reference: one layer (n_L, n_0), (n_L,) that gives a network without activations'
    output for every input, on every case (one of them a single layer)."""
    W, b = EXERCISES["collapse"].cases()[i]
    W_one, b_one = EXERCISES["collapse"].reference(W, b)
    assert W_one.shape == (W[-1].shape[0], W[1].shape[1]) and b_one.shape == b[-1].shape
    X = np.random.default_rng(i).normal(0, 1, (6, W[1].shape[1]))
    linear = [None] + [bplib.identity] * (len(W) - 1)
    out = bplib.feedforward_layers(W, b, linear, X)[1][-1]
    np.testing.assert_allclose(out, X @ W_one.T + b_one, rtol=1e-10, atol=1e-12)


def _collapse_from(start_identity=False, order="right", bias="right"):
    def collapse(W, b):
        n_0 = W[1].shape[1]
        W_one, b_one, first = (np.eye(n_0), np.zeros(n_0), 1) if start_identity else (W[1], b[1], 2)
        for l in range(first, len(W)):
            W_one = W[l] @ W_one if order == "right" else W_one @ W[l]
            b_one = W[l] @ b_one + b[l] if bias == "right" else b_one + b[l]
        return W_one, b_one

    return collapse


def test_collapse_checks_any_right_route_and_names_the_slips():
    """1.2 passes the running layer started from layer 1 or from the identity, returned as a
    tuple or a list; the product in the wrong order and the summed biases are named; a probe
    of bplib's forward pass with chosen inputs is refused."""
    assert check("collapse", _collapse_from()).passed
    assert check("collapse", _collapse_from(start_identity=True)).passed
    assert check("collapse", lambda W, b: list(_collapse_from()(W, b))).passed
    fb = check("collapse", _collapse_from(order="wrong"))
    assert fb.bug == "wrong_order" and "W^L ⋯ W^2 W^1" in fb.message, repr(fb)
    fb = check("collapse", _collapse_from(bias="summed"))
    assert fb.bug == "bias_summed" and "W^L ⋯ W^2 b^1" in fb.message, repr(fb)

    def probe(W, b):
        linear = [None] + [bplib.identity] * (len(W) - 1)
        n_0 = W[1].shape[1]
        b_one = bplib.feedforward_layers(W, b, linear, np.zeros((1, n_0)))[1][-1][0]
        return (bplib.feedforward_layers(W, b, linear, np.eye(n_0))[1][-1] - b_one).T, b_one

    fb = check("collapse", probe)
    assert fb.status == "wrong" and fb.bug == "library", repr(fb)


def test_collapse_names_both_slips_of_a_double_slip():
    """1.2: the product in the wrong order together with the summed biases (a student's first
    try, started from layer 1 or from the identity) gets both slips named, each half apart,
    not the generic 'different values'; a right W_one with an unnamed b_one keeps the usual
    feedback."""
    for start in (False, True):
        fb = check("collapse", _collapse_from(start_identity=start, order="wrong", bias="summed"))
        assert fb.status == "wrong" and fb.bug == "wrong_order+bias_summed", repr(fb)
        assert "W^L ⋯ W^2 W^1" in fb.message and "W^L ⋯ W^2 b^1" in fb.message, repr(fb)
        assert "different values" not in fb.message and "right, but" not in fb.message, repr(fb)

    def transposed_no_bias(W, b):
        W_one, b_one = _collapse_from()(W, b)
        return W_one.T, 0 * b_one

    fb = check("collapse", transposed_no_bias)
    assert fb.bug == "transposed+no_bias", repr(fb)

    def unknown_bias(W, b):
        W_one, b_one = _collapse_from(order="wrong")(W, b)
        return W_one, 2 * b_one + 1

    fb = check("collapse", unknown_bias)
    assert fb.bug == "wrong_order" and "not named here" in fb.message, repr(fb)


def test_collapse_names_a_product_transposed_at_the_end():
    """W^1 (W^2)^T ... transposed at the end is W^L ... W^2 (W^1)^T: named (it runs on the
    square first test), alone and with a bias slip, and the message ends with a question."""

    def scrambled(bias):
        def collapse(W, b):
            W_one, b_one = W[1], b[1]
            for l in range(2, len(W)):
                W_one = W_one @ W[l].T
                b_one = bias(W[l], b[l], b_one)
            return W_one.T, b_one

        return collapse

    fb = check("collapse", scrambled(lambda Wl, bl, b_one: Wl @ b_one + bl))
    assert fb.bug == "first_transposed" and "(W^1)^T" in fb.message, repr(fb)
    assert fb.message.endswith("?") and not fb.hints
    fb = check("collapse", scrambled(lambda Wl, bl, b_one: b_one + bl))
    assert fb.bug == "first_transposed+bias_summed", repr(fb)


@pytest.mark.parametrize("key", ["no_transpose", "bias_as_column", "no_bias", "sigma_twice"])
def test_rows_feedback_names_the_slip_without_the_fixing_code(key):
    """1.1's messages for these slips name the bug and end with a question, never with the
    code that fixes it (`+ b[l]`, `W[l].T`, 'puts W^T on the right')."""
    message = next(bug.message for bug in EXERCISES["feedforward_rows"].bugs if bug.key == key)
    for fix in ("+ b[l]", "W[l].T", "W^T on the right", "W^T"):
        assert fix not in message, (key, fix, message)
    assert message.rstrip().endswith("?"), message


def test_a_flattened_result_is_called_flattened():
    """The right values in another shape (np.ravel) are named as a reshape, not as a sum over
    an axis."""
    fb = check("tanh_prime", lambda t: (1 - t**2).ravel())
    assert "flattened or reshaped" in fb.message and "axis" not in fb.message, repr(fb)
    fb = check("tanh_prime", lambda t: (1 - t**2).sum(axis=0))
    assert "A sum or mean went over an axis" in fb.message, repr(fb)


def _results(ex, args):
    from bplib.exercises.checker import _as_result

    out = {"reference": _as_result(ex.reference(*args))}
    for bug in ex.bugs:
        try:
            out[bug.key] = _as_result(bug.fn(*args))
        except ValueError:  # a shape slip, on a case that is not square
            continue
    return out


def test_case_0_tells_every_named_bug_apart():
    """Every bug that runs on case 0 gives its own answer there; 1.1's shape slips stop on
    case 0 and are told apart on the square case, where every bug runs."""
    from bplib.exercises.checker import _close
    from bplib.exercises.nb01_network import SHAPE_SLIPS, SQUARE

    for name in ("feedforward_rows", "collapse", "tanh_prime"):
        ex = EXERCISES[name]
        indices = [0, SQUARE] if name == "feedforward_rows" else [0]
        for i in indices:
            results = _results(ex, ex.cases()[i])
            if i == 0:
                ran = {b.key for b in ex.bugs} - set(results)
                assert ran <= set(SHAPE_SLIPS), (name, ran)
            else:
                assert set(results) == {"reference"} | {b.key for b in ex.bugs}
            keys = list(results)
            for p, k1 in enumerate(keys):
                for k2 in keys[p + 1 :]:
                    assert not _close(results[k1], results[k2]), (name, i, k1, k2)


def test_a_forward_pass_kept_as_columns_is_named():
    """The column form run on X.T, every layer kept as (n_l, n): the first test is not square,
    so the shapes are wrong, and the checker says why, with or without a[0] = X.T."""

    def columns(W, b, X, first=lambda X: X):
        a, h = [first(X)], X.T
        for l in range(1, len(W)):
            h = bplib.sigmoid.fn(W[l] @ h + b[l].reshape(-1, 1))
            a.append(h)
        return a

    for fn in (columns, lambda W, b, X: columns(W, b, X, first=np.transpose)):
        fb = check("feedforward_rows", fn)
        assert fb.status == "wrong" and fb.bug == "columns", repr(fb)
        assert "the column form (4) run on X.T" in fb.message and "(n, n_l)" in fb.message
        assert "On the first test" in fb.message
    # turned back into rows at the end, it is right
    fb = check("feedforward_rows", lambda W, b, X: [X] + [a.T for a in columns(W, b, X)[1:]])
    assert fb.passed, repr(fb)


def _rows_with(layer):
    def feedforward_rows(W, b, X):
        a = [X]
        for l in range(1, len(W)):
            a.append(layer(l, W[l], b[l], a, X))
        return a

    return feedforward_rows


@pytest.mark.parametrize(
    "layer, bug, first_wrong",
    [
        (lambda l, W, b, a, X: bplib.sigmoid.fn(a[l - 1] @ W + b), "no_transpose", "a[1]"),
        (lambda l, W, b, a, X: bplib.sigmoid.fn(X @ W.T + b), "reads_input", "a[2]"),
        (
            lambda l, W, b, a, X: bplib.sigmoid.fn(a[l - 1] @ W.T + b[:, None]),
            "bias_as_column",
            "a[1]",
        ),
    ],
)
def test_a_slip_is_named_with_the_first_wrong_layer(layer, bug, first_wrong):
    """A shape slip stops on the first test and is named on the square one, with its first
    wrong layer there."""
    fb = check("feedforward_rows", _rows_with(layer))
    assert fb.status == "wrong" and fb.bug == bug, repr(fb)
    assert f"{first_wrong} is the first wrong layer" in fb.message
    assert "stops with a shape error on the first test" in fb.message
    assert "Traceback" not in fb.message


def test_a_slip_unknown_to_the_checker_still_gets_its_layer():
    def bias_in_layer_1_only(W, b, X):
        a = [X]
        for l in range(1, len(W)):
            a.append(bplib.sigmoid.fn(a[l - 1] @ W[l].T + (b[l] if l == 1 else 0)))
        return a

    fb = check("feedforward_rows", bias_in_layer_1_only)
    assert (
        fb.bug is None and "a[0] to a[1] are right and a[2] is the first wrong layer" in fb.message
    )


def test_a_shape_error_on_the_later_cases_is_feedback_naming_the_product():
    """Right only where every size is 3 (the last case): the non-square cases raise, and the
    message names the product without the transpose (or a layer reading a[0]), never a
    traceback."""

    def square_only(W, b, X):
        a = [X]
        for l in range(1, len(W)):
            square = W[l].shape[0] == W[l].shape[1] == X.shape[0]
            a.append(bplib.sigmoid.fn((W[l] @ a[l - 1].T).T + b[l] if square else a[l - 1] @ W[l]))
        return a

    fb = check("feedforward_rows", square_only)
    assert fb.status == "error" and "Traceback" not in fb.message
    assert "In layer l = 1" in fb.message and "`a[l − 1] @ W[l]` without a transpose" in fb.message

    def square_reads_x(W, b, X):
        a = [X]
        for l in range(1, len(W)):
            src = a[l - 1] if l == 1 or W[l].shape[0] == W[l].shape[1] else X
            a.append(bplib.sigmoid.fn(src @ W[l].T + b[l]))
        return a

    fb = check("feedforward_rows", square_reads_x)
    assert "In layer l = 2" in fb.message and "reads the input a[0]" in fb.message
    assert "without a transpose" not in fb.message


def test_the_output_layers_sigma_is_named_when_it_is_missing_or_doubled():
    """Exercise 1.1 returns every layer: a slip in the output layer alone gets its own message,
    not a generic "different values" with a shape hint."""

    def last_layer_linear(W, b, X):
        a = [X]
        for l in range(1, len(W) - 1):
            a.append(bplib.sigmoid.fn(a[l - 1] @ W[l].T + b[l]))
        a.append(a[-1] @ W[-1].T + b[-1])
        return a

    fb = check("feedforward_rows", last_layer_linear)
    assert fb.bug == "no_sigma_on_output" and "z^L" in fb.message
    assert EXERCISES["feedforward_rows"].hints[0] not in fb.message


def test_sigma_applied_twice_is_named_and_00_quotes_what_the_check_prints():
    """σ put through σ again in every layer (the activation a second time) is named, with no
    transpose hint; σ twice on the output alone too, and 00's example of feedback is a sentence
    the check really prints for that slip."""

    def twice_in_every_layer(W, b, X):
        a = [X]
        for l in range(1, len(W)):
            a.append(bplib.sigmoid.fn(a[l - 1] @ W[l].T + b[l]))
            a[l] = bplib.sigmoid.fn(a[l])
        return a

    fb = check("feedforward_rows", twice_in_every_layer)
    assert fb.bug == "sigma_twice" and "σ(σ(z^l))" in fb.message, repr(fb)
    assert "a[1] is the first wrong layer" in fb.message and not fb.hints
    assert "transpos" not in fb.message.lower()

    def twice_on_the_output(W, b, X):
        a = [X]
        for l in range(1, len(W)):
            a.append(bplib.sigmoid.fn(a[l - 1] @ W[l].T + b[l]))
        a[-1] = bplib.sigmoid.fn(a[-1])
        return a

    fb = check("feedforward_rows", twice_on_the_output)
    assert fb.bug == "sigma_twice_on_output", repr(fb)
    index = nbformat.read(NOTEBOOK.parent / "00_index.ipynb", as_version=4)
    how = next(c.source for c in index.cells if c.source.startswith("## How a notebook works"))
    quoted = re.search(r'names the likely bug, for example \*"(.+?)"\*', how).group(1)
    assert quoted in fb.message, (quoted, fb.message)


def test_tanh_prime_copied_from_the_sigmoid_is_named():
    fb = check("tanh_prime", lambda t: t * (1 - t))
    assert fb.bug == "sigma_prime_form" and "(t + 1)/2" in fb.message


# ----------------------------------------------------------------------------
# The stored notebook
# ----------------------------------------------------------------------------
def _notebook():
    if not NOTEBOOK.exists():
        pytest.skip("notebooks/01_network.ipynb is not there")
    return nbformat.read(NOTEBOOK, as_version=4)


def _cell(nb, cid):
    return next(c for c in nb.cells if c.get("id") == f"nb01-{cid}")


def test_every_numbered_equation_is_checked_in_code():
    nb = _notebook()
    seen = []
    for c in nb.cells:
        if c.cell_type == "markdown":
            seen += re.findall(r"\\tag\{(\d+)\}", c.source)
    assert seen == [str(k) for k in range(1, len(seen) + 1)] and len(seen) >= 10
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for k in seen:
        assert f"({k})" in code, f"equation ({k}) has no check in code"


def _namespace(nb, ids):
    ns = {}
    for cid in ids:
        exec(compile(_cell(nb, cid).source, cid, "exec"), ns)  # noqa: S102 - our own notebook
    return ns


@pytest.mark.parametrize(
    "cid, predictions",
    [
        (
            "predict-colbias-run",
            {None: "not predicted", "A": "wrong", "B": "wrong", "C": "right", " c ": "right",
             "D": "wrong", "E": "not an option", 3: "not an option", (1,): "not an option"},
        ),
        (
            "predict-zero-input-run",
            {None: "not predicted", "B": "right", " b ": "right", "A": "wrong", "C": "wrong",
             "D": "wrong", "e": "not an option", 2: "not an option", ("B",): "not an option"},
        ),
    ],
)  # fmt: skip
def test_predict_then_run_never_raises_and_judges(cid, predictions):
    """The run cell ends in reveal(prediction, ...): whatever the reader wrote, it answers."""
    nb = _notebook()
    ns = _namespace(nb, ["setup", "layer-code", "batch-code"])
    assert _cell(nb, cid.replace("-run", "-answer")).source.startswith("prediction = None")
    tree = ast.parse(_cell(nb, cid).source)
    *body, last = tree.body
    assert isinstance(last, ast.Expr) and last.value.func.id == "reveal"
    exec(compile(ast.Module(body, []), cid, "exec"), ns)  # noqa: S102 - our own notebook
    for p, status in predictions.items():
        ns["prediction"] = p
        result = eval(compile(ast.Expression(last.value), cid, "eval"), ns)  # noqa: S307
        assert result.status == status, (p, result.verdict)
        # the outcome is printed once a valid letter is predicted, never before
        assert ("What happened:" in repr(result)) == (status in ("right", "wrong"))
        if status == "not an option":
            assert '"A", "B", "C" or "D"' in result.verdict


def test_the_bias_trap_is_taught_once():
    """The flat bias added as a column is taught by the colbias question alone (and named by
    1.1's check): no later cell of prose runs it again."""
    nb = _notebook()
    at = {c.get("id"): i for i, c in enumerate(nb.cells)}
    later = [
        c
        for c in nb.cells[at["nb01-predict-colbias-run-check"] + 1 :]
        if "exercise" not in c.metadata.get("tags", [])
    ]
    assert not any("[:, None]" in c.source for c in later if c.cell_type == "markdown")
    assert "nb01-bias-rows" not in at


def test_the_broadcasting_rule_comes_before_the_question_that_applies_it():
    """The colbias question asks what numpy makes of (3, 1) + (3,): the rule is stated and run
    on other shapes just above it, and the prompt says to apply it; the (3, 1) + (3,) case
    itself is left to the reader."""
    nb = _notebook()
    at = {c.get("id"): i for i, c in enumerate(nb.cells)}
    rule, prompt = _cell(nb, "broadcast").source, _cell(nb, "predict-colbias").source
    assert at["nb01-broadcast"] < at["nb01-broadcast-code"] < at["nb01-predict-colbias"]
    assert "lines the two shapes up from the right" in rule and "size 1" in rule
    assert "rule above" in prompt
    above = "\n".join(c.source for c in nb.cells[: at["nb01-predict-colbias"]])
    assert "(3, 3)" not in above.replace("[3, 3, 3]", "")


def test_1_2_states_the_goal_and_leaves_the_route_to_the_hints():
    """1.2 says what to find (tanh' in t alone, from tanh = 2σ(2z) − 1 and (9)), not the steps;
    the first hint gives the route."""
    ex = EXERCISES["tanh_prime"]
    assert "**Goal.**" in ex.statement and "from `t` alone" in ex.statement
    for step in ("chain rule", "in terms of $t", "simplify"):
        assert step not in ex.statement, step
    assert "chain rule" in ex.hints[0] and "σ(2z) in terms of t" in ex.hints[0]


def _position(nb, cid):
    return next(i for i, c in enumerate(nb.cells) if c.get("id") == cid)


def test_each_exercise_sits_where_its_tools_are_and_before_its_answer():
    """1.1 (the forward pass for a batch of rows) closes section 4, after the loop for one
    example as a column and before section 5 derives the rows form (7); 1.2 (a network without
    activations as one layer) opens section 6, before (8) writes the two-layer case; 1.3 (tanh′)
    follows the sigmoid's (9) and comes before (10) states its answer. Running
    tools/exercise_cells.py again keeps each exercise where it sits."""
    nb = _notebook()
    at = {c.get("id"): i for i, c in enumerate(nb.cells)}
    heading = {
        i: c.source.splitlines()[0] for i, c in enumerate(nb.cells) if c.source.startswith("## ")
    }

    def section(i):  # the "## " heading a cell sits under
        return heading[max(h for h in heading if h <= i)]

    def cells(name):
        return [at[f"ex01-{name}{s}"] for s in ("-statement", "", "-check", "-solution")]

    ex1, ex2, ex3 = cells("feedforward_rows"), cells("collapse"), cells("tanh_prime")
    for ex in (ex1, ex2, ex3):
        assert ex == list(range(ex[0], ex[0] + 4))
    assert ex1[0] < ex2[0] < ex3[0]
    assert at["ex01-heading"] + 2 == ex1[0] and at["ex01-import"] + 1 == ex1[0]
    assert at["nb01-feedforward-code"] < at["ex01-heading"] and ex1[-1] + 1 == at["nb01-batch"]
    assert r"\tag{6}" in nb.cells[at["nb01-feedforward"]].source
    assert (
        r"\tag{7}" in nb.cells[at["nb01-batch"]].source
        and "(Mv)^T" in nb.cells[at["nb01-batch"]].source
    )
    assert section(ex1[0]).startswith("## 4.") and section(at["nb01-batch"]).startswith("## 5.")
    # nothing above 1.1 writes the rows form: a row of activations times a transposed W
    rows_form = re.compile(r"@ W\[\w+\]\.T|\(a\^\{l-1\}\)\^T|A\^\{l-1\}")
    assert not any(rows_form.search(c.source) for c in nb.cells[: ex1[0]])
    assert rows_form.search(nb.cells[at["nb01-batch"]].source)
    # 1.2 opens section 6; nothing above it multiplies two layers' weights; (8) comes after it
    assert ex2[0] == at["nb01-activations"] + 1 and section(ex2[0]).startswith("## 6.")
    assert ex2[-1] + 1 == at["nb01-linear"] and r"\tag{8}" in nb.cells[at["nb01-linear"]].source
    product = re.compile(r"W\^2\s*W\^1|W\[2\] @ W\[1\]|W\^\{?l\+1\}?\s*W\^l")
    assert not any(product.search(c.source) for c in nb.cells[: ex2[0]])
    assert (
        r"\tag{9}" in nb.cells[at["nb01-derivatives"]].source
        and ex3[0] == at["nb01-derivatives"] + 1
    )
    assert r"\tag{10}" in nb.cells[ex3[-1] + 1].source
    assert not any("1 - t" in c.source or r"1 - \tanh" in c.source for c in nb.cells[: ex3[0]])
    numbered = [h for h in heading.values() if h[3].isdigit()]
    assert [h for h in heading.values() if h not in numbered] == [
        "## Learning goals",
        "## Notation",
        "## Summary",
    ]
    assert [int(h.split()[1].rstrip(".")) for h in numbered] == list(range(1, len(numbered) + 1))


def test_01s_notation_adds_its_own_rows_and_its_goals_say_how_each_derivative_is_found():
    """The notation table holds only the rows 01 adds (z, a, sigma, i and n) and sends the reader
    to 00 for the rest; the goals say ReLU' is read off its graph, not derived; the explorer's
    four questions stand on lines of their own."""
    nb = _notebook()
    notation = next(c.source for c in nb.cells if c.get("id") == "nb01-notation")
    rows = [line for line in notation.splitlines() if line.startswith("| $")]
    assert [r.split("|")[1].strip() for r in rows] == [
        "$z^l_j$, $a^l_j$",
        r"$\sigma$",
        "$i$, $n$",
    ]
    assert "00_index.ipynb" in notation
    goals = next(c.source for c in nb.cells if c.get("id") == "nb01-goals")
    assert "σ, tanh and ReLU" not in goals and "read ReLU's off its graph" in goals
    caption = neurons.network_caption()
    assert all(f"<br>({q})" in caption for q in "1234"), caption
    from bplib.widgets import html_text

    assert all(f"\n({q})" in html_text(caption) for q in "1234")


def test_notebook_05s_saturation_question_is_left_open():
    """05 asks whether a saturated, badly wrong output neuron has a large error: 01 shows how
    flat σ is far from 0 (figure, explorer) but neither asks about it nor names saturation or
    says what it does to learning (the explorer's caption included)."""
    nb = _notebook()
    text = "\n".join(c.source for c in nb.cells).replace(" ", "").lower()
    for phrase in ("saturat", "learnsslowly", "learnslowly"):
        assert phrase not in text and phrase not in neurons.network_caption().replace(" ", "")


def test_exercise_1_1_calls_the_sigmoid_sigma_as_the_notebook_does():
    """The notebook names bplib's sigmoid `sigma` from its first code cell: exercise 1.1's cell,
    statement, hints and folded solution use that name, not a second one (`sigmoid`)."""
    nb = _notebook()
    cells = {c.get("id"): c.source for c in nb.cells}
    assert "sigma = bplib.sigmoid" in cells["nb01-setup"]
    for cid in ("-statement", "", "-solution"):
        source = cells[f"ex01-feedforward_rows{cid}"]
        assert "sigma.fn" in source and "sigmoid.fn" not in source, cid
    assert "from bplib import sigmoid as sigma" in cells["ex01-feedforward_rows"]
    exercise = EXERCISES["feedforward_rows"]
    assert not any("sigmoid." in text for text in exercise.hints)
    assert not any("sigmoid." in bug.message for bug in exercise.bugs)
