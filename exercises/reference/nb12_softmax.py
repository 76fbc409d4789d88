"""The reference solutions and bug variants of bplib.exercises.nb12_softmax (not installed)."""

from __future__ import annotations

import numpy as np


def categorical_cost(Z, Y):
    """C_i = -sum_j y_j ln p_j with p = softmax(z), for every example, from Z directly: finite
    even where softmax(Z) has an entry that underflows to 0 or exp(Z) overflows.

    Z, Y : (n, K), one example per row, each row of Y one-hot.   Returns (n,).
    """
    ### BEGIN SOLUTION
    Z_max = Z.max(axis=1, keepdims=True)  # (2): every exponential at most 1
    log_D = Z_max + np.log(np.exp(Z - Z_max).sum(axis=1, keepdims=True))  # ln sum_c e^{z_c}
    return np.sum(Y * (log_D - Z), axis=1)  # -ln p_j = ln D - z_j
    ### END SOLUTION


def _lse(z, axis):
    m = z.max(axis=axis, keepdims=True)
    return m + np.log(np.exp(z - m).sum(axis=axis, keepdims=True))


def output_error_any_target(P, Y):
    """Delta^L, row i = dC_i/dz^L of example i, for a softmax output p = softmax(z^L) and the
    cost C_i = -sum_j y_j ln p_j, when a target row y need not sum to 1.

    P, Y : (n, K), one example per row; the rows of P sum to 1, the rows of Y are >= 0.
    Returns (n, K).
    """
    ### BEGIN SOLUTION
    return P * Y.sum(axis=1, keepdims=True) - Y
    ### END SOLUTION


SOLUTIONS = [categorical_cost, output_error_any_target]

BUGS = {
    "categorical_cost": {
        "shift_not_added_back": lambda z, y: np.sum(
            y * (_lse(z, 1) - z.max(1, keepdims=True) - z), axis=1
        ),
        "sign": lambda z, y: -np.sum(y * (_lse(z, 1) - z), axis=1),
        "over_examples": lambda z, y: np.sum(y * (_lse(z, 0) - z), axis=1),
        "batch_total": lambda z, y: np.sum(y * (_lse(z, 1) - z)),
    },
    "output_error_any_target": {
        "p_minus_y": lambda p, y: p - y,
        "diagonal_only": lambda p, y: -y * (1 - p),
        "grad_p": lambda p, y: -y / p,
        "normalised_y": lambda p, y: p - y / y.sum(axis=1, keepdims=True),
        "batch_total": lambda p, y: p * y.sum() - y,
        "class_total": lambda p, y: p * y.sum(axis=0, keepdims=True) - y,
        "times_total": lambda p, y: (p - y) * y.sum(axis=1, keepdims=True),
        "no_kronecker": lambda p, y: p * y.sum(axis=1, keepdims=True),
        "sign": lambda p, y: y - p * y.sum(axis=1, keepdims=True),
    },
}


def softmax_backward(W, sigmas, z, a, Y):
    """The gradients of the mean quadratic cost C = (1/n) Σ_i ½‖p_i − y_i‖², by BP1–BP4,
    for a network whose output layer is a softmax (sigmas[L] is bplib.softmax).

    W      : list indexed by layer, W[l] is W^l (n_l, n_{l-1}); W[0] is None.
    sigmas : list indexed by layer, the activation of each layer; sigmas[L] is the softmax.
    z, a   : the forward pass of the batch: z[l], a[l] are (n, n_l); a[0] is X.
    Y      : (n, n_L), one-hot targets, one example per row.
    Returns grad_W, grad_b: lists indexed by layer like W; index 0 holds None.
    """
    ### BEGIN SOLUTION
    L, n = len(W) - 1, len(Y)
    grad_W, grad_b = [None] * (L + 1), [None] * (L + 1)
    P = a[L]
    G = P - Y  # the gradient of C_i with respect to p, one row per example
    delta = P * (G - (G * P).sum(axis=1, keepdims=True))  # BP1: J^T g = p * (g - g.p), row by row
    for l in range(L, 0, -1):  # l = L, ..., 1; delta is the error of layer l
        grad_b[l] = delta.mean(axis=0)  # BP3
        grad_W[l] = delta.T @ a[l - 1] / n  # BP4
        if l > 1:  # BP2: the error of layer l - 1 replaces it
            delta = (delta @ W[l]) * sigmas[l - 1].prime(z[l - 1])
    return grad_W, grad_b
    ### END SOLUTION


def _backward_from(delta, W, sigmas, z, a, n):
    L = len(W) - 1
    grad_W, grad_b = [None] * (L + 1), [None] * (L + 1)
    for l in range(L, 0, -1):
        grad_b[l] = delta.sum(axis=0) / n
        grad_W[l] = delta.T @ a[l - 1] / n
        if l > 1:
            delta = (delta @ W[l]) * sigmas[l - 1].prime(z[l - 1])
    return grad_W, grad_b


def _sm_p_minus_y(W, sigmas, z, a, Y):
    return _backward_from(a[-1] - Y, W, sigmas, z, a, len(Y))


def _sm_diagonal_only(W, sigmas, z, a, Y):  # g_c p_c(1 - p_c), one class at a time
    P = a[-1]
    return _backward_from((P - Y) * P * (1 - P), W, sigmas, z, a, len(Y))


def _sm_no_dot_term(W, sigmas, z, a, Y):
    P = a[-1]
    return _backward_from(P * (P - Y), W, sigmas, z, a, len(Y))


def _sm_dot_sign(W, sigmas, z, a, Y):
    P = a[-1]
    G = P - Y
    return _backward_from(P * (G + (G * P).sum(axis=1, keepdims=True)), W, sigmas, z, a, len(Y))


def _sm_batch_dot(W, sigmas, z, a, Y):
    P = a[-1]
    G = P - Y
    return _backward_from(P * (G - np.sum(G * P)), W, sigmas, z, a, len(Y))


def _sm_no_mean(W, sigmas, z, a, Y):
    P = a[-1]
    G = P - Y
    return _backward_from(P * (G - (G * P).sum(axis=1, keepdims=True)), W, sigmas, z, a, 1)


SOLUTIONS.append(softmax_backward)
BUGS["softmax_backward"] = {
    "p_minus_y": _sm_p_minus_y,
    "diagonal_only": _sm_diagonal_only,
    "no_dot_term": _sm_no_dot_term,
    "dot_sign": _sm_dot_sign,
    "batch_dot": _sm_batch_dot,
    "no_mean": _sm_no_mean,
}
