"""Notebook 07, the parameter gradients: BP4 averaged over the batch, then example by example."""

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
        explanation=r"`delta.T @ a_prev` sums $\Delta^l_{ij}\, A^{l-1}_{ik}$ over the examples $i$ "
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
            Bug(
                "product_of_means",
                "You multiplied the means: the outer product of the mean error (the mean of the "
                "rows of delta) and the mean activation. But the mean of products is not the "
                "product of means: (5) averages each example's own product, its error times its "
                "own activation. Pair every example's row of delta with the same example's row "
                "of a_prev first, and average afterwards.",
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
# weight_gradient_per_example
# ----------------------------------------------------------------------------


def _per_example_cases():
    r = _rng(602)
    return [
        # n = n_l = 3, n_{l-1} = 4: examples paired with the wrong examples still compute
        (r.normal(0, 1, (3, 3)), r.uniform(0, 1, (3, 4))),
        # n, n_l, n_{l-1} all different: a wrong axis changes the shape
        (r.normal(0, 1, (5, 2)), r.uniform(0, 1, (5, 3))),
    ]


register(
    Exercise(
        notebook="07",
        title="every example's own weight gradient",
        imports="import numpy as np",
        signature="weight_gradient_per_example(delta, a_prev)",
        statement=r"""Exercise 7.1 averaged the examples' gradients. Sometimes they are wanted apart:
to see which examples pull a weight up and which pull it down (section 5's explorer draws them),
or to find the example that disagrees most with the rest. Write
`weight_gradient_per_example(delta, a_prev)`, returning every example's own
$\partial C_i/\partial w^l_{jk}$ at once, **without a loop**: an array of shape
`(n, n_l, n_{l-1})` whose entry `[i, j, k]` is $\partial C_i/\partial w^l_{jk}$, so that its
`[i]` is example $i$'s gradient matrix, shaped like $W^l$. `delta` and `a_prev` are
$\Delta^l$ and $A^{l-1}$ as in exercise 7.1, one example per row. Section 3 shows it after
the exercises.""",
        explanation=r"By BP4 (3), $\partial C_i/\partial w^l_{jk} = A^{l-1}_{ik}\,\Delta^l_{ij}$: "
        r"a product with no sum, so no matrix product. `delta[:, :, None]` has shape "
        r"`(n, n_l, 1)` and `a_prev[:, None, :]` shape `(n, 1, n_{l-1})`; broadcasting pairs "
        r"example $i$ with example $i$ and spreads $j$ and $k$ over the two other axes. "
        r"Its mean over the first axis is exercise 7.1's gradient.",
        cases=_per_example_cases,
        bugs=[
            Bug(
                "averaged",
                "You returned one matrix for the whole batch, shaped like W: the gradient of the "
                "mean cost, exercise 7.1's answer. Here every example keeps its own matrix, so "
                "the result has one more axis, the first, with one entry per example.",
            ),
            Bug(
                "divided_by_n",
                "Every matrix is 1/n of the example's own gradient: the 1/n belongs to the "
                "mean cost C of exercise 7.1. Example i's own cost C_i has no 1/n.",
            ),
            Bug(
                "transposed",
                "Each example's matrix is transposed, shape (n, n_{l−1}, n_l): W is stored "
                "(n_out, n_in) = (n_l, n_{l−1}), so [i, j, k] pairs the error of neuron j of "
                "layer l with the activation of neuron k of layer l−1.",
            ),
            Bug(
                "mixed_examples",
                "The examples got mixed up: your entry [i, j, k] multiplies example i's error "
                "by the activations of another example. In BP4 both factors belong to the same "
                "example i, so the examples' axis of both arrays must line up, not one of them "
                "with a neuron axis. (It ran only because this test's batch has as many "
                "examples as layer l has neurons.)",
            ),
            Bug(
                "outer_flat",
                "np.outer flattens both arrays first: it pairs every error of every example "
                "with every activation of every example, shape (n·n_l, n·n_{l−1}). BP4 pairs an "
                "example's errors only with its own activations, and the result keeps three "
                "axes, [i, j, k].",
            ),
            Bug("accumulate", ACCUMULATE),
        ],
        hints=[
            "By BP4 (3), entry [i, j, k] is a product of one entry of `delta` and one entry of "
            "`a_prev`, both of example i: which entries?",
            "No index is summed over, so no matrix product can do it. numpy's broadcasting "
            "multiplies arrays element by element along axes that line up: give each array "
            "the axis it lacks, of length 1, with `None` in its index, as section 1's numpy "
            "aside does with two toy arrays.",
            "`delta[:, :, None]` has shape (n, n_l, 1). Which shape must `a_prev` take for the "
            "product to come out (n, n_l, n_{l−1}), with example i against example i?",
        ],
        correct="Entry [i, j, k] = Δ^l_{ij} A^{l−1}_{ik}: one BP4 matrix per example, "
        "and their mean is 7.1's gradient.",
    )
)
