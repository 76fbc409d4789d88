"""The reference solutions and bug variants of bplib.exercises.nb11_autodiff (not installed)."""

from __future__ import annotations

import numpy as np

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


def autograd_gradients(W, b, X, Y):
    """The gradients of C = 1/n sum_i sum_j (a^L_ij - y_ij)^2 for a network with sigmoid hidden
    layers and a linear output layer (a^L = z^L), from the notebook's Value: the parameters as
    nodes, the cost built from them, one call of backward, the adjoints read back.

    W, b : lists indexed by layer (W[0], b[0] are None), W[l] of shape (n_l, n_{l-1}).
    X, Y : (n, n_0) and (n, n_L), one example per row.
    Returns (grad_W, grad_b), lists indexed by layer, shaped like W and b.
    """
    ### BEGIN SOLUTION
    L = len(W) - 1
    Wv = [None] + [[[Value(w) for w in row] for row in W[l]] for l in range(1, L + 1)]
    bv = [None] + [[Value(v) for v in b[l]] for l in range(1, L + 1)]
    C = Value(0.0)
    for x, y in zip(X, Y):
        a = [float(v) for v in x]  # the input layer: plain numbers
        for l in range(1, L + 1):
            z = [sum((w * a_k for w, a_k in zip(row, a)), b_j) for row, b_j in zip(Wv[l], bv[l])]
            a = z if l == L else [z_j.sigmoid() for z_j in z]  # no sigma on the output layer
        C = C + sum((a_j - y_j) * (a_j - y_j) for a_j, y_j in zip(a, y))
    C = C * (1.0 / len(X))  # the mean over the n examples
    C.backward()  # loss.backward(): every adjoint in one reverse sweep
    grad_W = [None] + [np.array([[w.grad for w in row] for row in Wv[l]]) for l in range(1, L + 1)]
    grad_b = [None] + [np.array([v.grad for v in bv[l]]) for l in range(1, L + 1)]
    return grad_W, grad_b
    ### END SOLUTION


def _value_gradients(W, b, X, Y, factor=1.0, sigmoid_out=False, mean=True, last=False, sweep=True):
    """autograd_gradients with one mistake switched on (the bugs below): still Values and
    one backward sweep, as the check requires."""
    L = len(W) - 1
    Wv = [None] + [[[Value(w) for w in row] for row in W[l]] for l in range(1, L + 1)]
    bv = [None] + [[Value(v) for v in b[l]] for l in range(1, L + 1)]
    C = Value(0.0)
    for x, y in zip(X, Y):
        a = [float(v) for v in x]
        for l in range(1, L + 1):
            z = [sum((w * a_k for w, a_k in zip(row, a)), b_j) for row, b_j in zip(Wv[l], bv[l])]
            a = z if (l == L and not sigmoid_out) else [z_j.sigmoid() for z_j in z]
        example = sum((a_j - y_j) * (a_j - y_j) for a_j, y_j in zip(a, y)) * factor
        C = example if last else C + example
    if mean:
        C = C * (1.0 / len(X))
    if sweep:
        C.backward()
    grad_W = [None] + [np.array([[w.grad for w in row] for row in Wv[l]]) for l in range(1, L + 1)]
    grad_b = [None] + [np.array([v.grad for v in bv[l]]) for l in range(1, L + 1)]
    return grad_W, grad_b


def _half(W, b, X, Y):
    return _value_gradients(W, b, X, Y, factor=0.5)


def _sigmoid_output(W, b, X, Y):
    return _value_gradients(W, b, X, Y, sigmoid_out=True)


def _no_mean(W, b, X, Y):
    return _value_gradients(W, b, X, Y, mean=False)


def _last_example(W, b, X, Y):
    return _value_gradients(W, b, X, Y, last=True)


def _no_backward(W, b, X, Y):
    return _value_gradients(W, b, X, Y, sweep=False)


SOLUTIONS = [product_gradient, value_div, autograd_gradients]

BUGS = {
    "product_gradient": {
        "before_only": _before_only,
        "after_only": _after_only,
        "with_self": _with_self,
        "sum_rule": _sum_rule,
    },
    "value_div": {
        "sign_v": _sign_v,
        "no_square": _no_square,
        "no_u": _no_u,
        "u_only": _u_only,
        "v_only": _v_only,
        "swapped": _swapped,
        "product_locals": _product_locals,
    },
    "autograd_gradients": {
        "half": _half,
        "sigmoid_output": _sigmoid_output,
        "no_mean": _no_mean,
        "last_example": _last_example,
        "no_backward": _no_backward,
    },
}
