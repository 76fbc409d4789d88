"""The reference solutions and bug variants of bplib.exercises.nb07_parameter_gradients (not installed)."""

from __future__ import annotations

import numpy as np


def parameter_partials(delta, a_prev, z, a):
    """BP4 and BP3 for one example: grad_w[j, k] = dC_i/dw^l_jk, grad_b[j] = dC_i/db^l_j.

    delta, z, a : (n_l,)   a_prev : (n_{l-1},)   Returns (n_l, n_{l-1}) and (n_l,).
    """
    ### BEGIN SOLUTION
    grad_w = np.zeros((len(delta), len(a_prev)))
    for j in range(len(delta)):
        for k in range(len(a_prev)):
            grad_w[j, k] = delta[j] * a_prev[k]  # dC_i/dz^l_j times dz^l_j/dw^l_jk
    grad_b = delta * 1.0  # dC_i/dz^l_j times dz^l_j/db^l_j = 1
    return grad_w, grad_b
    ### END SOLUTION


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


def augmented_gradient(delta, a_prev):
    """BP4 for a weight matrix that holds the biases as its last column, averaged over the batch.

    delta : (n, n_l)   a_prev : (n, n_{l-1})   Returns (n_l, n_{l-1} + 1), shaped like [W b].
    """
    ### BEGIN SOLUTION
    n = delta.shape[0]
    a_ones = np.hstack([a_prev, np.ones((n, 1))])
    return delta.T @ a_ones / n
    ### END SOLUTION


SOLUTIONS = [parameter_partials, weight_gradient, weight_gradient_per_example, augmented_gradient]


def _gw(delta, a_prev):
    return delta.T @ a_prev / delta.shape[0]


def _sp(z):
    s = 1 / (1 + np.exp(-z))
    return s * (1 - s)


BUGS = {
    "parameter_partials": {
        "swapped": lambda d, ap, z, a: (np.outer(ap, d), d),
        "a_not_a_prev": lambda d, ap, z, a: (np.outer(d, a), d),
        "a_not_a_prev+swapped": lambda d, ap, z, a: (np.outer(a, d), d),
        "a_not_a_prev+bias_one": lambda d, ap, z, a: (np.outer(d, a), np.ones_like(d)),
        "a_not_a_prev+bias_a": lambda d, ap, z, a: (np.outer(d, a), a),
        "a_not_a_prev+stray_sigma_prime": lambda d, ap, z, a: (
            np.outer(d * _sp(z), a),
            d * _sp(z),
        ),
        "stray_sigma_prime": lambda d, ap, z, a: (np.outer(d * _sp(z), ap), d * _sp(z)),
        "stray_sigma_prime_w": lambda d, ap, z, a: (np.outer(d * _sp(z), ap), d),
        "no_activation": lambda d, ap, z, a: (np.outer(d, np.ones_like(ap)), d),
        "local_factor_only": lambda d, ap, z, a: (
            np.outer(np.ones_like(d), ap),
            np.ones_like(d),
        ),
        "bias_a_prev": lambda d, ap, z, a: (np.outer(d, ap), ap),
        "bias_one": lambda d, ap, z, a: (np.outer(d, ap), np.ones_like(d)),
    },
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
        "all_pairs": lambda delta, a_prev: delta[:, None, :, None] * a_prev[None, :, None, :],
        "all_pairs_ijkl": lambda delta, a_prev: delta[:, :, None, None] * a_prev[None, None],
        "other_examples_summed": lambda delta, a_prev: (
            delta[:, :, None] * a_prev.sum(axis=0)[None, None, :]
        ),
        "own_examples_summed": lambda delta, a_prev: (
            delta.sum(axis=0)[None, :, None] * a_prev[:, None, :]
        ),
        "all_pairs_summed": lambda delta, a_prev: np.outer(delta.sum(axis=0), a_prev.sum(axis=0)),
    },
    "augmented_gradient": {
        "ones_first": lambda d, a: d.T @ np.hstack([np.ones((len(d), 1)), a]) / len(d),
        "ones_on_delta": lambda d, a: np.hstack([d, np.ones((len(d), 1))]).T @ a / len(d),
        "no_mean": lambda d, a: d.T @ np.hstack([a, np.ones((len(d), 1))]),
        "bias_no_mean": lambda d, a: np.hstack([_gw(d, a), d.sum(axis=0)[:, None]]),
        "weights_no_mean": lambda d, a: np.hstack([d.T @ a, d.mean(axis=0)[:, None]]),
        "bias_zero": lambda d, a: np.hstack([_gw(d, a), np.zeros((d.shape[1], 1))]),
        "bias_ones": lambda d, a: np.hstack([_gw(d, a), np.ones((d.shape[1], 1))]),
        "bias_wrong_axis": lambda d, a: np.hstack([_gw(d, a), d.mean(axis=1)[:, None]]),
        "bias_first_row": lambda d, a: np.hstack([_gw(d, a), d[0][:, None]]),
        "transposed": lambda d, a: (d.T @ np.hstack([a, np.ones((len(d), 1))]) / len(d)).T,
    },
}
