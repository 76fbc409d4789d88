"""The reference solutions and bug variants of bplib.exercises.nb11_autodiff (not installed)."""

from __future__ import annotations

import numpy as np

import bplib
from bplib.exercises.nb11_autodiff import Value


def product_gradient(x):
    """All n partial derivatives of p = x_1 x_2 ... x_n: entry i is the product of every x_j
    except x_i. x is a 1-D array of n >= 2 numbers, some of which may be 0. Returns an
    array shaped like x. No division (x_i may be 0); O(n) multiplications.
    """
    ### BEGIN SOLUTION
    n = len(x)
    before = np.ones(n)  # forward pass: before[i] = x_1 ... x_{i-1}
    for i in range(1, n):
        before[i] = before[i - 1] * x[i - 1]
    after = np.ones(n)  # reverse sweep: after[i] = x_{i+1} ... x_n, the gradient of p at p_i
    for i in range(n - 2, -1, -1):
        after[i] = after[i + 1] * x[i + 1]
    return before * after
    ### END SOLUTION


def _before_only(x):
    x = np.asarray(x, float)
    return np.concatenate([[1.0], np.cumprod(x)[:-1]])


def _after_only(x):
    x = np.asarray(x, float)
    return np.concatenate([np.cumprod(x[::-1])[::-1][1:], [1.0]])


def _with_self(x):
    x = np.asarray(x, float)
    return np.full(len(x), np.prod(x))


def _prefix_with_self(x):
    x = np.asarray(x, float)
    before = np.concatenate([[1.0], np.cumprod(x[1:])])  # x_2 ... x_i: x_i in, x_1 out
    return before * _after_only(x)


def _suffix_with_self(x):
    x = np.asarray(x, float)
    after = np.ones(len(x))  # x_i ... x_(n-1): x_i in, x_n out
    for i in range(len(x) - 2, -1, -1):
        after[i] = after[i + 1] * x[i]
    return _before_only(x) * after


def _divide(x):
    with np.errstate(all="ignore"):
        return np.prod(x) / x


def _sum_rule(x):
    return np.ones(len(x))


def value_div(u, v):
    """q = u / v as a node of the graph: a new Value holding u.data / v.data, whose two
    parents are u and v, each with the local derivative of q stored next to it.

    u, v : Values, or plain numbers (constants).   Returns a new Value; u and v are not changed.
    """
    ### BEGIN SOLUTION
    u = u if isinstance(u, Value) else Value(u)  # a constant becomes a node, as in __mul__
    v = v if isinstance(v, Value) else Value(v)
    return Value(u.data / v.data, ((u, 1.0 / v.data), (v, -u.data / v.data**2)))
    ### END SOLUTION


def _constant_not_wrapped(u, v):
    return Value(u.data / v.data, ((u, 1.0 / v.data), (v, -u.data / v.data**2)))


def _div_node(u, v, parents):
    u = u if isinstance(u, Value) else Value(u)
    v = v if isinstance(v, Value) else Value(v)
    return Value(u.data / v.data, parents(u, v, u.data, v.data))


def _sign_v(u, v):
    return _div_node(u, v, lambda u, v, x, y: ((u, 1.0 / y), (v, x / y**2)))


def _no_square(u, v):
    return _div_node(u, v, lambda u, v, x, y: ((u, 1.0 / y), (v, -x / y)))


def _no_u(u, v):
    return _div_node(u, v, lambda u, v, x, y: ((u, 1.0 / y), (v, -1.0 / y**2)))


def _u_only(u, v):
    return _div_node(u, v, lambda u, v, x, y: ((u, 1.0 / y),))


def _v_only(u, v):
    return _div_node(u, v, lambda u, v, x, y: ((v, -x / y**2),))


def _swapped(u, v):
    return _div_node(u, v, lambda u, v, x, y: ((u, -x / y**2), (v, 1.0 / y)))


def _product_locals(u, v):
    return _div_node(u, v, lambda u, v, x, y: ((u, y), (v, x)))


def autograd_gradients(W, b1, b2, X):
    """The gradients of C = 1/n sum_i 1/2 ||a^2(x_i) - x_i||^2 for a tied autoencoder,
    a^1 = sigma(W x + b1), a^2 = W^T a^1 + b2 (linear output), by reverse mode on the
    notebook's Value, with no derivative written by hand.

    W : (n_1, n_0), used by both layers.   b1 : (n_1,).   b2 : (n_0,).
    X : (n, n_0), one example per row; it is also the target.
    Returns (grad_W, grad_b1, grad_b2), shaped like W, b1 and b2.
    """
    ### BEGIN SOLUTION
    n_1, n_0 = W.shape
    Wv = [[Value(w) for w in row] for row in W]  # one node per weight, read by both layers
    b1v, b2v = [Value(v) for v in b1], [Value(v) for v in b2]
    C = Value(0.0)
    for x in X:
        x = [float(v) for v in x]  # the input, and the target: plain numbers
        a1 = [sum((Wv[j][k] * x[k] for k in range(n_0)), b1v[j]).sigmoid() for j in range(n_1)]
        # the output layer reads the same nodes the other way round (W^T), and has no sigma
        a2 = [sum((Wv[j][k] * a1[j] for j in range(n_1)), b2v[k]) for k in range(n_0)]
        C = C + sum(0.5 * (a2[k] - x[k]) * (a2[k] - x[k]) for k in range(n_0))
    C = C * (1.0 / len(X))  # the mean over the n examples
    C.backward()  # loss.backward(): every adjoint in one reverse sweep
    grad_W = np.array([[w.grad for w in row] for row in Wv])
    return grad_W, np.array([v.grad for v in b1v]), np.array([v.grad for v in b2v])
    ### END SOLUTION


def _value_gradients(
    W, b1, b2, X, tied="both", sigmoid_out=False, factor=0.5, mean=True, last=False, sweep=True
):
    """autograd_gradients with one mistake switched on (the bugs below): still Values and
    one backward sweep, as the check requires. ``tied``: which layer reads the nodes of W
    ("both", or "hidden"/"output": the other layer reads a separate copy; "mean": the output
    layer reads a copy, and grad_W is the mean of the two adjoints)."""
    n_1, n_0 = W.shape
    Wv = [[Value(w) for w in row] for row in W]
    copy = [[Value(w) for w in row] for row in W]
    W_hidden = copy if tied == "output" else Wv
    W_output = copy if tied in ("hidden", "mean") else Wv
    b1v, b2v = [Value(v) for v in b1], [Value(v) for v in b2]
    C = Value(0.0)
    for x in X:
        x = [float(v) for v in x]
        a1 = [
            sum((W_hidden[j][k] * x[k] for k in range(n_0)), b1v[j]).sigmoid() for j in range(n_1)
        ]
        a2 = [sum((W_output[j][k] * a1[j] for j in range(n_1)), b2v[k]) for k in range(n_0)]
        if sigmoid_out:
            a2 = [v.sigmoid() for v in a2]
        example = sum(factor * (a2[k] - x[k]) * (a2[k] - x[k]) for k in range(n_0))
        C = example if last else C + example
    if mean:
        C = C * (1.0 / len(X))
    if sweep:
        C.backward()
    grad_W = np.array([[w.grad for w in row] for row in Wv])
    if tied == "mean":  # each layer read its own copy; the two adjoints averaged
        grad_W = (grad_W + np.array([[w.grad for w in row] for row in copy])) / 2
    return grad_W, np.array([v.grad for v in b1v]), np.array([v.grad for v in b2v])


def _hidden_only(W, b1, b2, X):
    return _value_gradients(W, b1, b2, X, tied="hidden")


def _output_only(W, b1, b2, X):
    return _value_gradients(W, b1, b2, X, tied="output")


def _sigmoid_output(W, b1, b2, X):
    return _value_gradients(W, b1, b2, X, sigmoid_out=True)


def _no_half(W, b1, b2, X):
    return _value_gradients(W, b1, b2, X, factor=1.0)


def _no_mean(W, b1, b2, X):
    return _value_gradients(W, b1, b2, X, mean=False)


def _last_example(W, b1, b2, X):
    return _value_gradients(W, b1, b2, X, last=True)


def _mean_of_copies(W, b1, b2, X):
    return _value_gradients(W, b1, b2, X, tied="mean")


def _no_backward(W, b1, b2, X):
    return _value_gradients(W, b1, b2, X, sweep=False)


def tied_gradient(W, b1, b2, X):
    """The gradient of the tied autoencoder's C with respect to its one matrix W, from BP1-BP4
    on the untied network (the output layer with its own copy W^2 = W^T).

    W : (n_1, n_0).   b1 : (n_1,).   b2 : (n_0,).   X : (n, n_0), rows are examples.
    Returns grad_W, shaped like W.
    """
    ### BEGIN SOLUTION
    gW, gb = bplib.backprop(
        [None, W, W.T.copy()],
        [None, b1, b2],
        [None, bplib.sigmoid, bplib.identity],
        bplib.quadratic,
        X,
        X,
    )
    return gW[1] + gW[2].T  # w_jk has an edge into each layer: (2) adds the two terms
    ### END SOLUTION


def _untied(W, b1, b2, X):
    gW, _ = bplib.backprop(
        [None, W, W.T.copy()],
        [None, b1, b2],
        [None, bplib.sigmoid, bplib.identity],
        bplib.quadratic,
        X,
        X,
    )
    return gW


SOLUTIONS = [value_div, product_gradient, autograd_gradients, tied_gradient]

BUGS = {
    "product_gradient": {
        "before_only": _before_only,
        "after_only": _after_only,
        "with_self": _with_self,
        "divide": _divide,
        "sum_rule": _sum_rule,
        "prefix_with_self": _prefix_with_self,
        "suffix_with_self": _suffix_with_self,
    },
    "value_div": {
        "sign_v": _sign_v,
        "no_square": _no_square,
        "no_u": _no_u,
        "u_only": _u_only,
        "v_only": _v_only,
        "swapped": _swapped,
        "product_locals": _product_locals,
        "constant_not_wrapped": _constant_not_wrapped,
    },
    "autograd_gradients": {
        "hidden_only": _hidden_only,
        "output_only": _output_only,
        "sigmoid_output": _sigmoid_output,
        "no_half": _no_half,
        "no_mean": _no_mean,
        "last_example": _last_example,
        "mean_of_copies": _mean_of_copies,
        "no_backward": _no_backward,
    },
    "tied_gradient": {
        "hidden_only": lambda W, b1, b2, X: _untied(W, b1, b2, X)[1],
        "output_only": lambda W, b1, b2, X: _untied(W, b1, b2, X)[2].T,
        "no_transpose": lambda W, b1, b2, X: _untied(W, b1, b2, X)[1] + _untied(W, b1, b2, X)[2],
        "mean": lambda W, b1, b2, X: (_untied(W, b1, b2, X)[1] + _untied(W, b1, b2, X)[2].T) / 2,
        "difference": lambda W, b1, b2, X: _untied(W, b1, b2, X)[1] - _untied(W, b1, b2, X)[2].T,
    },
}
