"""Named feedback for slips of exercises 8.2, 10.2 and 10.3 that used to get a generic message."""

from __future__ import annotations

import bplib
from bplib.exercises import check
from bplib.exercises.nb08_training import BELOW_LAYER_1, STOPS_EARLY, not_reached


def _sgd_update(W, b, grad_W, grad_b, eta):
    return (
        [None] + [W[l] - eta * grad_W[l] for l in range(1, len(W))],
        [None] + [b[l] - eta * grad_b[l] for l in range(1, len(b))],
    )


def _step(stop, grad_from=1):
    """8.2 with the BP2 loop ``range(L - 1, stop, -1)`` and the gradients from ``grad_from``."""

    def sgd_step(W, b, sigmas, a0, Y, eta):
        L = len(W) - 1
        z, a = bplib.feedforward_layers(W, b, sigmas, a0)
        delta = [None] * (L + 1)
        delta[L] = bplib.output_error(a[L], Y, z[L], bplib.quadratic, sigmas[L])
        for l in range(L - 1, stop, -1):
            delta[l] = bplib.backpropagate_error(delta[l + 1], W[l + 1], z[l], sigmas[l])
        grad_W, grad_b = [None] * (L + 1), [None] * (L + 1)
        for l in range(grad_from, L + 1):
            grad_W[l] = bplib.weight_gradient(delta[l], a[l - 1])
            grad_b[l] = bplib.bias_gradient(delta[l])
        return _sgd_update(W, b, grad_W, grad_b, eta)

    return sgd_step


def _step_by_hand(stop):
    """The same loop, BP3 and BP4 written by hand (delta[l].T on None)."""

    def sgd_step(W, b, sigmas, a0, Y, eta):
        L = len(W) - 1
        z, a = bplib.feedforward_layers(W, b, sigmas, a0)
        delta = [None] * (L + 1)
        delta[L] = bplib.output_error(a[L], Y, z[L], bplib.quadratic, sigmas[L])
        for l in range(L - 1, stop, -1):
            delta[l] = (delta[l + 1] @ W[l + 1]) * sigmas[l].prime(z[l])
        grad_W, grad_b = [None] * (L + 1), [None] * (L + 1)
        for l in range(L, 0, -1):
            grad_W[l] = delta[l].T @ a[l - 1] / len(a0)
            grad_b[l] = delta[l].mean(axis=0)
        return _sgd_update(W, b, grad_W, grad_b, eta)

    return sgd_step


def test_bp2_loop_that_stops_one_layer_early_is_named():
    for fn in (_step(1), _step_by_hand(1)):
        fb = check("sgd_step", fn)
        assert fb.status == "error" and fb.message.endswith(STOPS_EARLY), fb.message
        assert "too far" not in fb.message


def _step_upward(by_hand):
    """8.2 with the BP2 loop run upward, ``range(1, L)``: Δ^2 is still None at l = 1."""

    def sgd_step(W, b, sigmas, a0, Y, eta):
        L = len(W) - 1
        z, a = bplib.feedforward_layers(W, b, sigmas, a0)
        delta = [None] * (L + 1)
        delta[L] = bplib.output_error(a[L], Y, z[L], bplib.quadratic, sigmas[L])
        for l in range(1, L):
            if by_hand:
                delta[l] = (delta[l + 1] @ W[l + 1]) * sigmas[l].prime(z[l])
            else:
                delta[l] = bplib.backpropagate_error(delta[l + 1], W[l + 1], z[l], sigmas[l])
        grad_W = [None] + [bplib.weight_gradient(delta[l], a[l - 1]) for l in range(1, L + 1)]
        grad_b = [None] + [bplib.bias_gradient(delta[l]) for l in range(1, L + 1)]
        return _sgd_update(W, b, grad_W, grad_b, eta)

    return sgd_step


def test_bp2_loop_run_upward_is_named():
    for by_hand in (False, True):
        fb = check("sgd_step", _step_upward(by_hand))
        assert fb.status == "error" and fb.message.endswith(not_reached(2)), fb.message
        assert "transpose" not in fb.message


def test_loops_that_reach_layer_0_are_told_so():
    for fn in (_step(-1), _step(0, grad_from=0)):
        fb = check("sgd_step", fn)
        assert fb.status == "error" and fb.message.endswith(BELOW_LAYER_1), fb.message
    assert check("sgd_step", _step(0)).passed


def test_epoch_that_passes_all_targets_is_named():
    """8.3 with Y instead of Y[rows]: a step meets all n targets with m inputs; the message
    names it and reads as sentences (no "same shape. on the test input")."""
    from exercises.reference.nb08_training import minibatches, sgd_step

    def sgd_epoch(W, b, sigmas, X, Y, m, eta, rng):
        for rows in minibatches(len(X), m, rng):
            W, b = sgd_step(W, b, sigmas, X[rows], Y, eta)
        return W, b

    fb = check("sgd_epoch", sgd_epoch)
    assert not fb.passed
    assert "targets were not cut" in fb.message and "Which rows of Y" in fb.message
    assert "Y[rows]" not in fb.message and fb.message.endswith("?"), fb.message
    assert ". on the" not in fb.message


def test_error_message_reads_as_sentences():
    """An error whose text ends in a full stop is not followed by "on the test input"."""

    def sgd_step(W, b, sigmas, a0, Y, eta):
        raise ValueError("the shapes must agree.")

    fb = check("sgd_step", sgd_step)
    assert fb.message.startswith("On the test input, called as sgd_step(")
    assert "your function raised ValueError: the shapes must agree." in fb.message
    assert "agree. on" not in fb.message and "agree.." not in fb.message


# The fixing code a message of 08 used to end with: the messages name the slip and ask the
# question that leads to the fix, never the line itself (hints may name a function).
_08_FIXES = (
    "permutation(n)",
    "a[l - 1]",
    "W, b = sgd_step",
    "X[rows], Y[rows]",
    "Y[rows]",
    "minibatches(len(X)",
    "order[start:start + m]",
    "sigmas[l], at",
    "take delta[l]",
    "pass bplib.quadratic",
    "range(1, len(W))",
    "W[l] = W[l] - eta",
    "pass the list",
    "L = len(W) - 1",
)


def test_08_messages_name_the_slip_without_the_fixing_code():
    from bplib.exercises import EXERCISES
    from bplib.exercises import nb08_training as nb08

    texts = {
        f"{name}.{bug.key}": bug.message
        for name in ("minibatches", "sgd_step", "sgd_epoch")
        for bug in EXERCISES[name].bugs
    }
    texts.update(NOT_RNG=nb08.NOT_RNG, NOT_RNG_EPOCH=nb08.NOT_RNG_EPOCH, SHORT=nb08.SHORT_LISTS)
    for where, message in texts.items():
        for fix in _08_FIXES:
            assert fix not in message, (where, fix, message)
    for key in ("a_l", "step_discarded", "steps_from_start"):
        name = "sgd_step" if key == "a_l" else "sgd_epoch"
        assert texts[f"{name}.{key}"].endswith("?"), key
    # the statement of 8.1 leaves the Generator method to hint 1
    minibatches = EXERCISES["minibatches"]
    assert "permutation" not in minibatches.statement
    assert "rng.permutation" in minibatches.hints[0]
    epoch_hints = " ".join(EXERCISES["sgd_epoch"].hints)
    assert "minibatches(len(X)" not in epoch_hints
