"""Notebook 07, the parameter gradients: BP4 averaged over the batch, and per example."""

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
        # n = n_l = 3, n_{l-1} = 2: a missing axis still broadcasts here, and is named
        (r.normal(0, 1, (3, 3)), r.uniform(0, 1, (3, 2))),
        (r.normal(0, 1, (5, 2)), r.uniform(0, 1, (5, 4))),
    ]


register(
    Exercise(
        notebook="07",
        title="every example's own weight gradient, stacked",
        imports="import numpy as np",
        signature="weight_gradient_per_example(delta, a_prev)",
        statement=r"""Exercise 7.1 averaged the examples' weight gradients into one matrix. Now
keep them apart: write `weight_gradient_per_example(delta, a_prev)`, which returns every
example's own gradient $\partial C_i/\partial W^l$, stacked along a new first axis, **without a
Python loop**. `delta` is $\Delta^l$, shape `(n, n_l)`, and `a_prev` is $A^{l-1}$, shape
`(n, n_{l-1})`, one example per row; return shape `(n, n_l, n_{l-1})`, whose `[i]` is shaped like
$W^l$. (Such a stack is what you need to look at single examples: which ones pull a weight up,
which pull it down, as the explorer of section 6 draws.) Write down entry `[i, j, k]` with BP4 (3)
first: which index do the two factors share, and which does each have alone? numpy's broadcasting
(`x[:, :, None]` adds an axis of length 1) or `np.einsum` can say exactly that.""",
        explanation=r"Entry `[i, j, k]` is $\delta^l_{ij}\, a^{l-1}_{ik}$: the example index $i$ is "
        "shared, $j$ comes from `delta` alone and $k$ from `a_prev` alone. Giving `delta` an axis of "
        "length 1 at the end, `(n, n_l, 1)`, and `a_prev` one in the middle, `(n, 1, n_{l-1})`, lets "
        'the product broadcast to `(n, n_l, n_{l-1})`; `np.einsum("ij,ik->ijk", delta, a_prev)` '
        "says the same in one string. The mean over the first axis is exercise 7.1's BP4 (5).",
        cases=_per_example_cases,
        bugs=[
            Bug(
                "mean",
                "You returned one matrix, the mean over the examples: that is exercise 7.1's "
                "averaged gradient (5). Keep one matrix per example, stacked along a first axis "
                "of length n: shape (n, n_l, n_{l−1}).",
            ),
            Bug(
                "sum",
                "You returned one matrix, the sum over the examples. Nothing is to be added "
                "up here: keep one matrix per example, stacked along a first axis of length n.",
            ),
            Bug(
                "transposed",
                "Each example's matrix is transposed: you made (n, n_{l−1}, n_l). W^l is stored "
                "(n_out, n_in), so entry [i, j, k] pairs the error δ_ij of neuron j with the "
                "activation a_ik of neuron k, in that order: which array's own axis must come "
                "second, and which third?",
            ),
            Bug(
                "missing_axis",
                "Only one of the two arrays got a new axis. numpy lines up the other from the "
                "right, so a_prev's rows (the examples) meet the neurons j of `delta`, and "
                "entry [i, j, k] is δ_ij · a_jk, another example's activation. It only ran "
                "because n = n_l in this test. Give both arrays three axes that line up with "
                "[i, j, k].",
            ),
            Bug(
                "outer_flat",
                "`np.outer` flattens both arrays first: its (n·n_l, n·n_{l−1}) result pairs every "
                "example's errors with every example's activations. Example i's error belongs "
                "with example i's activation only: keep the example index shared.",
            ),
            Bug(
                "over_n",
                "Each matrix is divided by n: that is example i's share of the mean (5), not its "
                "own gradient ∂C_i/∂W^l. Nothing is averaged here.",
            ),
            Bug("accumulate", ACCUMULATE),
        ],
        hints=[
            "What is ∂C_i/∂w^l_jk for example i, by BP4 (3)? Write it with the batch's "
            "entries δ^l_ij and a^{l−1}_ik. Which of i, j, k appears in both factors?",
            "What shape does the product of an (n, n_l, 1) array and an (n, 1, n_{l−1}) array "
            "broadcast to, and what is its entry [i, j, k]? How do you turn `delta` and `a_prev` "
            "into those two shapes?",
        ],
        correct="Entry [i, j, k] = δ^l_ij a^{l−1}_ik: one BP4 matrix per example, shape (n, n_l, n_{l−1}).",
    )
)
