"""The reference solutions and bug variants of bplib.exercises.nb06_backpropagating_error (not installed)."""

from __future__ import annotations

from bplib import sigmoid
from bplib.exercises.nb06_backpropagating_error import s, sp


def backpropagate_error(delta_next, W_next, z, z_next):
    """BP2: the error of layer l from the error of layer l+1, batch-first.

    delta_next : (n, n_{l+1})  error of layer l+1
    W_next     : (n_{l+1}, n_l) weights of layer l+1, stored (n_out, n_in)
    z          : (n, n_l)      weighted inputs of layer l
    z_next     : (n, n_{l+1})  weighted inputs of layer l+1
    Returns (n, n_l).
    """
    ### BEGIN SOLUTION
    return (delta_next @ W_next) * sigmoid.prime(z)
    ### END SOLUTION


SOLUTIONS = [backpropagate_error]

BUGS = {
    "backpropagate_error": {
        "next_z": lambda d, W, z, zn: (d @ W) * sp(zn),
        "no_sigma_prime": lambda d, W, z, zn: d @ W,
        "no_transpose": lambda d, W, z, zn: (d @ W.T) * sp(z),
        "sigma_not_prime": lambda d, W, z, zn: (d @ W) * s(z),
        "next_z+no_transpose": lambda d, W, z, zn: (d @ W.T) * sp(zn),
    },
}
