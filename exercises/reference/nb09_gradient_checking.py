"""The reference solutions and bug variants of bplib.exercises.nb09_gradient_checking (not installed)."""

from __future__ import annotations

import numpy as np

from bplib import sigmoid
from bplib.exercises.nb09_gradient_checking import _backprop_bugs, s, sp


def second_difference(f, x, eps):
    """The central estimate of the second derivative f''(x) from f at x and x +- eps."""
    ### BEGIN SOLUTION
    return (f(x + eps) - 2 * f(x) + f(x - eps)) / eps**2
    ### END SOLUTION


def f_cd_second(x):
    return -9 * np.sin(3 * x) + 6 * x


def backprop(W, b, X, Y):
    """The fixed version of backprop_broken: gradients of the mean quadratic cost
    C = mean_i 1/2 ||a_i - y_i||^2 of a sigmoid network. W and b are indexed by layer:
    W[l] is W^l, stored (n_out, n_in), for l = 1..L, and W[0], b[0] are None.
    Returns grad_W, grad_b, lists indexed by layer like W and b.
    """
    ### BEGIN SOLUTION
    L = len(W) - 1  # layers 1..L; W[0] and b[0] are None
    z, a = [None], [X]  # z[l], a[l]: layer l (a[0] is the input X)
    for l in range(1, L + 1):
        z.append(a[l - 1] @ W[l].T + b[l])
        a.append(sigmoid.fn(z[l]))
    n = X.shape[0]
    delta = [None] * (L + 1)  # delta[l] is the error of layer l
    delta[L] = (a[L] - Y) * sigmoid.prime(z[L])  # BP1
    for l in range(L - 1, 0, -1):
        delta[l] = (delta[l + 1] @ W[l + 1]) * sigmoid.prime(z[l])  # BP2: z^l (fixed)
    grad_W, grad_b = [None] * (L + 1), [None] * (L + 1)
    for l in range(1, L + 1):
        grad_b[l] = delta[l].sum(axis=0) / n  # BP3
        grad_W[l] = delta[l].T @ a[l - 1] / n  # BP4: average (fixed)
    return grad_W, grad_b
    ### END SOLUTION


def _backprop_variant(bugs):
    """backprop with the named bugs (keys of BACKPROP_BUGS), lists indexed by layer."""
    bugs = frozenset(bugs)

    def fn(W, b, X, Y):
        L = len(W) - 1
        z, a = [None], [X]
        for l in range(1, L + 1):
            z.append(a[l - 1] @ W[l].T + b[l])
            a.append(s(z[l]))
        n = X.shape[0]
        grad_a = (Y - a[L]) if "sign" in bugs else (a[L] - Y)
        if "factor_2" in bugs:
            grad_a = 2 * grad_a
        delta = [None] * (L + 1)
        delta[L] = grad_a if "no_prime_output" in bugs else grad_a * sp(z[L])
        for l in range(L - 1, 0, -1):
            back = delta[l + 1] @ (W[l + 1].T if "no_transpose" in bugs else W[l + 1])
            if "no_prime_hidden" not in bugs:
                back = back * sp(z[l + 1] if "next_z" in bugs else z[l])
            delta[l] = back
        gW, gb = [None] * (L + 1), [None] * (L + 1)
        for l in range(1, L + 1):
            gb[l] = delta[l].sum(axis=0) / (1 if "no_mean_b" in bugs else n)
            gW[l] = delta[l].T @ a[l - 1] / (1 if "no_mean_W" in bugs else n)
        return gW, gb

    return fn


SOLUTIONS = [second_difference, backprop]

BUGS = {
    "backprop": {
        bug.key: _backprop_variant(bug.key.split("+"))
        for bug in _backprop_bugs()
        if bug.key != "accumulate"
    },
    "second_difference": {
        "no_middle": lambda f, x, eps: (f(x + eps) + f(x - eps)) / eps**2,
        "one_middle": lambda f, x, eps: (f(x + eps) - f(x) + f(x - eps)) / eps**2,
        "two_eps_squared": lambda f, x, eps: (f(x + eps) - 2 * f(x) + f(x - eps)) / (2 * eps) ** 2,
        "half": lambda f, x, eps: (f(x + eps) - 2 * f(x) + f(x - eps)) / (2 * eps**2),
        "sign": lambda f, x, eps: (2 * f(x) - f(x + eps) - f(x - eps)) / eps**2,
        "first_derivative": lambda f, x, eps: (f(x + eps) - f(x - eps)) / (2 * eps),
    },
}
