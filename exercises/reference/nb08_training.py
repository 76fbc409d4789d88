"""The reference solutions and bug variants of bplib.exercises.nb08_training (not installed)."""

from __future__ import annotations

import numpy as np

import bplib


def sgd_update(W, b, grad_W, grad_b, eta):
    """One step of gradient descent for the weights and biases of every layer.

    W, b, grad_W, grad_b : lists indexed by layer, like net.W and net.b: W[l] is W^l for
    l = 1..L, and W[0] is None (the input layer has no parameters).
    Return the new lists (W, b) (or update the arrays in place and return None).
    """
    ### BEGIN SOLUTION
    new_W = [None] + [W[l] - eta * grad_W[l] for l in range(1, len(W))]
    new_b = [None] + [b[l] - eta * grad_b[l] for l in range(1, len(b))]
    return new_W, new_b
    ### END SOLUTION


def _sgd_variant(sign=-1, use_eta=True, only=None, do_W=True, do_b=True):
    """The update with a bug; ``only`` is None (every layer), "first" or "last"."""

    def fn(W, b, grad_W, grad_b, eta):
        e = eta if use_eta else 1.0
        L = len(W) - 1
        layers = range(1, L + 1) if only is None else [1 if only == "first" else L]

        def step(params, grads, do):
            return [None] + [
                params[l] + sign * e * grads[l] if do and l in layers else params[l].copy()
                for l in range(1, L + 1)
            ]

        return step(W, grad_W, do_W), step(b, grad_b, do_b)

    return fn


def sgd_step(W, b, sigmas, a0, Y, eta):
    """One step of mini-batch SGD on the batch (a0, Y), quadratic cost, any depth.

    W, b : lists indexed by layer, W[0] and b[0] None; sigmas[l] is layer l's activation.
    Return the lists (W, b) after the step.
    """
    ### BEGIN SOLUTION
    L = len(W) - 1  # the output layer
    z, a = bplib.feedforward_layers(W, b, sigmas, a0)  # (1), a[0] is a0
    delta_L = bplib.output_error(a[L], Y, z[L], bplib.quadratic, sigmas[L])  # (2) BP1
    delta = [None] * L + [delta_L]  # delta[l] is the error of layer l
    for l in range(L - 1, 0, -1):  # (3) BP2, one layer at a time, down to layer 1
        delta[l] = bplib.backpropagate_error(delta[l + 1], W[l + 1], z[l], sigmas[l])
    grad_b = [None] + [bplib.bias_gradient(delta[l]) for l in range(1, L + 1)]  # (4)
    grad_W = [None] + [bplib.weight_gradient(delta[l], a[l - 1]) for l in range(1, L + 1)]  # (5)
    return sgd_update(W, b, grad_W, grad_b, eta)  # (6), exercise 8.1
    ### END SOLUTION


def _step_variant(bug):
    """sgd_step with one named bug, written as a loop over the layers from L down to 1."""

    def fn(W, b, sigmas, a0, Y, eta):
        L = len(W) - 1
        W, b = [None] + [w.copy() for w in W[1:]], [None] + [v.copy() for v in b[1:]]
        if bug == "sigmoid_everywhere":  # sigmas ignored: the sigmoid in every layer
            sigmas = [None] + [bplib.sigmoid] * L
        z, a = bplib.feedforward_layers(W, b, sigmas, a0)
        if bug == "sigmoid_backward":  # the forward pass right, the sigmoid's σ′ in BP1 and BP2
            sigmas = [None] + [bplib.sigmoid] * L
        cost = bplib.cross_entropy if bug == "cross_entropy" else bplib.quadratic
        delta, grad_W, grad_b = [None] * (L + 1), [None] * (L + 1), [None] * (L + 1)
        delta[L] = bplib.output_error(a[L], Y, z[L], cost, sigmas[L])
        for l in range(L, 0, -1):
            if l < L and bug == "delta_L_everywhere":
                delta[l] = delta[L]
            elif l < L:
                z_l = z[l + 1] if bug in ("z_next", "layer_next") else z[l]
                sigma_l = sigmas[l + 1] if bug == "layer_next" else sigmas[l]
                W_next = W[l] if bug == "w_same_layer" else W[l + 1]
                delta[l] = bplib.backpropagate_error(delta[l + 1], W_next, z_l, sigma_l)
            a_prev = a[l] if bug == "a_l" else a[l - 1]
            if bug in ("sum_not_mean", "weight_sum"):  # BP4 written by hand, without the 1/m
                grad_W[l] = delta[l].T @ a_prev
            else:
                grad_W[l] = bplib.weight_gradient(delta[l], a_prev)
            if bug in ("sum_not_mean", "bias_sum"):  # BP3 written by hand, without the 1/m
                grad_b[l] = delta[l].sum(axis=0)
            else:
                grad_b[l] = bplib.bias_gradient(delta[l])
            if bug == "updated_during_backprop":  # W[l] changes before delta[l - 1] uses it
                W[l], b[l] = W[l] - eta * grad_W[l], b[l] - eta * grad_b[l]
        if bug in ("not_updated", "updated_during_backprop"):
            return W, b
        sign = 1 if bug == "added" else -1
        return (
            [None] + [W[l] + sign * eta * grad_W[l] for l in range(1, L + 1)],
            [None] + [b[l] + sign * eta * grad_b[l] for l in range(1, L + 1)],
        )

    return fn


def sgd_epoch(W, b, sigmas, X, Y, m, eta, rng):
    """One epoch of mini-batch SGD in net.fit's order: one step of sgd_step per mini-batch.

    rng : the caller's np.random.Generator, the same one for every epoch.
    Return the lists (W, b) after the epoch.
    """
    ### BEGIN SOLUTION
    n = len(X)
    order = rng.permutation(n)  # a new order every epoch, from the caller's generator
    for start in range(0, n, m):
        rows = order[start : start + m]  # the last mini-batch may have fewer than m rows
        W, b = sgd_step(W, b, sigmas, X[rows], Y[rows], eta)
    return W, b
    ### END SOLUTION


def _epoch_variant(bug):
    """sgd_epoch with one named bug."""

    def fn(W, b, sigmas, X, Y, m, eta, rng):
        n = len(X)
        if bug == "no_shuffle":
            order = np.arange(n)
        elif bug == "new_generator":
            order = np.random.default_rng(0).permutation(n)
        elif bug != "order_per_step":
            order = rng.permutation(n)
        order_Y = rng.permutation(n) if bug == "shuffled_apart" else None
        if bug == "m_batches":
            batches = np.array_split(np.arange(n), m)
        elif bug == "last_dropped":
            batches = [np.arange(s, s + m) for s in range(0, n - m + 1, m)]
        else:
            batches = [np.arange(s, min(s + m, n)) for s in range(0, n, m)]
            if bug == "last_full":
                batches[-1] = np.arange(n - m, n)
        for positions in batches:
            if bug == "order_per_step":
                rows = rows_Y = rng.permutation(n)[:m]
            else:
                rows = order[positions]
                rows_Y = rows if order_Y is None else order_Y[positions]
                if bug == "y_not_shuffled":  # X shuffled, Y taken in its stored order
                    rows_Y = positions
            W, b = sgd_step(W, b, sigmas, X[rows], Y[rows_Y], eta)
        return W, b

    return fn


SOLUTIONS = [sgd_update, sgd_step, sgd_epoch]

BUGS = {
    "sgd_update": {
        "added": _sgd_variant(sign=+1),
        "no_eta": _sgd_variant(use_eta=False),
        "biases_not_updated": _sgd_variant(do_b=False),
        "weights_not_updated": _sgd_variant(do_W=False),
        "one_layer_only": _sgd_variant(only="last"),
        "first_layer_only": _sgd_variant(only="first"),
        "unchanged": _sgd_variant(do_W=False, do_b=False),
    },
    "sgd_step": {
        key: _step_variant(key)
        for key in (
            "a_l",
            "z_next",
            "layer_next",
            "w_same_layer",
            "sum_not_mean",
            "bias_sum",
            "weight_sum",
            "delta_L_everywhere",
            "cross_entropy",
            "updated_during_backprop",
            "added",
            "not_updated",
            "sigmoid_everywhere",
            "sigmoid_backward",
        )
    },
    "sgd_epoch": {
        key: _epoch_variant(key)
        for key in (
            "no_shuffle",
            "shuffled_apart",
            "new_generator",
            "order_per_step",
            "last_dropped",
            "last_full",
            "m_batches",
            "y_not_shuffled",
        )
    },
}
