"""Notebook 07, the parameter gradients: BP3 and BP4 for one example, from (1) and the chain
rule (loops allowed); then BP4 averaged over the batch, example by example, and
the gradient of a weight matrix that holds the biases as its last column (BP3 as BP4 with an
input of 1). Each asks for no loop over the examples, and the check names a loop it finds."""

from __future__ import annotations

import re

import numpy as np

from .checker import ACCUMULATE, Bug, Exercise, no_loop_check, register


def _rng(seed):
    return np.random.default_rng(seed)


# ----------------------------------------------------------------------------
# parameter_partials: BP3 and BP4 for one example, derived by the reader
# ----------------------------------------------------------------------------


def _partials_cases():
    """One example, a sigmoid layer l: case 0 has n_l = n_{l-1} = 3, so a transposed result,
    a^l in place of a^{l-1} and a^{l-1} as the bias partials all compute and are told apart;
    case 1 has n_l = 2, n_{l-1} = 4."""
    r = _rng(600)
    out = []
    for n_l, n_prev in ((3, 3), (2, 4)):
        z = r.normal(0, 1.5, n_l)
        out.append((r.normal(0, 1, n_l), r.uniform(0.1, 0.9, n_prev), z, 1 / (1 + np.exp(-z))))
    return out


def a_not_a_prev(also=""):
    """7.1's message for `a`, layer l's own activations, where a^{l-1} belongs: ``also`` names
    a second slip made with it. Every test case names it, not only the one of equal widths."""
    return (
        "Your weight partials use `a`, layer l's own activations a^l, in place of `a_prev`, "
        "the activations a^{l−1} going into layer l (on the test whose two layers have equal "
        "widths, a^l even has the right length)." + also + " In (1), w^l_jk multiplies the "
        "activation that it carries into neuron j: which layer's activation is that?"
    )


STRAY_SIGMA_PRIME = (
    "A σ′(z^l) went in. δ^l_j = ∂C_i/∂z^l_j is already the derivative with respect to the "
    "weighted input: BP1 or BP2 put layer l's slope σ′(z^l_j) inside it. Between z^l_j and "
    "w^l_jk or b^l_j, equation (1) has no activation. What is left to multiply by?"
)


register(
    Exercise(
        notebook="07",
        title="one example's weight and bias partials, from the chain rule",
        imports="import numpy as np",
        signature="parameter_partials(delta, a_prev, z, a)",
        statement=r"""Derive the partials of one example's cost yourself. Write
`parameter_partials(delta, a_prev, z, a)`: the partial derivatives of example $i$'s cost $C_i$
with respect to every weight $w^l_{jk}$ and every bias $b^l_j$ of layer $l$, from (1) and the
chain rule, given the error $\delta^l_j = \partial C_i/\partial z^l_j$ of every neuron $j$.
Loops are fine. Layer $l$ is a sigmoid layer. The arguments are 1-D arrays of one example:
`delta` is $\delta^l$ ($n_l$ numbers), `a_prev` is $a^{l-1}$ ($n_{l-1}$ numbers, the
activations going into layer $l$), `z` and `a` are layer $l$'s own $z^l$ and
$a^l = \sigma(z^l)$ from the forward pass ($n_l$ numbers each). Return two arrays,
`grad_w, grad_b`: `grad_w` shaped like $W^l$, `(n_l, n_{l-1})`, whose entry `[j, k]` is
$\partial C_i/\partial w^l_{jk}$, and `grad_b` of shape `(n_l,)`, whose entry `[j]` is
$\partial C_i/\partial b^l_j$.""",
        explanation=r"In (1) the weight $w^l_{jk}$ appears in one term only, "
        r"$w^l_{jk}\, a^{l-1}_k$, of one weighted input, $z^l_j$: so "
        r"$\partial z^l_j/\partial w^l_{jk} = a^{l-1}_k$ and $\partial z^l_j/\partial b^l_j = 1$. "
        r"The chain rule's other factor is $\partial C_i/\partial z^l_j = \delta^l_j$, given. "
        r"It already holds $\sigma'(z^l_j)$, so `z` and `a` are not needed. The error out of "
        r"the weight times the activation into it; for the bias, the error alone.",
        cases=_partials_cases,
        bugs=[
            Bug(
                "swapped",
                "Your weight partials are transposed, shape (n_{l−1}, n_l). grad_w is shaped "
                "like W^l, (n_l, n_{l−1}): row j is neuron j of layer l, the neuron the weight "
                "leads into, and column k is neuron k of layer l−1, the one it comes from. "
                "Which argument counts the rows, and which the columns? (Yours only computed "
                "because this test's two layers have equal widths.)",
            ),
            Bug("a_not_a_prev", a_not_a_prev()),
            Bug(
                "a_not_a_prev+swapped",
                a_not_a_prev(
                    " Your matrix is also transposed: grad_w has a row for each neuron j of "
                    "layer l and a column for each neuron k of layer l−1."
                ),
            ),
            Bug(
                "a_not_a_prev+bias_one",
                a_not_a_prev(
                    " Your bias partials are also all 1, ∂z^l_j/∂b^l_j alone, without the "
                    "chain rule's first factor."
                ),
            ),
            Bug(
                "a_not_a_prev+bias_a",
                a_not_a_prev(
                    " Your bias partials are a^l too, but in (1) the bias is multiplied by no "
                    "activation."
                ),
            ),
            Bug(
                "a_not_a_prev+stray_sigma_prime",
                a_not_a_prev(" A σ′(z^l) went in too, but δ^l already holds it."),
            ),
            Bug("stray_sigma_prime", STRAY_SIGMA_PRIME),
            Bug("stray_sigma_prime_w", STRAY_SIGMA_PRIME),
            Bug(
                "no_activation",
                "Every column of your weight partials is δ^l: you took ∂z^l_j/∂w^l_jk as 1, "
                "as for a bias. Read it off (1): in the sum over k, what multiplies w^l_jk?",
            ),
            Bug(
                "local_factor_only",
                "You returned ∂z^l_j/∂w^l_jk and ∂z^l_j/∂b^l_j, the chain rule's second factor "
                "alone: how z^l_j moves, not how C_i moves. Which argument is the first "
                "factor, ∂C_i/∂z^l_j?",
            ),
            Bug(
                "bias_a_prev",
                "Your weight partials are right, but your bias partials are a^{l−1}, the "
                "activations going in. In (1) the bias is added on its own, multiplied by "
                "no activation: what is ∂z^l_j/∂b^l_j, and so ∂C_i/∂b^l_j? (Yours only fitted "
                "because this test's two layers have equal widths.)",
            ),
            Bug(
                "bias_one",
                "Your weight partials are right, but your bias partials are all 1: that is "
                "∂z^l_j/∂b^l_j, the chain rule's second factor alone. ∂C_i/∂b^l_j needs the "
                "first factor too, ∂C_i/∂z^l_j.",
            ),
        ],
        hints=[
            "By (1), w^l_jk and b^l_j reach C_i through one weighted input only, z^l_j. So the "
            "chain rule has one term: ∂C_i/∂w^l_jk = ∂C_i/∂z^l_j · ∂z^l_j/∂w^l_jk. Which "
            "argument already holds the first factor?",
            "Read the second factor off (1): in the sum over k, one term holds w^l_jk. What "
            "multiplies it? And what is ∂z^l_j/∂b^l_j?",
            "δ^l already includes layer l's slope σ′: nothing of σ is left to add. grad_w is "
            "shaped like W^l: rows are the neurons j of layer l, columns the neurons k of "
            "layer l−1.",
        ],
        correct="∂C_i/∂w^l_jk = a^{l−1}_k δ^l_j and ∂C_i/∂b^l_j = δ^l_j: the error out of the "
        "weight times the activation into it, and for a bias the error alone.",
    )
)


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
product and one division do it (an `np.einsum`, the numpy aside above, is another way). The
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
        custom_check=no_loop_check(
            "The sum over the examples in (5) is the kind of sum one matrix product does for "
            "every (j, k) at once: arrange the two arrays so that the examples' index i is the "
            "one it sums over."
        ),
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


ALL_PAIRS = (
    "Your result pairs every example with every other example: it has one axis for the "
    "examples of `delta` and another for those of `a_prev`, n² matrices in all (in np.einsum, "
    'the two arrays\' example axes got different letters, as in "ij,kl"). BP4 (3) pairs row i '
    "of Δ^l only with row i of A^{l−1}, the same example, so the result has one axis of "
    "examples, shape (n, n_l, n_{l−1}). Which axis must the two arrays share?"
)

OTHER_EXAMPLES_SUMMED = (
    "Your result pairs each example with every other example and adds them up: entry "
    "[i, j, k] is one array's entry of example i times the other array's entries summed over "
    "all n examples (in np.einsum, the two arrays' example axes got different letters, as in "
    '"ij,kl->ijl", and the letter left out after `->` was summed over). BP4 (3) pairs row i '
    "of Δ^l only with row i of A^{l−1}, with no sum. Which index must the two factors share?"
)


register(
    Exercise(
        notebook="07",
        title="every example's own weight gradient",
        imports="import numpy as np",
        signature="weight_gradient_per_example(delta, a_prev)",
        statement=r"""Exercise 7.2 averaged the examples' gradients. Sometimes they are wanted apart:
to see which examples pull a weight up and which pull it down (section 5's explorer draws them),
or to find the example that disagrees most with the rest. Write
`weight_gradient_per_example(delta, a_prev)`, returning every example's own
$\partial C_i/\partial w^l_{jk}$ at once, **without a loop**: an array of shape
`(n, n_l, n_{l-1})` whose entry `[i, j, k]` is $\partial C_i/\partial w^l_{jk}$, so that its
`[i]` is example $i$'s gradient matrix, shaped like $W^l$. `delta` and `a_prev` are
$\Delta^l$ and $A^{l-1}$ as in exercise 7.2, one example per row. Section 3 shows it after
the exercises.""",
        explanation=r"By BP4 (3), $\partial C_i/\partial w^l_{jk} = A^{l-1}_{ik}\,\Delta^l_{ij}$: "
        r"a product with no sum, so no matrix product. `delta[:, :, None]` has shape "
        r"`(n, n_l, 1)` and `a_prev[:, None, :]` shape `(n, 1, n_{l-1})`; broadcasting pairs "
        r"example $i$ with example $i$ and spreads $j$ and $k$ over the two other axes. "
        r"Its mean over the first axis is exercise 7.2's gradient.",
        cases=_per_example_cases,
        raised=_per_example_raised,
        custom_check=no_loop_check(
            "Broadcasting pairs every example with itself in one multiplication: give each "
            "array the axis it lacks, of length 1, with `None` in its index (notebook 01's "
            "broadcasting rule stretches an axis of length 1 to match the other array)."
        ),
        bugs=[
            Bug(
                "averaged",
                "You returned one matrix for the whole batch, shaped like W: the gradient of the "
                "mean cost, exercise 7.2's answer. Here every example keeps its own matrix, so "
                "the result has one more axis, the first, with one entry per example.",
            ),
            Bug(
                "divided_by_n",
                "Every matrix is 1/n of the example's own gradient: the 1/n belongs to the "
                "mean cost C of exercise 7.2. Example i's own cost C_i has no 1/n.",
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
            Bug("all_pairs", ALL_PAIRS),
            Bug("all_pairs_ijkl", ALL_PAIRS),
            Bug("other_examples_summed", OTHER_EXAMPLES_SUMMED),
            Bug("own_examples_summed", OTHER_EXAMPLES_SUMMED),
            Bug(
                "all_pairs_summed",
                "Your matrix is the sum over all n² pairs of examples: the errors of every "
                "example times the activations of every example, (Σ_i Δ^l_ij)(Σ_i' A^{l−1}_i'k) "
                "(in np.einsum, the two arrays' example axes got different letters, and both "
                "were summed away). BP4 (3) pairs row i of Δ^l only with row i of A^{l−1}, and "
                "keeps one matrix per example. Which index must the two factors share, and "
                "which axis must the result keep?",
            ),
            Bug("accumulate", ACCUMULATE),
        ],
        hints=[
            "By BP4 (3), entry [i, j, k] is a product of one entry of `delta` and one entry of "
            "`a_prev`, both of example i: which entries?",
            "No index is summed over, so no matrix product can do it. numpy's broadcasting "
            "(notebook 01) multiplies arrays entry by entry along axes that line up, and "
            "stretches an axis of length 1 to match the other array's: give each array the "
            "axis it lacks, of length 1, with `None` in its index, as `b[l][:, None]` did in "
            "notebook 01.",
            "`delta[:, :, None]` has shape (n, n_l, 1). Which shape must `a_prev` take for the "
            "product to come out (n, n_l, n_{l−1}), with example i against example i?",
        ],
        correct="Entry [i, j, k] = Δ^l_{ij} A^{l−1}_{ik}: one BP4 matrix per example, "
        "and their mean is 7.2's gradient.",
    )
)


# ----------------------------------------------------------------------------
# augmented_gradient: the biases as the last column of the weight matrix
# ----------------------------------------------------------------------------


def _augmented_cases():
    r = _rng(603)
    return [
        # n = n_l = 3, n_{l-1} = 4: a mean of delta over the wrong axis still fits as a column
        (r.normal(0, 1, (3, 3)), r.uniform(0, 1, (3, 4))),
        # n, n_l, n_{l-1} all different
        (r.normal(0, 1, (6, 2)), r.uniform(0, 1, (6, 3))),
    ]


BIAS_AS_VECTOR = (
    "You joined two pieces with different numbers of axes: the weights' gradient is a matrix, "
    "(n_l, n_{l−1}), and the bias gradient a vector of shape (n_l,), which is no column. To stand beside the matrix as its last column it needs the shape (n_l, 1) "
    "(index it with `[:, None]`), or let np.column_stack do that."
)


def _augmented_raised(e, args):
    """Two pieces joined with different numbers of axes (a vector beside a matrix), or a
    matrix product whose shapes do not fit, said in the exercise's words; else None."""
    if not isinstance(e, ValueError):
        return None
    text = str(e)
    if "same number of dimensions" in text:
        return BIAS_AS_VECTOR
    if "concatenation axis must match" in text:
        delta, a_prev = args[:2]
        return (
            "Two arrays were joined whose other axes differ: "
            f"`delta` is Δ^l, {_shape(delta)} = (n, n_l), and `a_prev` is A^{{l−1}}, "
            f"{_shape(a_prev)} = (n, n_{{l−1}}). The column of ones goes beside a_prev, one "
            "1 per example, shape (n, 1); a bias column beside the weights' gradient has one "
            "entry per neuron of layer l, shape (n_l, 1). Write the shape of each piece."
        )
    return _bp4_raised(e, args)


register(
    Exercise(
        notebook="07",
        title="weights and biases in one matrix",
        imports="import numpy as np",
        signature="augmented_gradient(delta, a_prev)",
        statement=r"""Many libraries keep a layer's biases inside its weight matrix, as one more
column: $\tilde W^l = [\,W^l \;\; b^l\,]$, shape $(n_l, n_{l-1} + 1)$, whose last column is
$b^l$. The weighted inputs stay the same if every example's input gets one more entry, the
number 1 for every example: $\tilde A^{l-1} = [\,A^{l-1} \;\; \mathbf 1\,]$, shape
$(n, n_{l-1} + 1)$, and then $\tilde A^{l-1} (\tilde W^l)^T = A^{l-1} (W^l)^T + \mathbf 1\,(b^l)^T
= Z^l$. Write `augmented_gradient(delta, a_prev)`: the gradient of the batch's mean cost $C$
with respect to every entry of $\tilde W^l$, a matrix shaped like $\tilde W^l$, **without a
loop over the examples**. `delta` and `a_prev` are $\Delta^l$ and $A^{l-1}$ as in exercise 7.2,
without the ones. Section 3 compares your last column with BP3 after the exercises.""",
        explanation=r"In $\tilde W^l$ the bias $b^l_j$ is the weight of an input that is 1 for "
        r"every example, so BP4 (3) gives example $i$'s $\partial C_i/\partial b^l_j = "
        r"1 \cdot \Delta^l_{ij}$, which is BP3 (2). Exercise 7.2's product with the ones "
        r"appended to `a_prev` gives the weights' gradient (6) in the first $n_{l-1}$ columns and "
        r"$\frac1n \sum_i \Delta^l_{ij}$ in the last: the mean of $\Delta^l$'s rows, the bias "
        r"gradient of the batch. Section 3 calls it (7).",
        cases=_augmented_cases,
        raised=_augmented_raised,
        custom_check=no_loop_check(
            "The mean over the examples needs no loop, in the last column either: a matrix "
            "product sums over the examples as in exercise 7.2, and numpy's mean and sum take "
            "an axis."
        ),
        bugs=[
            Bug(
                "ones_first",
                "Your bias column is the first one: the ones went in front of a_prev. "
                "W̃^l = [W^l  b^l] has the biases as its last column, so the input that goes "
                "with them is the last entry of each example's input.",
            ),
            Bug(
                "ones_on_delta",
                "You gave the extra column of ones to delta: your result has one row too many, "
                "shape (n_l + 1, n_{l−1}). The 1 is an input, the activation that goes into the "
                "bias, so it belongs beside a_prev, A^{l−1}; delta keeps one column per "
                "neuron of layer l.",
            ),
            Bug(
                "no_mean",
                "The 1/n is missing: you summed the examples' gradients instead of averaging "
                "them. C is the mean of the example costs, so its gradient is the mean of "
                "theirs, as in (5), for the biases too.",
            ),
            Bug(
                "bias_no_mean",
                "The weights' columns are right, but the bias column is n times too large: it "
                "sums the examples' bias gradients instead of averaging them. The mean cost "
                "needs the same 1/n in every column.",
            ),
            Bug(
                "weights_no_mean",
                "The bias column is right, but the weights' columns are n times too large: "
                "their sum over the examples is missing its 1/n. The mean cost needs the same "
                "1/n in every column.",
            ),
            Bug(
                "bias_zero",
                "Your bias column is all zeros. The input that goes with a bias never changes, "
                "but the bias does, and by BP4 its gradient is that input times the error, "
                "which is not zero. (Was the extra input 0 rather than 1?)",
            ),
            Bug(
                "bias_ones",
                "The weights' columns are right, but your bias column is all 1s: the ones are "
                "the input that goes with each bias, in [A^{l−1}  1], not its gradient. By BP4 a "
                "weight's gradient is its input times the error: for b^l_j, 1 times neuron j's "
                "error δ^l_j, example by example, then the mean over the examples as in (5).",
            ),
            Bug(
                "bias_wrong_axis",
                "Your bias column averages each example's row of delta, over the neurons of "
                "layer l: one number per example. The bias b^l_j belongs to neuron j, and its "
                "gradient averages neuron j's error over the examples. (It fitted as a column "
                "only because this test's batch has as many examples as layer l has neurons.)",
            ),
            Bug(
                "bias_first_row",
                "Your bias column is the first example's error alone, row 0 of Δ^l. The cost is "
                "the mean over all n examples, so every row counts.",
            ),
            Bug(
                "transposed",
                "Your result is the transpose of the answer, shape (n_{l−1} + 1, n_l): W̃^l is "
                "stored like W^l, (n_out, n_in) = (n_l, n_{l−1} + 1), one row per neuron j of "
                "layer l, with the biases as its last column.",
            ),
            Bug("accumulate", ACCUMULATE),
        ],
        hints=[
            "Split W̃^l into its parts: the first n_{l−1} columns are W^l, whose gradient "
            "exercise 7.2 computed. The last column is b^l: in W̃^l each b^l_j is a weight like "
            "the others. Which input goes with it?",
            "The input that goes with b^l_j is 1 for every example. What does BP4 (3) give "
            "for such a weight, example by example? Compare it with BP3 (2), then average over "
            "the examples as in (5).",
            "Either append the column of ones to a_prev and use exercise 7.2's product, or put "
            "the bias gradient beside 7.2's result as a last column of shape (n_l, 1).",
        ],
        correct="∇_{W̃} C = (Δ^l)^T [A^{l−1}  1] / n: its last column, the bias gradient, is "
        "the mean of Δ^l's rows (BP3 is BP4 with an input of 1).",
    )
)
