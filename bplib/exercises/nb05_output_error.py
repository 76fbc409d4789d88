r"""Notebook 05, the output error: BP1, :math:`\delta^L`, for the quadratic and cross-entropy costs."""

from __future__ import annotations

import numpy as np

from bplib import sigmoid, tanh

from .checker import Bug, Exercise, register

s, sp = sigmoid.fn, sigmoid.prime  # short names for the variants below


def _output_error_cases():
    """Sigmoid outputs with 0/1 targets, then tanh outputs with -1/1 targets (other shapes),
    each with node importances c that differ from node to node: a delta^L that only works for the
    sigmoid passes the first case and fails the second, one that drops c fails both."""
    r = np.random.default_rng(401)
    out = []
    for (n, m), sigma, c in (
        ((5, 3), sigmoid, np.array([0.5, 2.0, 1.5])),
        ((4, 2), tanh, np.array([3.0, 0.25])),
    ):
        z = r.normal(0, 1.5, (n, m))
        y = np.eye(m)[r.integers(0, m, n)]
        if sigma is tanh:
            y = 2 * y - 1
        out.append((sigma.fn(z), y, z, c, sigma))
    return out


def _cross_entropy_cases():
    """Two sigmoid batches, then one with saturated nodes (z = +-40) whose sigma rounds to
    exactly 1 or 0 in floating point, so that a(1 - a) and sigma'(z) are 0 there."""
    r = np.random.default_rng(401)
    out = []
    for n, m in ((5, 3), (4, 2)):
        z = r.normal(0, 1.5, (n, m))
        y = np.eye(m)[r.integers(0, m, n)]
        out.append((s(z), y, z))
    z = np.array([[40.0, -40.0, 1.0], [-40.0, 40.0, -0.5]])
    y = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 1.0]])
    out.append((s(z), y, z))
    return out


#: where |z| is at least this, sigma(z) is exactly 0 or 1 in floating point
SATURATED = 30.0


def _lost_where_saturated(returned, args):
    """What the checker compares for exercise 5.2: the result, except that entries which are
    NaN or infinite only where the node is saturated count as 0.

    There sigma(z) rounds to 1 (or 0), so a(1 - a) and sigma'(z) are exactly 0, and a form
    that still divides by a(1 - a) or multiplies by sigma'(z) gives 0/0: the error is lost,
    as section 4's note on floating point shows (bplib's clipped (7) times sigma' gives 0
    there). Counting it as 0 lets the checker name that form instead of reporting a NaN.
    A result that is NaN anywhere else is left as it is.
    """
    z_L = args[2]
    try:
        out = np.asarray(returned, dtype=float)
    except (TypeError, ValueError):
        return returned
    if out.shape != np.shape(z_L):
        return returned
    bad = ~np.isfinite(out)
    if bad.any() and np.all(np.abs(z_L[bad]) >= SATURATED):
        return np.where(bad, 0.0, out)
    return returned


# ----------------------------------------------------------------------------
# output_error
# ----------------------------------------------------------------------------


register(
    Exercise(
        notebook="05",
        title=r"the output error $\delta^L$ of a weighted cost",
        signature="output_error(a_L, y, z_L, c, sigma)",
        imports="import numpy as np",
        statement=r"""Some outputs can matter more than others. Give output node $j$ an importance
$c_j > 0$ in the quadratic cost: $C_i = \tfrac12\sum_j c_j\,(a^L_j - y_j)^2$ (with every
$c_j = 1$ it is notebook 02's cost). Write `output_error(a_L, y, z_L, c, sigma)`: the output
error $\Delta^L$ for this cost, every node of every example of a batch at once, without a loop.
`a_L`, `y` and `z_L` hold $A^L$, $Y$ and $Z^L$, one example per row, shape `(n, n_L)`; `c`
holds the importances $c_1, \dots, c_{n_L}$, shape `(n_L,)`, the same for every example; `sigma` is the output
layer's activation, so that `a_L` is `sigma.fn(z_L)`, and `sigma.prime` is its derivative (the
check passes `bplib.sigmoid` with targets 0 or 1, then `bplib.tanh` with targets −1 or 1).
Return $\Delta^L$, shape `(n, n_L)`, whose row $i$ is $(\delta^L)^T$ of example $i$. Start
from the definition (1) and the chain rule; section 2 derives the general form after the
exercises.""",
        explanation=r"$\partial C_i/\partial a^L_j = c_j\,(a^L_j - y_j)$ (notebook 04's "
        r"$a^L - y$, with the constant $c_j$ kept), the step from $z^L$ to $a^L$ contributes "
        r"the slope $\sigma'(z^L)$ of the output activation (use `sigma.prime`, whichever "
        r"activation is passed), and everything is entry by entry, `*`; `c`, shape `(n_L,)`, "
        r"broadcasts along the rows. With every $c_j = 1$ this is (4) of section 2.",
        cases=_output_error_cases,
        bugs=[
            Bug(
                "no_weights",
                "The importances c are missing: that is the δ^L of the plain quadratic cost. "
                "Differentiate ½ c_j (a_j − y_j)² by a_j: c_j is a constant factor of node j's "
                "term, and a constant factor stays in the derivative.",
            ),
            Bug(
                "no_sigma_prime",
                "A factor is missing: z^L reaches the cost only through a^L = σ(z^L), so the "
                "chain rule multiplies ∂C_i/∂a^L by the local derivative of that step too.",
            ),
            Bug(
                "sigma_not_prime",
                "You used σ(z^L), `sigma.fn`, where the local derivative of a = σ(z) belongs.",
            ),
            Bug(
                "prime_of_a",
                "The slope of the activation was taken at a^L instead of at z^L: the step is "
                "a^L = σ(z^L), so its slope is taken at the point the activation was applied to.",
            ),
            Bug(
                "factor_2",
                "Your δ^L is twice the right one: differentiate ½ c_j (a_j − y_j)² by a_j as "
                "notebook 04 differentiated ½(a − y)²: what becomes of the square's 2?",
            ),
            Bug(
                "weights_squared",
                "Each node's importance appears twice: c_j multiplies the cost term once, so it "
                "multiplies its derivative once.",
            ),
            Bug(
                "sign",
                "The sign is flipped. Differentiate ½ c_j (a_j − y_j)² by a_j again: which way "
                "round does the difference come out? (Where the output is above its target, the "
                "cost grows with a_j.)",
            ),
            Bug(
                "summed_over_nodes",
                "Every output node of an example got the same ∂C_i/∂a: you summed over the "
                "nodes. C_i is a sum over the nodes, but differentiating it by a_j keeps only "
                "node j's own term, since no other term contains a_j. Each entry of Δ^L gets its "
                "own node's difference and its own node's importance.",
            ),
            Bug(
                "summed_everything",
                "Your row mixes the nodes, and the examples too: a sum with no axis added "
                "c_j (a_j − y_j) over every node of every example into one number. "
                "Differentiating C_i by a_j keeps only node j's own term of example i's own cost, "
                "so each entry of Δ^L gets its own node's difference and importance, entry by "
                "entry, with no sum at all.",
            ),
            Bug(
                "matmul",
                "You used a matrix product where ⊙ belongs: entry (i, j) of Δ^L needs only "
                "entry (i, j) of each factor, and the result keeps the shape (n, n_L). Which "
                "numpy operator works entry by entry?",
            ),
            Bug(
                "sigmoid_prime_always",
                "Right for the sigmoid output, wrong for tanh: your δ^L uses the sigmoid's slope "
                "whatever `sigma` is. The step a^L = σ(z^L) applies the activation passed in, so "
                "its local derivative is the slope of that activation.",
            ),
            Bug(
                "a_one_minus_a",
                "Right for the sigmoid output, wrong for tanh: a(1 − a) is the sigmoid's slope "
                "written with its output, and tanh's slope is another function. The local "
                "derivative of a^L = σ(z^L) is the slope of the activation passed in.",
            ),
        ],
        hints=[
            "Start from the definition (1) for one node, δ^L_j = ∂C_i/∂z^L_j: through which "
            "quantity does z^L_j reach the cost?",
            "z^L_j → a^L_j = σ(z^L_j) → C_i: two steps, so ∂C_i/∂z^L_j is the product of two local "
            "derivatives, as in notebook 04.",
            "The first step applies the activation `sigma`, whichever it is: its local "
            "derivative is that activation's slope, at the point it was applied to.",
            "Differentiate ½ c_j (a_j − y_j)² with respect to a_j. Which terms of the sum contain "
            "a_j? What becomes of the ½, and of the constant c_j?",
            "Entry (i, j) of Δ^L needs only entry (i, j) of ∂C_i/∂a and of the slope: which numpy "
            "product works entry by entry? `c` has shape (n_L,): numpy lines it up with the "
            "columns of an (n, n_L) array by itself.",
        ],
        correct="δ^L = c ⊙ (a^L − y) ⊙ σ′(z^L), row by row, for the sigmoid and for tanh: "
        "the chain rule does not care which cost or which activation the output layer uses.",
    )
)


# ----------------------------------------------------------------------------
# output_error_cross_entropy
# ----------------------------------------------------------------------------


register(
    Exercise(
        notebook="05",
        title=r"$\delta^L$ for the cross-entropy cost",
        signature="output_error_cross_entropy(a_L, y, z_L)",
        statement=r"""Another cost, the cross-entropy $C_i = -\sum_j [y_j \ln a_j + (1-y_j)\ln(1-a_j)]$
(section 4), is built so that what the question above found cannot happen: find its $\delta^L$,
with a sigmoid output. Write `output_error_cross_entropy(a_L, y, z_L)`, returning
$\Delta^L$ for this cost, shape `(n, n_L)`, one example per row like exercise 5.1. First
differentiate $C_i$ by $a_j$, then go on as in exercise 5.1, and simplify the result as far as it
goes. The check includes extreme weighted inputs ($z = \pm 40$). Section 4 derives it after the
exercises.""",
        explanation=r"$\frac{a - y}{a(1-a)} \cdot a(1 - a) = a - y$: σ′ cancels. Written "
        r"without the cancellation the result is the same in exact arithmetic, but not in floating "
        r"point once a node saturates (section 4).",
        cases=_cross_entropy_cases,
        collect=_lost_where_saturated,
        bugs=[
            Bug(
                "kept_sigma_prime",
                "That is the quadratic cost's δ^L (exercise 5.1 with every c_j = 1), built from its "
                "∂C_i/∂a. Differentiate the cross-entropy by a, write σ′(z) in terms of a and multiply it into ∂C_i/∂a.",
            ),
            Bug(
                "grad_a_only",
                "That is ∇_a C_i, the gradient with respect to a. δ^L is the gradient with respect "
                "to z: the chain rule still has the sigmoid's step from z to a. Write its slope "
                "in terms of a, multiply and simplify.",
            ),
            Bug(
                "sign",
                "The sign is flipped: check the sign of each term of ∂C_i/∂a. Where an output is "
                "above its target, the cost grows with a, so δ^L must be positive there.",
            ),
            Bug(
                "unsimplified",
                "Right on the first tests, but not where a node is saturated (z = ±40): there "
                "σ(z) rounds to exactly 1 or 0 in floating point, so a(1 − a) and σ′(z) are 0, "
                "and your form gives 0/0 (NaN) or 0 where δ^L is ±1: it divides by, or "
                "multiplies by, a factor that rounds to 0. Simplify on paper until no such "
                "factor is left; section 4's note on floating point, after the exercises, "
                "shows the effect.",
            ),
        ],
        hints=[
            "The chain rule of exercise 5.1 still holds: δ^L_j = ∂C_i/∂a_j · σ′(z_j). Only "
            "∂C_i/∂a_j is new. Differentiate each term: the derivative of ln a is 1/a, and of "
            "ln(1 − a) is −1/(1 − a).",
            "Write the sigmoid's slope with its output: σ′(z_j) = σ(z_j)(1 − σ(z_j)) = a_j(1 − a_j).",
            "Put ∂C_i/∂a_j over one common denominator, multiply by σ′(z_j) and simplify on paper "
            "before you write code: does a factor cancel?",
        ],
        correct="δ^L = a^L − y: σ′ cancels against the cross-entropy's denominator.",
    )
)
