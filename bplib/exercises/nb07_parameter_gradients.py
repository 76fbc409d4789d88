"""Notebook 07, the parameter gradients: BP4 averaged over the batch, then example by example."""

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
$\partial C/\partial w^l_{jk}$, shaped like $W^l$ (`net.W[l]`): `(n_l, n_{l-1})`. Write the sum
with one `np.einsum`, as in section 1's numpy aside: give each index of (5) a letter, write
which letters each array carries, and say which letter is summed over and which are left for
the result. Then turn the sum into the mean. Section 3 derives the same gradient as a matrix
product after the exercises.""",
        explanation=r"In (5) the example index $i$ is carried by both arrays (their rows) and "
        r"summed over, so it appears in both inputs and not after `->`; $j$ and $k$ are left, in "
        r"the order of $W^l$'s axes. Dividing by n averages. The same sum is the matrix product "
        r"`delta.T @ a_prev`, section 3's form (6).",
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
            "arrays. Name the axes: delta carries (i, j), a_prev carries (i, k), the result "
            "[j, k]. Which letter disappears?",
            "In np.einsum a letter that appears in the inputs but not after `->` is summed "
            "over, and the letters after `->` give the result's axes in order. Write delta's "
            "letters, then a_prev's, then the result's, and divide by the number of examples.",
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
