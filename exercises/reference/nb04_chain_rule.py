"""The reference solutions and bug variants of bplib.exercises.nb04_chain_rule (not installed)."""

from __future__ import annotations

from bplib import sigmoid
from bplib.exercises.nb04_chain_rule import _CHAIN_BUGS, s, sp


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


def dC_dw_chain(x, y, w, b):
    """dC_i/dw^l for every layer of a chain of L single neurons: z^l = w^l a^(l-1) + b^l,
    a^l = sigmoid(z^l), a^0 = x, C_i = 1/2 (a^L - y)^2.  w and b are lists indexed by layer
    (w[0] and b[0] are None); return a list indexed the same way, None first.
    """
    ### BEGIN SOLUTION
    L = len(w) - 1
    z, a = [None], [x]  # indexed by layer, a[0] = x
    for l in range(1, L + 1):
        z.append(w[l] * a[l - 1] + b[l])
        a.append(sigmoid.fn(z[l]))
    g = a[L] - y  # dC_i/da^L
    grad_w = [None] * (L + 1)
    for l in range(L, 0, -1):  # from layer L down to 1
        g_z = sigmoid.prime(z[l]) * g  # times layer l's own slope
        grad_w[l] = a[l - 1] * g_z
        g = w[l] * g_z  # dC_i/da^(l-1), handed down
    return grad_w
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


def _chain_variant(bug):
    def fn(x, y, w, b):
        L = len(w) - 1
        z, a = [None], [x]
        for l in range(1, L + 1):
            z.append(w[l] * a[l - 1] + b[l])
            a.append(s(z[l]))
        g = {"stray_two": 2 * (a[L] - y), "sign": y - a[L]}.get(bug, a[L] - y)
        if bug == "prime_only_at_output":  # g = delta^L once, then g = w[l] * g
            g = sp(z[L]) * g
        grad_w = [None] * (L + 1)
        for l in range(L, 0, -1):
            prime = {"prime_of_last_z": sp(z[L]), "prime_of_a": sp(a[l])}.get(bug, sp(z[l]))
            if bug == "prime_only_at_output":
                prime = 1.0
            g_z = prime * g
            first = {"weight_for_input": w[l], "own_output": a[l], "biases": 1.0}
            grad_w[l] = first.get(bug, a[l - 1]) * g_z
            if bug == "no_prime_handed_back":
                g = w[l] * g
            elif bug == "no_weight_handed_back":
                g = g_z
            elif bug == "weight_below_handed_back":
                g = (w[l - 1] if l > 1 else 0.0) * g_z
            else:
                g = w[l] * g_z
        if bug == "no_none":
            return grad_w[1:]
        return [None] + grad_w[1:][::-1] if bug == "reversed" else grad_w

    return fn


SOLUTIONS = [dC_dw, dC_da_prev, dC_dw_chain]

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
    "dC_dw_chain": {key: _chain_variant(key) for key, _ in _CHAIN_BUGS},
}
