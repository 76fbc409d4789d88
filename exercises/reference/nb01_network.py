"""The reference solutions and bug variants of bplib.exercises.nb01_network (not installed)."""

from __future__ import annotations

import numpy as np

from bplib.activations import sigmoid


def _sig(z):
    return sigmoid.fn(z)


def feedforward_columns(W, b, X_cols):
    """The forward pass of a sigmoid network with one example per COLUMN.

    W : list by layer, W[l] of shape (n_l, n_{l-1}); W[0] is None
    b : list by layer, b[l] of shape (n_l,); b[0] is None
    X_cols : (n_0, n), column i is example i.   Returns a^L: (n_L, n), column i for example i.
    """
    ### BEGIN SOLUTION
    a = X_cols
    for l in range(1, len(W)):
        a = sigmoid.fn(W[l] @ a + b[l][:, None])
    return a
    ### END SOLUTION


def _columns_bug(step, stop=0):
    def fn(W, b, X_cols):
        a = X_cols
        for l in range(1, len(W) - stop):
            a = step(W[l], b[l], a)
        return a

    return fn


def softplus_prime(z):
    """The derivative of softplus(z) = ln(1 + e^z), element-wise.

    z : array of any shape.   Returns an array of the same shape.
    """
    ### BEGIN SOLUTION
    return 1 / (1 + np.exp(-z))
    ### END SOLUTION


SOLUTIONS = [feedforward_columns, softplus_prime]

BUGS = {
    "feedforward_columns": {
        "bias_along_columns": _columns_bug(lambda W, b, a: _sig(W @ a + b)),
        "W_transposed": _columns_bug(lambda W, b, a: _sig(W.T @ a + b[:, None])),
        "result_as_rows": lambda W, b, X_cols: feedforward_columns(W, b, X_cols).T,
        "no_bias": _columns_bug(lambda W, b, a: _sig(W @ a)),
        "no_activation": _columns_bug(lambda W, b, a: W @ a + b[:, None]),
        "sigma_prime": _columns_bug(lambda W, b, a: sigmoid.prime(W @ a + b[:, None])),
        "last_layer_missing": _columns_bug(lambda W, b, a: _sig(W @ a + b[:, None]), stop=1),
    },
    "softplus_prime": {
        "no_inner_derivative": lambda z: 1 / (1 + np.exp(z)),
        "softplus_itself": lambda z: np.log1p(np.exp(z)),
        "sigma_prime": lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2,
        "relu_prime": lambda z: (z > 0).astype(float),
        "exp_only": lambda z: np.exp(z),
    },
}
