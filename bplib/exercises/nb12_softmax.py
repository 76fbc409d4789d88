"""Notebook 12, softmax and categorical cross-entropy: the output error for any target row."""

from __future__ import annotations

import numpy as np

from .checker import Bug, Exercise, register

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
    return out


register(
    Exercise(
        notebook="12",
        title=r"the output error when the target does not sum to 1",
        imports="import numpy as np",
        signature="output_error_any_target(p, y)",
        statement=r"""Equation (6) used $\sum_j y_j = 1$, true for a one-hot target. Targets that
do not sum to 1 occur: a row $y = 2\,e_c$ (2 for class $c$, 0 elsewhere) counts example $i$ as
two examples of class $c$, and a multi-label row marks several classes at once. Write
`output_error_any_target(p, y)`: the output error $\delta^L_c = \partial C_i/\partial z^L_c$ of a
softmax output $p$ with the cost $C_i = -\sum_j y_j \ln p_j$, for target rows with any non-negative entries.

Go back to the step of the derivation where the sum over $j$ was taken, and do not assume the
targets sum to 1. `p` and `y` have shape `(n, K)`, one example per row; return `(n, K)`.""",
        explanation=r"$\delta^L_c = \sum_j (-y_j/p_j)\, p_j([j = c] - p_c) = p_c \sum_j y_j - y_c$: "
        r"the Jacobian's off-diagonal terms give $p_c$ times the total of the target row, which is "
        r"1 only for a distribution. Equation (6), $p - y$, is the special case.",
        cases=_cases,
        bugs=[
            Bug(
                "p_minus_y",
                "That is p − y, equation (6): right only when each target row sums to 1. Here the "
                "rows sum to other totals; redo the sum over j without using Σ_j y_j = 1.",
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
                "sign",
                "The sign is flipped: δ^L is the derivative of the cost, which rises when p_c "
                "grows for a class with little target weight.",
            ),
        ],
        hints=[
            "Chain rule through the softmax: δ^L_c = Σ_j (∂C/∂p_j)(∂p_j/∂z^L_c), with "
            "∂C/∂p_j = −y_j/p_j and ∂p_j/∂z^L_c = p_j([j = c] − p_c).",
            "The p_j cancel in every term. What is left of Σ_j −y_j([j = c] − p_c)? In numpy, "
            "`y.sum(axis=1, keepdims=True)` is the total of each row, shaped to broadcast.",
        ],
        correct="δ^L = p Σ_j y_j − y; for a one-hot target it is p − y.",
    )
)
