r"""Notebook 06, backpropagating the error: BP2 for one neuron from the chain rule, then one step of the recursion for :math:`\delta^l`."""

from __future__ import annotations

import linecache
import os
import re

import numpy as np

from bplib import sigmoid, tanh

from .checker import Bug, Exercise, no_loop_check, register


def _bp2_cases():
    """A sigmoid layer whose neighbours have equal widths (case 0: every bug computes, so each
    is told apart), then a tanh layer between layers of other widths (case 1): a step that only
    works for the sigmoid, or only for square weight matrices, passes the first and fails the
    second (a stray transpose is a shape error there, reported as feedback)."""
    r = np.random.default_rng(501)
    out = []
    for (n, n_l, n_next), sigma in (((5, 3, 3), sigmoid), ((4, 3, 2), tanh)):
        out.append(
            (
                r.normal(0, 1, (n, n_next)),
                r.normal(0, 1, (n_next, n_l)),
                r.normal(0, 1, (n, n_l)),
                sigma,
            )
        )
    return out


NO_TRANSPOSE = (
    "The weight matrix is the wrong way round: your product uses W^{l+1} transposed where the "
    "batch form needs it as it is stored, or the other way about. The column form's transpose "
    "does not carry over unchanged to rows. Write the shape next to each factor (Δ^{l+1} is "
    "(n, n_{l+1}), W^{l+1} is stored (n_{l+1}, n_l)) and ask which product gives (n, n_l). "
    "Yours only ran because the first test's layers have equal widths; with different widths "
    "the shapes do not fit."
)

COLUMN_FORM = (
    "A matrix product's shapes do not fit. Write the shape next to each factor: each row of "
    "delta_next is one example, (δ^{l+1})ᵀ, shape (n, n_{l+1}), and W_next is stored "
    "(n_{l+1}, n_l). (5)'s (W^{l+1})ᵀ δ^{l+1} is written for one example stored as a column: "
    "transpose both sides of (5) for one example (what is the transpose of a product AB?) and "
    "see which product gives (n, n_l)."
)
COLUMNS_NOT_BACK = (
    "Two arrays whose shapes are each other's transpose met in `*`: your product holds one "
    "column per example, the column form (5), while σ′(Z^l) has one row per example. Work in "
    "rows throughout, without transposing the inputs: transpose both sides of (5) for one "
    "example (what is the transpose of a product AB?) and see what becomes of the factors."
)
ONLY_SIGMOID = (
    "Right for the sigmoid layer, wrong for the tanh one: your step uses the sigmoid's slope "
    "whatever `sigma` is. The error passes back through layer l's own activation, the one "
    "passed in, so the factor is that activation's slope."
)
AT_FOR_HADAMARD = (
    "The ⊙ in (5) is element-wise: multiply by σ′(z^l) with `*`, not `@`. The product "
    "before it already has the answer's shape (n, n_l), and so has σ′(Z^l): each entry of the "
    "error is multiplied by the slope of its own neuron for its own example, which is no "
    "matrix product."
)
MATMUL_PRIME_TRANSPOSED = (
    "Your result has one row and one column per example, shape (n, n): the slopes were "
    "multiplied in with a matrix product, after a transpose to make the shapes fit. The ⊙ in (5) "
    "is element-wise, `*`: the product before it already has the answer's shape (n, n_l), and "
    "so has σ′(Z^l), so nothing needs transposing; each entry of the error is multiplied by the "
    "slope of its own neuron for its own example. A transpose that only makes shapes fit "
    "is a sign that the operation is the wrong one."
)
PRIME_OF_ERROR = (
    "σ′ was taken at the error flowing back through the weights instead of at z^l. σ′(z^l) is "
    "the slope of layer l's activation at the weighted input it was applied to on the way "
    "forward; the error flowing back is multiplied by that slope, never passed through σ′."
)


def _student_line(e):
    """The source line of the last frame outside numpy where ``e`` was raised, or ''."""
    tb, line = e.__traceback__, ""
    while tb is not None:
        name = tb.tb_frame.f_code.co_filename
        if f"{os.sep}numpy{os.sep}" not in name:
            line = linecache.getline(name, tb.tb_lineno) or line
        tb = tb.tb_next
    return line


def _at_for_hadamard(e, args):
    """Whether a matmul error comes from `@` with σ′(z) where ⊙ belongs: delta_next @ W_next
    alone has the answer's shape, and the failing line multiplies a `.prime(...)` with `@`."""
    d, W, z = (np.asarray(a) for a in args[:3])
    if (
        d.ndim != 2
        or W.ndim != 2
        or d.shape[1] != W.shape[0]
        or (d.shape[0], W.shape[1]) != z.shape
    ):
        return False
    line = _student_line(e)
    return bool(re.search(r"@\s*\(?\s*[\w.]*\.prime\s*\(|\.prime\s*\([^()]*\)\s*\)?\s*@", line))


def _raised(e, args):
    """The message for a product whose shapes do not fit because it is the column form, else
    None (the checker's usual message, which quotes the exception)."""
    text = str(e)
    if not isinstance(e, ValueError):
        return None
    if "matmul" in text and _at_for_hadamard(e, args):
        return AT_FOR_HADAMARD
    if "matmul" in text or "not aligned" in text:
        return COLUMN_FORM
    shapes = re.search(r"broadcast together with shapes \((\d+),(\d+)\) \((\d+),(\d+)\)", text)
    if shapes and shapes.group(1, 2) == shapes.group(4, 3) and shapes.group(1) != shapes.group(2):
        return COLUMNS_NOT_BACK
    return None


def _neuron_cases():
    """One example, sigmoid layers: a layer between two of equal width, neuron k = 1 (case 0:
    summing row k instead of column k computes, so it is told apart), then a layer of 4
    between layers of other widths, k = 3 (case 1: row k does not exist there)."""
    r = np.random.default_rng(503)
    out = []
    for n_l, n_next, k in ((3, 3, 1), (4, 2, 3)):
        out.append(
            (
                k,
                r.normal(0, 1, n_next),
                r.normal(0, 1, (n_next, n_l)),
                r.normal(0, 1, n_l),
                r.normal(0, 1, n_next),
            )
        )
    return out


def _neuron_raised(e, args):
    """An index past the end of an array: which axis counts which neurons."""
    if not isinstance(e, IndexError):
        return None
    return (
        "An index ran past the end of an array. W_next has n_{l+1} rows, one per neuron j of "
        "layer l+1, and n_l columns, one per neuron k of layer l; delta_next and z_next have "
        "n_{l+1} entries, z has n_l. Write next to each index of your code which neurons it "
        "counts, and check it against the weights in (1)."
    )


register(
    Exercise(
        notebook="06",
        title="one neuron's error, from the chain rule",
        signature="delta_of_neuron(k, delta_next, W_next, z, z_next)",
        statement=r"""Derive BP2 yourself, for one neuron. Write
`delta_of_neuron(k, delta_next, W_next, z, z_next)`: the error $\delta^l_k = \partial C_i/\partial z^l_k$
of neuron $k$ of layer $l$, for one example, from (1) and the chain rule summed over the paths,
with a loop or a sum (no matrix product). Every layer is a sigmoid layer (`sigmoid.fn`, `sigmoid.prime`, imported from bplib).
`k` is the neuron's numpy index; `delta_next` is $\delta^{l+1}$, a 1-D array of $n_{l+1}$
numbers; `W_next` is $W^{l+1}$, stored `(n_{l+1}, n_l)`; `z` and `z_next` are the weighted
inputs $z^l$ and $z^{l+1}$ that the forward pass stored, 1-D arrays. Return one number.""",
        explanation=r"Neuron $k$ of layer $l$ feeds every neuron $j$ of layer $l+1$ through "
        r"$w^{l+1}_{jk}$, column $k$ of `W_next`; the sum collects their errors, and $\sigma'$ is "
        r"taken at $z^l_k$, the neuron's own weighted input: every path starts with the step "
        r"$a^l_k = \sigma(z^l_k)$. $\delta^{l+1}$ "
        r"already holds layer $l+1$'s slope, so `z_next` is not needed.",
        cases=_neuron_cases,
        raised=_neuron_raised,
        bugs=[
            Bug(
                "row_not_column",
                "You summed along row k of W_next, the weights into neuron k of layer l+1. The "
                "paths from z^l_k run through the weights from neuron k of layer l to every "
                "neuron j of layer l+1, w^{l+1}_{jk} in (1) with k fixed: the sum runs over j, "
                "their first index. Which of W_next's axes counts j? (Yours only computed "
                "because this test's layers have equal widths.)",
            ),
            Bug(
                "row_and_next_prime",
                "Two slips. First, you summed along row k of W_next, the weights into neuron k "
                "of layer l+1; the paths from z^l_k run through the weights from neuron k of "
                "layer l to every neuron j of layer l+1, w^{l+1}_{jk} in (1) with k fixed. Which "
                "of W_next's axes counts j? (Yours only computed because this test's layers have "
                "equal widths.) Second, σ′ was taken at layer l+1's weighted inputs, z_next, "
                "whose slope δ^{l+1} already contains; the slope your paths still need is that "
                "of neuron k of layer l.",
            ),
            Bug(
                "next_layer_prime",
                "σ′ was taken at layer l+1's weighted inputs, z_next, in place of σ′(z^l_k). "
                "δ^{l+1} already contains "
                "layer l+1's own slope (BP1, or the step before, put it there). The slope your "
                "paths still need is that of neuron k of layer l: each starts with "
                "a^l_k = σ(z^l_k).",
            ),
            Bug(
                "both_primes",
                "Layer l+1's slopes σ′(z^{l+1}_j) went in as well as σ′(z^l_k): counted twice. "
                "δ^{l+1}_j = ∂C_i/∂z^{l+1}_j already covers path j from z^{l+1}_j on, layer "
                "l+1's own slope included (BP1, or the step before, put it there). Write out one "
                "path, z^l_k → a^l_k → z^{l+1}_j, then δ^{l+1}_j: which slopes do its first two "
                "steps bring?",
            ),
            Bug(
                "next_prime_at_k",
                "σ′ was taken at z_next[k], a weighted input of layer l+1, in place of σ′(z^l_k). "
                "Every path from z^l_k starts with a^l_k = σ(z^l_k), so the slope it needs is "
                "neuron k's of layer l; layer l+1's slope is already inside δ^{l+1}.",
            ),
            Bug(
                "sigma_not_prime",
                "You used σ(z^l_k), `sigmoid.fn`, where its derivative σ′(z^l_k) belongs.",
            ),
            Bug(
                "no_sigma_prime",
                "σ′(z^l_k) is missing: every path from z^l_k passes first through the "
                "activation a^l_k = σ(z^l_k), whose slope multiplies the sum.",
            ),
            Bug(
                "prime_of_a",
                "The slope was taken at a^l_k = σ(z^l_k) instead of at z^l_k: the step is "
                "a^l_k = σ(z^l_k), so its slope is taken at the point σ was applied to.",
            ),
            Bug(
                "prime_of_whole_z",
                "You returned one number per neuron of layer l instead of one number: σ′ was "
                "taken at the whole z, every neuron's weighted input, so the sum was multiplied "
                "by the slopes of all of layer l's neurons. Neuron k's error takes only its own "
                "slope, σ′(z^l_k), at the one entry of z that belongs to neuron k.",
            ),
        ],
        hints=[
            "Follow one path: z^l_k → a^l_k → z^{l+1}_j → ... → C_i. By the chain rule its "
            "product is ∂a^l_k/∂z^l_k · ∂z^{l+1}_j/∂a^l_k · ∂C_i/∂z^{l+1}_j. Which argument "
            "already holds the last factor? Read the middle one off (1).",
            "The paths differ only in j, the neuron of layer l+1, so sum over j with k fixed. "
            "Which entries of W_next are the weights w^{l+1}_{jk} for this one k?",
            "σ′ belongs to the neuron whose error you compute: at which of the weighted inputs "
            "passed in is it taken?",
        ],
        correct="δ^l_k = σ′(z^l_k) Σ_j w^{l+1}_{jk} δ^{l+1}_j: column k of W^{l+1}, and the "
        "slope of neuron k's own layer.",
    )
)


register(
    Exercise(
        notebook="06",
        title=r"one step of the recursion for $\delta^l$",
        signature="backpropagate_error(delta_next, W_next, z, sigma)",
        imports="import numpy as np",
        statement=r"""BP2 (5) is written for one example stored as a column. Write
`backpropagate_error(delta_next, W_next, z, sigma)`: the same step for a whole batch stored the
note's (and bplib's) way, **one example per row**, in one line without a loop. `delta_next` is
$\Delta^{l+1}$, shape `(n, n_{l+1})`, whose row $i$ is $(\delta^{l+1})^T$ of example $i$;
`W_next` is $W^{l+1}$ (`net.W[l + 1]`), stored `(n_{l+1}, n_l)`; `z` is $Z^l$, shape
`(n, n_l)`, the weighted inputs of layer $l$; `sigma` is layer $l$'s activation, with
`sigma.fn` and `sigma.prime` as in exercise 5.1. Return $\Delta^l$, shape `(n, n_l)`. The check passes a sigmoid layer
between layers of equal widths, then a tanh layer between layers of different widths.""",
        explanation=r"Row $i$ of $\Delta^{l+1} W^{l+1}$ is the transpose of the textbook's "
        r"$(W^{l+1})^T \delta^{l+1}$ for example $i$; σ′ is the slope of layer $l$'s own "
        r"activation, taken at $Z^l$, the weighted input of the layer the error belongs to.",
        cases=_bp2_cases,
        raised=_raised,
        custom_check=no_loop_check(
            "One matrix product handles every example at once: write (5) for one example as "
            "a row (transpose both sides), and the same product, with the same stored W^{l+1}, "
            "works for all the rows of Δ^{l+1} together."
        ),
        bugs=[
            Bug(
                "no_sigma_prime",
                "σ′(z^l) is missing: after flowing back through the weights, the "
                "error passes through layer l's activation, which multiplies it by σ′(z^l).",
            ),
            Bug("no_transpose", NO_TRANSPOSE),
            Bug("matmul_prime_transposed", MATMUL_PRIME_TRANSPOSED),
            Bug(
                "sigma_not_prime",
                "You used σ(z^l), `sigma.fn`, where its derivative σ′(z^l) belongs.",
            ),
            Bug(
                "prime_of_a",
                "The slope was taken at a^l = σ(z^l) instead of at z^l: the step is "
                "a^l = σ(z^l), so its slope is taken at the point the activation was applied to.",
            ),
            Bug("prime_of_error", PRIME_OF_ERROR),
            Bug("times_prime_of_error", PRIME_OF_ERROR),
            Bug("sigmoid_prime_always", ONLY_SIGMOID),
            Bug(
                "a_one_minus_a",
                "Right for the sigmoid layer, wrong for the tanh one: a(1 − a) is the sigmoid's "
                "slope written with its output, and tanh's slope is another function. Use the "
                "slope of the activation passed in.",
            ),
            Bug(
                "z_one_minus_z",
                "You wrote the sigmoid's slope as z(1 − z), with the weighted input z. The "
                "formula σ′ = σ(1 − σ) is written with the activation's output, a = σ(z), not "
                "with z; and the tanh layer of the second test has another slope altogether. "
                "Use the slope of the activation passed in.",
            ),
            Bug(
                "divided_by_n",
                "Your errors are 1/n of the right ones: you divided by the number of examples. "
                "Each row of Δ^l is one example's own error, ∂C_i/∂z^l, from its own cost C_i; "
                "the 1/n of the mean cost enters only when the examples' gradients are averaged "
                "(notebook 07), not here.",
            ),
        ],
        hints=[
            "Write the shape next to each symbol: δ^{l+1} is (n, n_{l+1}), W^{l+1} is "
            "(n_{l+1}, n_l). Which product gives (n, n_l)?",
            "δ^l belongs to layer l, so its σ′ is the slope of layer l's activation, `sigma`, "
            "evaluated at layer l's weighted input.",
        ],
        correct="δ^l = (δ^{l+1} W^{l+1}) ⊙ σ′(z^l): σ′ of layer l; the transpose moved, since "
        "Δ^{l+1} W^{l+1} is the row form of (W^{l+1})^T δ^{l+1}.",
    )
)
