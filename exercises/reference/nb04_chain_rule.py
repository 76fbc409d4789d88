"""The reference solutions and bug variants of bplib.exercises.nb04_chain_rule (not installed)."""

from __future__ import annotations

import numpy as np

from bplib import sigmoid
from bplib.exercises.nb04_chain_rule import _DW_PREV_BUGS, s, sp


def dC_dw(a_prev, w_L, b_L, y):
    """dC_i/dw^L for the last neuron of the chain: z_L = w_L a_prev + b_L,
    a_L = sigmoid(z_L), C_i = (a_L - y)^2.  All arguments are numbers; return a number.
    """
    ### BEGIN SOLUTION
    z_L = w_L * a_prev + b_L
    a_L = sigmoid.fn(z_L)
    return a_prev * sigmoid.prime(z_L) * 2 * (a_L - y)
    ### END SOLUTION


def _z_a(a_prev, w, b):
    z = w * a_prev + b
    return z, s(z)


def dC_dw_prev(x, w_prev, b_prev, w_L, b_L, y):
    """dC_i/dw^(L-1) for the chain x -> (w_prev, b_prev) -> a_prev -> (w_L, b_L) -> a_L:
    z_prev = w_prev x + b_prev, a_prev = sigmoid(z_prev), z_L = w_L a_prev + b_L,
    a_L = sigmoid(z_L), C_i = (a_L - y)^2.  All arguments are numbers; return a number.
    """
    ### BEGIN SOLUTION
    z_prev = w_prev * x + b_prev
    a_prev = sigmoid.fn(z_prev)
    z_L = w_L * a_prev + b_L
    a_L = sigmoid.fn(z_L)
    return x * sigmoid.prime(z_prev) * w_L * sigmoid.prime(z_L) * 2 * (a_L - y)
    ### END SOLUTION


def _chain2(a0, w1, b1, w2, b2):
    z1 = w1 * a0 + b1
    a1 = s(z1)
    z2 = w2 * a1 + b2
    return z1, a1, z2, s(z2)


def _dC_dw_prev_variant(bug):
    def fn(a0, w1, b1, w2, b2, y):
        z1, a1, z2, a2 = _chain2(a0, w1, b1, w2, b2)
        f = {"a": a0, "p1": sp(z1), "w": w2, "p2": sp(z2), "c": 2 * (a2 - y)}
        if bug == "next_z":
            f["p1"] = sp(z2)
        elif bug == "no_w":
            f["w"] = 1.0
        elif bug == "no_inner_prime":
            f["p1"] = 1.0
        elif bug == "no_outer_prime":
            f["p2"] = 1.0
        elif bug == "stray_half":
            f["c"] = a2 - y
        elif bug == "sign":
            f["c"] = 2 * (y - a2)
        elif bug == "a_prev_for_x":
            f["a"] = a1
        elif bug == "w_prev_for_x":
            f["a"] = w1
        elif bug == "w_prev_for_w_L":
            f["w"] = w1
        elif bug == "no_x":
            f["a"] = 1.0
        elif bug == "last_weight":
            f = {"a": a1, "p2": sp(z2), "c": 2 * (a2 - y)}
        return float(np.prod(list(f.values())))

    return fn


SOLUTIONS = [dC_dw, dC_dw_prev]

BUGS = {
    "dC_dw_prev": {key: _dC_dw_prev_variant(key) for key, _ in _DW_PREV_BUGS},
    "dC_dw": {
        "no_sigma_prime": lambda a_prev, w, b, y: a_prev * 2 * (_z_a(a_prev, w, b)[1] - y),
        "sigma_not_prime": lambda a_prev, w, b, y: (
            a_prev * s(w * a_prev + b) * 2 * (_z_a(a_prev, w, b)[1] - y)
        ),
        "prime_of_a": lambda a_prev, w, b, y: (
            a_prev * sp(_z_a(a_prev, w, b)[1]) * 2 * (_z_a(a_prev, w, b)[1] - y)
        ),
        "stray_half": lambda a_prev, w, b, y: (
            a_prev * sp(w * a_prev + b) * (_z_a(a_prev, w, b)[1] - y)
        ),
        "sign": lambda a_prev, w, b, y: (
            a_prev * sp(w * a_prev + b) * 2 * (y - _z_a(a_prev, w, b)[1])
        ),
        "dC_db": lambda a_prev, w, b, y: sp(w * a_prev + b) * 2 * (_z_a(a_prev, w, b)[1] - y),
        "dC_da_prev": lambda a_prev, w, b, y: (
            w * sp(w * a_prev + b) * 2 * (_z_a(a_prev, w, b)[1] - y)
        ),
        "own_output": lambda a_prev, w, b, y: (
            _z_a(a_prev, w, b)[1] * sp(w * a_prev + b) * 2 * (_z_a(a_prev, w, b)[1] - y)
        ),
    },
}
