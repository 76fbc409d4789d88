"""Softmax output and categorical cross-entropy: δ^L = p − y, by the Jacobian and by finite
differences; notebook 12 names p = a^L and keeps no stored spoiler."""

import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

import bplib

ROOT = Path(__file__).resolve().parents[1]


def test_softmax_rows_are_distributions_and_stable():
    z = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, -1000.0]])
    p = bplib.softmax.fn(z)
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[0], np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum())
    np.testing.assert_allclose(p[1], [0.5, 0.5, 0.0], atol=1e-300)  # no overflow at z = 1000


def test_output_error_is_the_jacobian_times_the_cost_gradient():
    rng = np.random.default_rng(0)
    z = rng.normal(size=(4, 5))
    y = np.eye(5)[[0, 3, 1, 4]]
    p = bplib.softmax.fn(z)
    for i in range(4):
        J = np.diag(p[i]) - np.outer(p[i], p[i])  # da_j/dz_m = a_j (delta_jm - a_m)
        grad_a = bplib.categorical_cross_entropy.grad_a(p[i : i + 1], y[i : i + 1])[0]
        np.testing.assert_allclose(J.T @ grad_a, p[i] - y[i], atol=1e-12)
    delta = bplib.categorical_cross_entropy.delta(p, y, z, bplib.softmax)
    np.testing.assert_allclose(delta, p - y)


def test_output_error_matches_finite_differences_of_the_cost():
    rng = np.random.default_rng(1)
    z = rng.normal(size=(3, 4))
    y = np.eye(4)[[2, 0, 1]]
    cost = bplib.categorical_cross_entropy
    eps = 1e-6
    numeric = np.zeros_like(z)
    for i, j in np.ndindex(*z.shape):
        up, down = z.copy(), z.copy()
        up[i, j] += eps
        down[i, j] -= eps
        numeric[i, j] = (
            cost.fn(bplib.softmax.fn(up[i]), y[i]) - cost.fn(bplib.softmax.fn(down[i]), y[i])
        ) / (2 * eps)
    np.testing.assert_allclose(
        cost.delta(bplib.softmax.fn(z), y, z, bplib.softmax), numeric, atol=1e-8
    )


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_softmax_network_passes_the_gradient_check(activation):
    net = bplib.Network(
        [4, 5, 3],
        activation=activation,
        output_activation="softmax",
        cost="categorical_cross_entropy",
        seed=2,
    )
    rng = np.random.default_rng(3)
    X = rng.normal(size=(6, 4))
    Y = np.eye(3)[rng.integers(0, 3, 6)]
    report = bplib.gradient_check(net, X, Y, eps=1e-6, tol=1e-6)
    assert report.ok, report


def test_softmax_and_categorical_cross_entropy_go_together():
    with pytest.raises(ValueError, match="go together"):
        bplib.Network([2, 3, 2], output_activation="softmax", cost="quadratic")
    with pytest.raises(ValueError, match="go together"):
        bplib.Network([2, 3, 2], output_activation="sigmoid", cost="categorical_cross_entropy")
    with pytest.raises(ValueError, match="cannot be a hidden activation"):
        bplib.Network(
            [2, 3, 2],
            activation="softmax",
            output_activation="softmax",
            cost="categorical_cross_entropy",
        )
    with pytest.raises(TypeError, match="no element-wise"):
        bplib.softmax.prime(np.zeros((1, 2)))


@pytest.mark.slow
def test_softmax_classifier_learns_the_digits():
    X, y = bplib.load_digits()  # pixels in [0, 1]
    Y = bplib.one_hot(y, 10)
    net = bplib.Network(
        [784, 30, 10], output_activation="softmax", cost="categorical_cross_entropy", seed=0
    )
    history = net.fit(
        X[:4000],
        Y[:4000],
        epochs=10,
        batch_size=32,
        eta=0.5,
        validation_data=(X[4000:], Y[4000:]),
        progress=False,
    )
    assert history.accuracy[-1] >= 0.88, history


def test_notebook_12_names_p_and_keeps_the_layer_superscript():
    nb = nbformat.read(ROOT / "notebooks" / "12_softmax.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert (
        "network's output $a^L$, written $p$" in text
        and r"$p = a^L = \mathrm{softmax}(z^L)$" in text
    )
    for bare in (r"\partial z_m", "e^{z_j}", "e^{z_m}", r"$z_j", r"$z_m", r"\sigma'(z_j)"):
        assert bare not in text, bare


def test_exercise_12_1_names_the_zero_probability_row_for_the_jacobian_form():
    """The answer J^T (-y/p) copied from (5) is right until the row with p_j = 0: the check says
    that row is there on purpose, not that the inputs are ordinary numbers."""
    from bplib.exercises import check

    def jacobian_form(p, y):
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.array([(np.diag(r) - np.outer(r, r)).T @ (-t / r) for r, t in zip(p, y)])

    fb = check("output_error_any_target", jacobian_form)
    assert fb.status == "error" and "NaN" in fb.message, repr(fb)
    assert "p_j = 0 exactly" in fb.message and "not in a denominator" in fb.message
    assert "small and ordinary" not in fb.message
    fb = check("output_error_any_target", lambda p, y: np.full_like(p, np.nan))  # NaN everywhere
    assert fb.status == "error" and "p_j = 0" not in fb.message, repr(fb)


def test_notebook_12_closes_the_series_with_where_next():
    """The last notebook ends, after its Summary, with a "Where next" for the whole series: what
    the reader can now do and what to learn next; its links need no network at test time (web
    addresses are only shown, notebooks are local)."""
    import re  # noqa: PLC0415

    nb = nbformat.read(ROOT / "notebooks" / "12_softmax.ipynb", as_version=4)
    ids = [c.id for c in nb.cells]
    assert ids[-1] == "nav-bottom" and ids[-2] == "nb12-where-next"
    assert nb.cells[ids.index("nb12-summary")].source.startswith("## Summary")
    assert ids.index("nb12-summary") == len(ids) - 3
    text = nb.cells[-2].source
    assert text.startswith("## Where next")
    for topic in ("PyTorch", "JAX", "Optimizers", "Adam", "Regularisation", "Convolution"):
        assert topic in text, topic
    for target in re.findall(r"\]\(([^)]+)\)", text):
        assert re.fullmatch(r"https?://[^\s]+|\d\d_[a-z_]+\.ipynb", target), target
        if target.endswith(".ipynb"):
            assert (ROOT / "notebooks" / target).exists(), target
    # a cell ids renumbering leftover from notebook 11 would show here
    assert not [i for i in ids if i.startswith("nb11-")]


def _nb12():
    return nbformat.read(ROOT / "notebooks" / "12_softmax.ipynb", as_version=4)


def _stream(cell):
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def test_notebook_12_shows_softmax_prime_refusing_without_the_answer():
    nb = _nb12()
    ids = [c.id for c in nb.cells]
    cell = nb.cells[ids.index("nb12-prime-refuses")]
    assert ids.index("nb12-jacobian-after") + 1 == ids.index("nb12-prime-refuses")
    out = _stream(cell)
    assert "raises TypeError" in out and "Jacobian" in out
    assert "δ^L" not in out and "− y" not in out  # the refusal's δ^L = a^L − y comes later, in (6)


def test_notebook_12_checks_equation_5_by_central_differences():
    nb = _nb12()
    cell = next(c for c in nb.cells if c.id == "nb12-delta")
    assert "assert np.allclose(grad_P, -Y / P" in cell.source and "(5)" in _stream(cell)


def test_mnist_figure_has_a_caption_and_the_bias_question_is_about_softmax():
    nb = _nb12()
    ids = [c.id for c in nb.cells]
    out = _stream(nb.cells[ids.index("nb12-saturation")])
    assert "saturated start:  51%" in out and "22% beyond it on the wrong side" in out
    # the figure: a caption saying what to notice right before it, alt text, shown once
    caption = nb.cells[ids.index("nb12-figure") - 1]
    assert caption.id == "nb12-figure-md" and "What to notice" in caption.source.replace("\n", " ")
    figure = nb.cells[ids.index("nb12-figure")]
    assert "fig.set_label(" in figure.source
    assert sum("image/png" in o.get("data", {}) for o in figure.outputs) == 1
    # the second question: the sum of the softmax's output biases, derivable from BP3 and
    # rows of p - y that sum to 0; neither that link nor the outcome is written above it
    order = [
        ids.index(i)
        for i in ("nb12-calibration", "nb12-predict2-md", "nb12-predict2", "nb12-bias-run")
    ]
    assert order == list(range(order[0], order[0] + 4))
    # the softmax's change of the bias sum is rounding: shown as a bound, never its last bits
    run = nb.cells[ids.index("nb12-bias-run")].source
    assert '"|change| < 1e-12" if abs(c) < 1e-12' in run and "(change {bias_sums" not in run
    prompt = nb.cells[ids.index("nb12-predict2-md")].source
    assert "**sum**" in prompt and "BP3" not in prompt and "sums to 0" not in prompt
    above = "".join(c.source for c in nb.cells[: ids.index("nb12-bias-run")])
    assert "keeps its sum" not in above and "biases without changing" not in above
    why = nb.cells[ids.index("nb12-bias-run") + 1].source
    assert why.startswith("<details>") and "BP3" in why and "(2)" in why
    check = nb.cells[ids.index("nb12-bias-run") + 2]
    assert 'bias_answer == "C"' in check.source and check.metadata["jupyter"]["source_hidden"]
    assert 'options="ABCD"' in nb.cells[ids.index("nb12-bias-run")].source


def test_exercise_12_1_keeps_its_recipe_in_the_hints_and_12_2_motivates_without_the_result():
    from bplib.exercises import EXERCISES

    cost = EXERCISES["categorical_cost"]
    assert "on paper" not in cost.statement and "log of (1)" in cost.hints[0]
    anytarget = EXERCISES["output_error_any_target"]
    assert "What it teaches" not in anytarget.statement and "multi-label" not in anytarget.statement
    assert r"$y = w\,e_c$" in anytarget.statement  # weighted examples motivate it
    notation = next(c.source for c in _nb12().cells if c.id == "nb12-notation")
    assert "| $e_c$ |" in notation


def _stable_softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@pytest.mark.parametrize(
    "answer",
    [
        lambda z, y: -np.sum(y * np.log(np.clip(_stable_softmax(z), 1e-12, 1.0)), axis=1),
        lambda z, y: -np.sum(y * np.log(_stable_softmax(z) + 1e-15), axis=1),
        # a clip as small as a float goes caps the cost near 690 or 744, still far below 2000.3
        lambda z, y: -np.sum(y * np.log(np.clip(_stable_softmax(z), 1e-300, 1.0)), axis=1),
        lambda z, y: -np.sum(y * np.log(np.maximum(_stable_softmax(z), 5e-324)), axis=1),
    ],
)
def test_exercise_12_1_names_p_clipped_before_the_log(answer):
    from bplib.exercises import check

    fb = check("categorical_cost", answer)
    assert fb.status == "wrong" and fb.bug == "clipped", repr(fb)
    assert "You clipped p" in fb.message and "the true cost is about 2000" in fb.message
    assert "compute ln p from z" in fb.message


def test_exercise_12_1_last_hint_is_not_the_last_line_and_the_worked_answer_is_folded():
    from bplib.exercises import EXERCISES

    assert "np.sum(y * (log_D - z)" not in " ".join(EXERCISES["categorical_cost"].hints)
    nb = _nb12()
    ids = [c.id for c in nb.cells]
    # the worked answer is shown once, folded, after the exercise: no cell repeats it
    for cell in nb.cells[ids.index("ex12-categorical_cost-solution") + 1 :]:
        if cell.id == "nb12-summary":
            break
        for answer in ("log_D", "Z_max", "z_max", r"z_{\max}", r"\ln D - z"):
            assert answer not in cell.source, (cell.id, answer)
    assert ids.index("ex12-categorical_cost-check") < ids.index("nb12-cost-md")


def test_notebook_12_writes_batches_in_capitals_and_one_example_in_lowercase():
    """As in 05-10: Z^L, P, Y (and Delta^L) for a batch, one example per row; z^L, p, y for one."""
    from bplib.exercises import EXERCISES

    nb = _nb12()
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for lowercase in (
        "def softmax(z)",
        "\nz = rng.normal",
        "\np = softmax(z)",
        "cost(z, Y)",
        "z_row",
        "\nbig =",
    ):
        assert lowercase not in code, lowercase
    assert "def softmax(Z)" in code and "P = softmax(Z)" in code and "def jacobian(p)" in code
    notation = next(c.source for c in nb.cells if c.id == "nb12-notation")
    assert "| $Z^L$, $P$, $Y$ |" in notation and r"$\Delta^L$" in notation
    assert EXERCISES["categorical_cost"].signature == "categorical_cost(Z, Y)"
    assert EXERCISES["output_error_any_target"].signature == "output_error_any_target(P, Y)"
    # every cell whose id says predict belongs to a predict-then-run (tagged)
    for c in nb.cells:
        if "predict" in c.id:
            assert {"predict", "predict-check"} & set(c.metadata.get("tags", [])), c.id


def test_notebook_12_names_the_true_class_probability_once_and_justifies_its_etas():
    nb = _nb12()
    text = "".join(c.source for c in nb.cells)
    assert r"p_{\text{true}}" not in text and "p_true" not in text
    notation = next(c.source for c in nb.cells if c.id == "nb12-notation")
    assert "mini-batch size" not in notation
    s5 = next(c for c in nb.cells if c.id == "nb12-s5").source
    assert "so they take a smaller step" in s5


def test_exercise_12_3_takes_the_capstone_backward_pass_to_a_softmax_output():
    """12.3 (softmax output, quadratic cost): the 10.2 answer pasted unchanged stops at
    softmax.prime with bplib's own explanation; 12.2's shortcut P - Y is named; BP1 through the
    Jacobian passes; the exercise sits after the whole-network gradient check."""
    import bplib
    from bplib.exercises import check

    def backward_10_2(bp1):
        def softmax_backward(W, sigmas, z, a, Y):
            L, n = len(W) - 1, len(Y)
            grad_W, grad_b = [None] * (L + 1), [None] * (L + 1)
            delta = bp1(sigmas, z, a, Y)
            for l in range(L, 0, -1):
                grad_b[l] = delta.mean(axis=0)
                grad_W[l] = delta.T @ a[l - 1] / n
                if l > 1:
                    delta = (delta @ W[l]) * sigmas[l - 1].prime(z[l - 1])
            return grad_W, grad_b

        return softmax_backward

    quad = bplib.quadratic
    pasted = check(
        "softmax_backward",
        backward_10_2(lambda s, z, a, Y: quad.grad_a(a[-1], Y) * s[-1].prime(z[-1])),
    )
    assert pasted.status == "wrong" and pasted.bug == "softmax_prime", repr(pasted)
    assert "softmax has no element-wise σ′. BP1 here is Jᵀg (section 3)" in pasted.message
    assert "a^L − y" not in pasted.message  # not the answer that 12.3 says is wrong
    shortcut = check("softmax_backward", backward_10_2(lambda s, z, a, Y: a[-1] - Y))
    assert not shortcut.passed and shortcut.bug == "p_minus_y", repr(shortcut)

    def jtg(s, z, a, Y):
        P = a[-1]
        G = P - Y
        return P * (G - (G * P).sum(axis=1, keepdims=True))

    fixed = check("softmax_backward", backward_10_2(jtg))
    assert fixed.passed, repr(fixed)

    def no_keepdims(s, z, a, Y):  # g . p of shape (n,): numpy cannot broadcast it over (n, K)
        P = a[-1]
        G = P - Y
        return P * (G - (G * P).sum(axis=1))

    flat = check("softmax_backward", backward_10_2(no_keepdims))
    assert flat.status == "wrong" and flat.bug == "no_keepdims", repr(flat)
    assert "(6,)" in flat.message and "(6, 3)" in flat.message and "keepdims=True" in flat.message

    def other_error(s, z, a, Y):  # an unrelated broadcast error is not named no_keepdims
        return a[-1] * np.ones((2, 7))

    assert check("softmax_backward", backward_10_2(other_error)).bug != "no_keepdims"
    ids = [c.id for c in _nb12().cells]
    assert ids.index("nb12-gradcheck") < ids.index("ex12-softmax_backward-statement")


def _slopes(cost, W, b, which, l, eps=1e-6):
    """Central differences of cost(W, b) by every entry of W[l] or b[l] (which = "W" or "b")."""
    params = {"W": W, "b": b}
    num = np.zeros_like(params[which][l])
    for idx in np.ndindex(num.shape):
        ends = []
        for step in (eps, -eps):
            moved = {k: [p if p is None else p.copy() for p in v] for k, v in params.items()}
            moved[which][l][idx] += step
            ends.append(cost(moved["W"], moved["b"]))
        num[idx] = (ends[0] - ends[1]) / (2 * eps)
    return num


def test_exercise_12_3_reference_agrees_with_central_differences_of_the_quadratic_cost():
    """bplib will not build a softmax network with the quadratic cost, so the reference of 12.3
    is checked here against central differences of C = mean of 1/2 |softmax(z^L) - y|^2."""
    from bplib.exercises import EXERCISES

    ex = EXERCISES["softmax_backward"]
    for W, sigmas, z, a, Y in ex.cases():
        X = a[0]
        b = [None] + [(z[l] - a[l - 1] @ W[l].T)[0] for l in range(1, len(W))]  # z^l - a^{l-1} W^T
        assert all(np.allclose(z[l], a[l - 1] @ W[l].T + b[l]) for l in range(1, len(W)))

        def cost(W_, b_, X=X, sigmas=sigmas, Y=Y):
            A = X
            for l in range(1, len(W_)):
                A = sigmas[l].fn(A @ W_[l].T + b_[l])
            return np.mean(0.5 * np.sum((A - Y) ** 2, axis=1))

        grad_W, grad_b = ex.solution(W, sigmas, z, a, Y)
        for l in range(1, len(W)):
            assert np.abs(_slopes(cost, W, b, "W", l) - grad_W[l]).max() < 1e-8
            assert np.abs(_slopes(cost, W, b, "b", l) - grad_b[l]).max() < 1e-8


def _backward_10_2(bp1, bp2_layer=lambda l: l - 1):
    """A 10.2-style answer for 12.3 with the given BP1 (z, a, Y) -> delta, and BP2 taking the
    activation of layer ``bp2_layer(l)`` at z[l - 1]."""

    def softmax_backward(W, sigmas, z, a, Y):
        L, n = len(W) - 1, len(Y)
        grad_W, grad_b = [None] * (L + 1), [None] * (L + 1)
        delta = bp1(z, a, Y)
        for l in range(L, 0, -1):
            grad_b[l] = delta.mean(axis=0)
            grad_W[l] = delta.T @ a[l - 1] / n
            if l > 1:
                delta = (delta @ W[l]) * sigmas[bp2_layer(l)].prime(z[l - 1])
        return grad_W, grad_b

    return softmax_backward


def _rowwise(z, a, Y):
    P = a[-1]
    G = P - Y
    return P * (G - (G * P).sum(axis=1, keepdims=True))


def _jacobian_per_example(z, a, Y):  # right values, one K x K matrix per example
    P = a[-1]
    return np.array([(np.diag(p) - np.outer(p, p)).T @ g for p, g in zip(P, P - Y)])


def _jacobians_stacked(z, a, Y):  # right values, all n Jacobians at once, (n, K, K)
    P = a[-1]
    J = P[:, :, None] * np.eye(P.shape[1]) - P[:, :, None] * P[:, None, :]
    return np.einsum("ijk,ij->ik", J, P - Y)


@pytest.mark.parametrize("bp1", [_jacobian_per_example, _jacobians_stacked])
def test_exercise_12_3_refuses_a_built_jacobian_and_accepts_the_row_formula(bp1):
    from bplib.exercises import check, nb12_softmax

    built = _backward_10_2(bp1)
    fb = check("softmax_backward", built)
    assert fb.status == "wrong" and fb.bug == "jacobian_built", repr(fb)
    assert "K × K" in fb.message and "every gradient is right" in fb.message
    row = _backward_10_2(_rowwise)
    assert check("softmax_backward", row).passed
    K = nb12_softmax.JACOBIAN_K
    assert nb12_softmax.peak_bytes(row) < K * K * 8 / 4 < nb12_softmax.peak_bytes(built)


def test_exercise_12_3_names_the_bp2_slip_as_bp2_not_bp1():
    """``sigmas[l].prime(z[l - 1])`` in BP2 reaches softmax.prime at l = L: bplib's refusal is
    then BP2's, and the feedback must say so (it used to blame BP1)."""
    from bplib.exercises import check

    fb = check("softmax_backward", _backward_10_2(_rowwise, bp2_layer=lambda l: l))
    assert fb.status == "wrong" and fb.bug == "bp2_layer", repr(fb)
    assert "sigmas[l - 1].prime(z[l - 1])" in fb.message and "BP1" not in fb.message
    pasted = check(
        "softmax_backward",
        _backward_10_2(lambda z, a, Y: (a[-1] - Y) * bplib_softmax_prime(z[-1])),
    )
    assert pasted.bug == "softmax_prime", repr(pasted)


def bplib_softmax_prime(z):
    import bplib

    return bplib.softmax.prime(z)


def test_notebook_12_shows_what_softmax_buys_with_numbers():
    """The conclusion's "an output that means something" is measured, not only said: the
    softmax rows sum to 1 where the sigmoid rows do not, and its largest p follows how often it
    is right; the cell asserts both and prints the groups."""
    nb = _nb12()
    ids = [c.id for c in nb.cells]
    assert ids.index("nb12-conclusion") + 1 == ids.index("nb12-meaning")
    cell = nb.cells[ids.index("nb12-meaning")]
    assert "np.allclose(sums[soft], 1" in cell.source and "gaps[soft] < gaps[binary]" in cell.source
    out = _stream(cell)
    assert "softmax + categorical cross-entropy  from 1.00 to 1.00" in out
    assert "mean largest output" in out and "largest output in [" not in out
    # the table by groups: an optional cell, folded (source and output), right after the text
    assert ids.index("nb12-meaning") + 1 == ids.index("nb12-meaning-after")
    assert ids.index("nb12-meaning-after") + 2 == ids.index("nb12-calibration")
    assert nb.cells[ids.index("nb12-calibration-md")].source.startswith("**Optional")
    table = nb.cells[ids.index("nb12-calibration")]
    assert table.metadata["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
    assert "largest output in [0.95, 1.00]" in _stream(table)


def test_notebook_12_prints_no_rounding_level_number():
    """Sums that are 0 up to rounding are printed as 0 (their sign and last bits change with
    BLAS threading, and strict nbval compares the stored output)."""
    nb = _nb12()
    out = "".join(_stream(c) for c in nb.cells if c.cell_type == "code")
    assert "-0.0000" not in out and not re.search(r"e-1[3-9]", out), out


def test_coupling_is_drawn_after_3_and_the_row_form_is_checked_after_exercise_12_3():
    nb = _nb12()
    ids = [c.id for c in nb.cells]
    # the bar chart of p before and after one z_c is raised comes after (3) is checked
    picture = nb.cells[ids.index("nb12-coupling-picture")]
    assert ids.index("nb12-jacobian") < ids.index("nb12-coupling-picture") < ids.index("nb12-s3")
    assert "fig.set_label(" in picture.source and "change.sum()" in picture.source
    assert any("image/png" in o.get("data", {}) for o in picture.outputs)
    # the row form of BP1 against the whole Jacobian: visible, and only after 12.3's solution
    row = nb.cells[ids.index("nb12-row-form")]
    assert ids.index("ex12-softmax_backward-solution") < ids.index("nb12-row-form")
    assert not row.metadata.get("jupyter", {}).get("source_hidden", False)
    assert "P * (G - (G * P).sum(axis=1, keepdims=True))" in row.source
    assert 'deltas["softmax + quadratic (12.3)"]' in row.source
    # calibration named; no accuracy typed in by hand in the conclusion
    assert "calibrat" in nb.cells[ids.index("nb12-meaning-after")].source
    assert not re.search(r"\d+% right", nb.cells[ids.index("nb12-conclusion")].source)


def _names(source):
    """Names a cell reads and names it binds (assignments, defs, imports, loop targets)."""
    import ast

    tree = ast.parse(source)
    reads, binds = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (reads if isinstance(node.ctx, ast.Load) else binds).add(node.id)
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            binds.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            binds.update((a.asname or a.name).split(".")[0] for a in node.names)
    return reads, binds


def test_notebook_12_runs_without_its_predict_cells():
    """A reader may skip a predict-then-run: no other cell may read a name whose latest
    value before it comes from a predict cell (nb12-delta once read the predict's `numeric`,
    a (5, 4) array there but a 4 x 4 one from nb12-jacobian when the predict was skipped)."""
    skippable = {"predict", "predict-check"}
    last_bound = {}  # name -> id of the latest cell binding it
    for c in _nb12().cells:
        if c.cell_type != "code" or c.source.lstrip().startswith(("%", "!")):
            continue
        reads, binds = _names(c.source)
        if not skippable & set(c.metadata.get("tags", [])):
            from_predict = sorted(n for n in reads - binds if n in last_bound and last_bound[n][1])
            assert not from_predict, (c.id, [(n, last_bound[n][0]) for n in from_predict])
        for n in binds:
            last_bound[n] = (c.id, bool(skippable & set(c.metadata.get("tags", []))))
