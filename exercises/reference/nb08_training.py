"""The reference solutions and bug variants of bplib.exercises.nb08_training (not installed)."""

from __future__ import annotations

import numpy as np

import bplib


def minibatches(n, m, rng):
    """The rows of one epoch's mini-batches, in net.fit's order.

    n : the number of training rows; m : the rows per mini-batch;
    rng : the caller's np.random.Generator, the same one for every epoch.
    Return a list of integer arrays, one per step.
    """
    ### BEGIN SOLUTION
    order = rng.permutation(n)  # a new order every epoch, from the caller's generator
    return [order[start : start + m] for start in range(0, n, m)]  # the last may be shorter
    ### END SOLUTION


def _batches_variant(bug):
    """minibatches with one named bug."""

    def fn(n, m, rng):
        if bug == "order_per_step":
            return [rng.permutation(n)[:m] for _ in range(0, n, m)]
        if bug == "order_per_slice":  # each slice cut from a new order
            return [rng.permutation(n)[s : s + m] for s in range(0, n, m)]
        if bug == "batches_shuffled":
            batches = [np.arange(s, min(s + m, n)) for s in range(0, n, m)]
            return [batches[k] for k in rng.permutation(len(batches))]
        if bug == "no_shuffle":
            order = np.arange(n)
        elif bug == "new_generator":
            order = np.random.default_rng(0).permutation(n)
        else:
            order = rng.permutation(n)
        if bug == "m_batches":
            return np.array_split(order, m)
        if bug == "last_dropped":
            return [order[s : s + m] for s in range(0, n - m + 1, m)]
        if bug == "last_full":
            return [order[s : s + m] if s + m <= n else order[-m:] for s in range(0, n, m)]
        return [order[s : s + m] for s in range(0, n, m)]

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
    delta = bplib.backpropagate(delta_L, W, z, sigmas)  # (3) BP2: delta[l] is the error of layer l
    grad_b = [None] + [bplib.bias_gradient(delta[l]) for l in range(1, L + 1)]  # (4)
    grad_W = [None] + [bplib.weight_gradient(delta[l], a[l - 1]) for l in range(1, L + 1)]  # (5)
    new_W = [None] + [W[l] - eta * grad_W[l] for l in range(1, L + 1)]  # (6), every layer
    new_b = [None] + [b[l] - eta * grad_b[l] for l in range(1, L + 1)]
    return new_W, new_b
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
                sigma_l = sigmas[l + 1] if bug in ("layer_next", "sigma_next") else sigmas[l]
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
        step = 1.0 if bug == "no_eta" else eta
        moved = {"one_layer_only": [L], "last_layer_missed": range(1, L)}.get(bug, range(1, L + 1))

        def stepped(params, grads, frozen):  # the same update for W and for b
            return [None] + [
                params[l] + sign * step * grads[l] if l in moved and bug != frozen else params[l]
                for l in range(1, L + 1)
            ]

        return stepped(W, grad_W, "weights_not_updated"), stepped(b, grad_b, "biases_not_updated")

    return fn


def sgd_epoch(W, b, sigmas, X, Y, m, eta, rng):
    """One epoch of mini-batch SGD in net.fit's order: one step of sgd_step per mini-batch.

    rng : the caller's np.random.Generator, the same one for every epoch.
    Return the lists (W, b) after the epoch.
    """
    ### BEGIN SOLUTION
    for rows in minibatches(len(X), m, rng):  # exercise 8.1: one new order per epoch
        W, b = sgd_step(W, b, sigmas, X[rows], Y[rows], eta)  # exercise 8.2
    return W, b
    ### END SOLUTION


def _epoch_variant(bug):
    """sgd_epoch with one named bug."""

    def fn(W, b, sigmas, X, Y, m, eta, rng):
        n = len(X)
        if bug == "no_shuffle":  # the rows in their stored order, m at a time
            batches = [np.arange(s, min(s + m, n)) for s in range(0, n, m)]
        elif bug == "new_generator":  # a generator made inside: the same order every epoch
            batches = minibatches(n, m, np.random.default_rng(0))
        else:
            batches = minibatches(n, m, rng)
        other = minibatches(n, m, rng) if bug == "shuffled_apart" else None
        W0, b0 = W, b
        for k, rows in enumerate(batches):
            rows_Y = rows
            if bug == "shuffled_apart":
                rows_Y = other[k]
            elif bug == "y_not_shuffled":  # X shuffled, Y taken in its stored order
                rows_Y = np.arange(k * m, min(k * m + m, n))
            start = (W0, b0) if bug == "steps_from_start" else (W, b)
            if bug == "step_discarded":  # sgd_step(...) called without `W, b = `
                sgd_step(W, b, sigmas, X[rows], Y[rows_Y], eta)
                continue
            W, b = sgd_step(*start, sigmas, X[rows], Y[rows_Y], eta)
            if bug == "returned_early":
                return W, b
        return W, b

    return fn


SOLUTIONS = [minibatches, sgd_step, sgd_epoch]

BUGS = {
    "minibatches": {
        key: _batches_variant(key)
        for key in (
            "no_shuffle",
            "new_generator",
            "order_per_step",
            "order_per_slice",
            "last_dropped",
            "last_full",
            "m_batches",
            "batches_shuffled",
        )
    },
    "sgd_step": {
        key: _step_variant(key)
        for key in (
            "a_l",
            "z_next",
            "layer_next",
            "sigma_next",
            "w_same_layer",
            "sum_not_mean",
            "bias_sum",
            "weight_sum",
            "delta_L_everywhere",
            "cross_entropy",
            "updated_during_backprop",
            "added",
            "no_eta",
            "biases_not_updated",
            "weights_not_updated",
            "one_layer_only",
            "last_layer_missed",
            "not_updated",
            "sigmoid_everywhere",
            "sigmoid_backward",
        )
    },
    "sgd_epoch": {
        key: _epoch_variant(key)
        for key in (
            "shuffled_apart",
            "y_not_shuffled",
            "no_shuffle",
            "new_generator",
            "steps_from_start",
            "returned_early",
            "step_discarded",
        )
    },
}
