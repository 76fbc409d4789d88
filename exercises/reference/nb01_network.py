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
    X_cols : (n_0, n), column i is example i.
    Returns a list a by layer: a[0] = X_cols, a[l] of shape (n_l, n), column i for example i.
    """
    ### BEGIN SOLUTION
    a = [X_cols]
    for l in range(1, len(W)):
        a.append(sigmoid.fn(W[l] @ a[l - 1] + b[l][:, None]))
    return a
    ### END SOLUTION


def _columns_bug(step, stop=0):
    def fn(W, b, X_cols):
        a = [X_cols]
        for l in range(1, len(W) - stop):
            a.append(step(W[l], b[l], a[l - 1]))
        return a

    return fn


def _output_bug(last):
    """The right list except the output layer, which is last(z^L)."""

    def fn(W, b, X_cols):
        a = feedforward_columns(W, b, X_cols)
        L = len(W) - 1
        return a[:L] + [last(W[L] @ a[L - 1] + b[L][:, None])]

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
        "result_as_rows": lambda W, b, X_cols: [a.T for a in feedforward_columns(W, b, X_cols)],
        "no_bias": _columns_bug(lambda W, b, a: _sig(W @ a)),
        "no_activation": _columns_bug(lambda W, b, a: W @ a + b[:, None]),
        "sigma_prime": _columns_bug(lambda W, b, a: sigmoid.prime(W @ a + b[:, None])),
        "no_sigma_on_output": _output_bug(lambda z: z),
        "sigma_twice_on_output": _output_bug(lambda z: _sig(_sig(z))),
        "last_layer_missing": _columns_bug(lambda W, b, a: _sig(W @ a + b[:, None]), stop=1),
        "only_output": lambda W, b, X_cols: feedforward_columns(W, b, X_cols)[-1],
        "input_missing": lambda W, b, X_cols: feedforward_columns(W, b, X_cols)[1:],
        "input_as_none": lambda W, b, X_cols: [None] + feedforward_columns(W, b, X_cols)[1:],
    },
    "softplus_prime": {
        "no_inner_derivative": lambda z: 1 / (1 + np.exp(z)),
        "softplus_itself": lambda z: np.log1p(np.exp(z)),
        "sigma_prime": lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2,
        "relu_prime": lambda z: (z > 0).astype(float),
        "exp_only": lambda z: np.exp(z),
    },
}
