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


def layer_gradients(delta, a_prev):
    """BP4 and BP3, averaged over the batch: the gradients of one layer's weights and biases.

    delta : (n, n_l)   a_prev : (n, n_{l-1})
    Returns (grad_W, grad_b): (n_l, n_{l-1}), shaped like W, and (n_l,), shaped like b.
    """
    ### BEGIN SOLUTION
    n = delta.shape[0]
    return delta.T @ a_prev / n, delta.mean(axis=0)
    ### END SOLUTION


SOLUTIONS = [weight_gradient, layer_gradients]


def _gw(delta, a_prev):
    return delta.T @ a_prev / delta.shape[0]


BUGS = {
    "weight_gradient": {
        "no_mean": lambda delta, a_prev: delta.T @ a_prev,
        "transposed": lambda delta, a_prev: a_prev.T @ delta / delta.shape[0],
        "transposed+no_mean": lambda delta, a_prev: a_prev.T @ delta,
    },
    "layer_gradients": {
        "sum_b": lambda delta, a_prev: (_gw(delta, a_prev), delta.sum(axis=0)),
        "sum_W": lambda delta, a_prev: (delta.T @ a_prev, delta.mean(axis=0)),
        "sum_both": lambda delta, a_prev: (delta.T @ a_prev, delta.sum(axis=0)),
        "transposed_W": lambda delta, a_prev: (_gw(delta, a_prev).T, delta.mean(axis=0)),
        "b_wrong_axis": lambda delta, a_prev: (_gw(delta, a_prev), delta.mean(axis=1)),
        "b_keepdims": lambda delta, a_prev: (
            _gw(delta, a_prev),
            delta.mean(axis=0, keepdims=True),
        ),
        "b_from_a_prev": lambda delta, a_prev: (_gw(delta, a_prev), a_prev.mean(axis=0)),
        "b_per_example": lambda delta, a_prev: (_gw(delta, a_prev), delta),
        "swapped": lambda delta, a_prev: (delta.mean(axis=0), _gw(delta, a_prev)),
    },
}
