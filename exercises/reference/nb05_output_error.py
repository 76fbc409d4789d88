"""The reference solutions and bug variants of bplib.exercises.nb05_output_error (not installed)."""

from __future__ import annotations

from bplib import sigmoid
from bplib.exercises.nb05_output_error import sp


def output_error(a_L, y, z_L, sigma):
    """BP1 for the quadratic cost: delta^L of every example of a batch.

    a_L, y, z_L : (n, n_L), one example per row; a_L = sigma.fn(z_L).
    sigma : the output activation (bplib.sigmoid or bplib.tanh).   Returns (n, n_L).
    """
    ### BEGIN SOLUTION
    return (a_L - y) * sigma.prime(z_L)
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
        "no_sigma_prime": lambda a_L, y, z_L, sigma: a_L - y,
        "sigma_not_prime": lambda a_L, y, z_L, sigma: (a_L - y) * sigma.fn(z_L),
        "prime_of_a": lambda a_L, y, z_L, sigma: (a_L - y) * sigma.prime(a_L),
        "factor_2": lambda a_L, y, z_L, sigma: 2 * (a_L - y) * sigma.prime(z_L),
        "sign": lambda a_L, y, z_L, sigma: (y - a_L) * sigma.prime(z_L),
        "summed_over_nodes": lambda a_L, y, z_L, sigma: (
            (a_L - y).sum(axis=1, keepdims=True) * sigma.prime(z_L)
        ),
        "matmul": lambda a_L, y, z_L, sigma: (a_L - y) @ sigma.prime(z_L).T,
        "sigmoid_prime_always": lambda a_L, y, z_L, sigma: (a_L - y) * sigmoid.prime(z_L),
        "a_one_minus_a": lambda a_L, y, z_L, sigma: (a_L - y) * a_L * (1 - a_L),
    },
    "output_error_cross_entropy": {
        "kept_sigma_prime": lambda a_L, y, z_L: (a_L - y) * sp(z_L),
        "grad_a_only": lambda a_L, y, z_L: (a_L - y) / (a_L * (1 - a_L)),
        "sign": lambda a_L, y, z_L: y - a_L,
        "unsimplified": lambda a_L, y, z_L: (a_L - y) / (a_L * (1 - a_L)) * sp(z_L),
    },
}
