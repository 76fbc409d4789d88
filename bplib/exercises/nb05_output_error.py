r"""Notebook 05, the output error: BP1, :math:`\delta^L`, for the quadratic and cross-entropy costs."""

from __future__ import annotations

import numpy as np

from bplib import sigmoid

from .checker import Bug, Exercise, register

s, sp = sigmoid.fn, sigmoid.prime  # short names for the variants below


def _output_error_cases():
    r = np.random.default_rng(401)
    out = []
    for n, m in ((5, 3), (4, 2)):
        z = r.normal(0, 1.5, (n, m))
        y = np.eye(m)[r.integers(0, m, n)]
        out.append((s(z), y, z))
    return out


# ----------------------------------------------------------------------------
# output_error
# ----------------------------------------------------------------------------


register(
    Exercise(
        notebook="05",
        title=r"the output error $\delta^L$",
        signature="output_error(a_L, y, z_L)",
        statement=r"""Write `output_error(a_L, y, z_L)`: the output error of a sigmoid output layer
with the quadratic cost $C = \tfrac12\sum_j (a^L_j - y_j)^2$, for every node of every example of
a batch at once, without a loop. `a_L`, `y` and `z_L` hold $A^L$, $Y$ and $Z^L$, one example per
row, shape `(n, n_L)`; return $\Delta^L$, shape `(n, n_L)`, whose row $i$ is $(\delta^L)^T$ of
example $i$. Start from the definition (1) for one node, $\delta^L_j = \partial C/\partial z^L_j$:
through which quantity does $z^L_j$ reach the cost, and what does the chain rule give? Then: what
is $\partial C/\partial a^L_j$ for this cost, and which numpy operation does the same for all
entries at once? Use `sigmoid.prime`. Sections 1 (continued) to 3 derive the node, vector and
batch forms after the exercises.""",
        explanation=r"$\nabla_a C = a^L - y$ for the quadratic cost, and $\odot$ is the element-wise "
        r"product `*`.",
        cases=_output_error_cases,
        bugs=[
            Bug(
                "no_sigma_prime",
                "σ′(z^L) is missing: z^L reaches the cost only through a^L = σ(z^L), so (2) "
                "multiplies ∂C/∂a^L by σ′(z^L).",
            ),
            Bug(
                "sigma_not_prime",
                "You used σ(z^L) where its derivative σ′(z^L) belongs.",
            ),
            Bug(
                "prime_of_a",
                "σ′ was evaluated at a^L instead of at z^L: use `sigmoid.prime(z_L)` "
                "(or a_L * (1 - a_L), which is the same number).",
            ),
            Bug(
                "factor_2",
                "Your δ^L is twice the right one: 2(a − y) is the gradient of the seed's "
                "(a − y)² without the ½. This course's cost is ½‖a − y‖², whose gradient is a − y.",
            ),
            Bug(
                "sign",
                "The sign is flipped: ∇_a C = a − y, not y − a.",
            ),
            Bug(
                "matmul",
                "You used a matrix product where ⊙ belongs: ⊙ is the element-wise product, "
                "`*` in numpy, and keeps the shape (n, n_L).",
            ),
        ],
        hints=[
            "z^L_j → a^L_j = σ(z^L_j) → C: two steps, so ∂C/∂z^L_j is the product of two local "
            "derivatives, as in notebook 04.",
            "Differentiate ½(a_j − y_j)² with respect to a_j. What becomes of the ½?",
            "Entry (i, j) of Δ^L needs only entry (i, j) of ∂C/∂a and of σ′(z): which numpy "
            "product works entry by entry? The result has the shape of a_L.",
        ],
        correct="δ^L = (a^L − y) ⊙ σ′(z^L), row by row.",
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
        statement=r"""Another cost, the cross-entropy $C = -\sum_j [y_j \ln a_j + (1-y_j)\ln(1-a_j)]$
(section 5), with a sigmoid output. Differentiate it by $a_j$, use
$\sigma'(z_j) = \sigma(z_j)(1 - \sigma(z_j)) = a_j(1 - a_j)$, put both into the chain rule of
exercise 5.1 and simplify on paper. Then write `output_error_cross_entropy(a_L, y, z_L)`
returning $\Delta^L$ in its simplest form, one example per row like exercise 5.1 (you may not
need every argument). Section 5 does this derivation after the exercises.""",
        explanation=r"$\frac{a - y}{a(1-a)} \cdot a(1 - a) = a - y$: σ′ cancels.",
        cases=_output_error_cases,
        bugs=[
            Bug(
                "kept_sigma_prime",
                "You kept σ′(z^L). For cross-entropy with a sigmoid output, "
                "∂C/∂a = (a − y)/(a(1 − a)) and σ′(z) = a(1 − a) cancel: δ^L = a − y.",
            ),
            Bug(
                "grad_a_only",
                "That is ∇_a C, the gradient with respect to a; δ^L multiplies it by "
                "σ′(z^L) = a(1 − a), which cancels the denominator.",
            ),
            Bug("sign", "The sign is flipped: δ^L = a − y, not y − a."),
        ],
        hints=[
            "Differentiate each term: the derivative of ln a is 1/a, and of ln(1 − a) is −1/(1 − a).",
            "Put ∂C/∂a_j over one common denominator. Does it remind you of σ′(z_j)?",
        ],
        correct="δ^L = a^L − y: σ′ cancels against the cross-entropy's denominator.",
    )
)
