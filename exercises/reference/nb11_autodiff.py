"""The reference solutions and bug variants of bplib.exercises.nb11_autodiff (not installed)."""

from __future__ import annotations

import math

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


def value_tanh(u):
    """v = tanh(u) as a node of the graph: a new Value holding tanh(u.data), whose one
    parent is u, with the local derivative dv/du stored next to it.

    u : a Value.   Returns a new Value; u itself is not changed.
    """
    ### BEGIN SOLUTION
    t = math.tanh(u.data)
    return Value(t, ((u, 1.0 - t * t),))  # d tanh(u)/du = 1 - tanh(u)^2
    ### END SOLUTION


def _tanh_node(u, local):
    t = math.tanh(u.data)
    return Value(t, ((u, local(u.data, t)),))


def _tanh_as_local(u):
    return _tanh_node(u, lambda x, t: t)


def _one_plus(u):
    return _tanh_node(u, lambda x, t: 1.0 + t * t)


def _input_squared(u):
    return _tanh_node(u, lambda x, t: 1.0 - x * x)


def _sigmoid_form(u):
    return _tanh_node(u, lambda x, t: t * (1.0 - t))


def _one_minus_t(u):
    return _tanh_node(u, lambda x, t: 1.0 - t)


def _no_parent(u):
    return Value(math.tanh(u.data))


SOLUTIONS = [product_gradient, value_tanh]

BUGS = {
    "product_gradient": {
        "before_only": _before_only,
        "after_only": _after_only,
        "with_self": _with_self,
        "sum_rule": _sum_rule,
    },
    "value_tanh": {
        "tanh_as_local": _tanh_as_local,
        "one_plus": _one_plus,
        "input_squared": _input_squared,
        "sigmoid_form": _sigmoid_form,
        "one_minus_t": _one_minus_t,
        "no_parent": _no_parent,
    },
}
