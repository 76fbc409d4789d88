"""The reference solutions and bug variants of bplib.exercises.nb12_softmax (not installed)."""

from __future__ import annotations


def output_error_any_target(p, y):
    """delta^L = dC_i/dz^L for a softmax output p = softmax(z^L) and the cost
    C_i = -sum_j y_j ln p_j, when a target row y need not sum to 1.

    p, y : (n, K), one example per row; the rows of p sum to 1, the rows of y are >= 0.
    Returns (n, K).
    """
    ### BEGIN SOLUTION
    return p * y.sum(axis=1, keepdims=True) - y
    ### END SOLUTION


SOLUTIONS = [output_error_any_target]

BUGS = {
    "output_error_any_target": {
        "p_minus_y": lambda p, y: p - y,
        "diagonal_only": lambda p, y: -y * (1 - p),
        "grad_p": lambda p, y: -y / p,
        "normalised_y": lambda p, y: p - y / y.sum(axis=1, keepdims=True),
        "batch_total": lambda p, y: p * y.sum() - y,
        "class_total": lambda p, y: p * y.sum(axis=0, keepdims=True) - y,
        "sign": lambda p, y: y - p * y.sum(axis=1, keepdims=True),
    },
}
