"""The reference solutions and bug variants of bplib.exercises.nb06_backpropagating_error (not installed)."""

from __future__ import annotations

from bplib import sigmoid


def delta_of_neuron(k, delta_next, W_next, z, z_next):
    """BP2 for one neuron k of layer l, one example, sigmoid layers: dC_i/dz^l_k.

    k          : numpy index of the neuron in layer l
    delta_next : (n_{l+1},)      error of layer l+1
    W_next     : (n_{l+1}, n_l)  weights of layer l+1, stored (n_out, n_in)
    z, z_next  : (n_l,), (n_{l+1},)  weighted inputs of layers l and l+1
    Returns the number delta^l_k.
    """
    ### BEGIN SOLUTION
    total = 0.0
    for j in range(len(delta_next)):
        total += W_next[j, k] * delta_next[j]
    return total * sigmoid.prime(z[k])
    ### END SOLUTION


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


SOLUTIONS = [delta_of_neuron, backpropagate_error]

BUGS = {
    "delta_of_neuron": {
        "row_not_column": lambda k, d, W, z, zn: (W[k, :] @ d) * sigmoid.prime(z[k]),
        "row_and_next_prime": lambda k, d, W, z, zn: (W[k, :] * d * sigmoid.prime(zn)).sum(),
        "next_layer_prime": lambda k, d, W, z, zn: (W[:, k] * d * sigmoid.prime(zn)).sum(),
        "both_primes": lambda k, d, W, z, zn: (
            (W[:, k] * d * sigmoid.prime(zn)).sum() * sigmoid.prime(z[k])
        ),
        "next_prime_at_k": lambda k, d, W, z, zn: (W[:, k] @ d) * sigmoid.prime(zn[k]),
        "sigma_not_prime": lambda k, d, W, z, zn: (W[:, k] @ d) * sigmoid.fn(z[k]),
        "no_sigma_prime": lambda k, d, W, z, zn: W[:, k] @ d,
        "prime_of_a": lambda k, d, W, z, zn: (W[:, k] @ d) * sigmoid.prime(sigmoid.fn(z[k])),
        "prime_of_whole_z": lambda k, d, W, z, zn: (W[:, k] @ d) * sigmoid.prime(z),
    },
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
        "z_one_minus_z": lambda d, W, z, sg: (d @ W) * z * (1 - z),
        "divided_by_n": lambda d, W, z, sg: (d @ W) * sg.prime(z) / len(d),
    },
}
