"""The reference solutions and bug variants of bplib.exercises.nb05_output_error (not installed)."""

from __future__ import annotations

from bplib import sigmoid
from bplib.exercises.nb05_output_error import sp


def output_error(a_L, y, z_L, c, sigma):
    """BP1 for the weighted quadratic cost C_i = 1/2 sum_j c_j (a_j - y_j)^2, batch as rows.

    a_L, y, z_L : (n, n_L), one example per row; a_L = sigma.fn(z_L).
    sigma : the output activation (bplib.sigmoid or bplib.tanh).
    c : (n_L,), the importance of each output node.   Returns (n, n_L).
    """
    ### BEGIN SOLUTION
    return c * (a_L - y) * sigma.prime(z_L)
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
        "no_weights": lambda a_L, y, z_L, c, sigma: (a_L - y) * sigma.prime(z_L),
        "no_sigma_prime": lambda a_L, y, z_L, c, sigma: c * (a_L - y),
        "sigma_not_prime": lambda a_L, y, z_L, c, sigma: c * (a_L - y) * sigma.fn(z_L),
        "prime_of_a": lambda a_L, y, z_L, c, sigma: c * (a_L - y) * sigma.prime(a_L),
        "factor_2": lambda a_L, y, z_L, c, sigma: 2 * c * (a_L - y) * sigma.prime(z_L),
        "weights_squared": lambda a_L, y, z_L, c, sigma: c**2 * (a_L - y) * sigma.prime(z_L),
        "sign": lambda a_L, y, z_L, c, sigma: c * (y - a_L) * sigma.prime(z_L),
        "summed_over_nodes": lambda a_L, y, z_L, c, sigma: (
            (c * (a_L - y)).sum(axis=1, keepdims=True) * sigma.prime(z_L)
        ),
        "summed_everything": lambda a_L, y, z_L, c, sigma: (c * (a_L - y)).sum() * sigma.prime(z_L),
        "matmul": lambda a_L, y, z_L, c, sigma: (c * (a_L - y)) @ sigma.prime(z_L).T,
        "sigmoid_prime_always": lambda a_L, y, z_L, c, sigma: c * (a_L - y) * sigmoid.prime(z_L),
        "a_one_minus_a": lambda a_L, y, z_L, c, sigma: c * (a_L - y) * a_L * (1 - a_L),
    },
    "output_error_cross_entropy": {
        "kept_sigma_prime": lambda a_L, y, z_L: (a_L - y) * sp(z_L),
        "grad_a_only": lambda a_L, y, z_L: (a_L - y) / (a_L * (1 - a_L)),
        "sign": lambda a_L, y, z_L: y - a_L,
        "unsimplified": lambda a_L, y, z_L: (a_L - y) / (a_L * (1 - a_L)) * sp(z_L),
    },
}
