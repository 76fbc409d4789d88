"""Notebook 07, the parameter gradients: BP4 averaged over the batch, then BP3 and BP4 of a layer."""

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
$\partial C/\partial w^l_{jk}$, shaped like $W^l$ (`net.W[l]`): `(n_l, n_{l-1})`. Section 3
derives it after the exercises.""",
        explanation=r"`delta.T @ a_prev` sums $\delta^l_{ij}\, a^{l-1}_{ik}$ over the examples $i$ "
        "in one product; dividing by n averages, as in (5).",
        cases=_bp4_cases,
        bugs=[
            Bug(
                "no_mean",
                "The 1/n is missing: you summed the per-example gradients instead of "
                "averaging them. The gradient (5), ∂C/∂w = 1/n Σ ∂C_i/∂w, is a mean; without 1/n the step size "
                "grows with the batch size.",
            ),
            Bug(
                "transposed",
                "Your result is the transpose of the answer, shape (n_{l−1}, n_l): W is stored "
                "(n_out, n_in) = (n_l, n_{l−1}), so grad_W[j, k] pairs the error δ_j of neuron j "
                "with the activation a_k of neuron k. The first factor of a product gives the "
                "rows of the result: which array should that be?",
            ),
            Bug(
                "transposed+no_mean",
                "Two bugs: your result is the transpose of the answer (W is stored "
                "(n_out, n_in): the neurons j of layer l index its rows), and the 1/n of the "
                "average is missing.",
            ),
            Bug("accumulate", ACCUMULATE),
        ],
        hints=[
            "Start from section 1: for one example i, the gradient of all of layer l's weights is "
            "an outer product of its error and the activation going in, shaped like W^l. You want "
            "the mean of these n matrices.",
            "In (5) the sum runs over the example index i, which is the row index of both "
            "arrays: which matrix product sums over a shared row index?",
            "A matrix product sums over the index that the first matrix's columns and the second "
            "matrix's rows share. Here the sum in (5) runs over the examples, which are the rows of "
            "both arrays: arrange them so that the example index is the shared one and the result "
            "has the shape of W^l, then turn the sum into a mean.",
        ],
        correct="∇_W C = δ^T a^{l−1} / n, shaped like W.",
    )
)


# ----------------------------------------------------------------------------
# layer_gradients
# ----------------------------------------------------------------------------


def _layer_cases():
    r = _rng(602)
    return [
        # n, n_l, n_{l-1} all different: a wrong axis or a wrong array changes the shape
        (r.normal(0, 1, (5, 3)), r.uniform(0, 1, (5, 4))),
        # n = n_l = n_{l-1} = 3: the same slips keep the shape and change the values
        (r.normal(0, 1, (3, 3)), r.uniform(0, 1, (3, 3))),
    ]


register(
    Exercise(
        notebook="07",
        title="both gradients of a layer",
        imports="import numpy as np",
        signature="layer_gradients(delta, a_prev)",
        statement=r"""Gradient descent steps every weight and every bias of a layer. Write
`layer_gradients(delta, a_prev)`, returning the pair `(grad_W, grad_b)` of gradients of the
mean cost $C$ of the batch: `grad_W` holds every $\partial C/\partial w^l_{jk}$, shaped like
$W^l$, `(n_l, n_{l-1})`, and `grad_b` every $\partial C/\partial b^l_j$, shaped like $b^l$
(`net.b[l]`), `(n_l,)`. `delta` is $\Delta^l$, shape `(n, n_l)`, and `a_prev` is $A^{l-1}$,
shape `(n, n_{l-1})`, one example per row as in exercise 7.1 (you may call your
`weight_gradient`). No loop over the examples. Section 3 derives both after the exercises.""",
        explanation=r"`grad_W` is exercise 7.1's `delta.T @ a_prev / n`. By BP3 (2) example $i$'s "
        r"own bias gradient is its error, row $i$ of `delta`, and the gradient of the mean cost is "
        r"the mean of the examples' gradients: the mean over the rows, `delta.mean(axis=0)`, "
        r"shape `(n_l,)`.",
        cases=_layer_cases,
        bugs=[
            Bug(
                "sum_b",
                "grad_W is right; grad_b is n times too large: you summed the examples' bias "
                "gradients. C is the mean of the C_i, so its gradient is the mean of theirs.",
            ),
            Bug(
                "sum_W",
                "grad_b is right; grad_W is n times too large: the 1/n of the mean (5) is missing.",
            ),
            Bug(
                "sum_both",
                "Both are n times too large: you summed over the examples. C is the mean of "
                "the C_i, so both gradients are means.",
            ),
            Bug(
                "transposed_W",
                "grad_b is right; grad_W is transposed. W is stored (n_out, n_in) = "
                "(n_l, n_{l−1}): the neurons j of layer l index its rows.",
            ),
            Bug(
                "b_wrong_axis",
                "grad_b averages over the wrong axis: it has one entry per example (the mean "
                "of each row), where it needs one per neuron j of layer l. Over which axis of "
                "`delta` do the examples run?",
            ),
            Bug(
                "b_keepdims",
                "grad_b has the right numbers in the wrong shape, (1, n_l): the biases b^l are "
                "stored as a vector, shape (n_l,), and `b - eta * grad_b` would then broadcast "
                "to a matrix.",
            ),
            Bug(
                "b_from_a_prev",
                "grad_b is built from `a_prev`: by BP3 (2), ∂z^l_j/∂b^l_j = 1, so a bias "
                "gradient has no activation in it, only the error of its own neuron.",
            ),
            Bug(
                "b_per_example",
                "grad_b still has one row per example, shape (n, n_l): those are the examples' "
                "own bias gradients ∂C_i/∂b^l. The gradient of the mean cost C combines them "
                "into one vector, shape (n_l,).",
            ),
            Bug(
                "swapped",
                "Right gradients, wrong order: return (grad_W, grad_b), the weights first.",
            ),
            Bug("accumulate", ACCUMULATE),
        ],
        hints=[
            "grad_W is exercise 7.1's averaged weight gradient: call your `weight_gradient`.",
            "By BP3 (2), example i's own bias gradient ∂C_i/∂b^l is its error δ^l_i. Where in "
            "`delta` is it?",
            "The gradient of the mean cost is the mean of the examples' own gradients "
            "(section 2). Over which axis of `delta` do the examples run? The result has one "
            "entry per neuron j: shape (n_l,), like b^l.",
        ],
        correct="∇_W C = Δᵀ A^{l−1} / n and ∇_b C = the mean of Δ over its rows, shape (n_l,).",
    )
)
