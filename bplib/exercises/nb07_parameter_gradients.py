"""Notebook 07, the parameter gradients: BP4 averaged over the batch, example by example, and
BP3 averaged over the batch."""

from __future__ import annotations

import re

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


def _shape(a):
    return "(" + ", ".join(str(d) for d in np.shape(a)) + ")"


def _bp4_raised(e, args):
    """A product whose shapes do not fit, said in the exercise's words (which arrays met, and
    what a shared index means), without numpy's gufunc signature; None for other errors."""
    if not isinstance(e, ValueError):
        return None
    text, (delta, a_prev) = str(e), args[:2]
    shapes = (
        f"`delta` is Δ^l, {_shape(delta)} = (n, n_l), and `a_prev` is A^{{l−1}}, "
        f"{_shape(a_prev)} = (n, n_{{l−1}}): the examples i run down the rows of both."
    )
    if "remapped shapes" in text:  # np.einsum: one letter named axes of different lengths
        return (
            "np.einsum gave the same letter to two axes of different lengths. "
            + shapes
            + " Give each index of (5) one letter, i for the examples, j for layer l's neurons, "
            "k for layer l−1's, and write each array's letters in the order of its axes."
        )
    if "matmul" in text or "not aligned" in text:
        return (
            "A matrix product met two arrays whose shapes do not fit: `@` sums over the first "
            "array's columns and the second's rows, which must be the same length. "
            + shapes
            + " Which index does (5) sum over, and where must it stand in each factor?"
        )
    return None


def _per_example_raised(e, args):
    """`delta[:, None] * a_prev[None, :]` and the like: three axes, but the examples lined up
    with a neuron axis; None for other errors."""
    text = str(e)
    if not isinstance(e, ValueError):
        return None
    m = re.search(r"broadcast together with shapes \(([\d,]+)\) \(([\d,]+)\)", text)
    if not m:
        return None
    a, b = (tuple(int(d) for d in g.split(",") if d) for g in m.groups())
    if len(a) != 3 or len(b) != 3:
        return None
    return (
        f"Your `*` met shapes {_shape(np.empty(a))} and {_shape(np.empty(b))}, which do not line "
        "up axis by axis. Each array needs three axes: the example axis, first in both so that "
        "example i meets example i, and its own neuron axis, with an axis of length 1 where the "
        "other array has its neuron axis. Write the three-axis shape you want for each array "
        "under the result's (n, n_l, n_{l−1}), then index with `None` to get it."
    )


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
$\partial C/\partial w^l_{jk}$, shaped like $W^l$ (`net.W[l]`): `(n_l, n_{l-1})`. One matrix
product and one division do it (an `np.einsum`, section 1's numpy aside, is another way). The
tests use layers of different widths, $n_l \ne n_{l-1}$, so the shapes tell you which product
fits. Section 3 derives this gradient after the exercises.""",
        explanation=r"In (5) the example index $i$ is the row index of both arrays and is summed "
        r"over. A matrix product sums over its first factor's columns and its second's rows, so "
        r"$i$ must be the columns of the first factor: transpose `delta`, whose index $j$ then "
        r"gives the rows, as in $W^l$, and multiply by `a_prev`, whose $k$ gives the columns: "
        r"`(n_l, n) @ (n, n_{l-1})`. Dividing by n averages. With `np.einsum` the same sum is "
        r"`\"ij,ik->jk\"`. Section 3 derives it as (6).",
        cases=_bp4_cases,
        raised=_bp4_raised,
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
                "(n_out, n_in) = (n_l, n_{l−1}), so grad_W[j, k] pairs the errors Δ_{ij} of "
                "neuron j with the activations A_{ik} of neuron k. The first index of the result "
                "(the first letter after `->`, or the first factor of a product) gives its rows: "
                "which should that be?",
            ),
            Bug(
                "transposed+no_mean",
                "Two bugs: your result is the transpose of the answer (W is stored "
                "(n_out, n_in): the neurons j of layer l index its rows), and the 1/n of the "
                "average is missing.",
            ),
            Bug(
                "product_of_means",
                "You multiplied the means: the outer product of the mean of the rows of Δ^l and "
                "the mean of the rows of A^{l−1}. But the mean of products is not the product of "
                "means: (5) averages each example's own product, its row of Δ^l times its own "
                "row of A^{l−1}. Pair every example's row of delta with the same example's row "
                "of a_prev first, and average afterwards.",
            ),
            Bug(
                "divided_by_width",
                "You divided by n_{l−1}, the number of columns of a_prev (the neurons of layer "
                "l−1), not by n, the number of examples. The mean in (5) is over the examples i, "
                "the rows of delta and a_prev.",
            ),
            Bug("accumulate", ACCUMULATE),
        ],
        hints=[
            "Start from section 1: for one example i, the gradient of all of layer l's weights is "
            "an outer product of its error and the activation going in, shaped like W^l. You want "
            "the mean of these n matrices.",
            "In (5) the sum runs over the example index i, which is the row index of both "
            "arrays. A matrix product P @ Q sums over an index that is P's column index and "
            "Q's row index. Which array must be turned so that i becomes its column index?",
            "Write each factor's shape with the summed length n between them, and check that "
            "the product comes out (n_l, n_{l−1}), the shape of W^l, not its transpose; then "
            "divide by the number of examples. (With np.einsum: a letter in the inputs but not "
            "after `->` is summed over.)",
        ],
        correct="∇_W C = (Δ^l)^T A^{l−1} / n: the example index i summed over, shaped like W.",
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
        raised=_per_example_raised,
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
                "The examples got mixed up: your entry [i, j, k] multiplies row i of Δ^l "
                "by the activations of another example, not row i of A^{l−1}. In BP4 both factors belong to the same "
                "example i, so the examples' axis of both arrays must line up, not one of them "
                "with a neuron axis. (It ran only because this test's batch has as many "
                "examples as layer l has neurons.)",
            ),
            Bug(
                "outer_flat",
                "np.outer flattens both arrays first: it pairs every entry of Δ^l with every "
                "entry of A^{l−1}, shape (n·n_l, n·n_{l−1}). BP4 pairs row i of Δ^l only with "
                "row i of A^{l−1}, and the result keeps three axes, [i, j, k].",
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


# ----------------------------------------------------------------------------
# bias_gradient
# ----------------------------------------------------------------------------


def _bp3_cases():
    r = _rng(603)
    return [
        (r.normal(0, 1, (3, 3)),),  # n = n_l: a mean over the wrong axis still computes
        (r.normal(0, 1, (5, 2)),),  # n != n_l: the wrong axis changes the shape
    ]


register(
    Exercise(
        notebook="07",
        title="the averaged bias gradient",
        imports="import numpy as np",
        signature="bias_gradient(delta)",
        statement=r"""The biases need their gradient too. Write `bias_gradient(delta)`: the gradient
$\partial C/\partial b^l_j$ of the batch's mean cost $C$ for every bias of layer $l$ at once,
**without a loop**. `delta` is $\Delta^l$, shape `(n, n_l)`, one example per row, as in
exercise 7.1. Return a vector shaped like $b^l$ (`net.b[l]`): `(n_l,)`. Start from BP3 (2) for
one example, then use the rule that opens section 2 for a mean cost. Section 3 shows it after
the exercises.""",
        explanation=r"By BP3 (2), example $i$'s gradient for the biases of layer $l$ is its own "
        r"error, row $i$ of $\Delta^l$. The gradient of the mean cost is the mean of these rows: "
        r"`delta.mean(axis=0)`, the mean down the examples' axis, which leaves one number per "
        r"neuron, shape `(n_l,)`. Section 3 calls it (7).",
        cases=_bp3_cases,
        bugs=[
            Bug(
                "wrong_axis",
                "You averaged across each row, over the neurons of layer l, not down the "
                "examples: that gives one number per example. The mean cost averages over the "
                "examples i, which index the rows of delta: the axis to reduce is the one of "
                "length n. (It ran only because this test's batch has as many examples as "
                "layer l has neurons.)",
            ),
            Bug(
                "no_mean",
                "The 1/n is missing: you summed the examples' bias gradients instead of "
                "averaging them. C is the mean of the example costs, so its gradient is the "
                "mean of theirs, as in (5).",
            ),
            Bug(
                "kept_dims",
                "Right numbers, wrong shape: you returned a (1, n_l) row, but b^l is a vector of "
                "shape (n_l,), and `b - eta * grad_b` with a (1, n_l) row would turn b into a "
                "matrix. Drop the extra axis (do not keep the reduced dimension).",
            ),
            Bug(
                "whole_mean",
                "You returned one number, the mean of all of delta: the mean ran over the "
                "neurons as well as the examples. Every bias has its own gradient: keep the "
                "neurons' axis, and average over the examples only.",
            ),
            Bug(
                "first_row",
                "You returned the first example's bias gradient alone, row 0 of Δ^l. The cost "
                "is the mean over all n examples, so every row counts.",
            ),
            Bug("accumulate", ACCUMULATE),
        ],
        hints=[
            "For one example, BP3 (2) says ∂C_i/∂b^l_j = δ^l_j of that example: so the n "
            "examples' bias gradients are already stored in delta. Where?",
            "The gradient of a mean cost is the mean of the examples' gradients. Which axis of "
            "delta counts the examples, and which must stay in the result?",
        ],
        correct="∇_b C = the mean of Δ^l's rows: each example's error, averaged over the batch.",
    )
)
