"""The reference solutions and bug variants of bplib.exercises.nb12_softmax (not installed)."""

from __future__ import annotations

import numpy as np


def categorical_cost(Z, Y):
    """C_i = -sum_j y_j ln p_j with p = softmax(z), for every example, from Z directly: finite
    even where softmax(Z) has an entry that underflows to 0 or exp(Z) overflows.

    Z, Y : (n, K), one example per row, each row of Y one-hot.   Returns (n,).
    """
    ### BEGIN SOLUTION
    Z_max = Z.max(axis=1, keepdims=True)  # (2): every exponential at most 1
    log_D = Z_max + np.log(np.exp(Z - Z_max).sum(axis=1, keepdims=True))  # ln sum_c e^{z_c}
    return np.sum(Y * (log_D - Z), axis=1)  # -ln p_j = ln D - z_j
    ### END SOLUTION


def _lse(z, axis):
    m = z.max(axis=axis, keepdims=True)
    return m + np.log(np.exp(z - m).sum(axis=axis, keepdims=True))


def output_error_any_target(P, Y):
    """Delta^L, row i = dC_i/dz^L of example i, for a softmax output p = softmax(z^L) and the
    cost C_i = -sum_j y_j ln p_j, when a target row y need not sum to 1.

    P, Y : (n, K), one example per row; the rows of P sum to 1, the rows of Y are >= 0.
    Returns (n, K).
    """
    ### BEGIN SOLUTION
    return P * Y.sum(axis=1, keepdims=True) - Y
    ### END SOLUTION


SOLUTIONS = [categorical_cost, output_error_any_target]

BUGS = {
    "categorical_cost": {
        "shift_not_added_back": lambda z, y: np.sum(
            y * (_lse(z, 1) - z.max(1, keepdims=True) - z), axis=1
        ),
        "sign": lambda z, y: -np.sum(y * (_lse(z, 1) - z), axis=1),
        "over_examples": lambda z, y: np.sum(y * (_lse(z, 0) - z), axis=1),
        "batch_total": lambda z, y: np.sum(y * (_lse(z, 1) - z)),
    },
    "output_error_any_target": {
        "p_minus_y": lambda p, y: p - y,
        "diagonal_only": lambda p, y: -y * (1 - p),
        "grad_p": lambda p, y: -y / p,
        "normalised_y": lambda p, y: p - y / y.sum(axis=1, keepdims=True),
        "batch_total": lambda p, y: p * y.sum() - y,
        "class_total": lambda p, y: p * y.sum(axis=0, keepdims=True) - y,
        "times_total": lambda p, y: (p - y) * y.sum(axis=1, keepdims=True),
        "no_kronecker": lambda p, y: p * y.sum(axis=1, keepdims=True),
        "sign": lambda p, y: y - p * y.sum(axis=1, keepdims=True),
    },
}
