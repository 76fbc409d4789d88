"""The reference solutions and bug variants of bplib.exercises.nb10_your_own_backprop (not installed)."""

from __future__ import annotations

import numpy as np

from bplib import sigmoid
from bplib.exercises.nb10_your_own_backprop import BACKWARD_BUGS, FORWARD_BUGS


def my_forward(W, b, sigmas, X):
    """The forward pass of a network of any depth, every layer kept.

    W, b   : lists indexed by layer: W[l] is W^l, shape (n_l, n_{l-1}), and b[l] is b^l,
             shape (n_l,), for l = 1..L; W[0] and b[0] are None (the input layer).
    sigmas : list indexed by layer: sigmas[l] is the activation of layer l, with
             sigmas[l].fn(z) = σ_l(z) and sigmas[l].prime(z) = σ_l′(z); sigmas[0] is None.
    X      : (n, n_0), one example per row.
    Returns z, a: lists indexed by layer, z[l] = z^l and a[l] = a^l, each (n, n_l),
    for l = 1..L; z[0] is None and a[0] is X.
    """
    ### BEGIN SOLUTION
    z, a = [None], [X]
    for l in range(1, len(W)):
        z.append(a[l - 1] @ W[l].T + b[l])  # z^l = a^{l-1} (W^l)^T + b^l
        a.append(sigmas[l].fn(z[l]))  # a^l = σ_l(z^l)
    return z, a
    ### END SOLUTION


def my_backward(W, sigmas, cost, z, a, Y):
    """The gradients of the batch cost C = (1/n) Σ_i C_i for every layer, by BP1–BP4.

    W      : list indexed by layer, W[l] is W^l (n_l, n_{l-1}); W[0] is None.
    sigmas : list indexed by layer, the activation of each layer (.fn, .prime); sigmas[0] is None.
    cost   : cost.grad_a(a_L, Y) is ∇_a C_i, one row per example, shape (n, n_L).
    z, a   : what my_forward returned for the batch: z[l], a[l] are (n, n_l); a[0] is X.
    Y      : (n, n_L), the targets, one example per row.
    Returns grad_W, grad_b: lists indexed by layer like W, grad_W[l] = ∂C/∂W^l with
    the shape of W^l and grad_b[l] = ∂C/∂b^l, shape (n_l,); index 0 holds None.
    """
    ### BEGIN SOLUTION
    L, n = len(W) - 1, len(Y)
    grad_W, grad_b = [None] * (L + 1), [None] * (L + 1)
    delta = cost.grad_a(a[L], Y) * sigmas[L].prime(z[L])  # BP1: the error of layer L
    for l in range(L, 0, -1):  # l = L, ..., 1; delta is the error of layer l
        grad_b[l] = delta.mean(axis=0)  # BP3
        grad_W[l] = delta.T @ a[l - 1] / n  # BP4
        if l > 1:  # BP2: the error of layer l - 1 replaces it
            delta = (delta @ W[l]) * sigmas[l - 1].prime(z[l - 1])
    return grad_W, grad_b
    ### END SOLUTION


def my_input_gradient(W, sigmas, cost, z, a, Y):
    """The gradient of the batch cost C = (1/n) Σ_i C_i with respect to the input X.

    The arguments are those of my_backward. Returns ∂C/∂X, shape (n, n_0) like X:
    row i is ∂C/∂x_i.
    """
    ### BEGIN SOLUTION
    L, n = len(W) - 1, len(Y)
    delta = cost.grad_a(a[L], Y) * sigmas[L].prime(z[L])  # BP1: delta^L
    for l in range(L - 1, 0, -1):  # BP2, down to delta^1
        delta = (delta @ W[l + 1]) * sigmas[l].prime(z[l])
    return delta @ W[1] / n  # one step further: no σ′ at the input; C's 1/n
    ### END SOLUTION


def _deltas(W, sigmas, cost, z, a, Y, first_hidden=False):
    L = len(W) - 1
    delta = [None] * (L + 1)
    delta[L] = cost.grad_a(a[L], Y) * sigmas[L].prime(z[L])
    for l in range(L - 1, 0, -1):
        sigma = sigmas[1] if first_hidden else sigmas[l]  # layer 1's σ′ in every hidden layer
        delta[l] = (delta[l + 1] @ W[l + 1]) * sigma.prime(z[l])
    return delta


def _input_gradient_variant(bug):
    def fn(W, sigmas, cost, z, a, Y):
        delta, n = _deltas(W, sigmas, cost, z, a, Y, bug == "first_hidden_prime"), len(Y)
        if bug == "delta_1":
            return delta[1] / n
        if bug == "stops_at_delta_2":
            return delta[2] @ W[2] / n if len(W) > 2 else delta[1] @ W[1] / n
        back = delta[1] @ (W[1].T if bug == "no_transpose" else W[1])
        if bug == "prime_at_input":
            back = back * sigmas[1].prime(a[0])
        if bug == "prime_at_z1":  # layer 1's σ′ taken twice, the second time past δ^1
            back = back * sigmas[1].prime(z[1])
        if bug == "one_row":
            return back.mean(axis=0)
        if bug == "one_row_sum":
            return back.sum(axis=0)
        if bug == "mean_every_row":  # BP3's mean over the rows, copied into every row
            return np.tile(back.mean(axis=0), (n, 1))
        return back if bug == "no_mean" else back / n

    return fn


s_fn, s_prime = sigmoid.fn, sigmoid.prime


def forward_variant(bugs):
    """my_forward with the named bugs (keys of FORWARD_BUGS); at least one."""
    bugs = frozenset(bugs)
    assert bugs and bugs <= set(FORWARD_BUGS), bugs

    def fn(W, b, sigmas, X):
        L = len(W) - 1
        z, a = [None], [X]
        for l in range(1, L if "loop_short" in bugs else L + 1):
            if "sigmoid_fixed" in bugs:
                act = s_fn
            else:
                first = "first_sigma" in bugs or ("first_hidden_sigma" in bugs and l < L)
                act = sigmas[L if "last_sigma" in bugs else 1 if first else l].fn
            inp = X if "input_every_layer" in bugs else a[l - 1]
            if "column_form" in bugs:  # raises unless the batch happens to fit
                zl = W[l] @ inp
            else:
                zl = inp @ (W[l] if "no_transpose" in bugs else W[l].T)
            if "no_bias" not in bugs:
                zl = zl + b[l]
            al = zl if ("linear_output" in bugs and l == L) else act(zl)
            if "sigma_twice" in bugs:
                zl = act(zl)
                al = act(zl)
            z.append(al if "z_is_a" in bugs else zl)
            a.append(al)
        if "lists_from_1" in bugs:
            z, a = z[1:], a[1:]
        if "swapped_lists" in bugs:
            return a, z
        return z, a

    return fn


def backward_variant(bugs):
    """my_backward with the named bugs (keys of BACKWARD_BUGS); at least one."""
    bugs = frozenset(bugs)
    assert bugs and bugs <= set(BACKWARD_BUGS), bugs

    def fn(W, sigmas, cost, z, a, Y):
        L, n = len(W) - 1, len(Y)

        def prime(l):  # the derivative of layer l's activation, as the bugs have it
            if "sigmoid_prime" in bugs:
                return s_prime
            if "first_sigma_prime" in bugs or ("first_hidden_prime" in bugs and l < L):
                return sigmas[1].prime
            return sigmas[L if "last_sigma_prime" in bugs else l].prime

        def d(l):  # σ_l′(z^l), as the bugs have it
            if "a_times_1_minus_a" in bugs:
                return a[l] * (1 - a[l])
            of_a = "prime_of_a" in bugs or (
                "prime_of_a_output" in bugs if l == L else "prime_of_a_hidden" in bugs
            )
            return prime(l)(a[l] if of_a else z[l])

        grad_a = (a[L] - Y) if "a_minus_y" in bugs else cost.grad_a(a[L], Y)
        if "sign" in bugs:
            grad_a = -grad_a
        if "factor_2" in bugs:
            grad_a = 2 * grad_a
        delta = [np.zeros_like(zl) if zl is not None else None for zl in z]
        delta[L] = grad_a if "no_prime_output" in bugs else grad_a * d(L)
        for l in range(L - 1, 1 if "bp2_stops_early" in bugs else 0, -1):
            Wb = W[l] if "wrong_weights" in bugs else W[l + 1]  # the layer below's weights
            back = delta[l + 1] @ (Wb.T if "no_transpose" in bugs else Wb)
            if "z_above" in bugs:  # the right layer's σ′, at the z of the layer above
                back = back * prime(l)(z[l + 1])
            elif "next_z" in bugs:
                back = back * prime(l + 1)(z[l + 1])
            elif "last_z" in bugs:
                back = back * prime(L)(z[L])
            elif "sigma_next" in bugs:
                back = back * prime(l + 1)(z[l])
            elif "no_prime_hidden" not in bugs:
                back = back * d(l)
            delta[l] = back
        grad_W, grad_b = [None] * (L + 1), [None] * (L + 1)
        if "layer1_delta2" in bugs and L > 1:  # the last step of BP2 skipped
            delta[1] = delta[2]
        for l in range(1, L if "grad_loop_short" in bugs else L + 1):
            if "bias_axis_1" in bugs:  # the mean over each row: one number per example
                grad_b[l] = delta[l].mean(axis=1)
            else:
                grad_b[l] = delta[l].sum(axis=0) / (1 if bugs & {"no_mean", "no_mean_b"} else n)
            a_in = a[l] if "a_l" in bugs else a[l - 1]
            if "grad_W_transposed" in bugs:  # (n_{l-1}, n_l): runs on square layers only
                grad_W[l] = a_in.T @ delta[l] / (1 if bugs & {"no_mean", "no_mean_W"} else n)
            else:
                grad_W[l] = delta[l].T @ a_in / (1 if bugs & {"no_mean", "no_mean_W"} else n)
        if "layer1_missing" in bugs:  # `range(L, 1, -1)` in the one-error loop
            grad_W[1], grad_b[1] = np.zeros_like(W[1]), np.zeros(len(W[1]))
        if "swapped_lists" in bugs:
            return grad_b, grad_W
        return grad_W, grad_b

    return fn


SOLUTIONS = [my_forward, my_backward, my_input_gradient]

BUGS = {
    "my_input_gradient": {
        key: _input_gradient_variant(key)
        for key in (
            "no_mean",
            "prime_at_input",
            "prime_at_z1",
            "one_row",
            "one_row_sum",
            "mean_every_row",
            "no_transpose",
            "stops_at_delta_2",
            "delta_1",
            "first_hidden_prime",
        )
    }
}

ZOO = {"my_forward": forward_variant, "my_backward": backward_variant}
