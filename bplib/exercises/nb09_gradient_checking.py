"""Notebook 09, gradient checking: the central difference, and find the bug in a backprop."""

from __future__ import annotations

import inspect
import itertools
import textwrap

import numpy as np

from bplib import sigmoid

from .checker import ACCUMULATE, Bug, Exercise, register

s, sp = sigmoid.fn, sigmoid.prime  # short names for the variants below


# ----------------------------------------------------------------------------
# second_difference: the central difference is worked in section 1; the exercise asks for
# the form it is not shown in, the second derivative, from the same expansion (1).
# ----------------------------------------------------------------------------


def f_cd(x):
    """The function of the finite-difference tests; f_cd_second is its second derivative."""
    return np.sin(3 * x) + x**3


register(
    Exercise(
        notebook="09",
        title="the second derivative from the same expansion",
        imports="",
        signature="second_difference(f, x, eps)",
        statement=r"""Section 1 *subtracted* the two expansions (1) of $C(\theta + \epsilon)$ and
$C(\theta - \epsilon)$ to get the central difference (3) for $C'$. **Add** them instead: which
terms cancel now, and what is left? Solve for $C''(\theta)$ and write
`second_difference(f, x, eps)`: the estimate of $f''(x)$ from $f$ at $x - \epsilon$, $x$ and
$x + \epsilon$, for any function $f$ of one number. (It is what you would use to measure the
curvature $C''$ that limits the learning rate in notebook 03.)""",
        explanation=r"Adding the two expansions cancels the odd terms: "
        r"$C(\theta+\epsilon) + C(\theta-\epsilon) = 2C(\theta) + \epsilon^2 C''(\theta) + O(\epsilon^4)$, "
        r"so $C'' \approx (C(\theta+\epsilon) - 2C(\theta) + C(\theta-\epsilon))/\epsilon^2$, "
        r"with an error that shrinks like $\epsilon^2$.",
        cases=lambda: [(f_cd, 0.7, 1e-2), (f_cd, -0.4, 1e-3)],
        bugs=[
            Bug(
                "no_middle",
                "The −2f(x) is missing: adding the two expansions gives 2f(x) + ε²f″(x) + …, "
                "so subtract 2f(x) before dividing, or the 2f(x)/ε² swamps the answer.",
            ),
            Bug(
                "one_middle",
                "Subtract f(x) twice, not once: f(x + ε) + f(x − ε) holds 2f(x).",
            ),
            Bug(
                "two_eps_squared",
                "Your estimate is a quarter of f″: you divided by (2ε)². The sum of the two "
                "expansions has ε²f″(x), with ε² and not (2ε)².",
            ),
            Bug(
                "half",
                "Your estimate is half of f″: the two ε²/2 f″ terms add up to ε² f″, so "
                "divide by ε², not 2ε².",
            ),
            Bug(
                "sign",
                "The sign is flipped: it is f(x + ε) + f(x − ε) − 2f(x), not 2f(x) minus the sum.",
            ),
            Bug(
                "first_derivative",
                "That is the central difference (3), the first derivative. Add the two "
                "expansions instead of subtracting them.",
            ),
        ],
        hints=[
            "Write out (1) for +ε and −ε and add them term by term: the ε and ε³ terms cancel.",
            "What remains is 2f(x) + ε² f″(x) + O(ε⁴). Solve for f″(x).",
        ],
        correct="(f(x + ε) − 2f(x) + f(x − ε)) / ε².",
    )
)


# ----------------------------------------------------------------------------
# backprop: find the bug
# ----------------------------------------------------------------------------
# The broken backprop of the find-the-bug exercise has two bugs: sigma' at the next
# layer's z in BP2, and the missing 1/n in BP4. The notebook shows it in a read-only
# cell; the student writes the fixed version, `backprop`, below it.
def backprop_broken(W, b, X, Y):
    """Gradients of the mean quadratic cost of a sigmoid network. It has two bugs."""
    L = len(W) - 1  # layers 1..L; W[0] and b[0] are None
    z, a = [None], [X]  # z[l], a[l]: layer l (a[0] is the input X)
    for l in range(1, L + 1):
        z.append(a[l - 1] @ W[l].T + b[l])
        a.append(sigmoid.fn(z[l]))
    n = X.shape[0]
    delta = [None] * (L + 1)  # delta[l] is the error of layer l
    delta[L] = (a[L] - Y) * sigmoid.prime(z[L])  # BP1
    for l in range(L - 1, 0, -1):
        delta[l] = (delta[l + 1] @ W[l + 1]) * sigmoid.prime(z[l + 1])  # BP2
    grad_W, grad_b = [None] * (L + 1), [None] * (L + 1)
    for l in range(1, L + 1):
        grad_b[l] = delta[l].sum(axis=0) / n  # BP3
        grad_W[l] = delta[l].T @ a[l - 1]  # BP4
    return grad_W, grad_b


BROKEN_BACKPROP_SOURCE = textwrap.dedent(inspect.getsource(backprop_broken))


BACKPROP_BUGS = {
    "next_z": "BP2 evaluates σ′ at the next layer's z, σ′(z^{l+1}) (`z[l + 1]` where δ^l "
    "needs `z[l]`): the seed's slip. Use the z of the layer the new δ belongs to.",
    "no_mean_W": "the weight gradients miss the 1/n of the average (BP4 sums over the examples "
    "while BP3 averages).",
    "no_mean_b": "the bias gradients miss the 1/n of the average (BP3 sums over the examples).",
    "no_prime_hidden": "BP2 misses the factor σ′(z^l).",
    "no_prime_output": "BP1 misses the factor σ′(z^L).",
    "no_transpose": "BP2 multiplies by the transpose of W^{l+1}; in batch form it is "
    "δ^{l+1} @ W^{l+1}, no .T.",
    "sign": "the sign of δ^L is flipped (y − a instead of a − y), so every gradient points uphill.",
    "factor_2": "δ^L carries a factor 2, as for the cost (a − y)² without the ½.",
}


def _backprop_bugs():
    out = []
    keys = list(BACKPROP_BUGS)
    for k in (1, 2, 3):
        for combo in itertools.combinations(keys, k):
            if "next_z" in combo and "no_prime_hidden" in combo:
                continue  # without sigma' in BP2 there is no z to get wrong
            if k == 1:
                msg = "This looks like one bug: " + BACKPROP_BUGS[combo[0]]
            else:
                words = {2: "two", 3: "three"}[k]
                msg = f"This looks like {words} bugs: " + " ".join(
                    f"({i}) {BACKPROP_BUGS[c]}" for i, c in enumerate(combo, 1)
                )
            out.append(Bug("+".join(combo), msg[0].upper() + msg[1:]))
    out.append(Bug("accumulate", ACCUMULATE))
    return out


def _backprop_cases():
    out = []
    for seed, sizes, n in ((801, (3, 3, 3, 3), 5), (802, (2, 4, 3, 2), 6)):
        r = np.random.default_rng(seed)
        pairs = list(zip(sizes[:-1], sizes[1:]))
        W = [None] + [r.normal(0, 1.2, (o, i)) for i, o in pairs]
        b = [None] + [r.normal(0, 0.5, o) for _, o in pairs]
        X = r.normal(0, 1, (n, sizes[0]))
        Y = r.uniform(0, 1, (n, sizes[-1]))
        out.append((W, b, X, Y))
    return out


register(
    Exercise(
        notebook="09",
        title="find the bug",
        signature="backprop(W, b, X, Y)",
        broken=backprop_broken,
        statement=r"""`backprop_broken` (the read-only cell below) computes the gradients of a
sigmoid network with the cost $C = \frac1n\sum_i \tfrac12\lVert a_i - y_i\rVert^2$ (bplib's
default, with the ½, so its BP1 has no factor 2), but it has two bugs.
`bplib.gradient_check(net, X, Y, gradients=lambda net, X, Y: backprop_broken(net.W, net.b, X, Y))`
shows which layers are wrong; use a net whose layers after the input have equal widths, such as
`bplib.Network([2, 3, 3, 3])`, since with unequal widths one of the bugs cannot even run. Write
the fixed version `backprop(W, b, X, Y)` in the cell after it: copy the body of
`backprop_broken` and fix it. The lists are indexed by layer, like `net.W` and `net.b`: `W[l]`
is $W^l$, stored `(n_out, n_in)`, and `W[0]` is `None`; rows of `X` and `Y` are examples.""",
        explanation=r"BP2 takes σ′ at the z of the layer the new δ belongs to, "
        r"`z[l]`; BP4 averages over the batch like BP3, `/ n`.",
        cases=_backprop_cases,
        bugs=_backprop_bugs(),
        hints=[
            "Compare each line with BP1–BP4: δ^L = (a − y) ⊙ σ′(z^L), δ^l = (δ^{l+1} W^{l+1}) "
            "⊙ σ′(z^l), ∂C/∂b = mean of δ, ∂C/∂W = δ^T a^{l−1} / n.",
            "The BP2 loop computes δ^l, the error of layer l, from δ^{l+1}. Which z does its σ′ "
            "need?",
            "BP3 averages over the examples. Does BP4?",
        ],
        correct="The fixed backprop agrees with the right gradients on every layer.",
    )
)
