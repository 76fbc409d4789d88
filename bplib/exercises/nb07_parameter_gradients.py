"""Notebook 07, the parameter gradients: BP4 and BP3, averaged over the batch."""

from __future__ import annotations

import numpy as np

from .checker import ACCUMULATE, Bug, Exercise, register


def _rng(seed):
    return np.random.default_rng(seed)


# ----------------------------------------------------------------------------
# weight_gradient
# ----------------------------------------------------------------------------


def _bp4_cases():
    r = _rng(601)
    return [
        (r.normal(0, 1, (5, 3)), r.uniform(0, 1, (5, 3))),  # equal widths: .T computable
        (r.normal(0, 1, (6, 2)), r.uniform(0, 1, (6, 4))),
    ]


register(
    Exercise(
        notebook="07",
        title="the averaged weight gradient",
        imports="import numpy as np",
        signature="weight_gradient(delta, a_prev)",
        statement=r"""Write `weight_gradient(delta, a_prev)`: the averaged gradient (5) of every
weight of layer $l$ at once, **without a loop over the examples**. The batch is stored as rows:
`delta` is $\Delta^l$, shape `(n, n_l)`, whose row $i$ is $(\delta^l)^T$ of example $i$, and
`a_prev` is $A^{l-1}$, shape `(n, n_{l-1})`. Return the matrix of all
$\partial C/\partial w^l_{jk}$, shaped like $W^l$ (`net.W[l]`): `(n_l, n_{l-1})`. In (5) the sum
runs over the example index $i$, which is the row index of both matrices: which matrix product
sums over a shared row index? Section 3 derives it after the exercises.""",
        explanation=r"`delta.T @ a_prev` sums $\delta^l_{ij}\, a^{l-1}_{ik}$ over the examples $i$ "
        "in one product; dividing by n averages, as in (5).",
        cases=_bp4_cases,
        bugs=[
            Bug(
                "no_mean",
                "The 1/n is missing: you summed the per-example gradients instead of "
                "averaging them. The seed's ∂C/∂w = 1/n Σ ∂C_i/∂w is a mean; without 1/n the step size "
                "grows with the batch size.",
            ),
            Bug(
                "transposed",
                "Your result is the transpose of the answer: W is stored "
                "(n_out, n_in) = (n_l, n_{l−1}), so grad_W[j, k] pairs δ_j with a_k: "
                "`delta.T @ a_prev`, not `a_prev.T @ delta`.",
            ),
            Bug(
                "transposed+no_mean",
                "Two bugs: your result is the transpose of the answer "
                "(`delta.T @ a_prev` gives the (n_out, n_in) shape of W), and the 1/n of the "
                "average is missing.",
            ),
            Bug("accumulate", ACCUMULATE),
        ],
        hints=[
            "Start from section 1: for one example i, the gradient of all of layer l's weights is "
            "an outer product of its error and the activation going in, shaped like W^l. You want "
            "the mean of these n matrices.",
            "A matrix product sums over the index that the first matrix's columns and the second "
            "matrix's rows share. Here the sum in (5) runs over the examples, which are the rows of "
            "both arrays: arrange them so that the example index is the shared one and the result "
            "has the shape of W^l, then turn the sum into a mean.",
        ],
        correct="∇_W C = δ^T a^{l−1} / n, shaped like W.",
    )
)


# ----------------------------------------------------------------------------
# bias_gradient
# ----------------------------------------------------------------------------


register(
    Exercise(
        notebook="07",
        title="the averaged bias gradient",
        imports="import numpy as np",
        signature="bias_gradient(delta)",
        statement=r"""Write `bias_gradient(delta)`: the gradient of the batch's cost $C$ with
respect to the biases of layer $l$, $\partial C/\partial b^l_j$ for every neuron $j$ at once, again
without a loop. Equation (5) wrote it out for the weights only: start from one example's bias
gradient, BP3 (2), and the rule that opens section 2. `delta` is $\Delta^l$, shape `(n, n_l)`, one
example per row; return shape `(n_l,)`, like $b^l$ (`net.b[l]`).""",
        explanation="Each bias gets the mean over the rows (`axis=0`) of its neuron's error.",
        cases=lambda: [(_rng(602).normal(0, 1, (5, 3)),), (_rng(603).normal(0, 1, (4, 2)),)],
        bugs=[
            Bug(
                "no_mean",
                "The 1/n is missing: you summed the errors over the examples instead of "
                "averaging them.",
            ),
            Bug(
                "wrong_axis",
                "You averaged over the neurons (axis=1) instead of over the examples "
                "(axis=0): rows are examples, and there is one bias per neuron.",
            ),
            Bug(
                "no_reduction",
                "You returned δ itself, one row per example. ∂C/∂b is its mean over "
                "the examples: one number per neuron.",
            ),
            Bug(
                "mean_all",
                "You averaged everything into one number; keep one value per neuron: "
                "`mean(axis=0)`.",
            ),
            Bug("accumulate", ACCUMULATE),
        ],
        hints=[
            "By BP3 (2), one example's bias gradient is its own error δ^l; the gradient of the "
            "mean cost is the mean of these over the examples, as (5) does for the weights.",
            "Rows are examples and columns are neurons. Average in the direction that leaves one "
            "number per neuron (numpy's reductions take an `axis`).",
        ],
        correct="∂C/∂b = the mean of δ over the rows.",
    )
)
