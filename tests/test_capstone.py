"""Notebook 10, your own backprop: the whole-function checker and the training cell's guard.

- the reference my_forward and my_backward pass, and agree with bplib and with central
  differences on every test network;
- every bug of the zoo is named, from a student-style function written independently of
  the checker's variants; two bugs at once are both named;
- gradients that accumulate, a None left by a loop, a call into bplib (under any name:
  an alias, a wrapper, 08's chain, 09's backprop_with), a wrong structure or index 0;
- no function defined in notebooks 00-09 passes either check (nothing earlier can be
  pasted in as the answer);
- the training cell waits, with a sentence, until both checks pass (also under nbgrader).
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import inspect
import io
import json
import linecache
from pathlib import Path

import nbformat
import numpy as np
import pytest

import bplib
from bplib import backpropagate as _bp
from bplib import bias_gradient as _bg
from bplib import feedforward_layers as _ff
from bplib import output_error as _oe
from bplib import sigmoid
from bplib import weight_gradient as _wg
from bplib.exercises import EXERCISES, check
from bplib.exercises import nb10_your_own_backprop as nb09
from bplib.exercises.checker import ACCUMULATE, TableFeedback
from bplib.exercises.nb09_gradient_checking import backprop_with
from exercises.reference import nb10_your_own_backprop as ref09

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "10_your_own_backprop.ipynb"


@pytest.fixture(autouse=True)
def _not_grading(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)


# ----------------------------------------------------------------------------
# The reference
# ----------------------------------------------------------------------------
def test_references_pass():
    for name in ("my_forward", "my_backward"):
        fb = check(name, EXERCISES[name].reference)
        assert fb.status == "correct", repr(fb)
        assert isinstance(fb, TableFeedback) and "layers 1-4: ok" in fb.table


@pytest.mark.parametrize("k", range(len(nb09.NETWORKS)))
def test_reference_against_bplib_and_central_differences(k):
    net, X, Y = nb09.case_network(k)
    z, a = ref09.my_forward(net.W, net.b, net.sigmas, X)
    z_lib, a_lib = net.feedforward_layers(X)
    assert z[0] is None and a[0] is X
    for l in range(1, net.L + 1):
        assert np.allclose(z[l], z_lib[l], rtol=1e-12, atol=1e-15)
        assert np.allclose(a[l], a_lib[l], rtol=1e-12, atol=1e-15)
    grad_W, grad_b = ref09.my_backward(net.W, net.sigmas, net.cost_function, z, a, Y)
    lib_W, lib_b = net.gradients(X, Y)
    num_W, num_b = bplib.numerical_gradients(net, X, Y, eps=1e-6)
    assert grad_W[0] is None and grad_b[0] is None
    for l in range(1, net.L + 1):
        assert np.allclose(grad_W[l], lib_W[l], rtol=1e-12, atol=1e-15)
        assert np.allclose(grad_b[l], lib_b[l], rtol=1e-12, atol=1e-15)
        assert bplib.relative_error(grad_W[l], num_W[l]) < 1e-7
        assert bplib.relative_error(grad_b[l], num_b[l]) < 1e-7
    report = bplib.gradient_check(
        net,
        X,
        Y,
        gradients=lambda net, X, Y: ref09.my_backward(
            net.W,
            net.sigmas,
            net.cost_function,
            *ref09.my_forward(net.W, net.b, net.sigmas, X),
            Y,
        ),
    )
    assert report.ok


def test_the_test_networks_cover_depths_widths_and_activations():
    depths = {len(sizes) - 1 for sizes, *_ in nb09.NETWORKS}
    assert depths == {1, 2, 3, 4}
    sizes0 = nb09.NETWORKS[0][0]
    assert len(set(sizes0)) == 1  # case 0: square, so the square-only bugs run
    hidden = {name for k in range(len(nb09.NETWORKS)) for name in nb09._activation_names(k)[:-1]}
    assert hidden == {"sigmoid", "tanh", "relu"}
    # a network whose hidden layers differ, so that layer 1's activation in every hidden
    # layer is caught (its hidden layers are tanh, ReLU, sigmoid)
    mixed = [k for k in range(len(nb09.NETWORKS)) if len(set(nb09._activation_names(k)[:-1])) > 1]
    assert mixed == [3] and nb09._activation_names(3) == ["tanh", "relu", "sigmoid", "sigmoid"]
    assert {o for _, _, o, *_ in nb09.NETWORKS} == {"sigmoid", "tanh"}
    assert {c for _, _, _, c, *_ in nb09.NETWORKS} == {"quadratic", "cross_entropy"}
    # case 0: tanh hidden layers under a sigmoid output, so that one activation for every
    # layer (a hard-coded sigmoid, the output's, the next layer's) is caught there
    assert nb09.NETWORKS[0][1:3] == ("tanh", "sigmoid")
    # the lists passed to the reader's function are indexed by layer
    W, b, sigmas, cost, X, Y = nb09.network_case(3)
    assert sigmas[0] is None and len(sigmas) == len(W) and sigmas[1] is not sigmas[-1]
    assert cost is bplib.cross_entropy


# ----------------------------------------------------------------------------
# Student-style functions, one bug each (written apart from the checker's variants)
# ----------------------------------------------------------------------------
def _student_backward(bug):
    def my_backward(W, sigmas, cost, z, a, Y):
        L = len(W) - 1
        n = a[0].shape[0]

        def dsig(l):
            if bug == "sigmoid_prime":
                return sigmoid.prime(z[l])
            if bug == "last_sigma_prime":
                return sigmas[-1].prime(z[l])
            if bug == "first_sigma_prime":
                return sigmas[1].prime(z[l])
            if bug == "first_hidden_prime" and l < L:  # layer 1's σ′ for every hidden layer
                return sigmas[1].prime(z[l])
            if bug == "a_times_1_minus_a":
                return a[l] * (1.0 - a[l])
            if bug == "prime_of_a" or bug == "prime_of_a_output" and l == L:
                return sigmas[l].prime(a[l])
            if bug == "prime_of_a_hidden" and l < L:
                return sigmas[l].prime(a[l])
            return sigmas[l].prime(z[l])

        err = a[-1] - Y if bug == "a_minus_y" else cost.grad_a(a[-1], Y)
        if bug == "sign":
            err = -err
        if bug == "factor_2":
            err = 2.0 * err
        deltas = [np.zeros(zl.shape) if zl is not None else None for zl in z]
        deltas[L] = err if bug == "no_prime_output" else err * dsig(L)
        if bug == "layer1_delta2":  # the one-error loop, `if l > 2:` for `if l > 1:`
            grad_W, grad_b, d = [None] * (L + 1), [None] * (L + 1), deltas[L]
            for l in range(L, 0, -1):
                grad_W[l], grad_b[l] = d.T @ a[l - 1] / n, d.mean(axis=0)
                if l > 2:
                    d = (d @ W[l]) * dsig(l - 1)
            return grad_W, grad_b
        if bug == "layer1_missing":  # the one-error loop, `range(L, 1, -1)`: layer 1 left None
            grad_W, grad_b, d = [None] * (L + 1), [None] * (L + 1), deltas[L]
            for l in range(L, 1, -1):
                grad_W[l], grad_b[l] = d.T @ a[l - 1] / n, d.mean(axis=0)
                d = (d @ W[l]) * dsig(l - 1)
            return grad_W, grad_b
        lowest = 2 if bug == "bp2_stops_early" else 1
        for l in reversed(range(lowest, L)):
            Wn = W[l + 1].T if bug == "no_transpose" else W[l + 1]
            if bug == "wrong_weights":
                Wn = W[l]  # the weights of the layer below
            back = np.dot(deltas[l + 1], Wn)
            if bug == "z_above":
                back = back * sigmas[l].prime(z[l + 1])
            elif bug == "next_z":
                back = back * sigmas[l + 1].prime(z[l + 1])
            elif bug == "last_z":
                back = back * sigmas[-1].prime(z[-1])
            elif bug == "sigma_next":
                back = back * sigmas[l + 1].prime(z[l])
            elif bug != "no_prime_hidden":
                back = back * dsig(l)
            deltas[l] = back
        grad_W, grad_b = [None] * (L + 1), [None] * (L + 1)
        last = L - 1 if bug == "grad_loop_short" else L
        for l in range(1, last + 1):
            prev = a[l] if bug == "a_l" else a[l - 1]
            if bug == "grad_W_transposed":
                total_W = np.dot(prev.T, deltas[l])  # (n_{l-1}, n_l)
            else:
                total_W = np.dot(deltas[l].T, prev)
            total_b = deltas[l].sum(0)
            grad_W[l] = total_W if bug in ("no_mean", "no_mean_W") else total_W / n
            grad_b[l] = total_b if bug in ("no_mean", "no_mean_b") else total_b / n
            if bug == "bias_axis_1":
                grad_b[l] = np.mean(deltas[l], axis=1)  # one number per example
        if bug == "swapped_lists":
            return grad_b, grad_W
        return grad_W, grad_b

    return my_backward


def _student_forward(bug):
    def my_forward(W, b, sigmas, X):
        L = len(W) - 1
        zs, acts = [None], [X]
        for l in range(1, L if bug == "loop_short" else L + 1):
            act = sigmoid if bug == "sigmoid_fixed" else sigmas[l].fn
            if bug == "last_sigma":
                act = sigmas[-1].fn
            if bug == "first_sigma":
                act = sigmas[1].fn
            if bug == "first_hidden_sigma" and l < L:  # layer 1's σ for every hidden layer
                act = sigmas[1].fn
            inp = X if bug == "input_every_layer" else acts[-1]
            if bug == "column_form":
                zl = W[l] @ inp  # one example per column, as in the textbook
            else:
                zl = np.dot(inp, W[l] if bug == "no_transpose" else W[l].T)
            if bug != "no_bias":
                zl = zl + b[l]
            if bug == "sigma_twice":
                zl = act(zl)
            zs.append(act(zl) if bug == "z_is_a" else zl)
            acts.append(zl if bug == "linear_output" and l == L else act(zl))
        if bug == "lists_from_1":
            return zs[1:], acts[1:]
        if bug == "swapped_lists":
            return acts, zs
        return zs, acts

    return my_forward


def test_every_zoo_bug_has_a_student_style_test():
    assert set(nb09.BACKWARD_BUGS) == set(BACKWARD_KEYS)
    assert set(nb09.FORWARD_BUGS) == set(FORWARD_KEYS)


BACKWARD_KEYS = [
    "z_above",
    "next_z",
    "last_z",
    "sigma_next",
    "prime_of_a",
    "prime_of_a_output",
    "prime_of_a_hidden",
    "sigmoid_prime",
    "last_sigma_prime",
    "first_sigma_prime",
    "first_hidden_prime",
    "a_times_1_minus_a",
    "no_prime_output",
    "no_prime_hidden",
    "no_transpose",
    "wrong_weights",
    "no_mean",
    "no_mean_W",
    "no_mean_b",
    "a_minus_y",
    "sign",
    "factor_2",
    "bp2_stops_early",
    "grad_loop_short",
    "layer1_delta2",
    "layer1_missing",
    "a_l",
    "grad_W_transposed",
    "bias_axis_1",
    "swapped_lists",
]
FORWARD_KEYS = [
    "no_transpose",
    "no_bias",
    "sigmoid_fixed",
    "last_sigma",
    "first_sigma",
    "first_hidden_sigma",
    "z_is_a",
    "sigma_twice",
    "input_every_layer",
    "linear_output",
    "loop_short",
    "column_form",
    "lists_from_1",
    "swapped_lists",
]


@pytest.mark.parametrize("bug", BACKWARD_KEYS)
def test_backward_bug_is_named_with_a_per_layer_table(bug):
    fb = check("my_backward", _student_backward(bug))
    assert fb.status == "wrong" and fb.bug == bug, repr(fb)
    assert fb.message.startswith("This looks like one bug. " + nb09.BACKWARD_BUGS[bug])
    assert "the check flags layer" in fb.message
    assert "vs bplib" in fb.table and "vs c.d." in fb.table and "layer" in fb.table
    assert "Traceback" not in repr(fb)


@pytest.mark.parametrize("bug", FORWARD_KEYS)
def test_forward_bug_is_named_with_a_per_layer_table(bug):
    fb = check("my_forward", _student_forward(bug))
    if bug == "column_form":  # it raises on every test network: named from the error
        assert fb.status == "error" and fb.bug == bug, repr(fb)
        # the diagnosis first, then the error, without the general advice on shapes
        assert fb.message.startswith("This looks like one bug. " + nb09.FORWARD_BUGS[bug])
        assert "matmul" in fb.message and "Two arrays whose shapes" not in fb.message
        assert "\n" not in fb.message
        return
    assert fb.status == "wrong" and fb.bug == bug, repr(fb)
    assert fb.message.startswith("This looks like one bug. " + nb09.FORWARD_BUGS[bug])
    assert "z^l vs bplib" in fb.table


def test_the_issue_s_zoo_is_named_as_the_issue_says():
    """σ′ at the wrong layer, a missing transpose, a missing 1/n, the sign, an off-by-one."""
    words = {
        "next_z": "σ′ at the wrong layer",
        "last_z": "σ′ at the wrong layer",
        "no_transpose": "missing transpose",
        "no_mean": "missing 1/n",
        "sign": "The sign",
        "sigma_next": "off-by-one",
        "bp2_stops_early": "off-by-one",
        "grad_loop_short": "off-by-one",
        "a_l": "off-by-one",
    }
    for bug, text in words.items():
        assert text in check("my_backward", _student_backward(bug)).message, bug


def _step_down(bp2):
    """10.2 as the statement asks, one error at a time, with ``bp2`` for the step down."""
    space = {"np": np}
    source = (
        "def my_backward(W, sigmas, cost, z, a, Y):\n"
        "    L, n = len(W) - 1, len(Y)\n"
        "    grad_W, grad_b = [None] * (L + 1), [None] * (L + 1)\n"
        "    delta = cost.grad_a(a[L], Y) * sigmas[L].prime(z[L])\n"
        "    for l in range(L, 0, -1):\n"
        "        grad_b[l] = delta.mean(axis=0)\n"
        "        grad_W[l] = delta.T @ a[l - 1] / n\n"
        "        if l > 1:\n"
        f"            delta = {bp2}\n"
        "    return grad_W, grad_b\n"
    )
    name = f"<step-down {bp2}>"
    linecache.cache[name] = (len(source), None, source.splitlines(True), name)
    exec(compile(source, name, "exec"), space)
    return space["my_backward"]


@pytest.mark.parametrize("start", ["[None] * (L + 1)", "[np.zeros_like(w) for w in W]"])
def test_the_one_error_loop_that_stops_before_layer_1_is_named(start):
    """`range(L, 1, -1)` in the one-error loop: layer 1 has no gradient on every network,
    L = 1 included (there the loop never runs), whether the lists start as None or zeros:
    one bug, not BP2 stopping early plus one more on network 5."""
    space = {"np": np}
    source = (
        "def my_backward(W, sigmas, cost, z, a, Y):\n"
        "    L, n = len(W) - 1, len(Y)\n"
        f"    grad_W, grad_b = {start}, [None] * (L + 1)\n"
        "    if grad_W[0] is not None:\n"
        "        grad_W[0], grad_b = None, [None] + [np.zeros(len(w)) for w in W[1:]]\n"
        "    delta = cost.grad_a(a[L], Y) * sigmas[L].prime(z[L])\n"
        "    for l in range(L, 1, -1):\n"
        "        grad_b[l] = delta.mean(axis=0)\n"
        "        grad_W[l] = delta.T @ a[l - 1] / n\n"
        "        delta = (delta @ W[l]) * sigmas[l - 1].prime(z[l - 1])\n"
        "    return grad_W, grad_b\n"
    )
    exec(compile(source, "<one-error loop>", "exec"), space)
    fb = check("my_backward", space["my_backward"])
    assert fb.status == "wrong" and fb.bug == "layer1_missing", repr(fb)
    assert fb.message.startswith("This looks like one bug. " + nb09.BACKWARD_BUGS["layer1_missing"])
    assert "more bug" not in fb.message and "No bug of the zoo" not in fb.message


def test_the_weights_above_in_the_step_down_are_named():
    """`delta @ W[l + 1]` in the one-error loop raises an IndexError at l = L: told that it
    is the weights of the wrong layer; 08's list loop with delta[l + 1] is not told so."""
    fb = check("my_backward", _step_down("(delta @ W[l + 1]) * sigmas[l - 1].prime(z[l - 1])"))
    assert fb.status == "error" and fb.message.endswith(nb09.WEIGHTS_ABOVE), fb.message
    assert "in this line of your function" in fb.message and "past the end" not in fb.message
    line = "delta[l] = (delta[l + 1] @ W[l + 1]) * sigmas[l].prime(z[l])"
    assert nb09._OTHER_ABOVE.search(nb09._ABOVE.sub("", line))  # 08's loop: not told so


@pytest.mark.parametrize(
    "bp2, bug",
    [
        ("(delta @ W[l]) * sigmas[l].prime(z[l - 1])", "sigma_next"),
        ("(delta @ W[l]) * sigmas[l - 1].prime(z[l])", "z_above"),
        ("(delta @ W[l]) * sigmas[l].prime(z[l])", "next_z"),
        ("(delta @ W[l - 1]) * sigmas[l - 1].prime(z[l - 1])", "wrong_weights"),
        ("(delta @ W[l].T) * sigmas[l - 1].prime(z[l - 1])", "no_transpose"),
    ],
)
def test_step_down_slips_are_named_in_the_step_down_index(bp2, bug):
    """The slips of 10.2's one-error loop are told in its own index (Δ^l down to Δ^{l−1}),
    with no l + 1 that the reader's code does not have."""
    assert check("my_backward", _step_down("(delta @ W[l]) * sigmas[l - 1].prime(z[l - 1])")).passed
    fb = check("my_backward", _step_down(bp2))
    assert fb.status == "wrong" and fb.bug == bug, repr(fb)
    assert "Δ^{l−1}" in fb.message and "l + 1" not in fb.message
    assert "l+1" not in fb.message, fb.message


def test_a_named_bug_that_raises_never_says_it_runs():
    """The weights of the wrong layer together with an unexplained slip: named from the
    error on network 2, diagnosis first, no "the shapes did not object", no shape advice."""
    fb = check("my_backward", _step_down("2 * (delta @ W[l - 1]) * sigmas[l - 1].prime(z[l - 1])"))
    assert fb.status == "error" and fb.bug == "wrong_weights", repr(fb)
    assert fb.message.startswith("This looks like one bug. The weights of the wrong layer")
    assert "did not object" not in fb.message and "runs only" not in fb.message
    assert "Two arrays whose shapes" not in fb.message and "test network 2" in fb.message


def test_which_layers_are_flagged():
    fb = check("my_backward", _student_backward("next_z"))
    assert "flags layers 1, 2." in fb.message  # layer L = 3 is right
    rows = fb.table.splitlines()
    assert rows[0].startswith(
        "Test network [4, 4, 4, 4] (tanh-tanh-sigmoid, quadratic, 5 examples)"
    )
    assert "ok" in rows[-2] and rows[-2].lstrip().startswith("3")
    fb = check("my_backward", _student_backward("bp2_stops_early"))
    assert "flags layer 1." in fb.message
    fb = check("my_backward", _student_backward("sign"))
    assert "flags layers 1, 2, 3." in fb.message
    # the table's central-difference column agrees with its bplib column for a wrong answer
    row1 = fb.table.splitlines()[2].split()
    assert row1[0] == "1" and row1[1:4] == ["r", "=", "1"] and row1[4:7] == ["r", "=", "1"]


def test_a_memorised_a_minus_y_is_named_on_the_first_cross_entropy_network():
    """(a − y) ⊙ σ′(z^L) is right for the quadratic cost only: network 1 passes it, 2 does not."""
    fb = check("my_backward", _student_backward("a_minus_y"))
    assert fb.status == "wrong" and fb.bug == "a_minus_y", repr(fb)
    assert "cross-entropy" in fb.message and "`cost.grad_a(a[L], Y)`" in fb.message
    assert fb.table.startswith("Test network [2, 3, 2] (relu-sigmoid, cross-entropy")


def test_the_activation_of_each_layer_is_checked():
    """One activation for every layer (the output's, or the next layer's) is named."""
    for bug in ("sigmoid_prime", "sigma_next", "last_z"):
        fb = check("my_backward", _student_backward(bug))
        assert fb.bug == bug and "sigmas" in fb.message and "?" in fb.message, repr(fb)
    fb = check("my_forward", _student_forward("sigmoid_fixed"))
    assert fb.bug == "sigmoid_fixed" and "entry of `sigmas`" in fb.message, repr(fb)

    def one_sigma(W, sigmas, cost, z, a, Y):  # the output layer's activation everywhere
        return _student_backward(None)(W, [None] + [sigmas[-1]] * (len(W) - 1), cost, z, a, Y)

    fb = check("my_backward", one_sigma)
    assert fb.bug == "last_sigma_prime" and "more bug" not in fb.message, repr(fb)

    def one_act(W, b, sigmas, X):  # the output layer's activation everywhere
        return _student_forward(None)(W, b, [None] + [sigmas[-1]] * (len(W) - 1), X)

    fb = check("my_forward", one_act)
    assert fb.bug == "last_sigma" and "more bug" not in fb.message, repr(fb)
    # the sigmoid hard-coded is a different bug: network 5 (tanh only) tells them apart
    for bug in ("sigmoid_fixed", "sigmoid_prime"):
        student = (_student_forward if bug == "sigmoid_fixed" else _student_backward)(bug)
        fb = check("my_forward" if bug == "sigmoid_fixed" else "my_backward", student)
        assert fb.bug == bug and "more bug" not in fb.message, repr(fb)


def test_layer_1_s_activation_in_every_hidden_layer_is_caught():
    """sigmas[1] for every hidden layer (the output's own at layer L) passes networks 1-3 and 5,
    whose hidden layers share one activation; network 4's differ, and the check names it."""

    def first_hidden_backward(W, sigmas, cost, z, a, Y):
        L = len(W) - 1
        hidden = [None] + [sigmas[1]] * (L - 1) + [sigmas[L]]
        return _student_backward(None)(W, hidden, cost, z, a, Y)

    def first_hidden_forward(W, b, sigmas, X):
        L = len(W) - 1
        return _student_forward(None)(W, b, [None] + [sigmas[1]] * (L - 1) + [sigmas[L]], X)

    for name, fn, bug in (
        ("my_backward", first_hidden_backward, "first_hidden_prime"),
        ("my_forward", first_hidden_forward, "first_hidden_sigma"),
    ):
        fb = check(name, fn)
        assert fb.status == "wrong" and fb.bug == bug and "more bug" not in fb.message, repr(fb)
        assert fb.table.startswith("Test network [4, 5, 3, 3, 2] (tanh-relu-sigmoid-sigmoid")
        assert "tanh, ReLU, sigmoid" in fb.message


def test_an_unnamed_activation_slip_is_read_from_the_table():
    """No zoo bug for ReLU at the output: the message says z^L is right and a^L is not."""

    def relu_out(W, b, sigmas, X):
        return _student_forward(None)(W, b, [*sigmas[:-1], bplib.relu], X)

    fb = check("my_forward", relu_out)
    assert fb.status == "wrong" and "No bug of the zoo" in fb.message, repr(fb)
    assert "At layer 3, the first that differs, z^3 is right and a^3 is not" in fb.message


def test_a_cost_s_ready_made_output_error_is_not_an_answer():
    """BP1 is the reader's: cost.delta (bplib's δ^L) is refused like bplib's passes."""

    def my_backward(W, sigmas, cost, z, a, Y):
        L, n = len(W) - 1, len(Y)
        delta = [None] * (L + 1)
        delta[L] = cost.delta(a[L], Y, z[L], sigmas[L])
        for l in range(L - 1, 0, -1):
            delta[l] = (delta[l + 1] @ W[l + 1]) * sigmas[l].prime(z[l])
        return (
            [None] + [delta[l].T @ a[l - 1] / n for l in range(1, L + 1)],
            [None] + [delta[l].mean(axis=0) for l in range(1, L + 1)],
        )

    fb = check("my_backward", my_backward)
    assert fb.status == "wrong" and fb.bug == "library", repr(fb)
    assert "Not your own: it calls bplib's `Quadratic.delta`" in fb.message


def test_two_bugs_at_once_are_both_named():
    def two_bugs(W, sigmas, cost, z, a, Y):
        grad_W, grad_b = _student_backward("next_z")(W, sigmas, cost, z, a, Y)
        return [None] + [-g for g in grad_W[1:]], [None] + [-g for g in grad_b[1:]]

    fb = check("my_backward", two_bugs)
    assert fb.status == "wrong" and set(fb.bug.split("+")) == {"next_z", "sign"}, repr(fb)
    assert fb.message.startswith("This looks like two bugs: (1) ")


def _bias_sum_and_a_minus_y(W, sigmas, cost, z, a, Y):
    """Two bugs: BP3 a sum (seen everywhere) and BP1 from a − y (unseen on network 1, quadratic)."""
    L, n = len(W) - 1, len(Y)
    grad_W, grad_b = [None] * (L + 1), [None] * (L + 1)
    delta = (a[L] - Y) * sigmas[L].prime(z[L])
    for l in range(L, 0, -1):
        grad_W[l], grad_b[l] = delta.T @ a[l - 1] / n, delta.sum(axis=0)
        if l > 1:
            delta = (delta @ W[l]) * sigmas[l - 1].prime(z[l - 1])
    return grad_W, grad_b


def test_a_bug_invisible_on_network_1_is_not_called_the_only_one():
    """On network 1 only the bias sum shows, so one zoo bug matches there; the pair that also
    explains the later networks is named, with the network where the second one shows."""
    fb = check("my_backward", _bias_sum_and_a_minus_y)
    assert fb.status == "wrong" and fb.bug == "no_mean_b+a_minus_y", repr(fb)
    assert fb.message.startswith("This looks like two bugs: (1) A missing 1/n in BP3"), fb.message
    assert "This looks like one bug" not in fb.message
    assert "Only (1) changes this network's numbers; (2) shows from test network 2, [2, 3, 2]" in (
        fb.message
    )
    assert fb.table.startswith("Test network [4, 4, 4, 4]")


def test_more_bugs_than_the_zoo_explains_are_not_called_one_bug():
    """A third bug, seen only on the 4-layer network, leaves no zoo entry that fits every
    network: the feedback names what network 1 shows and says that it is not all."""

    def three_bugs(W, sigmas, cost, z, a, Y):
        grad_W, grad_b = _bias_sum_and_a_minus_y(W, sigmas, cost, z, a, Y)
        if len(W) > 4:
            grad_W[1] = 1.5 * grad_W[1]
        return grad_W, grad_b

    fb = check("my_backward", three_bugs)
    assert fb.status == "wrong" and fb.bug == "no_mean_b", repr(fb)
    assert fb.message.startswith("On this network it looks like one bug. A missing 1/n in BP3")
    assert "It is not the only one: on test network 2, [2, 3, 2]" in fb.message, fb.message


def test_a_backward_pass_that_keeps_every_error_is_told_so():
    """Correct gradients from a list of every layer's error are wrong: the statement requires
    one error at a time; the reference keeps one and passes with no note."""

    def every_error(W, sigmas, cost, z, a, Y):
        L, n = len(W) - 1, len(Y)
        delta = [None] * (L + 1)
        delta[L] = cost.grad_a(a[L], Y) * sigmas[L].prime(z[L])
        for l in range(L - 1, 0, -1):
            delta[l] = (delta[l + 1] @ W[l + 1]) * sigmas[l].prime(z[l])
        grad_W = [None] + [delta[l].T @ a[l - 1] / n for l in range(1, L + 1)]
        return grad_W, [None] + [delta[l].mean(axis=0) for l in range(1, L + 1)]

    fb = check("my_backward", every_error)
    assert fb.status == "wrong" and fb.bug == "keeps_every_error", fb.message
    assert "so it keeps L errors where one is enough" in fb.message, fb.message
    assert "still held 16 error matrices Δ^l when it returned" in fb.message, fb.message
    assert nb09._errors_held(every_error) == 16 and nb09._errors_held(ref09.my_backward) == 1
    assert nb09._peak_in_errors(every_error) > nb09._DEEP[0] > nb09.KEEPS_EVERY_ERROR
    fb = check("my_backward", ref09.my_backward)
    assert fb.passed and "keeps every layer's" not in fb.message, fb.message
    assert nb09._peak_in_errors(ref09.my_backward) < nb09.KEEPS_EVERY_ERROR / 1.5


def test_a_bug_seen_only_on_a_deeper_network_names_the_network():
    def only_two_layers(W, sigmas, cost, z, a, Y):  # BP2 written for L <= 3 only
        out = ref09.my_backward(W, sigmas, cost, z, a, Y)
        if len(W) > 4:
            out[0][1] = out[0][1] * 1.5
        return out

    fb = check("my_backward", only_two_layers)
    assert fb.status == "wrong" and fb.bug is None
    assert "[4, 5, 3, 3, 2]" in fb.message and "flags layer 1." in fb.message
    # only a weight gradient differs: the pattern points at BP4, and so does the hint
    assert "bug is in BP4" in fb.message
    assert fb.hints == EXERCISES["my_backward"].hints[2:3]


# ----------------------------------------------------------------------------
# Accumulating gradients, a None left by a loop, bplib called, wrong structure
# ----------------------------------------------------------------------------
def test_gradients_that_accumulate_are_named():
    kept = {}

    def my_backward(W, sigmas, cost, z, a, Y):
        grad_W, grad_b = ref09.my_backward(W, sigmas, cost, z, a, Y)
        key = tuple(w.shape for w in W[1:])
        if key not in kept:  # created once, never zeroed
            kept[key] = ([None] + [np.zeros_like(g) for g in grad_W[1:]],
                         [None] + [np.zeros_like(g) for g in grad_b[1:]])  # fmt: skip
        acc_W, acc_b = kept[key]
        for l in range(1, len(W)):
            acc_W[l] += grad_W[l]
            acc_b[l] += grad_b[l]
        return [None] + [g.copy() for g in acc_W[1:]], [None] + [g.copy() for g in acc_b[1:]]

    fb = check("my_backward", my_backward)
    assert fb.status == "wrong" and fb.bug == "accumulate" and fb.message == ACCUMULATE


def test_a_delta_left_none_by_the_loop_is_explained_as_an_off_by_one():
    def my_backward(W, sigmas, cost, z, a, Y):
        L, n = len(W) - 1, len(Y)
        delta = [None] * (L + 1)
        delta[L] = cost.grad_a(a[L], Y) * sigmas[L].prime(z[L])
        for l in range(L - 1, 1, -1):  # stops at 2: delta[1] stays None
            delta[l] = (delta[l + 1] @ W[l + 1]) * sigmas[l].prime(z[l])
        grad_W = [None] + [delta[l].T @ a[l - 1] / n for l in range(1, L + 1)]
        grad_b = [None] + [delta[l].mean(axis=0) for l in range(1, L + 1)]
        return grad_W, grad_b

    fb = check("my_backward", my_backward)
    assert fb.status == "error" and fb.bug == "off_by_one", repr(fb)
    assert "cost the cost quadratic (`cost.grad_a`)" in fb.message
    assert "off-by-one" in fb.message and "here (L = 3) and for L = 1" in fb.message
    assert "range(L - 1, 0, -1)" not in fb.message
    # the line of the reader's code that raised is quoted
    assert "`grad_W = [None] + [delta[l].T @ a[l - 1] / n for l in range(1, L + 1)]`" in fb.message
    assert "\n" not in fb.message and "Traceback" not in fb.message


def test_calling_bplib_is_not_an_answer():
    def my_backward(W, sigmas, cost, z, a, Y):
        return bplib.backprop(W, [None] * len(W), sigmas, cost, a[0], Y)

    def my_forward(W, b, sigmas, X):
        return bplib.feedforward_layers(W, b, sigmas, X)

    for name, fn in (("my_backward", my_backward), ("my_forward", my_forward)):
        fb = check(name, fn)
        assert fb.status == "wrong" and fb.bug == "library", repr(fb)
        assert "write it yourself" in fb.message


# Pastes that passed before the calls were watched (a newcomer reviewer's reproductions):
# bplib's functions under other names, through wrappers, or notebook 09's zoo halved.


def _paste_forward_alias(W, b, sigmas, X):
    return _ff(W, b, sigmas, X)


def _paste_forward_wrapper(W, b, sigmas, X):
    return nb09.bplib_forward(W, b, sigmas, X)


def _paste_backward_08_chain(W, sigmas, cost, z, a, Y):
    L = len(W) - 1
    delta = _bp(_oe(a[L], Y, z[L], cost, sigmas[L]), W, z, sigmas)
    return (
        [None] + [_wg(delta[l], a[l - 1]) for l in range(1, L + 1)],
        [None] + [_bg(delta[l]) for l in range(1, L + 1)],
    )


def _paste_backward_zoo_halved(W, sigmas, cost, z, a, Y):
    net = bplib.Network(
        [W[1].shape[1]] + [w.shape[0] for w in W[1:]],
        activation=sigmas[1].name,
        output_activation=sigmas[-1].name,
    )
    net.W = W
    net.b = [None] + [(z[l] - a[l - 1] @ W[l].T)[0] for l in range(1, len(W))]
    grad_W, grad_b = backprop_with(None, net, a[0], Y)  # the cost without the 1/2: halve
    return [None] + [g / 2 for g in grad_W[1:]], [None] + [g / 2 for g in grad_b[1:]]


PASTES = {
    "forward alias": ("my_forward", _paste_forward_alias, "feedforward_layers"),
    "forward wrapper": ("my_forward", _paste_forward_wrapper, "bplib_forward"),
    "forward itself": ("my_forward", nb09.bplib_forward, "bplib_forward"),
    "08's chain renamed": ("my_backward", _paste_backward_08_chain, "output_error"),
    "09's zoo halved": ("my_backward", _paste_backward_zoo_halved, "backprop_with"),
    "10's variant": (
        "my_backward",
        lambda W, s, c, z, a, Y: nb09.backward_variant(["sign"])(W, s, c, z, a, Y),
        "backward_variant",
    ),
}


@pytest.mark.parametrize("paste", PASTES)
def test_bplib_under_another_name_is_not_an_answer(paste):
    import sys

    name, fn, called = PASTES[paste]
    before = sys.getprofile()
    fb = check(name, fn)
    assert fb.status == "wrong" and fb.bug == "library", repr(fb)
    assert f"Not your own: it calls bplib's `{called}`" in fb.message
    assert "Traceback" not in repr(fb)
    assert sys.getprofile() is before  # the watch is removed afterwards
    # the checker's own references do not go through the watch: the right answer still passes
    assert check(name, EXERCISES[name].reference).status == "correct"


def test_09s_fixed_backprop_cannot_be_bplib_s_either():
    """Exercise 9.2 (the fixed one-hidden-layer backprop) is watched the same way."""

    def backprop(W, b, X, Y):
        net = bplib.Network([W[1].shape[1], W[1].shape[0], W[2].shape[0]])
        net.W, net.b = W, b
        return net.gradients(X, Y)

    fb = check("backprop", backprop)
    assert fb.bug == "library" and "`Network.gradients`" in fb.message, repr(fb)
    assert check("backprop", EXERCISES["backprop"].reference).status == "correct"


def test_a_paste_that_raises_is_named_too():
    def my_forward(W, b, sigmas, X):
        z, a = _ff(W, b, sigmas, X)
        return z, a[5]  # an IndexError after bplib's forward pass

    fb = check("my_forward", my_forward)
    assert fb.bug == "library" and "`feedforward_layers`" in fb.message, repr(fb)


def test_index_0_of_the_lists_has_its_own_message():
    def my_forward(W, b, sigmas, X):
        z, a = [None], [None]
        prev = X
        for l in range(1, len(W)):
            z.append(prev @ W[l].T + b[l])
            prev = sigmas[l].fn(z[l])
            a.append(prev)
        return z, a

    fb = check("my_forward", my_forward)
    assert fb.status == "wrong" and fb.bug == "index_0", repr(fb)
    assert "a[0] is None" in fb.message and "a^0 = X" in fb.message
    assert "flags layers ." not in fb.message and "Layers 1 .. L are right" in fb.message


def test_the_column_form_backward_is_named_on_a_network_with_unequal_widths():
    """delta @ W.T and a.T @ delta run on the square network 1: the check goes on to 2."""

    def column_form(W, sigmas, cost, z, a, Y):
        L, n = len(W) - 1, len(Y)
        delta = [None] * (L + 1)
        delta[L] = cost.grad_a(a[L], Y) * sigmas[L].prime(z[L])
        for l in range(L - 1, 0, -1):
            delta[l] = (delta[l + 1] @ W[l + 1].T) * sigmas[l].prime(z[l])
        return (
            [None] + [a[l - 1].T @ delta[l] / n for l in range(1, L + 1)],
            [None] + [delta[l].mean(axis=0) for l in range(1, L + 1)],
        )

    # both transposes are in the zoo: named as two bugs on the square network 1
    fb = check("my_backward", column_form)
    assert fb.bug == "no_transpose+grad_W_transposed", repr(fb)
    assert fb.message.startswith("This looks like two bugs")

    def column_form_y_minus_a(W, sigmas, cost, z, a, Y):  # and the sign: three bugs
        L, n = len(W) - 1, len(Y)
        delta = [None] * (L + 1)
        delta[L] = cost.grad_a(a[L], 2 * a[L] - Y) * sigmas[L].prime(z[L])
        for l in range(L - 1, 0, -1):
            delta[l] = (delta[l + 1] @ W[l + 1].T) * sigmas[l].prime(z[l])
        return (
            [None] + [a[l - 1].T @ delta[l] / n for l in range(1, L + 1)],
            [None] + [delta[l].mean(axis=0) for l in range(1, L + 1)],
        )

    fb = check("my_backward", column_form_y_minus_a)
    assert fb.bug == "no_transpose", repr(fb)
    assert "whose layers are all square" in fb.message and "test network 2" in fb.message
    assert "No bug of the zoo matches" not in fb.message

    def transposed_gradient(W, sigmas, cost, z, a, Y):
        grad_W, grad_b = ref09.my_backward(W, sigmas, cost, z, a, Y)
        return [None] + [2 * g.T for g in grad_W[1:]], grad_b  # and a factor 2 in BP4 only

    fb = check("my_backward", transposed_gradient)
    assert fb.bug == "shape" and "turned around" in fb.message, repr(fb)
    assert "test network 2" in fb.message and "shape (2, 3)" in fb.table


def test_own_helpers_with_library_names_are_fine():
    def output_error(a_L, Y, z_L, cost, sigma):  # the reader's own helper, not bplib's
        return cost.grad_a(a_L, Y) * sigma.prime(z_L)

    def my_backward(W, sigmas, cost, z, a, Y):  # one error at a time, as 10.2 requires
        L, n = len(W) - 1, len(Y)
        grad_W, grad_b = [None] * (L + 1), [None] * (L + 1)
        delta = output_error(a[L], Y, z[L], cost, sigmas[L])
        for l in range(L, 0, -1):
            grad_W[l], grad_b[l] = delta.T @ a[l - 1] / n, delta.mean(axis=0)
            if l > 1:
                delta = (delta @ W[l]) * sigmas[l - 1].prime(z[l - 1])
        return grad_W, grad_b

    assert check("my_backward", my_backward).status == "correct"


def test_lists_not_indexed_by_layer_are_explained():
    def from_layer_1(W, sigmas, cost, z, a, Y):
        grad_W, grad_b = ref09.my_backward(W, sigmas, cost, z, a, Y)
        return grad_W[1:], grad_b[1:]

    fb = check("my_backward", from_layer_1)
    assert fb.status == "wrong" and fb.bug == "shape"
    assert "indexed by layer" in fb.message


def test_per_example_loop_is_accepted():
    """Any correct way is right: one example at a time, in column form."""

    def my_backward(W, sigmas, cost, z, a, Y):
        L, n = len(W) - 1, len(Y)
        grad_W = [None] + [np.zeros_like(w) for w in W[1:]]
        grad_b = [None] + [np.zeros(w.shape[0]) for w in W[1:]]
        for i in range(n):
            col = [None if v is None else v[i].reshape(-1, 1) for v in z]
            act = [v[i].reshape(-1, 1) for v in a]
            d = cost.grad_a(act[L], Y[i].reshape(-1, 1)) * sigmas[L].prime(col[L])
            for l in range(L, 0, -1):
                grad_W[l] += d @ act[l - 1].T / n
                grad_b[l] += d.ravel() / n
                if l > 1:
                    d = (W[l].T @ d) * sigmas[l - 1].prime(col[l - 1])
        return grad_W, grad_b

    assert check("my_backward", my_backward).status == "correct"


def test_not_attempted_and_grading(monkeypatch):
    def stub(W, sigmas, cost, z, a, Y):
        raise NotImplementedError("write your answer here")

    assert check("my_backward", stub).status == "not attempted"
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(AssertionError, match="σ′ at the wrong layer"):
        check("my_backward", _student_backward("next_z"))
    # the guard of the training cell never raises, even under nbgrader
    assert "Waiting for your my_backward" in nb09.waiting_for(ref09.my_forward, stub)


def test_table_feedback_display():
    fb = check("my_backward", _student_backward("no_transpose"))
    text, page = repr(fb), fb._repr_html_()
    assert text.startswith("my_backward: wrong.\n") and text.endswith(fb.table)
    assert "<pre class='bplib-feedback-table'" in page and page.count("<pre") == 1
    assert repr(check("my_backward", _student_backward("no_transpose"))) == text


# ----------------------------------------------------------------------------
# Nothing earlier in the series can be pasted in as the answer
# ----------------------------------------------------------------------------
def _earlier_functions():
    for path in sorted((ROOT / "notebooks").glob("0[0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            for node in tree.body:
                if isinstance(node, ast.FunctionDef):
                    yield path.name, node.name, ast.unparse(node)


def test_no_earlier_function_passes_either_check():
    found = list(_earlier_functions())
    assert any(name == "backprop" for _, name, _ in found)  # 09's find-the-bug answer
    # 08's step chains bplib's functions, BP2's loop included (bplib.backpropagate): no
    # matrix product and no loop over the layers of its own for 10.2 to copy
    (step,) = [source for notebook, name, source in found if name == "sgd_step"]
    assert (
        "@" not in step
        and "bplib.backpropagate(" in step
        and "backpropagate_error" not in step
        and "range(L - 1" not in step
        and "bplib.feedforward_layers(" in step
    )
    # 09's zoo is an any-depth backprop: imported from the package, not printed in 09
    assert "backprop_with" not in {name for _, name, _ in found}
    zoo = inspect.getsource(backprop_with)
    assert "backpropagate_error(" in zoo and "@ W[l].T" not in zoo  # its right pieces are bplib's
    for exercise in ("my_forward", "my_backward"):
        assert check(exercise, backprop_with).status != "correct"
    checked = set()
    for notebook, name, source in found:
        namespace = {"np": np, "sigmoid": sigmoid, "bplib": bplib}
        compiled = compile(source, f"<{notebook}:{name}>", "exec")
        try:
            exec(compiled, namespace)  # only the def: nothing runs
        except NameError:  # a default value from its notebook: cannot be pasted alone either
            continue
        checked.add(name)
        for exercise in ("my_forward", "my_backward"):
            fb = check(exercise, namespace[name])
            assert fb.status != "correct", (notebook, name, exercise)
    assert {"backprop", "sgd_step"} <= checked


# ----------------------------------------------------------------------------
# The training cell's guard
# ----------------------------------------------------------------------------
def _cell(cell_id):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    return next(c.source for c in nb.cells if c.id == cell_id)


def _run_cells(namespace, *ids):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        for cell_id in ids:
            exec(compile(_cell(cell_id), cell_id, "exec"), namespace)
    return out.getvalue()


def test_training_waits_for_answers_that_are_not_attempted():
    def my_forward(W, b, sigmas, X):
        raise NotImplementedError("write your answer here")

    def my_backward(W, sigmas, cost, z, a, Y):
        raise NotImplementedError("write your answer here")

    namespace = {"my_forward": my_forward, "my_backward": my_backward}
    _run_cells(namespace, "nb10-setup")
    text = _run_cells(namespace, "nb10-train-run", "nb10-train-other-run")
    assert text.startswith("Waiting for your my_forward: its check says 'not attempted'.")
    assert "epoch" not in text
    assert text.rstrip().endswith(
        "Waiting for both checks to say correct (see the training cell above)."
    )
    assert namespace["waiting"] and "accuracy" not in namespace


def test_the_input_gradient_cell_checks_the_reader_s_own_against_central_differences():
    """10.3's answer is checked in the notebook too (central differences of the cost, entry by
    entry) and used; a wrong one stops the cell, an unattempted one waits."""
    namespace = {"my_input_gradient": ref09.my_input_gradient}
    _run_cells(namespace, "nb10-setup")
    text = _run_cells(namespace, "nb10-input-gradient-check")
    # r is round-off (it moves with the BLAS threads): the cell prints the bound it is under
    assert "against central differences: r < 1e-08" in text and namespace["r_X"] < 1e-8
    assert "the gradient predicted" in text
    namespace["my_input_gradient"] = _student_input_gradient("no_mean")
    assert "Waiting for your my_input_gradient" in _run_cells(
        namespace, "nb10-input-gradient-check"
    )
    # the cell's own comparison fails on a wrong gradient, even one the check let through
    import exercises.reference.nb10_your_own_backprop as ref  # noqa: PLC0415

    wrong = ref._input_gradient_variant("prime_at_input")
    namespace["feedback_for"] = lambda *_: type("F", (), {"passed": True})()
    source = _cell("nb10-input-gradient-check").replace(
        "from bplib.exercises.checker import feedback_for\n", ""
    )
    namespace["my_input_gradient"] = wrong
    with pytest.raises(AssertionError):
        exec(compile(source, "nb10-input-gradient-check", "exec"), namespace)


def test_the_cross_entropy_bp1_is_asserted_in_the_equations_cell():
    """G * sigma'(Z^L) = A^L - Y for the cross-entropy with a sigmoid output: asserted."""
    source = _cell("nb10-equations-check")
    assert "np.allclose(G_k * s_k[L_k].prime(z_k[L_k]), a_k[L_k] - Y_k" in source
    text = _run_cells({}, "nb10-setup", "nb10-equations-check")
    assert "G * sigma'(Z^L) = A^L - Y in every entry" in text


def test_training_waits_for_a_wrong_backward():
    namespace = {"my_forward": ref09.my_forward, "my_backward": _student_backward("sign")}
    _run_cells(namespace, "nb10-setup")
    text = _run_cells(namespace, "nb10-train-run")
    assert text.startswith("Waiting for your my_backward: its check says 'wrong'.")


def test_the_learner_copy_holds_no_training_result():
    """make lab's copy shows no accuracy or curve of the reader's backprop before it is written."""
    spec = importlib.util.spec_from_file_location(
        "make_student", ROOT / "tools" / "make_student.py"
    )
    make_student = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_student)
    instructor = nbformat.read(NOTEBOOK, as_version=4)
    learner = make_student.learner_version(instructor)
    for cell_id in ("nb10-train-run", "nb10-train-other-run", "nb10-train-other-eta1"):
        before = next(c for c in instructor.cells if c.id == cell_id)
        after = next(c for c in learner.cells if c.id == cell_id)
        assert "needs-answer" in before.metadata["tags"] and before.outputs
        assert after.outputs == []
    stored = json.dumps([c.get("outputs", []) for c in learner.cells])
    for result in (
        "your own backprop:",
        "epoch 4: test accuracy",
        "eta = 0.3",
        "ReLU hidden layer, sigmoid output, cross-entropy cost, one epoch:",
    ):
        assert result not in stored, result


def test_the_stored_training_run_reaches_90_percent():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    cell = next(c for c in nb.cells if c.id == "nb10-train-run")
    text = "".join(o.get("text", "") for o in cell.outputs)
    assert "epoch 4: test accuracy" in text and "Waiting" not in text
    final = float(text.split("epoch 4: test accuracy ")[1].split("%")[0])
    assert final >= 90.0
    # notebook 08's run, to the digit: the cell compares with net.fit, it does not replay 08's curve
    assert "notebook 08's net.fit run" in text
    assert "net.fit(" in _cell("nb10-train-run") and "epochs=4" in _cell("nb10-train-run")
    ids = [c.id for c in nb.cells]
    assert "nb10-train-plot" not in ids and "nb10-train-explain" not in ids
    # the same two functions train a ReLU / cross-entropy network, as net.fit does
    cell = next(c for c in nb.cells if c.id == "nb10-train-other-run")
    text = "".join(o.get("text", "") for o in cell.outputs)
    assert "cross-entropy cost, one epoch:" in text and "same weights as net.fit's" in text


ODD_RESULTS = {
    "dict": {"W": 1},
    "number": 3,
    "three values": (1, 2, 3),
    "two arrays": (np.zeros(3), np.zeros(3)),
    "None and None": (None, None),
    "numbers by layer": ([None, 1.0, 2.0, 3.0], [None, 1.0, 2.0, 3.0]),
    "nested lists": ([None, [np.zeros(2)]], [None]),
    "strings": (["a"], ["b"]),
}


@pytest.mark.parametrize("what", ODD_RESULTS)
@pytest.mark.parametrize("name", ["my_forward", "my_backward"])
def test_odd_results_never_raise(name, what):
    params = EXERCISES[name].params
    fn = {4: lambda p, q, r, s: ODD_RESULTS[what], 6: lambda p, q, r, s, t, u: ODD_RESULTS[what]}
    fb = check(name, fn[len(params)])
    assert fb.status in ("wrong", "error") and "Traceback" not in repr(fb)


# ----------------------------------------------------------------------------
# Unaided: the equations folded, hints without code (no stored spoiler: test_predictions.py)
# ----------------------------------------------------------------------------
def test_the_equations_are_folded_above_the_exercises():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    first_exercise = next(
        i for i, c in enumerate(nb.cells) if "exercise" in c.metadata.get("tags", [])
    )
    for cell in nb.cells[:first_exercise]:
        if cell.cell_type == "markdown" and r"\tag{" in cell.source:
            assert cell.source.startswith("<details>"), cell.id
            assert "If you are stuck: the five equations" in cell.source
    above = "".join(c.source for c in nb.cells[:first_exercise])
    assert "sgd_step" not in above
    # the box gives the column form of 05-07; the row form (learning goal 2) is the reader's
    # work, given only after the exercises
    box = next(c.source for c in nb.cells if c.id == "nb10-equations")
    assert r"z^l = W^l a^{l-1} + b^l" in box and r"(W^{l+1})^T \delta^{l+1}" in box
    # 08's row-form lines would make 10.2 a transcription: the box does not write them; it asks
    # about what 08's lines did not have to do (what 08 gave is told in the title and section 1's
    # row form only: test_what_08_gave_is_told_twice)
    for new in ("*Any cost.*", "*Which layer.*", "*One error at a time.*", "*Loops.*"):
        assert new in box, new
    assert "notebook 08" in EXERCISES["my_backward"].hints[-1]
    assert all("08" not in h for h in EXERCISES["my_backward"].hints[:-1])
    for row_form in (r"A^{l-1} (W^l)^T", r"\Delta^{l+1} W^{l+1}", r"(\Delta^l)^T A^{l-1}"):
        assert row_form not in above, row_form
        assert row_form in "".join(c.source for c in nb.cells[first_exercise:]), row_form


@pytest.mark.parametrize("name", ["my_forward", "my_backward"])
def test_hints_ask_rather_than_give_code(name):
    for h in EXERCISES[name].hints:
        assert "`" not in h and "range(" not in h and "@" not in h and "[None]" not in h, h


def _fake_torch_backward():
    """A stand-in for PyTorch's autograd: a function whose module is named "torch"."""
    import types

    torch = types.ModuleType("torch")
    exec(  # noqa: S102 - defines one function in the fake module's namespace
        "def autograd_grad(W, s, c, z, a, Y, reference):\n    return reference(W, s, c, z, a, Y)\n",
        torch.__dict__,
    )
    ref = EXERCISES["my_backward"].reference

    def my_backward(W, sigmas, cost, z, a, Y):
        return torch.autograd_grad(W, sigmas, cost, z, a, Y, ref)

    return my_backward


def test_an_autograd_library_is_not_an_answer():
    """A backward pass done by PyTorch (here a stand-in module named torch) is refused."""
    import sys

    before = sys.getprofile()
    fb = check("my_backward", _fake_torch_backward())
    assert fb.status == "wrong" and fb.bug == "library", repr(fb)
    assert "Not your own: it calls PyTorch's `autograd_grad`" in fb.message
    assert sys.getprofile() is before


def test_real_torch_autograd_is_not_an_answer():
    torch = pytest.importorskip("torch")

    def my_backward(W, sigmas, cost, z, a, Y):
        L, n = len(W) - 1, len(Y)
        Wt = [None] + [torch.tensor(w, requires_grad=True) for w in W[1:]]
        bt = [None] + [
            torch.tensor(z[l][0] - a[l - 1][0] @ W[l].T, requires_grad=True)
            for l in range(1, L + 1)
        ]
        h = torch.tensor(a[0])
        for l in range(1, L + 1):
            s = h @ Wt[l].T + bt[l]
            h = {"tanh": torch.tanh, "relu": torch.relu}.get(sigmas[l].name, torch.sigmoid)(s)
        (0.5 * ((h - torch.tensor(Y)) ** 2).sum() / n).backward()  # the quadratic cost
        return [None] + [w.grad.numpy() for w in Wt[1:]], [None] + [v.grad.numpy() for v in bt[1:]]

    fb = check("my_backward", my_backward)
    assert fb.status == "wrong" and fb.bug == "library", repr(fb)
    assert "PyTorch's" in fb.message


# ----------------------------------------------------------------------------
# Feedback names the bug and asks; it never hands over the fixed code
# ----------------------------------------------------------------------------
#: Pieces of the solution lines (and their formulas) that no feedback may contain.
SOLUTION_PIECES = [
    "a[l - 1] @ W[l].T",
    "@ W[l].T + b[l]",
    "delta[l + 1] @ W[l + 1]",
    "delta[l].T @ a[l - 1]",
    "range(L - 1, 0, -1)",
    "range(1, L + 1)",
    "range(1, len(W))",
    "sigmas[l].prime(z[l])",
    "sigmas[l].fn(z[l])",
    "sigmas[L].prime(z[L])",
    "mean(axis=0)",
    "δ^{l+1} W^{l+1}",
    "a^{l−1} (W^l)ᵀ",
    "(δ^l)ᵀ a^{l−1}",
]


def _no_solution_in(text):
    flat = text.replace(" ", "")
    for piece in SOLUTION_PIECES:
        assert piece.replace(" ", "") not in flat, (piece, text)


@pytest.mark.parametrize("bug", BACKWARD_KEYS)
def test_backward_feedback_asks_rather_than_gives_the_fix(bug):
    fb = check("my_backward", _student_backward(bug))
    _no_solution_in(fb.message)
    assert "?" in fb.message


@pytest.mark.parametrize("bug", FORWARD_KEYS)
def test_forward_feedback_asks_rather_than_gives_the_fix(bug):
    fb = check("my_forward", _student_forward(bug))
    _no_solution_in(fb.message)
    assert "?" in fb.message


def test_every_zoo_message_asks_rather_than_gives_the_fix():
    for text in list(nb09.BACKWARD_BUGS.values()) + list(nb09.FORWARD_BUGS.values()):
        _no_solution_in(text)


def test_no_solution_piece_test_can_fail():
    with pytest.raises(AssertionError):
        _no_solution_in("use `delta[l + 1] @ W[l + 1]`, with no `.T`")


# ----------------------------------------------------------------------------
# A function that reads the notebook's globals, an exception's line, the pattern hints
# ----------------------------------------------------------------------------
def _reading_globals():
    """A student function defined where the notebook's n = 7 and L = 4 are globals."""
    space = {"np": np, "n": 7, "L": 4}
    exec(
        "def uses_n(W, sigmas, cost, z, a, Y):\n"
        "    depth = len(W) - 1\n"
        "    delta = [None] * (depth + 1)\n"
        "    delta[depth] = cost.grad_a(a[depth], Y) * sigmas[depth].prime(z[depth])\n"
        "    for l in range(depth - 1, 0, -1):\n"
        "        delta[l] = (delta[l + 1] @ W[l + 1]) * sigmas[l].prime(z[l])\n"
        "    return ([None] + [delta[l].T @ a[l - 1] / n for l in range(1, depth + 1)],\n"
        "            [None] + [delta[l].mean(0) for l in range(1, depth + 1)])\n"
        "def uses_L(W, sigmas, cost, z, a, Y):\n"
        "    delta = [None] * (L + 1)\n"
        "    delta[L] = cost.grad_a(a[L], Y) * sigmas[L].prime(z[L])\n"
        "    return delta, delta\n",
        space,
    )
    return space["uses_n"], space["uses_L"]


def test_a_function_that_reads_the_notebook_s_n_or_L_is_told_so():
    uses_n, uses_L = _reading_globals()
    fb = check("my_backward", uses_n)
    assert fb.status == "wrong" and fb.bug == "notebook_global", repr(fb)
    assert fb.message.startswith("Your function reads the notebook's global `n` (= 7)")
    fb = check("my_backward", uses_L)
    assert fb.status == "error" and fb.message.startswith(
        "Your function reads the notebook's global `L` (= 4)"
    ), repr(fb)
    assert "IndexError" in fb.message and "Traceback" not in fb.message
    # a correct function that reads a notebook constant is correct
    assert check("my_backward", ref09.my_backward).status == "correct"


def test_an_exception_quotes_the_line_of_the_reader_s_code():
    """The column form of BP2 raises on network 1: the message quotes that line."""

    def column_bp2(W, sigmas, cost, z, a, Y):
        L = len(W) - 1
        delta = [None] * (L + 1)
        delta[L] = cost.grad_a(a[L], Y) * sigmas[L].prime(z[L])
        for l in range(L - 1, 0, -1):
            delta[l] = (W[l + 1].T @ delta[l + 1]) * sigmas[l].prime(z[l])
        return delta, delta

    fb = check("my_backward", column_bp2)
    assert fb.status == "error", repr(fb)
    assert "`delta[l] = (W[l + 1].T @ delta[l + 1]) * sigmas[l].prime(z[l])`" in fb.message
    assert "which side of the product" in fb.message and "Traceback" not in fb.message


def test_a_cost_delta_with_wrong_arguments_is_refused_too():
    def my_backward(W, sigmas, cost, z, a, Y):
        cost.delta(a[-1], Y)  # a TypeError: delta takes z_L and sigma as well
        return ref09.my_backward(W, sigmas, cost, z, a, Y)

    fb = check("my_backward", my_backward)
    assert fb.bug == "library" and ".delta`" in fb.message, repr(fb)


def _perturbed(which):
    def my_backward(W, sigmas, cost, z, a, Y):
        grad_W, grad_b = ref09.my_backward(W, sigmas, cost, z, a, Y)
        L, n = len(W) - 1, len(Y)
        if which == "twice":  # 1/n applied twice
            return [None] + [g / n for g in grad_W[1:]], [None] + [g / n for g in grad_b[1:]]
        if which == "weights":
            return [None] + [g + 0.1 for g in grad_W[1:]], grad_b
        if which == "below_L":
            return (
                [None] + [g + 0.1 * (l < L) for l, g in enumerate(grad_W[1:], 1)],
                [None] + [g + 0.1 * (l < L) for l, g in enumerate(grad_b[1:], 1)],
            )
        if which == "keepdims":
            return grad_W, [None] + [g.reshape(1, -1) for g in grad_b[1:]]
        raise ValueError(which)

    return my_backward


def test_an_unnamed_bug_gets_the_hint_its_pattern_points_to():
    hints = EXERCISES["my_backward"].hints
    fb = check("my_backward", _perturbed("twice"))
    assert "every layer, is 0.2× the right one" in fb.message, repr(fb)
    assert "1/n applied twice" in fb.message and list(fb.hints) == hints[2:3]
    fb = check("my_backward", _perturbed("weights"))
    assert "bug is in BP4" in fb.message and list(fb.hints) == hints[2:3], repr(fb)
    fb = check("my_backward", _perturbed("below_L"))
    assert "look at BP2" in fb.message and list(fb.hints) == hints[1:2], repr(fb)
    fb = check("my_backward", _perturbed("keepdims"))
    assert "kept the row axis" in fb.message and list(fb.hints) == hints[2:3], repr(fb)


# ----------------------------------------------------------------------------
# Exercise 10.3: the gradient with respect to the input
# ----------------------------------------------------------------------------
INPUT_KEYS = [
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
]


def _student_input_gradient(bug):
    def my_input_gradient(W, sigmas, cost, z, a, Y):
        L, n = len(W) - 1, a[0].shape[0]
        d = cost.grad_a(a[-1], Y) * sigmas[-1].prime(z[-1])
        stop = 2 if bug == "stops_at_delta_2" and L > 1 else 1
        for l in reversed(range(stop, L)):
            sigma = sigmas[1] if bug == "first_hidden_prime" else sigmas[l]
            d = np.dot(d, W[l + 1]) * sigma.prime(z[l])
        g = np.dot(d, W[stop].T if bug == "no_transpose" else W[stop])
        if bug == "prime_at_input":
            g = g * sigmas[1].prime(a[0])
        if bug == "prime_at_z1":  # layer 1's σ′ once more, at Z^1, past δ^1
            g = g * sigmas[1].prime(z[1])
        if bug == "delta_1":  # stopped at delta^1, without the last product
            return d / n
        if bug == "one_row":
            return g.sum(0) / n
        if bug == "one_row_sum":  # summed over the examples, no 1/n
            return g.sum(0)
        if bug == "mean_every_row":  # averaged over the rows as in BP3, one copy per row
            return np.repeat(g.mean(0, keepdims=True), n, axis=0)
        return g if bug == "no_mean" else g / n

    return my_input_gradient


@pytest.mark.parametrize("k", range(len(nb09.NETWORKS)))
def test_input_gradient_reference_against_central_differences(k):
    net, X, Y = nb09.case_network(k)
    z, a = net.feedforward_layers(X)
    got = ref09.my_input_gradient(net.W, net.sigmas, net.cost_function, z, a, Y)
    assert got.shape == X.shape
    num, eps = np.zeros_like(X), 1e-6
    for idx in np.ndindex(*X.shape):
        up, down = X.copy(), X.copy()
        up[idx] += eps
        down[idx] -= eps
        num[idx] = (net.cost(up, Y) - net.cost(down, Y)) / (2 * eps)
    assert bplib.relative_error(got, num) < 1e-6


def test_input_gradient_bugs_are_named_and_asked_about():
    assert {b.key for b in EXERCISES["my_input_gradient"].bugs} == set(INPUT_KEYS)
    assert check("my_input_gradient", _student_input_gradient(None)).status == "correct"
    for bug in INPUT_KEYS:
        fb = check("my_input_gradient", _student_input_gradient(bug))
        assert fb.status == "wrong" and fb.bug == bug, (bug, repr(fb))
        _no_solution_in(fb.message)
        assert "@ W[1] / n" not in fb.message and "?" in fb.message


def test_input_gradient_values_that_differ_lead_with_the_sigma_prime_question():
    """Right shape, values no named bug explains: the hint shown asks about the input layer's
    σ′ (the slip the statement asks about); a wrong shape keeps hint 1 (how far BP2 runs)."""
    hints = EXERCISES["my_input_gradient"].hints
    assert "does it have an activation?" in hints[1]
    sigma_question = _student_input_gradient(None)

    def output_prime_at_input(W, sigmas, cost, z, a, Y):  # a σ′ at X no named bug has
        return sigma_question(W, sigmas, cost, z, a, Y) * sigmas[-1].prime(a[0])

    fb = check("my_input_gradient", output_prime_at_input)
    assert fb.status == "wrong" and fb.bug is None and list(fb.hints) == hints[1:2], repr(fb)
    fb = check("my_input_gradient", lambda W, sigmas, cost, z, a, Y: np.zeros((3, 3)))
    assert fb.bug == "shape" and list(fb.hints) == hints[:1], repr(fb)


def test_input_gradient_from_bplib_s_passes_is_refused():
    def my_input_gradient(W, sigmas, cost, z, a, Y):
        delta_L = _oe(a[-1], Y, z[-1], cost, sigmas[-1])
        return _bp(delta_L, W, z, sigmas)[1] @ W[1] / len(Y)

    fb = check("my_input_gradient", my_input_gradient)
    assert fb.bug == "library" and "`backpropagate`" in fb.message, repr(fb)


def test_statements_point_back_rather_than_restate_the_equations():
    """10.1 says it is notebook 01's exercise 1.1 again (a warm-up); 10.2 names BP1-BP4 and points
    back to 05-08 without writing any of them, so turning them into the loop stays the reader's."""
    forward = EXERCISES["my_forward"].statement
    assert "reuse your exercise 1.1 (notebook 01)" in forward and "warm-up" in forward
    backward = EXERCISES["my_backward"].statement
    assert "BP1–BP4" in backward and "notebook 08" in backward
    for written in (
        r"\odot",
        "W^{l+1}",
        "(W^l)^T",
        "^T A^{l-1}",
        r"\sigma_L'(",
        "= \\frac1n \\sum",
    ):
        assert written not in backward, written


# ----------------------------------------------------------------------------
# Honest about what 08 gave; notation; questions that can be reasoned out
# ----------------------------------------------------------------------------
def _nb10():
    return nbformat.read(NOTEBOOK, as_version=4)


def test_the_goals_say_what_is_new_after_08_s_row_form():
    """08 wrote the row form for two layers: 10 does not present the conversion as the reader's
    discovery, and says what is new (any depth, any activation, any cost, one error, dC/dX)."""
    title, goals = _cell("nb10-title"), _cell("nb10-goals")
    # 08's numpy cell wrote L = 2 out, and 8.2's sgd_step left the loop over the layers to
    # bplib.backpropagate: the framing says so, and what is new is writing it all
    assert "its numpy cell wrote the lines out for its two-layer network ($L = 2$)" in title
    assert (
        "exercise 8.2 chained `bplib`'s functions, with `bplib.backpropagate` running the loop"
        in title
    )
    assert "with no `bplib` helpers" in title and "`cost.grad_a`" in title
    assert "written out by\nhand" not in title and "by hand" not in goals
    assert "column form" not in goals and "row form" not in goals
    for new in ("any depth", "any cost", "keeps only the latest error", "input", "ReLU"):
        assert new in goals, new


def test_what_08_gave_is_told_twice():
    """08 wrote the row form for L = 2 and 8.2 left the loop to bplib.backpropagate: said in the
    title and in the row-form section, nowhere else (not in the box, 10.2's statement or the
    summary); the transpose rule (AB)^T = B^T A^T only in the row-form section."""
    nb = _nb10()
    told = {"two-layer", "two layers", "8.2", "`bplib.backpropagate` ran", "as notebook 08 did"}
    tellers = [
        c.id for c in nb.cells if c.cell_type == "markdown" and any(t in c.source for t in told)
    ]
    assert tellers == ["nb10-title", "nb10-row-form"], tellers
    rule = [c.id for c in nb.cells if "(AB)^T" in c.source or "is transposed" in c.source]
    assert rule == ["nb10-row-form"], rule


def test_n_is_said_to_be_08_s_m():
    note = _cell("nb10-notation")
    assert "$n$ here is notebook 08's $m$" in note and "$m = 10$" in note
    assert "mini-batches of $m = 10$" in _cell("nb10-train")


def test_every_training_number_in_the_text_is_computed_by_a_cell():
    """The ReLU network's answer quotes no accuracy that no cell prints (the old "88.3%")."""
    import re  # noqa: PLC0415

    answer = _cell("nb10-train-other-answer")
    assert not re.findall(r"\d+\.\d+ ?%", answer), answer
    # eta = 1 reaches about 20%, not "near guessing (10%)": the text quotes only asserted bounds
    assert "guessing" not in answer and "(10%)" not in answer
    assert "under half of the test" in answer and "more than 85%" in answer
    eta = _cell("nb10-train-other-eta1")
    assert "eta=0.3" in eta and "eta=1.0" in eta
    # the claims are asserted on net.fit's runs; the reader's eta = 1 number is round-off's
    assert "assert fit_accuracy[0.3] > acc_relu and fit_accuracy[1.0] < 0.5" in eta
    assert "acc_relu_1 < 0.5" not in eta.split("if not")[0]
    assert "under half of the test digits with `net.fit`" in answer
    assert "acc_relu >= 0.85" in _cell("nb10-train-other-run")


def test_the_eta_1_number_of_the_reader_gets_a_soft_note_not_an_assert():
    """At eta = 1 a correct backprop's accuracy depends on its round-off: a reader's run that
    reaches more than half is told so, with net.fit's numbers, and the cell does not fail."""
    namespace = {"my_forward": ref09.my_forward, "my_backward": ref09.my_backward}
    _run_cells(namespace, "nb10-setup", "nb10-train-run", "nb10-train-other-run")
    text = _run_cells(namespace, "nb10-train-other-eta1")
    assert "Not the pattern" not in text and namespace["fit_accuracy"][1.0] < 0.5
    sgd = namespace["sgd"]

    def lucky_sgd(forward, backward, epochs, eta=3.0, **kw):  # a round-off that lands high
        accuracy, W = sgd(forward, backward, epochs, eta=eta, **kw)
        return ([0.6] if eta == 1.0 else accuracy), W

    namespace["sgd"] = lucky_sgd
    text = _run_cells(namespace, "nb10-train-other-eta1")
    assert "eta = 1 60.0% of the test digits right" in text
    assert "Not the pattern 'Why' explains: net.fit reaches" in text and "round-off" in text


def test_the_summary_points_to_11_and_the_notation_says_one_delta():
    assert "notebook 11's autograd automates" in _cell("nb10-summary")
    assert "10.2 keeps one $\\Delta$" in _cell("nb10-notation")


def test_the_broken_backprops_question_is_derived_not_matched():
    """Which broken backprops are correct backprop with another eta is derivable (BP2 is linear in
    the error; 1/m and sigma' are factors): no anchor cell trains the answers before the question,
    and the run measures each bug's factor per layer before it trains."""
    nb = _nb10()
    ids = [c.id for c in nb.cells]
    assert "nb10-predict2-anchors" not in ids
    prompt = _cell("nb10-predict2")
    assert "**Which of them are correct backprop with a different $\\eta$**" in prompt
    assert "anchor" not in prompt and "80%" not in prompt
    heading = _cell("nb10-predict2-anchors-md")
    for given in ("eta = 6", "eta = 30", "$\\eta = 6$", "x 4"):
        assert given not in heading, given
    run = _cell("nb10-predict2-run")
    assert "layer_factor" in run and "BP2 is linear in the error" in run
    why = _cell("nb10-predict2-explain")
    assert "correct training with $\\eta = 6$" in why and "$\\eta = 30$" in why
    assert 'one_k == {"factor_2", "no_mean"}' in _cell("nb10-predict2-run-check")


def test_the_off_by_one_reveal_says_where_to_look():
    """The loop question is derived from the ranges: a wrong guess is sent to them, not to 'the
    equation'."""
    source = _cell("nb10-predict1-run")
    assert 'wrong="Not this time. Write out the values of l that each range visits' in source
