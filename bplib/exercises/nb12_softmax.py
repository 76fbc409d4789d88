"""Notebook 12, softmax and categorical cross-entropy: the output error for any target row."""

from __future__ import annotations

import numpy as np

from .checker import Bug, Exercise, register, usual_comparison

# ----------------------------------------------------------------------------
# categorical_cost: the cost (4) from the weighted inputs, by log-sum-exp
# ----------------------------------------------------------------------------
#: The row of section 1 whose softmax overflows as written and whose third probability
#: underflows to 0 once shifted.
BIG_ROW = (1000.0, 999.0, -1000.0)


def _cost_cases():
    rng = np.random.default_rng(1201)
    out = []
    for n, K in ((3, 4), (5, 3)):
        z = rng.normal(0, 2.0, (n, K))
        y = np.eye(K)[rng.integers(0, K, n)]
        out.append((z, y))
    z = np.array([BIG_ROW, BIG_ROW, (-1000.0, -999.0, -1001.0), (0.5, -0.3, 1.2)])
    y = np.eye(3)[[2, 0, 1, 1]]  # the first row's true class is its third: p = e^-2000 / D
    out.append((z, y))
    return out


def _cost_nonfinite(index, args):
    z, y = args
    if np.abs(z).max() < 100:
        return None  # the usual message
    return (
        "Your function returned NaN or infinity on the test with the row (1000, 999, −1000) "
        "of section 1 (and (−1000, −999, −1001)), though it was right on the ordinary rows. "
        "Either an exponential overflowed, e^1000 = inf (shift the row first, as (2) allows), "
        "or you took the log of a probability that underflowed to 0, the third one of that "
        "row, e^−2000 / D, and ln 0 = −∞. The true cost of that row is about 2000.3, finite: "
        "take the log of (1) on paper before you compute anything."
    )


def _clipped_check(checker):
    """The usual comparison; then, when it found no named bug, one more look at the case with
    the row (1000, 999, −1000): right on every other row and a cost of a few tens on that one
    (the true cost is about 2000) is p clipped, or nudged, before its log. Never raises."""
    feedback = usual_comparison(checker, checker.fn)
    if feedback.passed or feedback.bug is not None:
        return feedback
    z, y = _cost_cases()[-1]
    shift = z.max(axis=1, keepdims=True)
    right = np.sum(y * (shift + np.log(np.exp(z - shift).sum(axis=1, keepdims=True)) - z), axis=1)
    try:
        with np.errstate(all="ignore"):
            got = np.asarray(checker.fn(z.copy(), y.copy()), dtype=float)
    except Exception:  # noqa: BLE001 - the usual feedback has already described it
        return feedback
    if got.shape != right.shape or not np.isfinite(got).all():
        return feedback
    # Clipping p at c > 0 caps the cost at −ln c, and even the smallest positive float64
    # (about 5e−324) caps it at about 744: any such cost lies well below the true 2000.3.
    if np.allclose(got[1:], right[1:], rtol=1e-6) and 1 < got[0] < 1000:
        return checker.feedback(
            "wrong",
            "You clipped p before the log (or added a small number to it): every ordinary row "
            f"is right, but on the row (1000, 999, −1000) with the third class true your cost "
            f"is {got[0]:.1f}, and the true cost is about 2000. p_3 = e^−2000 / D is already 0 "
            "in p, so your cost is −ln of your clip: clipping at c caps every cost at −ln c, "
            "and even the smallest positive float, about 5e−324, caps it at 744. No clipping "
            "brings p_3 back: compute ln p from z, not from p.",
            "clipped",
            checker.ex.hints[:1],
        )
    return feedback


register(
    Exercise(
        notebook="12",
        title="the cross-entropy from the weighted inputs, without ln 0",
        imports="import numpy as np",
        signature="categorical_cost(Z, Y)",
        statement=r"""Write `categorical_cost(Z, Y)`: the cost $C_i = -\sum_j y_j \ln p_j$ of (4) of every
example, with $p = \mathrm{softmax}(z^L)$, computed from the weighted inputs directly. `Z` and `Y`
are batches, $Z^L$ and $Y$, of shape `(n, K)`: row $i$ holds $(z^L)^T$ and $y^T$ of example $i$,
$y$ one-hot. Return shape `(n,)`, one cost per example.

It must stay finite where the obvious code does not: on the row $(z^L)^T = (1000, 999, -1000)$ of
section 1 with the third class true, `np.log(softmax(Z))` takes $\ln 0$, and `np.exp(Z)` overflows.
The check runs ordinary rows first, then that one.""",
        explanation=r"$-\ln p_j = \ln \sum_c e^{z_c} - z_j$, and by (2) "
        r"$\ln \sum_c e^{z_c} = z_{\max} + \ln \sum_c e^{z_c - z_{\max}}$: every exponential "
        r"is at most 1 and the sum is at least 1 (the largest term is $e^0$), so the log is finite. "
        r"This way of computing $\ln \sum_c e^{z_c}$, shifted by the largest $z_c$, is called "
        r"**log-sum-exp** (`scipy.special.logsumexp`, `torch.logsumexp`). "
        r"On the big row the cost is $1000 + \ln(1 + e^{-1} + e^{-2000}) + 1000 \approx 2000.31$.",
        cases=_cost_cases,
        nonfinite=_cost_nonfinite,
        custom_check=_clipped_check,
        bugs=[
            Bug(
                "shift_not_added_back",
                "Every cost is too small by the row's largest z: you subtracted z_max inside the "
                "exponentials but did not add it back. By (2), what is ln Σ_c e^{z_c} in terms of "
                "the shifted sum Σ_c e^{z_c − z_max}?",
            ),
            Bug(
                "sign",
                "The sign is flipped: your costs are ≤ 0. C_i = −ln p_t, and ln p ≤ 0, so the "
                "cost is ≥ 0; −ln p_j = ln Σ_c e^{z_c} − z_j.",
            ),
            Bug(
                "over_examples",
                "Your log-sum-exp runs down the columns (`axis=0`), over the examples: one sum per "
                "class. The denominator of (1) sums over the classes of one example, one per row: "
                "`axis=1`, with `keepdims=True` so that it broadcasts against Z.",
            ),
            Bug(
                "batch_total",
                "You returned one number for the whole batch, the total of the costs: the "
                "exercise asks for one cost per row, shape (n,). Sum over the classes only, "
                "`axis=1`.",
            ),
        ],
        hints=[
            "Compute no p_j at all: take the log of (1) on paper first, so that ln p_j is "
            "written with the z's alone, then use (2) to keep every exponential at most 1.",
            "ln p_j = ln(e^{z_j} / D) = z_j − ln D, with D = Σ_c e^{z_c}: no p_j is needed. "
            "Then ln D with the shift of (2): which s makes every e^{z_c + s} at most 1, and "
            "what does it do to ln D?",
            "`Z.max(axis=1, keepdims=True)` is each row's largest entry, shaped to broadcast "
            "against Z. For a one-hot y, Σ_j y_j (ln D − z_j) picks the true class's term: "
            "over which axis does that sum run, and what shape must ln D have to subtract z "
            "from it?",
        ],
        correct="The cost of every row from z directly, with the log taken on paper and the "
        "row's largest z shifted out: finite on (1000, 999, −1000), about 2000.31.",
    )
)


# ----------------------------------------------------------------------------
# output_error_any_target
# ----------------------------------------------------------------------------


def _cases():
    rng = np.random.default_rng(1101)
    out = []
    for n, K, totals in ((3, 4, (2.0, 0.5, 3.0)), (4, 6, (1.5, 0.25, 2.0, 4.0))):
        z = rng.normal(0, 1.5, (n, K))
        p = np.exp(z - z.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        y = rng.uniform(0, 1, (n, K))
        y *= np.array(totals)[:, None] / y.sum(axis=1, keepdims=True)  # row sums: the totals
        out.append((p, y))
    # A class far below the others: its probability underflows to exactly 0 in float64
    # (e^-800), as a softmax in float64 gives it, and its target entry is 0.
    z = np.array([[0.5, -800.0, 1.2, -0.3], [2.0, 0.1, -1.0, -900.0]])
    p = np.exp(z - z.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    y = np.array([[1.5, 0.0, 0.5, 0.0], [0.0, 2.0, 1.0, 0.0]])
    out.append((p, y))
    return out


def _nonfinite(index, args):
    """The NaN a formula with p in a denominator gives on the case with p_j = 0 on purpose."""
    p, y = args
    if not (p == 0).any():
        return None  # the usual message
    return (
        "Your function returned NaN (not a number) or infinity on the test with a row in "
        "which p_j = 0 exactly, as the statement warns: a class whose z^L is hundreds below "
        "the others, so its exp underflowed, with target y_j = 0, and 0/0 is NaN. Your answer "
        "was right on the earlier tests, where no p_j is 0. Simplify on paper until p is not "
        "in a denominator."
    )


register(
    Exercise(
        notebook="12",
        title=r"the output error when the target does not sum to 1",
        imports="import numpy as np",
        signature="output_error_any_target(P, Y)",
        statement=r"""Equation (6) took a one-hot target: only the true class's term of $C_i$
was left, $C_i = -\ln p_t$. Training sets often weight their examples: a rare class, or a label
checked twice, counts $w$ times. The simplest way to write that is in the target: $y = w\,e_c$ ($w$
for class $c$, 0 elsewhere) makes $C_i = -w \ln p_c$, the cost of $w$ copies of the example. With
label smoothing the target is a distribution $q$ that is not one-hot (say 0.9 on the true class and
the rest shared by the others), and a weighted, smoothed example has $y = w\,q$. Every row of
non-negative numbers is of that form, $w$ being its total. Write `output_error_any_target(P, Y)`:
the output error $\delta^L_c = \partial C_i/\partial z^L_c$ of a softmax output $p$ with the cost
$C_i = -\sum_j y_j \ln p_j$ of (4), for targets with any non-negative entries.

Derive it on paper first, from (3) and (5), and simplify it until no $p_j$ is left in a
denominator: an entry of `P` may be exactly 0, a class whose $z^L$ is hundreds below the others
(its `exp` underflows), and its target entry is then 0. `P` and `Y` are batches of shape
`(n, K)`, row $i$ holding $p^T$ and $y^T$ of example $i$; return the batch $\Delta^L$, shape
`(n, K)`, row $i$ holding $(\delta^L)^T$.""",
        explanation=r"$\delta^L_c = \sum_j (-y_j/p_j)\, p_j([j = c] - p_c) = p_c \sum_j y_j - y_c$: "
        r"the Jacobian's off-diagonal terms give $p_c$ times the total of the target row, which is "
        r"1 only for a distribution. Equation (6), $p - y$, is the special case.",
        cases=_cases,
        nonfinite=_nonfinite,
        bugs=[
            Bug(
                "p_minus_y",
                "That is p − y, equation (6): right for a one-hot target only. Here the target "
                "rows are not one-hot; do the sum over j of the chain rule with every y_j.",
            ),
            Bug(
                "diagonal_only",
                "You kept only the diagonal of the softmax Jacobian, ∂p_c/∂z^L_c = p_c(1 − p_c): "
                "z^L_c also moves every other p_j, by −p_j p_c. Sum over all j.",
            ),
            Bug(
                "grad_p",
                "That is ∂C/∂p_c = −y_c/p_c, the gradient with respect to the output p. The output "
                "error is with respect to z^L: multiply by the softmax Jacobian.",
            ),
            Bug(
                "normalised_y",
                "You divided each target row by its row sum and then used p − y, equation (6). "
                "The cost (4) takes y as it is, not normalised: your result is the right one "
                "divided by the row sum of y, Σ_j y_j. Do the sum over j of the chain rule with "
                "the y given.",
            ),
            Bug(
                "batch_total",
                "You summed Y over the whole batch (`Y.sum()` with no axis), so every example "
                "gets the same total. The sum in the chain rule runs over the classes j of one "
                "example: one total per row, `axis=1`, with `keepdims=True` so that it "
                "broadcasts against P.",
            ),
            Bug(
                "class_total",
                "You summed Y over the examples (`axis=0`), one total per class. The sum in the "
                "chain rule runs over the classes j of one example: one total per row, "
                "`axis=1`, with `keepdims=True` so that it broadcasts against P.",
            ),
            Bug(
                "times_total",
                "That is (p − y) times the total of the target row, Σ_j y_j: equation (6) scaled. "
                "The total multiplies p_c only. In Σ_j −y_j([j = c] − p_c) the term with "
                "[j = c] = 1 is a single one, −y_c, and it keeps no total: split the sum in two "
                "before you simplify.",
            ),
            Bug(
                "no_kronecker",
                "You have p_c Σ_j y_j, but the chain rule gives one term more: in "
                "Σ_j −y_j([j = c] − p_c), the bracket's [j = c] is 1 for the one class j = c, "
                "and that term is −y_c.",
            ),
            Bug(
                "sign",
                "The sign is flipped: δ^L is the derivative of the cost, which rises when p_c "
                "grows for a class with little target weight.",
            ),
        ],
        hints=[
            "Chain rule through the softmax: δ^L_c = Σ_j (∂C/∂p_j)(∂p_j/∂z^L_c), with "
            "∂C/∂p_j = −y_j/p_j and ∂p_j/∂z^L_c = p_j([j = c] − p_c).",
            "The p_j cancel in every term. What is left of Σ_j −y_j([j = c] − p_c)? In numpy, "
            "`Y.sum(axis=1, keepdims=True)` is the total of each row, shaped to broadcast.",
        ],
        correct="δ^L = p Σ_j y_j − y; for a one-hot target it is p − y.",
    )
)


# ----------------------------------------------------------------------------
# softmax_backward: the capstone's backward pass, softmax output, quadratic cost
# ----------------------------------------------------------------------------
SOFTMAX_NETWORKS = [  # sizes, hidden activation, seed
    ([4, 5, 3], "sigmoid", 0),
    ([3, 6, 4, 5], "tanh", 1),
    ([5, 4], "sigmoid", 2),  # L = 1: the softmax layer alone, no step of BP2 to take
]


def _refused_argument(error):
    """The array that ``softmax.prime`` was handed when it raised ``error``, from the
    traceback's last frame; None if it cannot be found."""
    tb = error.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None:
        return None
    for value in tb.tb_frame.f_locals.values():
        if isinstance(value, np.ndarray):
            return value
    return None


def _softmax_backward_error(checker):
    """The named feedback for three errors the reader's function may stop with on the first
    case: bplib's refusal of ``softmax.prime`` handed z^L (BP1 of 10.2 pasted unchanged) or
    handed z^(L-1) (BP2 with ``sigmas[l].prime(z[l - 1])``, the activation of the wrong
    layer), and a g · p of shape (n,) that numpy cannot broadcast against the (n, K) rows
    (``keepdims`` left out). None otherwise. Never raises."""
    W, sigmas, z, a, Y = checker.ex.cases()[0]
    n, K = Y.shape
    L = len(W) - 1
    try:
        with np.errstate(all="ignore"):
            checker.fn(W, sigmas, z, a, Y)
    except TypeError as error:
        if "no element-wise derivative" not in str(error):
            return None
        handed = _refused_argument(error)
        if handed is not None and L > 1 and handed.shape == z[L - 1].shape != z[L].shape:
            return checker.feedback(
                "wrong",
                "Not yet: your BP2 line asks layer l's activation for its derivative at layer "
                "l − 1's weighted input, `sigmas[l].prime(z[l - 1])`, and bplib refuses: for "
                "l = L that is the softmax, which has no element-wise σ′. BP2's σ′ belongs to "
                "the layer whose error it builds, layer l − 1: `sigmas[l - 1].prime(z[l - 1])`. "
                "(Where layers l and l − 1 have the same activation, the slip gives the right "
                "numbers and goes unseen.)",
                "bp2_layer",
            )
        return checker.feedback(
            "wrong",
            "Not yet: your BP1 calls the output layer's `sigmas[L].prime`, and bplib refuses: "
            "softmax has no element-wise σ′. BP1 here is Jᵀg (section 3), g = ∇_p C_i "
            "times the whole Jacobian (3), not g times one derivative per class.",
            "softmax_prime",
            checker.ex.hints[:1],
        )
    except ValueError as error:
        shapes = str(error).replace(" ", "")
        if f"({n},{K})({n},)" not in shapes and f"({n},)({n},{K})" not in shapes:
            return None
        return checker.feedback(
            "wrong",
            f"Not yet: numpy could not broadcast an array of shape ({n},) against your ({n}, "
            f"{K}) rows: is it g · p? `(G * P).sum(axis=1)` has shape (n,), a 1-D array, which "
            "numpy lines up with the K columns of an (n, K) array, not with its n rows. Keep "
            "one number per row as a column, shape (n, 1): `.sum(axis=1, keepdims=True)`.",
            "no_keepdims",
            checker.ex.hints[-1:],
        )
    except Exception:  # noqa: BLE001 - the usual feedback speaks for any other error
        return None
    return None


JACOBIAN_K, JACOBIAN_N = 400, 8  # the wide output layer on which the check weighs the memory


def _wide_case():
    """A network with K = JACOBIAN_K softmax outputs and JACOBIAN_N examples, as the arguments of
    ``softmax_backward``: one K × K array takes K² · 8 bytes, 40 times all the (n, K) rows."""
    import bplib

    net = bplib.Network(
        [4, 6, JACOBIAN_K],
        activation="sigmoid",
        output_activation="softmax",
        cost="categorical_cross_entropy",
        seed=3,
    )
    rng = np.random.default_rng(1203)
    X = rng.normal(0, 1, (JACOBIAN_N, 4))
    Y = np.eye(JACOBIAN_K)[rng.integers(0, JACOBIAN_K, JACOBIAN_N)]
    z, a = net.feedforward_layers(X)
    return [None] + [np.array(w) for w in net.W[1:]], list(net.sigmas), list(z), list(a), Y


def peak_bytes(fn):
    """The most memory that ``fn`` held at once above what it was handed, in bytes, while it
    ran on the wide case; None if it raised there."""
    import tracemalloc

    args = _wide_case()
    already = tracemalloc.is_tracing()
    if not already:
        tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        with np.errstate(all="ignore"):
            fn(*args)
        return tracemalloc.get_traced_memory()[1] - base
    except Exception:  # noqa: BLE001 - it ran on the usual cases; this extra run is a bonus
        return None
    finally:
        if not already:
            tracemalloc.stop()


def _softmax_backward_check(checker):
    """The usual comparison; where the reader's function stops with one of the errors of
    ``_softmax_backward_error``, that error named instead. A right answer is run once more on
    an output layer of K = 400 classes, with its memory traced: an array of K × K numbers
    (a Jacobian, which the statement forbids) is named. Never raises."""
    feedback = usual_comparison(checker, checker.fn)
    if not feedback.passed:
        named = _softmax_backward_error(checker)
        return feedback if named is None else named
    peak = peak_bytes(checker.fn)
    K = JACOBIAN_K
    if peak is not None and peak > K * K * 8 / 2:
        return checker.feedback(
            "wrong",
            f"Not yet: every gradient is right, but on an output layer of K = {K} classes and "
            f"{JACOBIAN_N} examples your function held {peak / 1e6:.1f} MB at once, where all "
            f"its (n, K) rows take {JACOBIAN_N * K * 8 / 1e3:.0f} kB: it builds a K × K "
            f"array ({K * K * 8 / 1e6:.2f} MB each), the Jacobian the statement asks you to "
            "do without. Write Jᵀg for one example as a formula in p and g from (3), and "
            "compute it on the (n, K) rows directly.",
            "jacobian_built",
            checker.ex.hints[1:2],
        )
    return feedback


def _softmax_backward_cases():
    import bplib

    out = []
    for sizes, hidden, seed in SOFTMAX_NETWORKS:
        net = bplib.Network(
            sizes,
            activation=hidden,
            output_activation="softmax",
            cost="categorical_cross_entropy",
            seed=seed,
        )
        rng = np.random.default_rng(1200 + seed)
        X = rng.normal(0, 1, (6, sizes[0]))
        Y = np.eye(sizes[-1])[rng.integers(0, sizes[-1], 6)]
        z, a = net.feedforward_layers(X)
        W = [None] + [np.array(w) for w in net.W[1:]]
        out.append((W, list(net.sigmas), list(z), list(a), Y))
    return out


register(
    Exercise(
        notebook="12",
        title="BP1 through the Jacobian, with a cost where nothing cancels",
        imports="import numpy as np",
        signature="softmax_backward(W, sigmas, z, a, Y)",
        statement=r"""Equation (6) is short because the logarithm of the cross-entropy cancels the
softmax Jacobian. Put the quadratic cost of notebooks 02–10 on the softmax output instead,
$C_i = \tfrac12\lVert p - y\rVert^2$: nothing cancels, and BP1 is the general form of section 3,
$\delta^L = J^T \nabla_p C_i$ with the whole Jacobian (3), here with $\nabla_p C_i = p - y$.

Write `softmax_backward(W, sigmas, z, a, Y)`: the gradients of the batch cost
$C = \frac1n \sum_i C_i$ with this quadratic cost, for a network whose output layer is a softmax
(`sigmas[L]` is `bplib.softmax`) and whose hidden layers have the activations in `sigmas`. Start
from your 10.2 answer: BP2–BP4 carry over; BP1 is the part to derive (if you skipped 10.2, write
BP2–BP4 in row form, as in notebooks 07 and 08).

Do not build a $K \times K$ Jacobian for every example. On paper first, write $J^T g$ for one
example as a formula in $p$ and a vector $g$, from (3); then compute it for all rows of the batch
at once. (With $K = 1000$ classes and 100 examples, the Jacobians would hold 100 million numbers;
once your gradients are right, the check runs your function on an output layer of $K = 400$ classes
and weighs the memory it holds, which tells whether it built a $K \times K$ array.)

`W`, `sigmas`, `z`, `a` and `Y` are as in exercise 10.2 (lists indexed by layer with `None` at
index 0, rows for examples, one-hot rows in `Y`); there is no `cost` argument. Return
`grad_W, grad_b` as in 10.2. `bplib.Network` will not build this network (it pairs a softmax
only with the categorical cross-entropy), so there is no `bplib` gradient to copy. The check
runs networks of one, two and three layers, and its expected gradients agree with central
differences of this cost.""",
        explanation=r"$J$ is symmetric, so with $g = \nabla_p C_i = p - y$: "
        r"$J^T g = \mathrm{diag}(p)\,g - p\,(p^T g)$, that is $\delta^L_c = p_c\,(g_c - g \cdot p)$, "
        r"where $g \cdot p = \sum_j g_j p_j$ is one number per example (`keepdims=True` keeps it a "
        r"column, to broadcast across the row). BP2–BP4 are those of 10.2. The factor $p_c$ is "
        r"the quadratic cost's weakness again: a confidently wrong true class, $p_t \approx 0$, "
        r"gets an error near 0, as the sigmoid's $\sigma'$ gave it in notebook 05; (6) has no such factor.",
        cases=_softmax_backward_cases,
        custom_check=_softmax_backward_check,
        bugs=[
            Bug(
                "p_minus_y",
                "Your output error is P − Y, equation (6): that is the categorical "
                "cross-entropy's BP1, where the logarithm cancels the Jacobian. With the "
                "quadratic cost ∇_p C_i = p − y is only where BP1 starts: it still has to go "
                "through the softmax, δ^L = Jᵀ ∇_p C_i.",
            ),
            Bug(
                "diagonal_only",
                "Your output error is (P − Y) ⊙ P ⊙ (1 − P): ∇_p C_i times the diagonal "
                "p_c(1 − p_c) of the Jacobian only, BP1 as if softmax were element-wise (the "
                "slip of the prediction in section 3). z^L_c also moves every other p_j, by "
                "−p_j p_c: those terms are missing.",
            ),
            Bug(
                "no_dot_term",
                "Your output error is P ⊙ (P − Y): the diag(p) part of J = diag(p) − p pᵀ "
                "only. The −p pᵀ part gives every class a term too: what is p pᵀ g, for "
                "one example, written without the K × K matrix?",
            ),
            Bug(
                "dot_sign",
                "The sign of your g · p term is flipped: you add p_c (g · p) where (3) subtracts "
                "it. J = diag(p) − p pᵀ: the second part enters Jᵀg with a minus sign. (A check: "
                "the entries of δ^L of one example must sum to 0, since the p_j always sum to 1.)",
            ),
            Bug(
                "batch_dot",
                "Your g · p is summed over the whole batch, not over the K classes of each "
                "example: every example has its own Jacobian, so the number you subtract is "
                "one per row (sum over axis=1, keepdims=True).",
            ),
            Bug(
                "no_mean",
                "Every gradient is n times too large: C is the mean of the C_i over the n rows, "
                "so BP3 and BP4 average over the examples (10.2 did the same).",
            ),
        ],
        hints=[
            "BP1 is the only line that mentions the output activation, and the only one to "
            "change. For one example, BP1 is δ^L_c = Σ_j (∂C_i/∂p_j)(∂p_j/∂z^L_c): a sum over j "
            "of g_j J_jc, with g = p − y.",
            "Put J_jc = p_j([j = c] − p_c) into that sum and split it in two: the [j = c] part "
            "leaves one term; in the other, p_c does not depend on j and comes out of the sum. "
            "What is left of Σ_j g_j p_j?",
            "For a batch, `(G * P).sum(axis=1, keepdims=True)` is that sum for every row, "
            "shaped (n, 1) to broadcast.",
        ],
        correct="Every ∂C/∂W^l and ∂C/∂b^l is right, on networks of one, two and three "
        "layers: BP1 through the whole softmax Jacobian, p ⊙ (g − g · p) row by row, "
        "without building it.",
    )
)
