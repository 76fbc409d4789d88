"""The reference solutions and bug variants of bplib.exercises.nb04_chain_rule (not installed)."""

from __future__ import annotations

from bplib import sigmoid
from bplib.exercises.nb04_chain_rule import _DW_PREV_BUGS, s, sp


def dC_dw(a_prev, w_L, b_L, y):
    """dC_i/dw^L for the last neuron of the chain: z_L = w_L a_prev + b_L,
    a_L = sigmoid(z_L), C_i = 1/2 (a_L - y)^2.  All arguments are numbers; return a number.
    """
    ### BEGIN SOLUTION
    z_L = w_L * a_prev + b_L
    a_L = sigmoid.fn(z_L)
    return a_prev * sigmoid.prime(z_L) * (a_L - y)
    ### END SOLUTION


def dC_da_prev(a_prev, w_L, b_L, y):
    """dC_i/da^(L-1) for the last neuron of the chain: z_L = w_L a_prev + b_L,
    a_L = sigmoid(z_L), C_i = 1/2 (a_L - y)^2.  All arguments are numbers; return a number.
    """
    ### BEGIN SOLUTION
    z_L = w_L * a_prev + b_L
    a_L = sigmoid.fn(z_L)
    return w_L * sigmoid.prime(z_L) * (a_L - y)
    ### END SOLUTION


def dC_dw_prev(x, w_prev, b_prev, dC_da_prev):
    """dC_i/dw^(L-1) for the neuron of layer L-1: z_prev = w_prev x + b_prev,
    a_prev = sigmoid(z_prev), given dC_da_prev = dC_i/da^(L-1) (exercise 4.2's number).
    All arguments are numbers; return a number.
    """
    ### BEGIN SOLUTION
    z_prev = w_prev * x + b_prev
    return x * sigmoid.prime(z_prev) * dC_da_prev
    ### END SOLUTION


def _z_a(a_prev, w, b):
    z = w * a_prev + b
    return z, s(z)


def _last(first, prime, cost):
    """A variant of 4.1 or 4.2: first(a_prev, w, a_L) * prime(z, a_L) * cost(a_L, y)."""

    def fn(a_prev, w, b, y):
        z, a = _z_a(a_prev, w, b)
        return first(a_prev, w, a) * prime(z, a) * cost(a, y)

    return fn


_RIGHT_PRIME = lambda z, a: sp(z)  # noqa: E731
_RIGHT_COST = lambda a, y: a - y  # noqa: E731


def _variants(right_first):
    """The bugs both 4.1 and 4.2 can have, around the right first factor."""
    return {
        "no_sigma_prime": _last(right_first, lambda z, a: 1.0, _RIGHT_COST),
        "sigma_not_prime": _last(right_first, lambda z, a: s(z), _RIGHT_COST),
        "prime_of_a": _last(right_first, lambda z, a: sp(a), _RIGHT_COST),
        "stray_two": _last(right_first, _RIGHT_PRIME, lambda a, y: 2 * (a - y)),
        "sign": _last(right_first, _RIGHT_PRIME, lambda a, y: y - a),
        "dC_db": _last(lambda a_prev, w, a: 1.0, _RIGHT_PRIME, _RIGHT_COST),
    }


def _dC_dw_prev_variant(bug):
    def fn(x, w_prev, b_prev, g):
        z = w_prev * x + b_prev
        f = {"x": x, "p": sp(z), "g": g}
        if bug == "no_prime":
            f["p"] = 1.0
        elif bug == "sigma_not_prime":
            f["p"] = s(z)
        elif bug == "prime_of_a":
            f["p"] = sp(s(z))
        elif bug == "a_prev_for_x":
            f["x"] = s(z)
        elif bug == "w_prev_for_x":
            f["x"] = w_prev
        elif bug == "extra_weight":
            f["w"] = w_prev
        elif bug == "no_x":
            f["x"] = 1.0
        elif bug == "no_dC_da":
            f["g"] = 1.0
        out = 1.0
        for v in f.values():
            out = out * v
        return float(out)

    return fn


SOLUTIONS = [dC_dw, dC_da_prev, dC_dw_prev]

_W_FIRST = lambda a_prev, w, a: a_prev  # noqa: E731
_A_FIRST = lambda a_prev, w, a: w  # noqa: E731

BUGS = {
    "dC_dw": {
        **_variants(_W_FIRST),
        "weight_for_input": _last(lambda a_prev, w, a: w, _RIGHT_PRIME, _RIGHT_COST),
        "own_output": _last(lambda a_prev, w, a: a, _RIGHT_PRIME, _RIGHT_COST),
        "prime_of_a_prev": _last(
            lambda a_prev, w, a: a_prev * sp(a_prev), lambda z, a: 1.0, _RIGHT_COST
        ),
    },
    "dC_da_prev": {
        **_variants(_A_FIRST),
        "dC_dw": _last(_W_FIRST, _RIGHT_PRIME, _RIGHT_COST),
        "past_a_prev": _last(
            lambda a_prev, w, a: w * a_prev * (1 - a_prev), _RIGHT_PRIME, _RIGHT_COST
        ),
        "prime_past_a_prev": _last(lambda a_prev, w, a: w * sp(a_prev), _RIGHT_PRIME, _RIGHT_COST),
    },
    "dC_dw_prev": {key: _dC_dw_prev_variant(key) for key, _ in _DW_PREV_BUGS},
}
