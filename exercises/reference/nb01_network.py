"""The reference solutions and bug variants of bplib.exercises.nb01_network (not installed)."""

from __future__ import annotations

import numpy as np

from bplib.activations import sigmoid


def _sig(z):
    return sigmoid.fn(z)


def feedforward_rows(W, b, X):
    """The forward pass of a sigmoid network with one example per ROW.

    W : list by layer, W[l] of shape (n_l, n_{l-1}); W[0] is None
    b : list by layer, b[l] of shape (n_l,); b[0] is None
    X : (n, n_0), row i is example i.
    Returns a list a by layer: a[0] = X, a[l] of shape (n, n_l), row i for example i.
    """
    ### BEGIN SOLUTION
    a = [X]
    for l in range(1, len(W)):
        a.append(sigmoid.fn(a[l - 1] @ W[l].T + b[l]))
    return a
    ### END SOLUTION


def _rows_bug(step, stop=0):
    """a[l] = step(W[l], b[l], a[l - 1]) for every layer (the last ``stop`` left out)."""

    def fn(W, b, X):
        a = [X]
        for l in range(1, len(W) - stop):
            a.append(step(W[l], b[l], a[l - 1]))
        return a

    return fn


def _output_bug(last):
    """The right list except the output layer, which is last(z^L)."""

    def fn(W, b, X):
        a = feedforward_rows(W, b, X)
        L = len(W) - 1
        return a[:L] + [last(a[L - 1] @ W[L].T + b[L])]

    return fn


def _reads_input(W, b, X):
    return [X] + [_sig(X @ W[l].T + b[l]) for l in range(1, len(W))]


def _columns(W, b, X):
    """The column form run on X.T, each layer kept as a column per example: (n_l, n)."""
    a, h = [X], X.T
    for l in range(1, len(W)):
        h = _sig(W[l] @ h + b[l][:, None])
        a.append(h)
    return a


def _stores_z(W, b, X):
    a, h = [X], X
    for l in range(1, len(W)):
        z = h @ W[l].T + b[l]
        a.append(z)
        h = _sig(z)
    return a


def tanh_prime(t):
    """The slope tanh'(z), element-wise, from t = tanh(z) alone.

    t : array of any shape, the values tanh(z).   Returns an array of the same shape.
    """
    ### BEGIN SOLUTION
    return 1 - t**2
    ### END SOLUTION


def softplus_prime(z):
    """The derivative of softplus(z) = ln(1 + e^z), element-wise.

    z : array of any shape.   Returns an array of the same shape.
    """
    ### BEGIN SOLUTION
    return 1 / (1 + np.exp(-z))
    ### END SOLUTION


SOLUTIONS = [feedforward_rows, tanh_prime, softplus_prime]

BUGS = {
    "feedforward_rows": {
        "no_transpose": _rows_bug(lambda W, b, a: _sig(a @ W + b)),
        "column_form": _rows_bug(lambda W, b, a: _sig(W @ a + b[:, None])),
        "bias_as_column": _rows_bug(lambda W, b, a: _sig(a @ W.T + b[:, None])),
        "reads_input": _reads_input,
        "columns": _columns,
        "stores_z": _stores_z,
        "no_activation": _rows_bug(lambda W, b, a: a @ W.T + b),
        "no_bias": _rows_bug(lambda W, b, a: _sig(a @ W.T)),
        "no_sigma_on_output": _output_bug(lambda z: z),
        "sigma_twice_on_output": _output_bug(lambda z: _sig(_sig(z))),
        "sigma_prime": _rows_bug(lambda W, b, a: sigmoid.prime(a @ W.T + b)),
        "last_layer_missing": _rows_bug(lambda W, b, a: _sig(a @ W.T + b), stop=1),
        "only_output": lambda W, b, X: feedforward_rows(W, b, X)[-1],
        "input_missing": lambda W, b, X: feedforward_rows(W, b, X)[1:],
        "input_as_none": lambda W, b, X: [None] + feedforward_rows(W, b, X)[1:],
        "input_transposed": lambda W, b, X: [X.T] + feedforward_rows(W, b, X)[1:],
    },
    "tanh_prime": {
        "sigma_prime_form": lambda t: t * (1 - t),
        "no_chain_factor": lambda t: (1 - t**2) / 2,
        "no_factors": lambda t: (1 - t**2) / 4,
        "no_square": lambda t: 1 - t,
        "plus_square": lambda t: 1 + t**2,
        "tanh_itself": lambda t: t,
        "tanh_of_t": lambda t: 1 - np.tanh(t) ** 2,
        "four_t": lambda t: 4 * t * (1 - t),
    },
    "softplus_prime": {
        "no_inner_derivative": lambda z: 1 / (1 + np.exp(z)),
        "softplus_itself": lambda z: np.log1p(np.exp(z)),
        "sigma_prime": lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2,
        "relu_prime": lambda z: (z > 0).astype(float),
        "exp_only": lambda z: np.exp(z),
    },
}
