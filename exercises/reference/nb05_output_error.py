"""The reference solutions and bug variants of bplib.exercises.nb05_output_error (not installed)."""

from __future__ import annotations

from bplib import sigmoid
from bplib.exercises.nb05_output_error import s, sp


def output_error(a_L, y, z_L):
    """BP1 for the quadratic cost and sigmoid output: delta^L of every example of a batch.

    a_L, y, z_L : (n, n_L), one example per row.   Returns (n, n_L).
    """
    ### BEGIN SOLUTION
    return (a_L - y) * sigmoid.prime(z_L)
    ### END SOLUTION


def output_error_cross_entropy(a_L, y, z_L):
    """BP1 for the cross-entropy cost and sigmoid output, in its simplest form.

    a_L, y, z_L : (n, n_L).   Returns (n, n_L).
    """
    ### BEGIN SOLUTION
    return a_L - y
    ### END SOLUTION


SOLUTIONS = [output_error, output_error_cross_entropy]

BUGS = {
    "output_error": {
        "no_sigma_prime": lambda a_L, y, z_L: a_L - y,
        "sigma_not_prime": lambda a_L, y, z_L: (a_L - y) * s(z_L),
        "prime_of_a": lambda a_L, y, z_L: (a_L - y) * sp(a_L),
        "factor_2": lambda a_L, y, z_L: 2 * (a_L - y) * sp(z_L),
        "sign": lambda a_L, y, z_L: (y - a_L) * sp(z_L),
        "matmul": lambda a_L, y, z_L: (a_L - y) @ sp(z_L).T,
    },
    "output_error_cross_entropy": {
        "kept_sigma_prime": lambda a_L, y, z_L: (a_L - y) * sp(z_L),
        "grad_a_only": lambda a_L, y, z_L: (a_L - y) / (a_L * (1 - a_L)),
        "sign": lambda a_L, y, z_L: y - a_L,
    },
}
