"""The reference solutions and bug variants of bplib.exercises.nb09_gradient_checking (not installed)."""

from __future__ import annotations

import numpy as np

from bplib import sigmoid
from bplib.exercises.nb09_gradient_checking import _backprop_bugs, s, sp


def numerical_gradient(f, p, eps):
    """Central differences (3) of f() in every entry of the array p, which f reads; shaped like p.
    Each entry is moved in place and put back, so p ends exactly as it began."""
    ### BEGIN SOLUTION
    grad = np.zeros(p.shape)
    for i in np.ndindex(p.shape):  # every index of an array of any shape
        old = p[i]
        p[i] = old + eps
        f_plus = f()
        p[i] = old - eps
        f_minus = f()
        p[i] = old  # put it back before the next entry
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad
    ### END SOLUTION


def _variant(kind):
    """numerical_gradient with one bug (a key of the exercise's bugs)."""

    def fn(f, p, eps):
        if kind in ("all_at_once", "all_at_once_number"):
            old = p.copy()
            p += eps
            f_plus = f()
            p[...] = old - eps
            f_minus = f()
            p[...] = old
            g = (f_plus - f_minus) / (2 * eps)
            return g if kind == "all_at_once_number" else np.full(p.shape, g)
        if kind == "rows":  # range(len(p)): p[i] is a whole row of a matrix
            grad = np.zeros(p.shape)
            for i in range(len(p)):
                old = p[i].copy()
                p[i] = old + eps
                f_plus = f()
                p[i] = old - eps
                f_minus = f()
                p[i] = old
                grad[i] = (f_plus - f_minus) / (2 * eps)
            return grad
        grad = np.zeros(p.shape)
        for i in np.ndindex(p.shape):
            old = p[i]
            if kind == "copy":
                q = p.copy()
                q[i] = old + eps
                grad[i] = (f() - f()) / (2 * eps)
                continue
            p[i] = old + eps
            f_plus = f()
            if kind == "forward":
                p[i] = old
                grad[i] = (f_plus - f()) / eps
                continue
            p[i] = old - eps
            f_minus = f()
            if kind != "no_restore":
                p[i] = old
            grad[i] = (f_plus - f_minus) / (eps if kind == "divide_by_eps" else 2 * eps)
        return grad.ravel() if kind == "flat" else grad

    return fn


def backprop(W, b, X, Y):
    """The fixed version of backprop_broken: gradients of the mean cost
    C = (1/n) Σ_i C_i, C_i = ½‖a^2 − y‖² for example i (columns a^2, y), of a sigmoid
    network with one hidden layer.
    W = [None, W1, W2] and b = [None, b1, b2] are indexed by layer; W[l] is W^l, stored
    (n_out, n_in). Returns grad_W, grad_b, lists indexed by layer like W and b.
    """
    ### BEGIN SOLUTION
    n = X.shape[0]  # examples, one per row of X
    b1, b2 = b[1].reshape(-1, 1), b[2].reshape(-1, 1)  # biases as columns
    grad_W1, grad_b1 = np.zeros_like(W[1]), np.zeros_like(b1)  # sums over the examples
    grad_W2, grad_b2 = np.zeros_like(W[2]), np.zeros_like(b2)
    for i in range(n):  # one example at a time
        x, y = X[i].reshape(-1, 1), Y[i].reshape(-1, 1)  # columns (n_0, 1) and (n_2, 1)
        z1 = W[1] @ x + b1  # hidden layer, (n_1, 1)
        a1 = sigmoid.fn(z1)
        z2 = W[2] @ a1 + b2  # output layer, (n_2, 1)
        a2 = sigmoid.fn(z2)
        delta2 = (a2 - y) * sigmoid.prime(z2)  # BP1: error of the output layer
        delta1 = (W[2].T @ delta2) * sigmoid.prime(z1)  # BP2: σ′ of the hidden layer's z1 (fixed)
        grad_b2 += delta2  # BP3, example i
        grad_W2 += delta2 @ a1.T  # BP4, example i
        grad_b1 += delta1  # BP3
        grad_W1 += delta1 @ x.T / n  # BP4, example i's share of the mean
    grad_W = [None, grad_W1, grad_W2 / n]  # (fixed: the mean of layer 2's weights, / n)
    grad_b = [None, grad_b1.ravel() / n, grad_b2.ravel() / n]  # means, shaped like b[1], b[2]
    return grad_W, grad_b
    ### END SOLUTION


def _backprop_variant(bugs):
    """backprop with the named bugs (keys of BACKPROP_BUGS), lists indexed by layer."""
    bugs = frozenset(bugs)

    def mean(g, key, n):
        if "no_mean" in bugs or key in bugs:
            return g
        return g / n / n if key.replace("no_mean_", "twice_") in bugs else g / n

    def fn(W, b, X, Y):
        n = X.shape[0]
        z1 = X @ W[1].T + b[1]
        a1 = s(z1)
        z2 = a1 @ W[2].T + b[2]
        a2 = s(z2)
        grad_a = (Y - a2) if "sign" in bugs else (a2 - Y)
        if "factor_2" in bugs:
            grad_a = 2 * grad_a
        delta2 = grad_a if "no_prime_output" in bugs else grad_a * sp(z2)
        delta1 = delta2 @ (W[2].T if "no_transpose" in bugs else W[2])
        if "prime_of_a" in bugs:
            delta1 = delta1 * sp(a1)
        elif "no_prime_hidden" not in bugs:
            delta1 = delta1 * sp(z2 if "next_z" in bugs else z1)
        gW = [None, mean(delta1.T @ X, "no_mean_W1", n), mean(delta2.T @ a1, "no_mean_W2", n)]
        gb = [
            None,
            mean(delta1.sum(axis=0), "no_mean_b1", n),
            mean(delta2.sum(axis=0), "no_mean_b2", n),
        ]
        return gW, gb

    return fn


SOLUTIONS = [numerical_gradient, backprop]

BUGS = {
    "backprop": {
        bug.key: _backprop_variant(bug.key.split("+"))
        for bug in _backprop_bugs()
        if bug.key != "accumulate"
    },
    "numerical_gradient": {
        key: _variant(key)
        for key in (
            "forward",
            "divide_by_eps",
            "no_restore",
            "all_at_once",
            "all_at_once_number",
            "rows",
            "copy",
            "flat",
        )
    },
}
