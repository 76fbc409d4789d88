"""Notebook 11, backprop is reverse-mode autodiff: every partial of a product, without division."""

from __future__ import annotations

import numpy as np

from .checker import Bug, Exercise, register


# ----------------------------------------------------------------------------
# product_gradient
# ----------------------------------------------------------------------------
def product_gradient(x):
    """All n partial derivatives of p = x_1 x_2 ... x_n: entry i is the product of every x_j
    except x_i. x is a 1-D array of n >= 2 numbers, some of which may be 0. Returns an
    array shaped like x. No division (x_i may be 0); O(n) multiplications.
    """
    ### BEGIN SOLUTION
    n = len(x)
    before = np.ones(n)  # forward pass: before[i] = x_1 ... x_{i-1}
    for i in range(1, n):
        before[i] = before[i - 1] * x[i - 1]
    after = np.ones(n)  # reverse sweep: after[i] = x_{i+1} ... x_n, the gradient of p at p_i
    for i in range(n - 2, -1, -1):
        after[i] = after[i + 1] * x[i + 1]
    return before * after
    ### END SOLUTION


def _before_only(x):
    x = np.asarray(x, float)
    return np.concatenate([[1.0], np.cumprod(x)[:-1]])


def _after_only(x):
    x = np.asarray(x, float)
    return np.concatenate([np.cumprod(x[::-1])[::-1][1:], [1.0]])


def _with_self(x):
    x = np.asarray(x, float)
    return np.full(len(x), np.prod(x))


def _sum_rule(x):
    return np.ones(len(x))


register(
    Exercise(
        notebook="11",
        title="every partial of a product, without division",
        imports="import numpy as np",
        solution=product_gradient,
        statement=r"""Write `product_gradient(x)`: the gradient of $p = x_1 x_2 \cdots x_n$, the
vector of $\partial p / \partial x_i = \prod_{j \ne i} x_j$. The quick answer, $p / x_i$, fails as
soon as one $x_i$ is 0, and computing each entry afresh costs $n - 1$ multiplications, $n^2$ in
all. Find an answer with no division and $O(n)$ multiplications.

Think of the product as a chain graph, $p_1 = x_1$, $p_i = p_{i-1}\, x_i$, $p = p_n$: what do a
forward pass and one reverse sweep (equation (3)) compute on it? `x` is a 1-D array with $n \ge 2$
entries; return an array of the same shape.""",
        explanation=r"The forward pass stores the products before $x_i$; the reverse sweep carries "
        r"$\bar p_i = \partial p/\partial p_i = x_{i+1} \cdots x_n$ back from $\bar p_n = 1$; their "
        r"product is $\partial p/\partial x_i$. Two sweeps of $n$ multiplications each, as reverse "
        r"mode promises: one forward, one backward.",
        cases=lambda: [
            (np.array([1.5, -2.0, 0.5, 3.0, -1.2]),),
            (np.array([2.0, 0.0, -1.5, 4.0]),),
            (np.array([0.0, 3.0, 0.0, 2.0, 5.0]),),
            (np.array([0.7, -1.3]),),
        ],
        bugs=[
            Bug(
                "before_only",
                "Entry i is the product of the x_j before x_i only: the forward pass. The x_j after "
                "x_i are missing; they are what the reverse sweep carries back.",
                _before_only,
            ),
            Bug(
                "after_only",
                "Entry i is the product of the x_j after x_i only: the reverse sweep. Multiply by "
                "the product of the x_j before x_i, from the forward pass.",
                _after_only,
            ),
            Bug(
                "with_self",
                "Every entry is the whole product p, x_i included. Leave x_i out of entry i.",
                _with_self,
            ),
            Bug(
                "sum_rule",
                "Every entry is 1: that is the gradient of the sum x_1 + ... + x_n, not of the "
                "product.",
                _sum_rule,
            ),
        ],
        hints=[
            "With x = (a, b, c, d) the answer is (bcd, acd, abd, abc). Entry 3 is (ab)·(d): "
            "the product of everything before x_3 times everything after it.",
            "One loop from the left builds the products before each x_i; one loop from the "
            "right builds the products after it. Multiply them entry by entry.",
        ],
        correct="Products before x_i (forward) times products after x_i (reverse): no division.",
    )
)
# The division answer, p / x, is right on case 0 and returns 0/0 = NaN on case 1, which check()
# reports as a division by zero: it needs no Bug of its own.
