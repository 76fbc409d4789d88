"""The reference solutions and bug variants of bplib.exercises.nb01_network (not installed)."""

from __future__ import annotations

import numpy as np

from bplib.activations import sigmoid

sigma = sigmoid  # the notebook's name for it (its first code cell), as in exercise 1.1's cell


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
        a.append(sigma.fn(a[l - 1] @ W[l].T + b[l]))
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


def collapse(W, b):
    """The one layer (W_one, b_one) a network without activations computes.

    W : list by layer, W[l] of shape (n_l, n_{l-1}); W[0] is None
    b : list by layer, b[l] of shape (n_l,); b[0] is None
    Returns (W_one, b_one): W_one of shape (n_L, n_0), b_one of shape (n_L,), so that the
    network's output for an input x is W_one @ x + b_one.
    """
    ### BEGIN SOLUTION
    W_one, b_one = W[1], b[1]
    for l in range(2, len(W)):
        W_one, b_one = W[l] @ W_one, W[l] @ b_one + b[l]
    return W_one, b_one
    ### END SOLUTION


def _collapse_bug(weight, bias, first=lambda W, b: (W[1], b[1])):
    """A running layer started from first(W, b) (layer 1 itself when right) and updated by
    weight(W_l, W_one) and bias(W_l, b_l, b_one) for layers 2 to L."""

    def fn(W, b):
        W_one, b_one = first(W, b)
        for l in range(2, len(W)):
            W_one, b_one = weight(W[l], W_one), bias(W[l], b[l], b_one)
        return W_one, b_one

    return fn


def _right_w(Wl, W_one):
    return Wl @ W_one


def _right_b(Wl, bl, b_one):
    return Wl @ b_one + bl


SOLUTIONS = [feedforward_rows, collapse, tanh_prime]

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
        "sigma_twice": _rows_bug(lambda W, b, a: _sig(_sig(a @ W.T + b))),
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
    "collapse": {
        "wrong_order": _collapse_bug(lambda Wl, W_one: W_one @ Wl, _right_b),
        "transposed": lambda W, b: (collapse(W, b)[0].T, collapse(W, b)[1]),
        "first_transposed": lambda W, b: (  # W^L ... W^2 (W^1)^T: W^1 (W^2)^T ... transposed
            collapse([None, W[1].T] + W[2:], b)[0],
            collapse(W, b)[1],
        ),
        "first_twice": _collapse_bug(  # started from layer 1, then layer 1 again
            _right_w, _right_b, first=lambda W, b: (W[1] @ W[1], W[1] @ b[1] + b[1])
        ),
        "bias_summed": _collapse_bug(_right_w, lambda Wl, bl, b_one: b_one + bl),
        "bias_last_only": lambda W, b: (collapse(W, b)[0], b[-1]),
        "no_bias": lambda W, b: (collapse(W, b)[0], np.zeros_like(b[-1])),
        "bias_through_own": _collapse_bug(
            _right_w,
            lambda Wl, bl, b_one: Wl @ (b_one + bl),
            first=lambda W, b: (W[1], W[1] @ b[1]),
        ),
    },
}
