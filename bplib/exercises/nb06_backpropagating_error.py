r"""Notebook 06, backpropagating the error: BP2, one step of the recursion for :math:`\delta^l`."""

from __future__ import annotations

import re

import numpy as np

from bplib import sigmoid

from .checker import Bug, Exercise, register

s, sp = sigmoid.fn, sigmoid.prime  # short names for the variants below


def _bp2_cases():
    r = np.random.default_rng(501)
    out = []
    for n, n_l, n_next in ((5, 3, 3), (4, 3, 2)):  # case 0: equal widths, so every bug computes
        out.append(
            (
                r.normal(0, 1, (n, n_next)),
                r.normal(0, 1, (n_next, n_l)),
                r.normal(0, 1, (n, n_l)),
                r.normal(0, 1, (n, n_next)),
            )
        )
    return out


NEXT_Z = (
    "This looks like σ′ was evaluated at the next layer's z, σ′(z^{l+1}), the slip in the "
    "seed's formula (it writes σ′(z^L)). δ^l belongs to layer l: the error passes back "
    "through layer l's activation, so the factor is σ′(z^l)."
)
NO_TRANSPOSE = (
    "The weight matrix is the wrong way round: your product uses W^{l+1} transposed where the "
    "batch form needs it as it is stored, or the other way about. The column form's transpose "
    "does not carry over unchanged to rows. Write the shape next to each factor (Δ^{l+1} is "
    "(n, n_{l+1}), W^{l+1} is stored (n_{l+1}, n_l)) and ask which product gives (n, n_l). "
    "Yours only ran because the test's layers have equal widths; with different widths the "
    "shapes do not fit."
)

COLUMN_FORM = (
    "A matrix product's shapes do not fit: it is written for one example stored as a column, "
    "like (5)'s (W^{l+1})ᵀ δ^{l+1}, but each row of delta_next is one example, (δ^{l+1})ᵀ. "
    "Transpose both sides of (5) for one example (what is the transpose of a product AB?), "
    "then write the shape next to each factor."
)
COLUMNS_NOT_BACK = (
    "Two arrays whose shapes are each other's transpose met in `*`: your product holds one "
    "column per example, the column form (5), while σ′(Z^l) has one row per example. Work in "
    "rows throughout, without transposing the inputs: transpose both sides of (5) for one "
    "example (what is the transpose of a product AB?) and see what becomes of the factors."
)


def _raised(e, args):
    """The message for a product whose shapes do not fit because it is the column form, else
    None (the checker's usual message, which quotes the exception)."""
    text = str(e)
    if not isinstance(e, ValueError):
        return None
    if "matmul" in text or "not aligned" in text:
        return COLUMN_FORM
    shapes = re.search(r"broadcast together with shapes \((\d+),(\d+)\) \((\d+),(\d+)\)", text)
    if shapes and shapes.group(1, 2) == shapes.group(4, 3) and shapes.group(1) != shapes.group(2):
        return COLUMNS_NOT_BACK
    return None


register(
    Exercise(
        notebook="06",
        title=r"one step of the recursion for $\delta^l$",
        signature="backpropagate_error(delta_next, W_next, z, z_next)",
        statement=r"""BP2 (5) is written for one example stored as a column. Write
`backpropagate_error(delta_next, W_next, z, z_next)`: the same step for a whole batch of a
sigmoid network stored the seed's (and bplib's) way, **one example per row**, in one line
without a loop. `delta_next` is $\Delta^{l+1}$, shape `(n, n_{l+1})`, whose row $i$ is
$(\delta^{l+1})^T$ of example $i$; `W_next` is $W^{l+1}$ (`net.W[l + 1]`), stored
`(n_{l+1}, n_l)`; return $\Delta^l$, shape `(n, n_l)`. Transpose both sides of (5) for one
example and check the shapes. You get the weighted inputs of both layers, `z` $= Z^l$ and
`z_next` $= Z^{l+1}$: use the right one. Sections 2 and 3 use and derive this form.""",
        explanation=r"Row $i$ of $\Delta^{l+1} W^{l+1}$ is the transpose of the textbook's "
        r"$(W^{l+1})^T \delta^{l+1}$ for example $i$; σ′ is taken at the layer the error "
        r"belongs to, $Z^l$ (the seed's $z^L$ is a slip).",
        cases=_bp2_cases,
        raised=_raised,
        bugs=[
            Bug("next_z", NEXT_Z),
            Bug(
                "no_sigma_prime",
                "σ′(z^l) is missing: after flowing back through the weights, the "
                "error passes through layer l's activation, which multiplies it by σ′(z^l).",
            ),
            Bug("no_transpose", NO_TRANSPOSE),
            Bug(
                "sigma_not_prime",
                "You used σ(z^l) where its derivative σ′(z^l) belongs.",
            ),
            Bug(
                "next_z+no_transpose",
                "Two bugs: (1) " + NEXT_Z + " (2) " + NO_TRANSPOSE,
            ),
        ],
        hints=[
            "Write the shape next to each symbol: δ^{l+1} is (n, n_{l+1}), W^{l+1} is "
            "(n_{l+1}, n_l). Which product gives (n, n_l)?",
            "δ^l belongs to layer l, so its σ′ is evaluated at layer l's weighted input.",
        ],
        correct="δ^l = (δ^{l+1} W^{l+1}) ⊙ σ′(z^l): σ′ at layer l, no transpose in batch form.",
    )
)
