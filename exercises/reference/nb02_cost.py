"""The reference solutions and bug variants of bplib.exercises.nb02_cost (not installed)."""

from __future__ import annotations

import numpy as np


def batch_cost(A, Y):
    """Mean over the rows of C_i = 1/2 ||a_i - y_i||^2.

    A : (n, n_L), one example per row;  Y : the same, or (n,) when n_L = 1.   Returns one number.
    """
    ### BEGIN SOLUTION
    Y = np.reshape(Y, A.shape)  # flat targets (n,) become the column (n, 1)
    return np.mean(0.5 * np.sum((A - Y) ** 2, axis=1))
    ### END SOLUTION


def cost_gradient(A, Y):
    """The gradient of C = (1/n) sum_i 1/2 ||a_i - y_i||^2 with respect to every entry of A.

    A, Y : (n, n_L), one example per row.   Returns (n, n_L).
    """
    ### BEGIN SOLUTION
    n = A.shape[0]  # the number of examples
    return (A - Y) / n
    ### END SOLUTION


SOLUTIONS = [batch_cost, cost_gradient]

BUGS = {
    "batch_cost": {
        "factor_2": lambda A, Y: np.mean(np.sum((A - Y) ** 2, axis=1)),
        "no_mean": lambda A, Y: 0.5 * np.sum((A - Y) ** 2),
        "mean_all": lambda A, Y: 0.5 * np.mean((A - Y) ** 2),
        "sum_over_examples": lambda A, Y: np.mean(
            0.5 * np.sum((A - np.reshape(Y, A.shape)) ** 2, axis=0)
        ),
        "not_squared": lambda A, Y: np.mean(0.5 * np.linalg.norm(A - Y, axis=1)),
        "per_row": lambda A, Y: 0.5 * np.sum((A - Y) ** 2, axis=1),
        "broadcast": lambda A, Y: np.mean(0.5 * np.sum((A - Y) ** 2, axis=1)),
    },
    "cost_gradient": {
        "no_mean": lambda A, Y: A - Y,
        "factor_2": lambda A, Y: 2 * (A - Y) / len(A),
        "factor_2_no_mean": lambda A, Y: 2 * (A - Y),
        "mean_all": lambda A, Y: (A - Y) / A.size,
        "divided_by_n_L": lambda A, Y: (A - Y) / A.shape[1],
        "stray_half": lambda A, Y: (A - Y) / (2 * len(A)),
        "sign": lambda A, Y: (Y - A) / len(A),
        "squared": lambda A, Y: 0.5 * (A - Y) ** 2 / len(A),
    },
}
