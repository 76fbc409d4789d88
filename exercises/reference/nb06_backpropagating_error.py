"""The reference solutions and bug variants of bplib.exercises.nb06_backpropagating_error (not installed)."""

from __future__ import annotations

from bplib import sigmoid


def backpropagate_error(delta_next, W_next, z, sigma):
    """BP2: the error of layer l from the error of layer l+1, batch-first.

    delta_next : (n, n_{l+1})  error of layer l+1
    W_next     : (n_{l+1}, n_l) weights of layer l+1, stored (n_out, n_in)
    z          : (n, n_l)      weighted inputs of layer l
    sigma      : layer l's activation (sigma.fn, sigma.prime)
    Returns (n, n_l).
    """
    ### BEGIN SOLUTION
    return (delta_next @ W_next) * sigma.prime(z)
    ### END SOLUTION


SOLUTIONS = [backpropagate_error]

BUGS = {
    "backpropagate_error": {
        "no_sigma_prime": lambda d, W, z, sg: d @ W,
        "no_transpose": lambda d, W, z, sg: (d @ W.T) * sg.prime(z),
        "matmul_prime_transposed": lambda d, W, z, sg: (d @ W) @ sg.prime(z).T,
        "sigma_not_prime": lambda d, W, z, sg: (d @ W) * sg.fn(z),
        "prime_of_a": lambda d, W, z, sg: (d @ W) * sg.prime(sg.fn(z)),
        "prime_of_error": lambda d, W, z, sg: sg.prime(d @ W),
        "times_prime_of_error": lambda d, W, z, sg: (d @ W) * sg.prime(d @ W),
        "sigmoid_prime_always": lambda d, W, z, sg: (d @ W) * sigmoid.prime(z),
        "a_one_minus_a": lambda d, W, z, sg: (d @ W) * sg.fn(z) * (1 - sg.fn(z)),
    },
}
