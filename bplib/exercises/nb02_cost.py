"""Notebook 02, the cost: the cost of a batch and its gradient."""

from __future__ import annotations

import numpy as np

from . import watch
from .checker import Bug, Exercise, register


def _rng(seed):
    return np.random.default_rng(seed)


def _own_cost_check(checker):
    """The usual comparison, with a call into bplib's costs (``quadratic.fn``, ``grad_a``,
    ``delta``, a Network's ``cost``, under any name) refused: the exercise is the formula."""
    forbid = watch.library_codes() | watch.codes(*watch.cost_methods("fn", "grad_a", "delta"))
    return watch.watched_comparison(
        checker,
        forbid,
        "(Equation (3) is all you need; bplib's `quadratic.fn` and `quadratic.grad_a` are what "
        "the checks compare yours with.)",
    )


# ----------------------------------------------------------------------------
# batch_cost
# ----------------------------------------------------------------------------


def _cost_cases():
    r = _rng(101)
    A, Y = r.uniform(0, 1, (5, 3)), np.eye(3)[[0, 2, 1, 1, 0]]
    A2, Y2 = r.uniform(0, 1, (7, 2)), r.uniform(0, 1, (7, 2))
    A3, y3 = r.uniform(0, 1, (6, 1)), r.uniform(0, 1, 6)  # one output neuron: flat targets (n,)
    return [(A, Y), (A2, Y2), (A3, y3)]


register(
    Exercise(
        notebook="02",
        title="the cost of a batch",
        imports="import numpy as np",
        signature="batch_cost(A, Y)",
        statement=r"""Write `batch_cost(A, Y)`: the cost of a batch of $n$ examples, the mean of
their costs $C_i$, as in (3). `A` and `Y` hold one
example per row, shape `(n, n_L)`: row $i$ is $a^L(x_i)$ or $y(x_i)$. One exception: for a network
with a single output neuron the targets often come as a flat vector, `Y` of shape `(n,)` (one number
per example) while `A` is `(n, 1)`, and your function must give the right cost for those too (what
shape does `A - Y` have then?). Return one number, and try it without a loop over the rows (which
numpy axis holds the output neurons $j$, which the examples $i$?). Use numpy, not `bplib.quadratic`
or a network's `cost`: the check compares yours with them, and refuses a function that calls them.""",
        explanation="Give `Y` the shape of `A` (a flat `(n,)` becomes the column `(n, 1)`; "
        "without it numpy broadcasts `(n, 1) - (n,)` to `(n, n)`), square element-wise, sum over "
        "the output neurons of each row (`axis=1`), halve, then average over the rows.",
        cases=_cost_cases,
        custom_check=_own_cost_check,
        bugs=[
            Bug(
                "factor_2",
                "Your cost is twice the right one: the ½ of (2) is missing (that is the note's "
                "cost (1)).",
            ),
            Bug(
                "no_mean",
                "You summed the per-example costs instead of averaging them: the 1/n is "
                "missing. The cost of a batch is the mean of C_i over the rows, so it does not grow "
                "with the batch size.",
            ),
            Bug(
                "mean_all",
                "You averaged over the output neurons too: `np.mean` of the whole array "
                "divides by n·n_L. In (3) each C_i sums the neurons of its example, and only the "
                "examples are averaged. Which axis holds the neurons of one example?",
            ),
            Bug(
                "sum_over_examples",
                "You summed over the examples: `axis=0` runs down the columns, so your sums "
                "add up one output neuron across all the examples, and the mean then went over "
                "the output neurons. Rows are examples: sum each row over its output neurons j, "
                "then average over the examples i.",
            ),
            Bug(
                "not_squared",
                "The distance is not squared: C_i = ½‖a − y‖² is half the squared "
                "length, not half the length.",
            ),
            Bug(
                "per_row",
                "You returned one cost per example, C_i for each row; the cost of the "
                "batch is their mean, one number.",
            ),
            Bug(
                "broadcast",
                "Right when Y has the shape of A, wrong for the flat targets of a one-output "
                "batch: with A of shape (n, 1) and Y of shape (n,), numpy broadcasts A − Y to an "
                "(n, n) matrix, every output minus every target, and raises no error. Your "
                "function then sums n squared errors per example instead of one. Give Y the "
                "shape of A before you subtract.",
            ),
        ],
        hints=[
            "Start from the errors a − y of every neuron of every example: one array shaped like A. "
            "numpy's arithmetic works entry by entry.",
            "C_i collects the terms of one example, so it reduces over the output neurons j. Which "
            "axis of A runs over j, and which over the examples i? After that step you should "
            "have n numbers, one per example.",
            "Compare your formula with (2) term by term: every factor of C_i must be there. Then "
            "read the statement again for how the n costs C_i become one number.",
            "For the flat targets, try `np.zeros((3, 1)) - np.zeros(3)` and look at its shape. "
            "`reshape` can give Y the shape of A.",
        ],
        correct="The batch cost is the mean of ½‖a − y‖² over the rows, with flat targets "
        "shaped like A first.",
    )
)


# ----------------------------------------------------------------------------
# cost_gradient
# ----------------------------------------------------------------------------


def _cost_gradient_cases():
    r = _rng(102)
    return [
        (r.uniform(0, 1, (5, 3)), np.eye(3)[[1, 0, 2, 2, 1]]),
        (r.uniform(0, 1, (4, 2)), r.uniform(0, 1, (4, 2))),
        (r.uniform(0, 1, (7, 4)), np.eye(4)[[3, 0, 1, 2, 2, 0, 1]]),
    ]


register(
    Exercise(
        notebook="02",
        title="the gradient of the cost of a batch",
        imports="import numpy as np",
        signature="cost_gradient(A, Y)",
        statement=r"""Write `cost_gradient(A, Y)`: the gradient $\nabla_A C$ of the cost of the
batch, $C$ of (3), with respect to every output of the batch. Entry $(i, j)$ is
$\partial C / \partial A_{ij}$, where $A_{ij} = a^L_j(x_i)$ is output neuron $j$ of example $i$;
`A` and `Y` have shape `(n, n_L)`, and you return an array of that shape. Differentiate (3) by hand
first: which of the $C_i$ contain $A_{ij}$, which term of that $C_i$, and what happens to the
factors in front of the sums? Notebook 07 needs this gradient. Use numpy, not
`bplib.quadratic.grad_a`: the check refuses a function that calls a `bplib` cost.""",
        explanation=r"Only $C_i$ contains $A_{ij}$, and only its term $j$: "
        r"$\partial C / \partial A_{ij} = \frac1n \cdot \tfrac12 \cdot 2 (A_{ij} - Y_{ij})"
        r" = (A_{ij} - Y_{ij})/n$. The ½ cancels the 2 of the exponent; the $\frac1n$ of the "
        "mean stays, and `n` is the number of rows, `A.shape[0]`.",
        cases=_cost_gradient_cases,
        custom_check=_own_cost_check,
        bugs=[
            Bug(
                "no_mean",
                "Every entry is n times too large: that is each example's own gradient, "
                "∇_a C_i, stacked. C is the mean of the C_i, so the 1/n in front of the sum in (3) "
                "multiplies the derivative too.",
            ),
            Bug(
                "factor_2",
                "Your gradient is twice the right one: that is the gradient of the note's "
                "cost (1), without the ½. With bplib's C_i = ½‖a − y‖² the 2 from the exponent "
                "cancels the ½.",
            ),
            Bug(
                "factor_2_no_mean",
                "That is 2(a − y) for every example: the note's slope (no ½), and no 1/n "
                "from the mean over the batch. Differentiate (3), with both of its factors.",
            ),
            Bug(
                "mean_all",
                "You divided by the number of entries, n·n_L, instead of the number of "
                "examples n: the mean in (3) is over the examples only; the output neurons of one "
                "example are summed in C_i.",
            ),
            Bug(
                "divided_by_n_L",
                "You divided by n_L, not n: `A.shape[1]` is the number of output neurons. The 1/n "
                "of (3) is the mean over the examples, the rows: n is `A.shape[0]`.",
            ),
            Bug(
                "stray_half",
                "Your gradient is half the right one: the ½ of the cost cancels "
                "against the 2 that comes down from the exponent; don't keep both.",
            ),
            Bug(
                "sign",
                "The sign is flipped: C grows when an output moves away from its target, so "
                "∂C/∂A_ij has the sign of A_ij − Y_ij.",
            ),
            Bug(
                "squared",
                "That is each neuron's share of the cost, not its derivative: differentiate "
                "½(A_ij − Y_ij)² with respect to A_ij.",
            ),
        ],
        hints=[
            "Take one entry A_ij. Which of the costs C_1, …, C_n in (3) contain it? The others "
            "are constants in A_ij, and their derivative is 0.",
            "In that C_i, only the term of neuron j contains A_ij: differentiate it with the power "
            "rule, and see what happens to the ½.",
            "The factor in front of the sum over the examples in (3) multiplies the derivative "
            "too. How many examples are there, in terms of A's shape?",
        ],
        correct="∇_A C = (A − Y)/n: only C_i contains A_ij, the ½ cancels the 2 of the exponent, "
        "and the mean's 1/n stays.",
    )
)
