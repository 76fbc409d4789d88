"""The reference solutions and bug variants of bplib.exercises.nb07_parameter_gradients (not installed)."""

from __future__ import annotations


def weight_gradient(delta, a_prev):
    """BP4, averaged over the batch: grad_W[j, k] = dC/dw^l_jk, without a loop over examples.

    delta : (n, n_l)   a_prev : (n, n_{l-1})   Returns (n_l, n_{l-1}), shaped like W.
    """
    ### BEGIN SOLUTION
    n = delta.shape[0]
    return delta.T @ a_prev / n
    ### END SOLUTION


def bias_gradient(delta):
    """BP3, averaged over the batch: grad_b[j] = dC/db^l_j, without a loop over examples.

    delta : (n, n_l)   Returns (n_l,), shaped like b.
    """
    ### BEGIN SOLUTION
    return delta.mean(axis=0)
    ### END SOLUTION


SOLUTIONS = [weight_gradient, bias_gradient]

BUGS = {
    "weight_gradient": {
        "no_mean": lambda delta, a_prev: delta.T @ a_prev,
        "transposed": lambda delta, a_prev: a_prev.T @ delta / delta.shape[0],
        "transposed+no_mean": lambda delta, a_prev: a_prev.T @ delta,
    },
    "bias_gradient": {
        "no_mean": lambda delta: delta.sum(axis=0),
        "wrong_axis": lambda delta: delta.mean(axis=1),
        "no_reduction": lambda delta: delta,
        "mean_all": lambda delta: delta.mean(),
    },
}
