"""The reference solutions and bug variants of bplib.exercises.nb07_parameter_gradients (not installed)."""

from __future__ import annotations

import numpy as np


def weight_gradient(delta, a_prev):
    """BP4, averaged over the batch: grad_W[j, k] = dC/dw^l_jk, without a loop over examples.

    delta : (n, n_l)   a_prev : (n, n_{l-1})   Returns (n_l, n_{l-1}), shaped like W.
    """
    ### BEGIN SOLUTION
    n = delta.shape[0]
    return delta.T @ a_prev / n
    ### END SOLUTION


def weight_gradient_per_example(delta, a_prev):
    """BP4 for every example apart: entry [i, j, k] = dC_i/dw^l_jk, without a loop.

    delta : (n, n_l)   a_prev : (n, n_{l-1})   Returns (n, n_l, n_{l-1}).
    """
    ### BEGIN SOLUTION
    return delta[:, :, None] * a_prev[:, None, :]
    ### END SOLUTION


def bias_gradient(delta):
    """BP3, averaged over the batch: grad_b[j] = dC/db^l_j, without a loop.

    delta : (n, n_l)   Returns (n_l,), shaped like b.
    """
    ### BEGIN SOLUTION
    return delta.mean(axis=0)
    ### END SOLUTION


SOLUTIONS = [weight_gradient, weight_gradient_per_example, bias_gradient]


def _gw(delta, a_prev):
    return delta.T @ a_prev / delta.shape[0]


BUGS = {
    "weight_gradient": {
        "no_mean": lambda delta, a_prev: delta.T @ a_prev,
        "transposed": lambda delta, a_prev: a_prev.T @ delta / delta.shape[0],
        "transposed+no_mean": lambda delta, a_prev: a_prev.T @ delta,
        "product_of_means": lambda delta, a_prev: np.outer(delta.mean(axis=0), a_prev.mean(axis=0)),
        "divided_by_width": lambda delta, a_prev: delta.T @ a_prev / a_prev.shape[1],
    },
    "weight_gradient_per_example": {
        "averaged": lambda delta, a_prev: _gw(delta, a_prev),
        "divided_by_n": lambda delta, a_prev: delta[:, :, None] * a_prev[:, None, :] / len(delta),
        "transposed": lambda delta, a_prev: a_prev[:, :, None] * delta[:, None, :],
        "mixed_examples": lambda delta, a_prev: delta[:, :, None] * a_prev[None, :, :],
        "outer_flat": lambda delta, a_prev: np.outer(delta, a_prev),
    },
    "bias_gradient": {
        "wrong_axis": lambda delta: delta.mean(axis=1),
        "no_mean": lambda delta: delta.sum(axis=0),
        "kept_dims": lambda delta: delta.mean(axis=0, keepdims=True),
        "whole_mean": lambda delta: delta.mean(),
        "first_row": lambda delta: delta[0],
    },
}
