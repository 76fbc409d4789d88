"""The exercises: right answers pass, each named bug is named, and the reference
solutions are right.

Each buggy function below is written the way a student would write it, not
taken from the checker's own variants, so a test proves that a real mistake is
recognised. The reference solutions are checked against bplib and, where an
exercise computes a derivative, against central finite differences, so they are
not only checked against themselves. The last section checks the generated cells,
and that the real notebooks hold them (that fails until tools/exercise_cells.py
has been run on the notebooks).
"""

import contextlib
import copy
import inspect
import io
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import numpy as np
import pytest

import bplib
from bplib import Network, cross_entropy, quadratic, sigmoid
from bplib.exercises import (
    BROKEN_BACKPROP_SOURCE,
    EXERCISES,
    Feedback,
    check,
    exercises_for,
    hint,
    nb11_autodiff,
)
from bplib.exercises.nb03_gradient_descent import descend_grad
from bplib.exercises.nb09_gradient_checking import UNCHANGED, ReadsP

ROOT = Path(__file__).resolve().parents[1]
sig, sigp = sigmoid.fn, sigmoid.prime


@pytest.fixture(autouse=True)
def _not_grading(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)


# ----------------------------------------------------------------------------
# Generic behaviour, for every exercise
# ----------------------------------------------------------------------------
NAMES = list(EXERCISES)


def test_registry_covers_every_notebook_from_01():
    per_notebook = {}
    for ex in EXERCISES.values():
        per_notebook.setdefault(ex.notebook, []).append(ex.name)
    numbers = sorted(p.name[:2] for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert sorted(per_notebook) == [n for n in numbers if n != "00"]
    assert all(1 <= len(v) <= 4 for v in per_notebook.values())


@pytest.mark.parametrize("name", NAMES)
def test_reference_solution_passes(name):
    fb = check(name, EXERCISES[name].reference)
    assert fb.passed and fb.status == "correct" and fb.bug is None, repr(fb)
    assert repr(fb).startswith(f"{name}: correct.")


def _notebook_prelude(notebook):
    """What a notebook's exercise cells use from the notebook's own cells above them: notebook
    11's exercises build on its section 1 ``Value`` (with ``backward``), not on an import."""
    namespace = {}
    if notebook == "11":
        nb = nbformat.read(ROOT / "notebooks" / "11_autodiff.ipynb", as_version=4)
        code = {c.id: c.source for c in nb.cells if c.cell_type == "code"}
        for cell in ("nb11-value", "nb11-backward"):
            exec(code[cell], namespace)
    return namespace


@pytest.mark.parametrize("name", NAMES)
def test_solution_cell_source_defines_a_passing_function(name):
    ex = EXERCISES[name]
    assert "### BEGIN SOLUTION" in ex.source and "### END SOLUTION" in ex.source
    namespace = _notebook_prelude(ex.notebook)
    # the cell alone, with only its own imports, after the cells of its notebook's earlier
    # exercises (08's epoch calls the reader's minibatches of 8.1 and step of 8.2)
    for earlier in exercises_for(ex.notebook):
        if earlier.name == name:
            break
        exec(earlier.source, namespace)
    exec(ex.source, namespace)
    assert check(name, namespace[name]).passed


@pytest.mark.parametrize("name", NAMES)
def test_reference_is_the_real_function_the_cell_is_made_from(name):
    ex = EXERCISES[name]
    fn = ex.reference
    assert inspect.isfunction(fn) and fn.__name__ == name
    assert fn.__module__.startswith(f"exercises.reference.nb{ex.notebook}_")
    assert ex.source.endswith(inspect.getsource(fn))
    assert ex.params == list(inspect.signature(fn).parameters)


def _args(name):
    return ", ".join(EXERCISES[name].params)


def _define(name, body, extra=None):
    """A function with the exercise's parameters whose body is ``body``."""
    namespace = {"np": np, "sigmoid": sigmoid, "reference": EXERCISES[name].reference}
    namespace.update(extra or {})
    exec(f"def f({_args(name)}):\n    {body}\n", namespace)
    return namespace["f"]


@pytest.mark.parametrize("name", NAMES)
def test_not_attempted(name):
    stub = _define(name, 'raise NotImplementedError("write your answer here")')
    fb = check(name, stub)
    assert fb.status == "not attempted" and not fb.passed
    assert repr(fb).startswith(f"{name}: not attempted yet.")
    assert "Traceback" not in repr(fb)


@pytest.mark.parametrize("name", NAMES)
def test_exception_gives_a_friendly_message(name):
    fb = check(name, _define(name, "return 1 / 0"))
    assert fb.status == "error"
    assert "ZeroDivisionError" in fb.message and "Traceback" not in fb.message
    assert "\n" not in fb.message  # one paragraph


@pytest.mark.parametrize("name", NAMES)
def test_nan_gives_a_friendly_message(name):
    def nan_like(x):
        if isinstance(x, (list, tuple)):
            return type(x)(nan_like(v) for v in x)
        return np.asarray(x, dtype=float) * np.nan

    fb = check(
        name, _define(name, f"return nan_like(reference({_args(name)}))", {"nan_like": nan_like})
    )
    assert fb.status == "error" and "NaN" in fb.message


@pytest.mark.parametrize("name", NAMES)
def test_wrong_shape_gives_a_friendly_message(name):
    def extra_axis(x):
        if isinstance(x, list) and len(x) > 2 and isinstance(x[0], np.ndarray):
            return x[:1] + [x[1][..., None]] + x[2:]  # every layer's array: one with an extra axis
        if isinstance(x, (list, tuple)):
            return list(x)[:-1]  # one value too few
        return np.asarray(x)[..., None]  # one axis too many

    fb = check(
        name,
        _define(name, f"return extra_axis(reference({_args(name)}))", {"extra_axis": extra_axis}),
    )
    assert fb.status == "wrong" and fb.bug == "shape", repr(fb)
    assert "the answer is" in fb.message


@pytest.mark.parametrize("name", NAMES)
def test_missing_return(name):
    fb = check(name, _define(name, "x = 1"))
    assert fb.status == "error" and "return" in fb.message


@pytest.mark.parametrize("name", NAMES)
def test_display_is_deterministic(name):
    fb1 = check(name, _define(name, "return 1 / 0"))
    fb2 = check(name, _define(name, "return 1 / 0"))
    assert repr(fb1) == repr(fb2)
    assert fb1._repr_html_() == fb2._repr_html_()
    assert "error" in fb1._repr_html_()


def test_wrong_values_without_a_known_bug_show_an_entry_and_a_hint():
    fb = check("output_error", lambda a_L, y, z_L, c, sigma: c * (a_L - y) * sigma.prime(z_L) + 0.1)
    assert fb.status == "wrong" and fb.bug is None
    assert "one entry is" in fb.message and fb.hints == EXERCISES["output_error"].hints[:1]
    assert "Hint: " in repr(fb) and "<details" in fb._repr_html_()


def test_constant_factor_is_reported():
    fb = check("weight_gradient", lambda delta, a_prev: 3 * delta.T @ a_prev / len(delta))
    assert fb.status == "wrong" and "3 times the right one" in fb.message


def test_a_single_number_is_called_c_times_the_answer_only_if_c_holds_on_every_case():
    """One number is always some multiple of another: for an exercise that returns a number,
    the factor is claimed only when the same factor holds on the other test cases too."""
    ref = EXERCISES["dC_dw"].reference

    def tripled(*args):
        return 3 * ref(*args)

    fb = check("dC_dw", tripled)
    assert fb.status == "wrong" and "3 times the right one" in fb.message

    def input_twice(a_prev, w_L, b_L, y):  # a factor a_prev too many: not a constant
        return a_prev * ref(a_prev, w_L, b_L, y)

    fb = check("dC_dw", input_twice)
    assert fb.status == "wrong" and fb.bug is None and "times the right one" not in fb.message


def test_right_only_for_equal_widths_is_caught_on_the_second_test():
    # Correct when W is square, wrong otherwise: uses W's row count for the width.
    def backpropagate_error(delta_next, W_next, z, sigma):
        return (delta_next @ W_next) * sigma.prime(z[:, : W_next.shape[0]])

    fb = check("backpropagate_error", backpropagate_error)
    assert fb.status in ("wrong", "error") and "second test" in fb.message


def test_6_1_is_checked_with_sigmoid_then_tanh_between_unequal_widths():
    """Case 0 is a sigmoid layer between equal widths (every bug computes there); case 1 a tanh
    layer between other widths, so a stray transpose is a shape error, reported as feedback."""
    (d0, W0, z0, s0), (d1, W1, z1, s1) = _cases("backpropagate_error")
    assert s0.name == "sigmoid" and W0.shape[0] == W0.shape[1]
    assert s1.name == "tanh" and W1.shape[0] != W1.shape[1]
    fb = check("backpropagate_error", lambda d, W, z, sg: (d @ W) * sigp(z))
    assert fb.status == "wrong" and fb.bug == "sigmoid_prime_always", repr(fb)

    def stray_transpose_on_tanh(d, W, z, sg):  # right for the sigmoid, W.T for the rest
        return (d @ (W if sg.name == "sigmoid" else W.T)) * sg.prime(z)

    fb = check("backpropagate_error", stray_transpose_on_tanh)
    assert fb.status == "error" and "second test" in fb.message, repr(fb)
    for raw in ("matmul", "ValueError", "gufunc", "Traceback"):
        assert raw not in fb.message, (raw, fb.message)


def test_7_2_and_7_3_shape_errors_say_which_shapes_met_not_numpys_text():
    """7.2 without the transpose (or einsum letters on axes of different lengths) and 7.3 with
    no example axis are told which arrays met and what is missing, never numpy's gufunc text."""
    for wrong in (
        lambda delta, a_prev: delta @ a_prev / len(delta),
        lambda delta, a_prev: np.einsum("ij,jk->ik", delta, a_prev) / len(delta),
    ):
        fb = check("weight_gradient", wrong)
        assert fb.status == "error" and "(n, n_l)" in fb.message, repr(fb)
        assert "(5, 3)" in fb.message and "rows of both" in fb.message, fb.message
        for raw in ("gufunc", "ValueError", "remapped"):
            assert raw not in fb.message, (raw, fb.message)
    fb = check("weight_gradient_per_example", lambda d, a: d[:, None] * a[None, :])
    assert fb.status == "error" and "(3, 1, 3) and (1, 3, 4)" in fb.message, repr(fb)
    assert "example axis" in fb.message and "axis of length 1" in fb.message, fb.message
    assert "transpose" not in fb.message and "@" not in fb.message, fb.message


def test_state_kept_between_calls_is_reported():
    calls = []

    def weight_gradient(delta, a_prev):
        calls.append(1)
        return delta.T @ a_prev / len(delta) + (len(calls) - 1) * 0.5

    fb = check("weight_gradient", weight_gradient)
    assert fb.status == "wrong" and fb.bug == "state"


def test_wrong_number_of_arguments():
    fb = check("output_error", lambda a_L, y, z_L: a_L - y)
    assert fb.status == "error" and "5 arguments" in fb.message


def test_passing_a_value_instead_of_the_function():
    fb = check("output_error", np.zeros((5, 3)))
    assert fb.status == "error" and "no parentheses" in fb.message


def test_unknown_exercise_name_suggests_the_right_one():
    with pytest.raises(ValueError, match="output_error"):
        check("output_eror", lambda a_L, y, z_L: a_L)


def test_hint_lists_every_hint():
    h = hint("backpropagate_error")
    text = repr(h)
    assert text.startswith("Hints for backpropagate_error:")
    for i, _item in enumerate(EXERCISES["backpropagate_error"].hints, 1):
        assert f"{i}. " in text
    assert h._repr_html_().count("<details>") == len(EXERCISES["backpropagate_error"].hints)


def test_feedback_escapes_html():
    fb = Feedback("x", "wrong", "a < b and `code`")
    assert "a &lt; b" in fb._repr_html_() and "<code>code</code>" in fb._repr_html_()


# ----------------------------------------------------------------------------
# nbgrader
# ----------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["autograde", "validate"])
def test_grading_mode_raises_on_anything_but_correct(monkeypatch, mode):
    monkeypatch.setenv("NBGRADER_EXECUTION", mode)
    with pytest.raises(AssertionError, match="not attempted"):
        check("output_error", _define("output_error", "raise NotImplementedError()"))
    with pytest.raises(AssertionError, match="sigmoid's slope"):
        check("backpropagate_error", lambda d, W, z, sg: (d @ W) * sigp(z))
    # Correct: printed, not returned (nbgrader would read a returned value as partial credit).
    assert check("output_error", EXERCISES["output_error"].reference) is None


def test_grading_mode_prints_a_correct_result(monkeypatch, capsys):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    check("output_error", EXERCISES["output_error"].reference)
    assert capsys.readouterr().out.startswith("output_error: correct.")


def test_outside_grading_it_never_raises(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "")
    assert check("output_error", _define("output_error", "raise KeyError('x')")).status == "error"


# ----------------------------------------------------------------------------
# One test per named bug: a student-style function with that bug
# ----------------------------------------------------------------------------
def _accumulating_weight_gradient():
    buffer = {}

    def weight_gradient(delta, a_prev):
        g = buffer.setdefault(
            delta.shape + a_prev.shape, np.zeros((delta.shape[1], a_prev.shape[1]))
        )
        g += delta.T @ a_prev / delta.shape[0]  # never reset between calls
        return g

    return weight_gradient


def _accumulating_per_example():
    total = [0.0]

    def weight_gradient_per_example(delta, a_prev):
        total[0] = total[0] + np.einsum("ij,ik->ijk", delta, a_prev)
        return total[0]

    return weight_gradient_per_example


def _accumulating_augmented_gradient():
    total = [0.0]

    def augmented_gradient(delta, a_prev):
        ones = np.ones((len(delta), 1))
        total[0] = total[0] + delta.T @ np.concatenate([a_prev, ones], axis=1) / len(delta)
        return total[0]

    return augmented_gradient


def _accumulating_backprop():
    grads = {}

    def backprop(W, b, X, Y):
        L = len(W) - 1
        z, a = [None], [X]
        for l in range(1, L + 1):
            z.append(a[-1] @ W[l].T + b[l])
            a.append(sig(z[-1]))
        key = tuple(w.shape for w in W[1:])
        if key not in grads:  # buffers created once, like a layer's .grad, never zeroed
            grads[key] = (
                [None] + [np.zeros_like(w) for w in W[1:]],
                [None] + [np.zeros_like(v) for v in b[1:]],
            )
        grad_W, grad_b = grads[key]
        delta = (a[L] - Y) * sigp(z[L])
        for l in range(L, 0, -1):
            grad_b[l] += delta.mean(axis=0)
            grad_W[l] += delta.T @ a[l - 1] / X.shape[0]
            if l > 1:
                delta = (delta @ W[l]) * sigp(z[l - 1])
        return [None] + [g.copy() for g in grad_W[1:]], [None] + [g.copy() for g in grad_b[1:]]

    return backprop


def _student_backprop(bug):
    """backprop of a one-hidden-layer network as a student might write it, with one mistake.

    It uses mean() where the given code divides a sum by n, and names its arrays its own way.
    """

    def backprop(W, b, X, Y):
        W1, W2, b1, b2 = W[1], W[2], b[1], b[2]
        h_in = X @ W1.T + b1
        h = sig(h_in)
        out_in = h @ W2.T + b2
        out = sig(out_in)
        err = out - Y
        if bug == "sign":
            err = Y - out
        elif bug == "factor_2":
            err = 2 * (out - Y)
        d_out = err if bug == "no_prime_output" else err * sigp(out_in)
        if bug == "next_z":
            d_hid = (d_out @ W2) * sigp(out_in)
        elif bug == "no_prime_hidden":
            d_hid = d_out @ W2
        elif bug == "prime_of_a":  # sigma' of the activation h, not of h_in
            d_hid = (d_out @ W2) * sigp(h)
        elif bug == "no_transpose":
            d_hid = (d_out @ W2.T) * sigp(h_in)
        else:
            d_hid = (d_out @ W2) * sigp(h_in)
        n = len(X)
        sums = {
            "W1": d_hid.T @ X,
            "b1": d_hid.sum(axis=0),
            "W2": d_out.T @ h,
            "b2": d_out.sum(axis=0),
        }
        g = {k: v if bug in ("no_mean", f"no_mean_{k}") else v / n for k, v in sums.items()}
        if bug.startswith("twice_"):  # a 1/n added where the loop already had one
            g[bug[len("twice_") :]] /= n
        return [None, g["W1"], g["W2"]], [None, g["b1"], g["b2"]]

    return backprop


def _sgd_rebinding(W, b, grad_W, grad_b, eta):
    for Wl, gW in zip(W[1:], grad_W[1:]):
        Wl = Wl - eta * gW  # rebinds the name; the list keeps the old array
    for bl, gb in zip(b[1:], grad_b[1:]):
        bl = bl - eta * gb
    return W, b


def _sgd_last_layer_only(W, b, grad_W, grad_b, eta):
    W[-1] = W[-1] - eta * grad_W[-1]
    b[-1] = b[-1] - eta * grad_b[-1]
    return W, b


def _sgd_stops_one_layer_short(W, b, grad_W, grad_b, eta):
    for l in range(1, len(W) - 1):  # len(W) is L + 1: this misses layer L
        W[l] -= eta * grad_W[l]
        b[l] -= eta * grad_b[l]


def _descend(bug):
    """Exercise 3.2 as a student might get it wrong: the path theta_0 .. theta_T."""

    def descend(grad_C, theta0, eta, max_steps, tol):
        theta, path, g0 = theta0, [theta0], grad_C(theta0)
        for _ in range(max_steps + {"one_step_short": -1, "one_step_extra": 1}.get(bug, 0)):
            g = g0 if bug == "stale_gradient" else grad_C(theta)
            if bug == "entries_not_length":
                flat = np.all(np.abs(g) < tol)
            else:
                flat = np.sqrt(np.sum(g**2)) < tol
            if flat and bug not in ("never_stops", "late_test"):
                break
            theta = theta + eta * g if bug == "added" else theta - eta * g
            path.append(theta)
            if flat and bug == "late_test":  # the step from a flat point is taken, then it stops
                break
        if bug == "final_only":
            return theta
        return np.array(path[1:] if bug == "no_start" else path)

    return descend


def _descend_same_array(grad_C, theta0, eta, max_steps, tol):
    theta = np.array(theta0, dtype=float)  # a copy: theta0 is safe
    path = [theta]
    for _ in range(max_steps):
        g = grad_C(theta)
        if np.linalg.norm(g) < tol:
            break
        theta -= eta * g  # in place: every row of the path is this one array
        path.append(theta)
    return np.array(path)


def _descend_no_start_no_tol(grad_C, theta0, eta, max_steps, tol):
    theta, path = theta0, []  # theta_0 never stored, tol never read
    for _ in range(max_steps):
        theta = theta - eta * grad_C(theta)
        path.append(theta)
    return np.array(path)


def _descend_untested_start(grad_C, theta0, eta, max_steps, tol):
    theta, path = theta0, [theta0]
    for _ in range(max_steps):
        theta = theta - eta * grad_C(theta)  # steps first, then tests where it landed
        path.append(theta)
        if np.linalg.norm(grad_C(theta)) < tol:
            break
    return np.array(path)


def test_descend_without_a_return_is_told_so():
    def descend(grad_C, theta0, eta, max_steps, tol):
        theta0 - eta * grad_C(theta0)  # no return

    result = check("descend", descend)
    assert not result.passed and "None" in result.message and "NaN" not in result.message


def test_descend_that_never_tests_the_start_is_named():
    """Stepping first and testing where it landed gives the right path from a start that is not
    flat; the flat start (case 3) takes the step that should not be taken."""
    result = check("descend", _descend_untested_start)
    assert not result.passed and "one step too many" in result.message


def test_descend_that_tests_the_gradient_without_its_length_is_told_to_use_the_norm():
    """`if grad < tol` on an array gradient raises numpy's "truth value ... is ambiguous"; the
    message names the length, np.linalg.norm, in place of numpy's words."""

    def descend(grad_C, theta0, eta, max_steps, tol):
        theta, path = theta0, [theta0]
        for _ in range(max_steps):
            if grad_C(theta) < tol:  # an array of booleans
                break
            theta = theta - eta * grad_C(theta)
            path.append(theta)
        return np.array(path)

    result = check("descend", descend)
    assert result.status == "error" and "np.linalg.norm(grad) < tol" in result.message
    assert "ambiguous" not in result.message


def _steepest_step_in_place(grad, length):
    grad /= -np.linalg.norm(grad) / length  # right values, but the caller's grad changes too
    return grad


def _steepest_step_one_parameter(grad, length):
    step = np.zeros_like(grad)  # the whole length on the steepest slope
    k = np.unravel_index(np.argmax(np.abs(grad)), grad.shape)
    step[k] = -length if grad[k] > 0 else length
    return step


def _steepest_step_rows(grad, length):
    if grad.ndim == 1:
        return -length * grad / np.sqrt(np.sum(grad**2))
    return -length * grad / np.sqrt(np.sum(grad**2, axis=1, keepdims=True))  # each row its own


def _descend_in_place(grad_C, theta0, eta, max_steps, tol):
    theta = theta0  # a second name, not a copy
    path = [np.copy(theta)]
    for _ in range(max_steps):
        g = grad_C(theta)
        if np.linalg.norm(g) < tol:
            break
        theta -= eta * g  # the path is right, but the caller's theta0 changes too
        path.append(np.copy(theta))
    return np.array(path)


def _div_node(edges):
    """value_div as a student might write it: ``edges(u, v, q)`` gives the node's pairs
    (parent, local derivative), from the two nodes and the quotient q = u / v."""

    def value_div(u, v):
        Value = nb11_autodiff.Value
        if not isinstance(u, Value):
            u = Value(u)
        if not isinstance(v, Value):
            v = Value(v)
        q = u.data / v.data
        return Value(q, tuple(edges(u, v, q)))

    return value_div


def _product_prefix_with_self(x):
    """Exercise 11.2 as a student might write it, the forward loop one index off: the running
    product takes x[i] where it should take x[i - 1]."""
    n = len(x)
    left, right = [1.0] * n, [1.0] * n
    for i in range(1, n):
        left[i] = left[i - 1] * x[i]
    for i in reversed(range(n - 1)):
        right[i] = right[i + 1] * x[i + 1]
    return np.array([left[i] * right[i] for i in range(n)])


def _product_suffix_with_self(x):
    """Exercise 11.2 as a student might write it, the reverse loop one index off: the running
    product after x_i takes x[i] where it should take x[i + 1]."""
    n = len(x)
    left, right = [1.0] * n, [1.0] * n
    for i in range(1, n):
        left[i] = left[i - 1] * x[i - 1]
    for i in reversed(range(n - 1)):
        right[i] = right[i + 1] * x[i]
    return np.array([left[i] * right[i] for i in range(n)])


STUDENT_BUGS = {
    # 02
    ("batch_cost", "factor_2"): lambda A, Y: np.mean(np.sum((A - Y) ** 2, axis=1)),
    ("batch_cost", "no_mean"): lambda A, Y: 0.5 * np.sum((A - Y) ** 2),
    ("batch_cost", "mean_all"): lambda A, Y: np.mean((A - Y) ** 2) / 2,
    ("batch_cost", "not_squared"): lambda A, Y: np.mean(np.sqrt(np.sum((A - Y) ** 2, axis=1))) / 2,
    ("batch_cost", "sum_over_examples"): lambda A, Y: (((A - Y) ** 2).sum(axis=0) / 2).mean(),
    ("batch_cost", "per_row"): lambda A, Y: 0.5 * ((A - Y) ** 2).sum(axis=1),
    ("batch_cost", "broadcast"): lambda A, Y: ((A - Y) ** 2).sum(axis=1).mean() / 2,
    ("cost_gradient", "no_mean"): lambda A, Y: A - Y,
    ("cost_gradient", "factor_2"): lambda A, Y: 2 * (A - Y) / A.shape[0],
    ("cost_gradient", "factor_2_no_mean"): lambda A, Y: (A - Y) * 2,
    ("cost_gradient", "mean_all"): lambda A, Y: (A - Y) / (A.shape[0] * A.shape[1]),
    ("cost_gradient", "divided_by_n_L"): lambda A, Y: (A - Y) / A.shape[1],
    ("cost_gradient", "stray_half"): lambda A, Y: 0.5 * (A - Y) / len(A),
    ("cost_gradient", "sign"): lambda A, Y: -(A - Y) / len(Y),
    ("cost_gradient", "squared"): lambda A, Y: (A - Y) ** 2 / (2 * len(A)),
    # 03
    ("steepest_step", "uphill"): lambda grad, length: length * grad / np.sqrt(np.sum(grad**2)),
    ("steepest_step", "not_normalised"): lambda grad, length: -length * grad,
    ("steepest_step", "unit_length"): lambda grad, length: -grad / np.sqrt(np.sum(grad**2)),
    ("steepest_step", "squared_norm"): lambda grad, length: -length * grad / np.sum(grad**2),
    ("steepest_step", "l1_norm"): lambda grad, length: -length * grad / np.abs(grad).sum(),
    ("steepest_step", "same_size_moves"): lambda grad, length: (
        -length * np.sign(grad) / np.sqrt(np.size(grad))
    ),
    ("steepest_step", "steepest_only"): _steepest_step_one_parameter,
    ("steepest_step", "rows_normalised"): _steepest_step_rows,
    **{
        ("descend", bug): _descend(bug)
        for bug in ("added", "stale_gradient", "final_only", "no_start", "never_stops")
        + ("late_test",)
        + ("entries_not_length", "one_step_short", "one_step_extra")
    },
    ("descend", "same_array"): _descend_same_array,
    ("descend", "no_start+never_stops"): _descend_no_start_no_tol,
    ("steepest_step", "in_place"): _steepest_step_in_place,
    ("descend", "in_place"): _descend_in_place,
    # 04
    ("dC_dw", "no_sigma_prime"): lambda a_prev, w, b, y: a_prev * (sig(w * a_prev + b) - y),
    ("dC_dw", "sigma_not_prime"): lambda a_prev, w, b, y: (
        a_prev * sig(w * a_prev + b) * (sig(w * a_prev + b) - y)
    ),
    ("dC_dw", "prime_of_a"): lambda a_prev, w, b, y: (
        a_prev * sigp(sig(w * a_prev + b)) * (sig(w * a_prev + b) - y)
    ),
    ("dC_dw", "stray_two"): lambda a_prev, w, b, y: (
        a_prev * sigp(w * a_prev + b) * 2 * (sig(w * a_prev + b) - y)
    ),
    ("dC_dw", "sign"): lambda a_prev, w, b, y: (
        a_prev * sigp(w * a_prev + b) * (y - sig(w * a_prev + b))
    ),
    ("dC_dw", "dC_db"): lambda a_prev, w, b, y: sigp(w * a_prev + b) * (sig(w * a_prev + b) - y),
    ("dC_dw", "weight_for_input"): lambda a_prev, w, b, y: (
        w * sigp(w * a_prev + b) * (sig(w * a_prev + b) - y)
    ),
    ("dC_dw", "own_output"): lambda a_prev, w, b, y: (
        sig(w * a_prev + b) * sigp(w * a_prev + b) * (sig(w * a_prev + b) - y)
    ),
    ("dC_dw", "prime_of_a_prev"): lambda a_prev, w, b, y: (
        a_prev * sigp(a_prev) * (sig(w * a_prev + b) - y)
    ),
    # notebook 11: every partial derivative of a product, no division
    ("product_gradient", "before_only"): lambda x: np.concatenate([[1.0], np.cumprod(x)[:-1]]),
    ("product_gradient", "after_only"): lambda x: np.array(
        [np.prod(x[i + 1 :]) for i in range(len(x))]
    ),
    ("product_gradient", "with_self"): lambda x: np.full(len(x), np.prod(x)),
    ("product_gradient", "divide"): lambda x: np.prod(x) / x,
    ("product_gradient", "sum_rule"): lambda x: np.ones_like(x),
    ("product_gradient", "prefix_with_self"): _product_prefix_with_self,
    ("product_gradient", "suffix_with_self"): _product_suffix_with_self,
    # notebook 11: division as a node of the graph (the student's Value is the module's, as in
    # the cell); the local derivative with v written from the quotient q = u / v, as -q / v
    ("value_div", "sign_v"): _div_node(lambda u, v, q: [(u, 1 / v.data), (v, q / v.data)]),
    ("value_div", "no_square"): _div_node(lambda u, v, q: [(u, 1 / v.data), (v, -q)]),
    ("value_div", "no_u"): _div_node(lambda u, v, q: [(u, 1 / v.data), (v, -1 / v.data**2)]),
    ("value_div", "u_only"): _div_node(lambda u, v, q: [(u, 1 / v.data)]),
    ("value_div", "v_only"): _div_node(lambda u, v, q: [(v, -q / v.data)]),
    ("value_div", "swapped"): _div_node(lambda u, v, q: [(v, 1 / v.data), (u, -q / v.data)]),
    ("value_div", "product_locals"): _div_node(lambda u, v, q: [(u, v.data), (v, u.data)]),
    ("value_div", "constant_not_wrapped"): lambda u, v: nb11_autodiff.Value(  # 2.5.data: error
        u.data / v.data, ((u, 1 / v.data), (v, -u.data / v.data**2))
    ),
    # notebook 12: the cost from z by log-sum-exp (written without the max added back, with the
    # sign flipped, down the columns, summed over the batch)
    ("categorical_cost", "shift_not_added_back"): lambda z, y: np.sum(
        y * (np.log(np.exp(z - z.max(1, keepdims=True)).sum(1, keepdims=True)) - z), axis=1
    ),
    ("categorical_cost", "sign"): lambda z, y: np.sum(
        y
        * (
            z
            - z.max(1, keepdims=True)
            - np.log(np.exp(z - z.max(1, keepdims=True)).sum(1, keepdims=True))
        ),
        axis=1,
    ),
    ("categorical_cost", "over_examples"): lambda z, y: (
        -np.sum(y * (z - z.max(0) - np.log(np.exp(z - z.max(0)).sum(0))), axis=1)
    ),
    ("categorical_cost", "batch_total"): lambda z, y: (
        -np.sum(
            y
            * (
                z
                - z.max(1, keepdims=True)
                - np.log(np.exp(z - z.max(1, keepdims=True)).sum(1, keepdims=True))
            )
        )
    ),
    # notebook 12: softmax output error for targets that need not sum to 1
    ("output_error_any_target", "p_minus_y"): lambda p, y: p - y,
    ("output_error_any_target", "diagonal_only"): lambda p, y: p * (1 - p) * (-y / p),
    ("output_error_any_target", "grad_p"): lambda p, y: -y / p,
    ("output_error_any_target", "sign"): lambda p, y: y - p * y.sum(axis=1)[:, None],
    ("output_error_any_target", "normalised_y"): lambda p, y: p - y / np.sum(y, axis=1)[:, None],
    ("output_error_any_target", "batch_total"): lambda p, y: p * np.sum(y) - y,
    ("output_error_any_target", "class_total"): lambda p, y: p * y.sum(0) - y,
    ("output_error_any_target", "times_total"): lambda p, y: (p - y) * np.sum(y, 1)[:, None],
    ("output_error_any_target", "no_kronecker"): lambda p, y: p * y.sum(axis=1, keepdims=True),
}


def _student_softmax_backward(bp1, mean=True):
    """Exercise 12.3 as a student might write it: 10.2's loop with the BP1 line ``bp1``
    (softmax output, quadratic cost)."""

    def softmax_backward(W, sigmas, z, a, Y):
        L, n = len(W) - 1, len(Y) if mean else 1
        grad_W, grad_b = [None] * (L + 1), [None] * (L + 1)
        delta = bp1(a[L], a[L] - Y)
        for l in range(L, 0, -1):
            grad_b[l] = delta.sum(axis=0) / n
            grad_W[l] = delta.T @ a[l - 1] / n
            if l > 1:
                delta = (delta @ W[l]) * sigmas[l - 1].prime(z[l - 1])
        return grad_W, grad_b

    return softmax_backward


def _rowwise_jtg(p, g):  # J^T g row by row, written with the Jacobian of every example
    return np.stack([(np.diag(pi) - np.outer(pi, pi)).T @ gi for pi, gi in zip(p, g)])


STUDENT_BUGS.update(
    {
        ("softmax_backward", "p_minus_y"): _student_softmax_backward(lambda p, g: g),
        ("softmax_backward", "diagonal_only"): _student_softmax_backward(
            lambda p, g: g * p * (1 - p)
        ),
        ("softmax_backward", "no_dot_term"): _student_softmax_backward(lambda p, g: p * g),
        ("softmax_backward", "dot_sign"): _student_softmax_backward(
            lambda p, g: p * (g + (g * p).sum(axis=1, keepdims=True))
        ),
        ("softmax_backward", "batch_dot"): _student_softmax_backward(
            lambda p, g: p * g - p * np.sum(p * g)
        ),
        ("softmax_backward", "no_mean"): _student_softmax_backward(_rowwise_jtg, mean=False),
    }
)


def _student_autograd(
    tied="both", sigmoid_out=False, half=True, mean=True, last=False, backward=True
):
    """autograd_gradients (the tied autoencoder) as a student might write it with the module's
    Value (explicit loops, the example loop first), with one mistake switched on. ``tied``:
    "hidden" or "output" gives the other layer a copy of W's entries as separate Values;
    "average": the output layer reads the copies, and grad_W averages the two adjoints."""
    Value = nb11_autodiff.Value

    def autograd_gradients(W, b1, b2, X):
        n_1, n_0 = W.shape
        nodes = {(j, k): Value(W[j, k]) for j in range(n_1) for k in range(n_0)}
        copies = {key: Value(node.data) for key, node in nodes.items()}
        enc = copies if tied == "output" else nodes
        dec = copies if tied in ("hidden", "average") else nodes
        hb = [Value(v) for v in b1]
        ob = [Value(v) for v in b2]
        total = 0
        for x in X:
            hidden = []
            for j in range(n_1):
                s = hb[j]
                for k in range(n_0):
                    s = s + enc[j, k] * x[k]
                hidden.append(s.sigmoid())
            example = 0
            for k in range(n_0):
                s = ob[k]
                for j in range(n_1):
                    s = s + dec[j, k] * hidden[j]
                out = s.sigmoid() if sigmoid_out else s
                diff = out - x[k]
                example = example + (0.5 if half else 1.0) * diff * diff
            total = example if last else total + example
        loss = total * (1.0 / len(X)) if mean else total
        if backward:
            loss.backward()
        grad_W = np.array([[nodes[j, k].grad for k in range(n_0)] for j in range(n_1)])
        if tied == "average":  # "one gradient per copy, so take their mean"
            grad_W = np.array(
                [
                    [0.5 * (nodes[j, k].grad + copies[j, k].grad) for k in range(n_0)]
                    for j in range(n_1)
                ]
            )
        return grad_W, np.array([v.grad for v in hb]), np.array([v.grad for v in ob])

    return autograd_gradients


STUDENT_BUGS.update(
    {
        # notebook 11: a tied autoencoder's gradients from Value, the PyTorch way
        ("autograd_gradients", "hidden_only"): _student_autograd(tied="hidden"),
        ("autograd_gradients", "output_only"): _student_autograd(tied="output"),
        ("autograd_gradients", "sigmoid_output"): _student_autograd(sigmoid_out=True),
        ("autograd_gradients", "no_half"): _student_autograd(half=False),
        ("autograd_gradients", "no_mean"): _student_autograd(mean=False),
        ("autograd_gradients", "last_example"): _student_autograd(last=True),
        ("autograd_gradients", "mean_of_copies"): _student_autograd(tied="average"),
        ("autograd_gradients", "no_backward"): _student_autograd(backward=False),
    }
)


def _student_tied(combine):
    """Exercise 11.4 as a student might write it: the statement's call of bplib.backprop on
    the untied autoencoder, then ``combine(gW[1], gW[2])``."""

    def tied_gradient(W, b1, b2, X):
        gW, gb = bplib.backprop(
            [None, W, W.T.copy()],
            [None, b1, b2],
            [None, bplib.sigmoid, bplib.identity],
            bplib.quadratic,
            X,
            X,
        )
        return combine(gW[1], gW[2])

    return tied_gradient


STUDENT_BUGS.update(
    {
        # notebook 11: the tied gradient from the untied network's two BP4 gradients
        ("tied_gradient", "hidden_only"): _student_tied(lambda g1, g2: g1),
        ("tied_gradient", "output_only"): _student_tied(lambda g1, g2: g2.T),
        ("tied_gradient", "no_transpose"): _student_tied(lambda g1, g2: g1 + g2),
        ("tied_gradient", "mean"): _student_tied(lambda g1, g2: (g1 + g2.T) / 2),
        ("tied_gradient", "difference"): _student_tied(lambda g1, g2: g1 - g2.T),
    }
)


def _z_and_a(z):
    return z, sig(z)


def _da_prev(expr):
    """A student's exercise 4.2, dC_i/da^(L-1), written as one expression."""

    def dC_da_prev(a1, w2, b2, y):
        z2, a2 = _z_and_a(w2 * a1 + b2)
        return eval(expr)

    return dC_da_prev


def _chain(grad="a_in * gz", back="w_l * gz", gz="sigp(z_l) * g", start="a[-1] - y", rev=False):
    """A student's exercise 4.3, every dC_i/dw^l of a chain, with one expression changed."""

    def dC_dw_chain(x, y, w, b):
        L = len(w) - 1
        z, a = [None], [x]
        for l in range(1, L + 1):
            z.append(w[l] * a[l - 1] + b[l])
            a.append(sig(z[l]))
        g, out = eval(start), []
        for l in range(L, 0, -1):  # from the output back
            env = dict(w_l=w[l], z_l=z[l], a_in=a[l - 1], a_out=a[l], z=z, sigp=sigp, g=g)
            env["w_below"] = w[l - 1] if l > 1 else 0.0
            env["gz"] = eval(gz, {}, env)
            out.append(eval(grad, {}, env))
            g = eval(back, {}, env)
        return [None] + (out if rev else out[::-1])

    return dC_dw_chain


def _moved(f, p, i, step):
    """f() with p[i] moved by step, then put back."""
    old = p[i]
    p[i] = old + step
    value = f()
    p[i] = old
    return value


def _ng(diff, twice):
    """A numerical_gradient whose entry i is diff(f, p, i, eps) / (twice * eps)."""

    def numerical_gradient(f, p, eps):
        grad = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            grad[i] = diff(f, p, i, eps) / (twice * eps)
        return grad

    return numerical_gradient


_ng_right = _ng(lambda f, p, i, e: _moved(f, p, i, e) - _moved(f, p, i, -e), 2)


def _ng_no_restore(f, p, eps):
    grad = np.zeros_like(p)
    for i in np.ndindex(p.shape):
        old = p[i]
        p[i] = old + eps
        plus = f()
        p[i] = old - eps  # and left there
        grad[i] = (plus - f()) / (2 * eps)
    return grad


def _ng_arithmetic(f, p, eps):
    grad = np.zeros_like(p)
    for i in np.ndindex(p.shape):
        p[i] += eps
        plus = f()
        p[i] -= 2 * eps
        minus = f()
        p[i] += eps  # "back" by arithmetic: a rounding step off for some entries
        grad[i] = (plus - minus) / (2 * eps)
    return grad


def _ng_all(f, p, eps):
    p += eps
    plus = f()
    p -= 2 * eps
    minus = f()
    p += eps
    return (plus - minus) / (2 * eps)


def _ng_rows(f, p, eps):
    grad = np.zeros_like(p)
    for i in range(len(p)):  # for a matrix, p[i] is a row
        old = p[i].copy()
        p[i] = old + eps
        plus = f()
        p[i] = old - eps
        minus = f()
        p[i] = old
        grad[i] = (plus - minus) / (2 * eps)
    return grad


def _ng_copy(f, p, eps):
    grad = np.zeros_like(p)
    for i in np.ndindex(p.shape):
        q = p.copy()
        q[i] += eps
        plus = f()
        q[i] -= 2 * eps
        grad[i] = (plus - f()) / (2 * eps)
    return grad


STUDENT_BUGS.update(
    {
        # 04
        ("dC_da_prev", "dC_dw"): _da_prev("a1 * sigp(z2) * (a2 - y)"),
        ("dC_da_prev", "dC_db"): _da_prev("sigp(z2) * (a2 - y)"),
        ("dC_da_prev", "past_a_prev"): _da_prev("w2 * a1 * (1 - a1) * sigp(z2) * (a2 - y)"),
        ("dC_da_prev", "prime_past_a_prev"): _da_prev("w2 * sigp(z2) * (a2 - y) * sigp(a1)"),
        ("dC_da_prev", "no_sigma_prime"): _da_prev("w2 * (a2 - y)"),
        ("dC_da_prev", "sigma_not_prime"): _da_prev("w2 * a2 * (a2 - y)"),
        ("dC_da_prev", "prime_of_a"): _da_prev("w2 * sigp(a2) * (a2 - y)"),
        ("dC_da_prev", "stray_two"): _da_prev("2 * w2 * sigp(z2) * (a2 - y)"),
        ("dC_da_prev", "sign"): _da_prev("w2 * sigp(z2) * (y - a2)"),
        ("dC_dw_chain", "no_prime_handed_back"): _chain(back="w_l * g"),
        ("dC_dw_chain", "no_weight_handed_back"): _chain(back="gz"),
        ("dC_dw_chain", "weight_below_handed_back"): _chain(back="w_below * gz"),
        ("dC_dw_chain", "prime_of_last_z"): _chain(gz="sigp(z[-1]) * g"),
        ("dC_dw_chain", "prime_only_at_output"): _chain(start="sigp(z[-1]) * (a[-1] - y)", gz="g"),
        ("dC_dw_chain", "prime_of_a"): _chain(gz="sigp(a_out) * g"),
        ("dC_dw_chain", "weight_for_input"): _chain(grad="w_l * gz"),
        ("dC_dw_chain", "own_output"): _chain(grad="a_out * gz"),
        ("dC_dw_chain", "biases"): _chain(grad="gz"),
        ("dC_dw_chain", "reversed"): _chain(rev=True),
        ("dC_dw_chain", "no_none"): lambda x, y, w, b: _chain()(x, y, w, b)[1:],
        ("dC_dw_chain", "stray_two"): _chain(start="2 * (a[-1] - y)"),
        ("dC_dw_chain", "sign"): _chain(start="y - a[-1]"),
        # 05
        ("output_error", "no_weights"): lambda a_L, y, z_L, c, sigma: (a_L - y) * sigma.prime(z_L),
        ("output_error", "no_sigma_prime"): lambda a_L, y, z_L, c, sigma: (a_L - y) * c,
        ("output_error", "sigma_not_prime"): lambda a_L, y, z_L, c, sigma: (
            c * (a_L - y) * sigma.fn(z_L)
        ),
        ("output_error", "prime_of_a"): lambda a_L, y, z_L, c, sigma: (
            c * (a_L - y) * sigma.prime(a_L)
        ),
        ("output_error", "factor_2"): lambda a_L, y, z_L, c, sigma: (
            2 * c * (a_L - y) * sigma.prime(z_L)
        ),
        ("output_error", "weights_squared"): lambda a_L, y, z_L, c, sigma: (
            c * c * (a_L - y) * sigma.prime(z_L)
        ),
        ("output_error", "sign"): lambda a_L, y, z_L, c, sigma: c * (y - a_L) * sigma.prime(z_L),
        ("output_error", "matmul"): lambda a_L, y, z_L, c, sigma: (
            (c * (a_L - y)) @ sigma.prime(z_L).T
        ),
        ("output_error", "summed_over_nodes"): lambda a_L, y, z_L, c, sigma: (
            np.sum(c * (a_L - y), axis=1)[:, None] * sigma.prime(z_L)
        ),
        ("output_error", "summed_everything"): lambda a_L, y, z_L, c, sigma: (
            np.sum(c * (a_L - y)) * sigma.prime(z_L)
        ),
        ("output_error", "sigmoid_prime_always"): lambda a_L, y, z_L, c, sigma: (
            c * (a_L - y) * sigmoid.prime(z_L)
        ),
        ("output_error", "a_one_minus_a"): lambda a_L, y, z_L, c, sigma: (
            c * (a_L - y) * sigma.fn(z_L) * (1 - sigma.fn(z_L))
        ),
        ("output_error_cross_entropy", "kept_sigma_prime"): lambda a_L, y, z_L: (
            (a_L - y) * a_L * (1 - a_L)
        ),
        ("output_error_cross_entropy", "grad_a_only"): lambda a_L, y, z_L: (
            (a_L - y) / (a_L * (1 - a_L))
        ),
        ("output_error_cross_entropy", "sign"): lambda a_L, y, z_L: -(a_L - y),
        ("output_error_cross_entropy", "unsimplified"): lambda a_L, y, z_L: (
            (-y / a_L + (1 - y) / (1 - a_L)) * a_L * (1 - a_L)
        ),
        # 05
        ("delta_of_neuron", "row_not_column"): lambda k, d, W, z, zn: (
            sum(W[k, j] * d[j] for j in range(len(d))) * sigp(z[k])
        ),
        ("delta_of_neuron", "row_and_next_prime"): lambda k, d, W, z, zn: sum(
            W_next_kj * d[j] * sigp(zn[j]) for j, W_next_kj in enumerate(W[k])
        ),
        ("delta_of_neuron", "next_layer_prime"): lambda k, d, W, z, zn: sum(
            W[j, k] * d[j] * sigp(zn[j]) for j in range(len(d))
        ),
        ("delta_of_neuron", "both_primes"): lambda k, d, W, z, zn: (
            sum(W[j, k] * d[j] * sigp(zn[j]) for j in range(len(d))) * sigp(z[k])
        ),
        ("delta_of_neuron", "next_prime_at_k"): lambda k, d, W, z, zn: (
            sum(W[j, k] * d[j] for j in range(len(d))) * sigp(zn[k])
        ),
        ("delta_of_neuron", "sigma_not_prime"): lambda k, d, W, z, zn: (
            sum(W[j, k] * d[j] for j in range(len(d))) * sig(z[k])
        ),
        ("delta_of_neuron", "no_sigma_prime"): lambda k, d, W, z, zn: sum(
            W[j, k] * d[j] for j in range(len(d))
        ),
        ("delta_of_neuron", "prime_of_a"): lambda k, d, W, z, zn: (
            sum(W[j, k] * d[j] for j in range(len(d))) * sigp(sig(z[k]))
        ),
        ("delta_of_neuron", "prime_of_whole_z"): lambda k, d, W, z, zn: (
            sum(W[j, k] * d[j] for j in range(len(d))) * sigp(z)
        ),
        ("backpropagate_error", "z_one_minus_z"): lambda delta_next, W_next, z, sigma: (
            delta_next @ W_next * (z * (1 - z))
        ),
        ("backpropagate_error", "divided_by_n"): lambda delta_next, W_next, z, sigma: (
            (delta_next @ W_next) * sigma.prime(z) / delta_next.shape[0]
        ),
        ("backpropagate_error", "no_sigma_prime"): lambda delta_next, W_next, z, sigma: (
            delta_next @ W_next
        ),
        ("backpropagate_error", "no_transpose"): lambda delta_next, W_next, z, sigma: (
            (W_next @ delta_next.T).T * sigma.prime(z)
        ),
        ("backpropagate_error", "matmul_prime_transposed"): lambda delta_next, W_next, z, sigma: (
            np.dot(delta_next @ W_next, sigma.prime(z).T)
        ),
        ("backpropagate_error", "sigma_not_prime"): lambda delta_next, W_next, z, sigma: (
            (delta_next @ W_next) * sigma.fn(z)
        ),
        ("backpropagate_error", "prime_of_a"): lambda delta_next, W_next, z, sigma: (
            np.dot(delta_next, W_next) * sigma.prime(sigma.fn(z))
        ),
        ("backpropagate_error", "prime_of_error"): lambda delta_next, W_next, z, sigma: sigma.prime(
            delta_next @ W_next
        ),
        ("backpropagate_error", "times_prime_of_error"): lambda delta_next, W_next, z, sigma: (
            np.dot(delta_next, W_next) * sigma.prime(np.dot(delta_next, W_next))
        ),
        ("backpropagate_error", "sigmoid_prime_always"): lambda delta_next, W_next, z, sigma: (
            (delta_next @ W_next) * sig(z) * (1 - sig(z))
        ),
        ("backpropagate_error", "a_one_minus_a"): lambda delta_next, W_next, z, sigma: (
            (delta_next @ W_next) * (sigma.fn(z) - sigma.fn(z) ** 2)
        ),
        # 06
        # 07: parameter_partials (7.1), one example, loops as a student might write them
        ("parameter_partials", "swapped"): lambda delta, a_prev, z, a: (
            np.array(
                [[delta[j] * a_prev[k] for j in range(len(delta))] for k in range(len(a_prev))]
            ),
            delta,
        ),
        ("parameter_partials", "a_not_a_prev"): lambda delta, a_prev, z, a: (
            np.array([[delta[j] * a[k] for k in range(len(a))] for j in range(len(delta))]),
            delta.copy(),
        ),
        ("parameter_partials", "a_not_a_prev+swapped"): lambda delta, a_prev, z, a: (
            np.array([[delta[j] * a[k] for j in range(len(delta))] for k in range(len(a))]),
            delta,
        ),
        ("parameter_partials", "a_not_a_prev+bias_one"): lambda delta, a_prev, z, a: (
            delta[:, None] * a[None, :],
            np.ones(len(delta)),
        ),
        ("parameter_partials", "a_not_a_prev+bias_a"): lambda delta, a_prev, z, a: (
            np.outer(delta, a),
            a.copy(),
        ),
        ("parameter_partials", "a_not_a_prev+stray_sigma_prime"): lambda delta, a_prev, z, a: (
            np.outer(delta * a * (1 - a), a),
            delta * a * (1 - a),
        ),
        ("parameter_partials", "stray_sigma_prime"): lambda delta, a_prev, z, a: (
            np.outer(delta * sigp(z), a_prev),
            delta * sigp(z),
        ),
        ("parameter_partials", "stray_sigma_prime_w"): lambda delta, a_prev, z, a: (
            (delta * a * (1 - a))[:, None] * a_prev[None, :],
            delta,
        ),
        ("parameter_partials", "no_activation"): lambda delta, a_prev, z, a: (
            np.tile(delta[:, None], (1, len(a_prev))),
            delta,
        ),
        ("parameter_partials", "local_factor_only"): lambda delta, a_prev, z, a: (
            np.array([a_prev for _ in delta]),
            np.ones(len(delta)),
        ),
        ("parameter_partials", "bias_a_prev"): lambda delta, a_prev, z, a: (
            np.outer(delta, a_prev),
            a_prev,
        ),
        ("parameter_partials", "bias_one"): lambda delta, a_prev, z, a: (
            np.outer(delta, a_prev),
            np.ones_like(delta),
        ),
        ("weight_gradient", "no_mean"): lambda delta, a_prev: delta.T @ a_prev,
        ("weight_gradient", "transposed"): lambda delta, a_prev: a_prev.T @ delta / len(delta),
        ("weight_gradient", "transposed+no_mean"): lambda delta, a_prev: np.einsum(
            "ij,ik->jk", a_prev, delta
        ),
        ("weight_gradient", "product_of_means"): lambda delta, a_prev: (
            delta.mean(axis=0)[:, None] * a_prev.mean(axis=0)[None, :]
        ),
        ("weight_gradient", "accumulate"): _accumulating_weight_gradient(),
        ("weight_gradient", "divided_by_width"): lambda delta, a_prev: (
            np.einsum("ij,ik->jk", delta, a_prev) / len(a_prev[0])
        ),
        ("weight_gradient_per_example", "averaged"): lambda delta, a_prev: (
            np.einsum("ij,ik->jk", delta, a_prev) / len(delta)
        ),
        ("weight_gradient_per_example", "divided_by_n"): lambda delta, a_prev: (
            np.einsum("ij,ik->ijk", delta, a_prev) / delta.shape[0]
        ),
        ("weight_gradient_per_example", "transposed"): lambda delta, a_prev: np.einsum(
            "ij,ik->ikj", delta, a_prev
        ),
        ("weight_gradient_per_example", "mixed_examples"): lambda delta, a_prev: (
            delta[:, :, np.newaxis] * a_prev[np.newaxis]
        ),
        ("weight_gradient_per_example", "outer_flat"): lambda delta, a_prev: np.outer(
            delta.ravel(), a_prev.ravel()
        ),
        ("weight_gradient_per_example", "all_pairs"): lambda delta, a_prev: np.einsum(
            "ij,kl->ikjl", delta, a_prev
        ),
        ("weight_gradient_per_example", "all_pairs_ijkl"): lambda delta, a_prev: np.einsum(
            "ij,kl->ijkl", delta, a_prev
        ),
        ("weight_gradient_per_example", "other_examples_summed"): lambda delta, a_prev: np.einsum(
            "ij,kl->ijl", delta, a_prev
        ),
        ("weight_gradient_per_example", "own_examples_summed"): lambda delta, a_prev: np.einsum(
            "ij,kl->kjl", delta, a_prev
        ),
        ("weight_gradient_per_example", "all_pairs_summed"): lambda delta, a_prev: np.einsum(
            "ij,kl->jl", delta, a_prev
        ),
        ("weight_gradient_per_example", "accumulate"): _accumulating_per_example(),
        ("augmented_gradient", "ones_first"): lambda delta, a_prev: (
            delta.T @ np.c_[np.ones(len(delta)), a_prev] / len(delta)
        ),
        ("augmented_gradient", "ones_on_delta"): lambda delta, a_prev: (
            np.c_[delta, np.ones(len(delta))].T @ a_prev / len(delta)
        ),
        ("augmented_gradient", "no_mean"): lambda delta, a_prev: np.einsum(
            "ij,ik->jk", delta, np.c_[a_prev, np.ones(len(delta))]
        ),
        ("augmented_gradient", "bias_no_mean"): lambda delta, a_prev: np.column_stack(
            [delta.T @ a_prev / len(delta), delta.sum(axis=0)]
        ),
        ("augmented_gradient", "weights_no_mean"): lambda delta, a_prev: np.column_stack(
            [delta.T @ a_prev, np.mean(delta, axis=0)]
        ),
        ("augmented_gradient", "bias_zero"): lambda delta, a_prev: (
            delta.T @ np.c_[a_prev, np.zeros(len(delta))] / len(delta)
        ),
        ("augmented_gradient", "bias_ones"): lambda delta, a_prev: np.c_[
            np.einsum("ij,ik->jk", delta, a_prev) / len(delta), np.ones(delta.shape[1])
        ],
        ("augmented_gradient", "bias_wrong_axis"): lambda delta, a_prev: np.column_stack(
            [delta.T @ a_prev / len(delta), delta.mean(axis=1)]
        ),
        ("augmented_gradient", "bias_first_row"): lambda delta, a_prev: np.column_stack(
            [delta.T @ a_prev / len(delta), delta[0]]
        ),
        ("augmented_gradient", "transposed"): lambda delta, a_prev: (
            np.c_[a_prev, np.ones(len(delta))].T @ delta / len(delta)
        ),
        ("augmented_gradient", "accumulate"): _accumulating_augmented_gradient(),
        # 09: numerical_gradient as a student might write it
        ("numerical_gradient", "forward"): _ng(lambda f, p, i, e: _moved(f, p, i, e) - f(), 1),
        ("numerical_gradient", "divide_by_eps"): _ng(
            lambda f, p, i, e: _moved(f, p, i, e) - _moved(f, p, i, -e), 1
        ),
        ("numerical_gradient", "no_restore"): _ng_no_restore,
        ("numerical_gradient", "in_place"): _ng_arithmetic,
        ("numerical_gradient", "all_at_once"): lambda f, p, e: np.full(p.shape, _ng_all(f, p, e)),
        ("numerical_gradient", "all_at_once_number"): _ng_all,
        ("numerical_gradient", "copy"): _ng_copy,
        ("numerical_gradient", "rows"): _ng_rows,
        ("numerical_gradient", "flat"): lambda f, p, e: _ng_right(f, p, e).ravel(),
        ("backprop", "accumulate"): _accumulating_backprop(),
    }
)
for _bug in (
    "next_z",
    "no_mean",
    "no_mean_W1",
    "no_mean_b1",
    "no_mean_W2",
    "no_mean_b2",
    "no_prime_hidden",
    "no_prime_output",
    "no_transpose",
    "sign",
    "factor_2",
    "prime_of_a",
    "twice_W1",
    "twice_W2",
):
    STUDENT_BUGS[("backprop", _bug)] = _student_backprop(_bug)


def _rows(layer, last=0):
    """feedforward_rows as a student might write it: ``layer(W_l, b_l, a)`` for each layer,
    every layer's activations kept in a list."""

    def feedforward_rows(W, b, X):
        a = [X]
        for l in range(1, len(W) - last):
            a.append(layer(W[l], b[l], a[-1]))
        return a

    return feedforward_rows


def _rows_as_columns(W, b, X):
    a, h = [X], X.T  # "numpy wants columns": the column form on X.T, never turned back
    for l in range(1, len(W)):
        h = sig(W[l] @ h + b[l].reshape(-1, 1))
        a.append(h)
    return a


def _rows_linear_output(W, b, X):
    a = [X]
    for l in range(1, len(W)):
        z = a[l - 1] @ W[l].T + b[l]
        a.append(z if l == len(W) - 1 else sig(z))  # "the output is the score": no sigma
    return a


def _rows_sigma_after_loop(W, b, X):
    a = [X]
    for l in range(1, len(W)):
        a.append(sig(a[-1] @ W[l].T + b[l]))
    a[-1] = sig(a[-1])  # "and the output through sigma": a second time
    return a


def _rows_sigma_twice(W, b, X):
    a = [X]
    for l in range(1, len(W)):
        a.append(sig(a[l - 1] @ W[l].T + b[l]))
        a[l] = sig(a[l])  # "and the activation through sigma": a second time, every layer
    return a


def _rows_output_only(W, b, X):
    a = X
    for l in range(1, len(W)):
        a = sig(a @ W[l].T + b[l])
    return a


def _rows_from_layer_1(W, b, X):
    a, prev = [], X
    for l in range(1, len(W)):
        prev = sig(prev @ W[l].T + b[l])
        a.append(prev)
    return a


def _rows_none_first(W, b, X):
    a, prev = [None], X  # "like W[0]"
    for l in range(1, len(W)):
        prev = sig(prev @ W[l].T + b[l])
        a.append(prev)
    return a


def _rows_reading_x(W, b, X):
    a = [X]
    for l in range(1, len(W)):
        a.append(sig(X @ W[l].T + b[l]))  # every layer reads the input
    return a


def _rows_storing_z(W, b, X):
    a, h = [X], X
    for l in range(1, len(W)):
        z = h @ W[l].T + b[l]
        h = sig(z)
        a.append(z)
    return a


def _rows_input_transposed(W, b, X):
    a, h = [X.T], X
    for l in range(1, len(W)):
        h = sig(h @ W[l].T + b[l])
        a.append(h)
    return a


def _collapse(
    weight=lambda Wl, W_one: Wl @ W_one, bias=lambda Wl, bl, b_one: Wl @ b_one + bl, first=2
):
    """collapse as a student might write it: a running layer started from layer 1 and
    updated from layer ``first`` on."""

    def collapse(W, b):
        W_one, b_one = W[1].copy(), b[1].copy()
        for l in range(first, len(W)):
            W_one, b_one = weight(W[l], W_one), bias(W[l], b[l], b_one)
        return W_one, b_one

    return collapse


def _collapse_from_identity(bias):
    def collapse(W, b):
        n_0 = W[1].shape[1]
        W_one, b_one = np.eye(n_0), np.zeros(n_0)
        for l in range(1, len(W)):
            W_one, b_one = W[l] @ W_one, bias(W[l], b[l], b_one)
        return W_one, b_one

    return collapse


STUDENT_BUGS.update(
    {
        # 01: the forward pass with one example per row, the one layer of a linear network, tanh'
        ("feedforward_rows", "no_transpose"): _rows(lambda W, b, a: sig(np.dot(a, W) + b)),
        ("feedforward_rows", "column_form"): _rows(lambda W, b, a: sig(W @ a + b.reshape(-1, 1))),
        ("feedforward_rows", "bias_as_column"): _rows(
            lambda W, b, a: sig(a @ W.T + b[:, np.newaxis])
        ),
        ("feedforward_rows", "reads_input"): _rows_reading_x,
        ("feedforward_rows", "columns"): _rows_as_columns,
        ("feedforward_rows", "stores_z"): _rows_storing_z,
        ("feedforward_rows", "no_bias"): _rows(lambda W, b, a: sig(a @ W.T)),
        ("feedforward_rows", "no_activation"): _rows(lambda W, b, a: a @ W.T + b),
        ("feedforward_rows", "sigma_prime"): _rows(lambda W, b, a: sigp(a @ W.T + b)),
        ("feedforward_rows", "last_layer_missing"): _rows(lambda W, b, a: sig(a @ W.T + b), last=1),
        ("feedforward_rows", "no_sigma_on_output"): _rows_linear_output,
        ("feedforward_rows", "sigma_twice_on_output"): _rows_sigma_after_loop,
        ("feedforward_rows", "sigma_twice"): _rows_sigma_twice,
        ("feedforward_rows", "only_output"): _rows_output_only,
        ("feedforward_rows", "input_missing"): _rows_from_layer_1,
        ("feedforward_rows", "input_as_none"): _rows_none_first,
        ("feedforward_rows", "input_transposed"): _rows_input_transposed,
        ("tanh_prime", "sigma_prime_form"): lambda t: t - t**2,
        ("tanh_prime", "no_chain_factor"): lambda t: 2 * ((1 + t) / 2) * ((1 - t) / 2),
        ("tanh_prime", "no_factors"): lambda t: ((1 + t) / 2) * ((1 - t) / 2),
        ("tanh_prime", "no_square"): lambda t: 1.0 - t,
        ("tanh_prime", "plus_square"): lambda t: 1 + t * t,
        ("tanh_prime", "tanh_itself"): lambda t: t.copy(),
        ("tanh_prime", "tanh_of_t"): lambda t: (1 - np.tanh(t)) * (1 + np.tanh(t)),
        ("tanh_prime", "four_t"): lambda t: 4 * t - 4 * t * t,
        ("collapse", "wrong_order"): _collapse(weight=lambda Wl, W_one: np.dot(W_one, Wl)),
        ("collapse", "transposed"): lambda W, b: (
            np.transpose(_collapse()(W, b)[0]),
            _collapse()(W, b)[1],
        ),
        ("collapse", "first_transposed"): lambda W, b: (
            _collapse(weight=lambda Wl, W_one: W_one @ Wl.T)(W, b)[0].T,  # "transpose it all"
            _collapse()(W, b)[1],
        ),
        ("collapse", "first_twice"): _collapse(first=1),
        ("collapse", "bias_summed"): _collapse(bias=lambda Wl, bl, b_one: b_one + bl),
        ("collapse", "bias_last_only"): lambda W, b: (_collapse()(W, b)[0], b[len(W) - 1]),
        ("collapse", "no_bias"): lambda W, b: (
            _collapse()(W, b)[0],
            np.zeros(W[len(W) - 1].shape[0]),
        ),
        ("collapse", "bias_through_own"): _collapse_from_identity(
            bias=lambda Wl, bl, b_one: Wl @ b_one + Wl @ bl
        ),
    }
)


def _student_step(bug):
    """Exercise 8.2 written the way a student would get it wrong (``bug``), from bplib's pieces."""

    def sgd_update(W, b, grad_W, grad_b, eta):  # the update at the end of the step
        if bug == "one_layer_only":
            return _sgd_last_layer_only(W, b, grad_W, grad_b, eta)
        if bug == "last_layer_missed":
            _sgd_stops_one_layer_short(W, b, grad_W, grad_b, eta)
            return W, b
        if bug == "not_updated":
            return _sgd_rebinding(W, b, grad_W, grad_b, eta)
        sign = 1 if bug == "added" else -1
        e = 1.0 if bug == "no_eta" else eta
        new_W = [None] + [W[l] + sign * e * grad_W[l] for l in range(1, len(W))]
        new_b = [None] + [b[l] + sign * e * grad_b[l] for l in range(1, len(b))]
        if bug == "weights_not_updated":
            new_W = W
        if bug == "biases_not_updated":
            new_b = b
        return new_W, new_b

    def sgd_step(W, b, sigmas, a0, Y, eta):
        L = len(W) - 1
        if bug == "sigmoid_everywhere":  # the lesson's sigmoid, sigmas never used
            z, a = bplib.feedforward_layers(W, b, [None] + [sigmoid] * L, a0)
        else:
            z, a = bplib.feedforward_layers(W, b, sigmas, a0)
        cost = cross_entropy if bug == "cross_entropy" else quadratic
        if bug in ("sigmoid_everywhere", "sigmoid_backward"):  # sigma' of the output layer
            delta = [None] * L + [bplib.output_error(a[L], Y, z[L], cost, sigmas[L])]
            for l in range(L - 1, 0, -1):
                delta[l] = bplib.backpropagate_error(delta[l + 1], W[l + 1], z[l], sigmas[L])
            grad_W = [None] + [bplib.weight_gradient(delta[l], a[l - 1]) for l in range(1, L + 1)]
            grad_b = [None] + [bplib.bias_gradient(delta[l]) for l in range(1, L + 1)]
            return sgd_update(W, b, grad_W, grad_b, eta)
        delta_L = bplib.output_error(a[L], Y, z[L], cost, sigmas[L])
        if bug == "updated_during_backprop":  # updates each layer as soon as it has its gradient
            delta = delta_L
            for l in range(L, 0, -1):
                grad_W_l = bplib.weight_gradient(delta, a[l - 1])
                grad_b_l = bplib.bias_gradient(delta)
                W[l] -= eta * grad_W_l
                b[l] -= eta * grad_b_l
                if l > 1:
                    delta = bplib.backpropagate_error(delta, W[l], z[l - 1], sigmas[l - 1])
            return W, b
        if bug == "z_next":
            delta = [None] * L + [delta_L]
            for l in range(L - 1, 0, -1):
                delta[l] = bplib.backpropagate_error(delta[l + 1], W[l + 1], z[l + 1], sigmas[l])
        elif bug == "layer_next":  # z and sigma of layer l + 1
            delta = [None] * L + [delta_L]
            for l in range(L - 1, 0, -1):
                delta[l] = bplib.backpropagate_error(
                    delta[l + 1], W[l + 1], z[l + 1], sigmas[l + 1]
                )
        elif bug == "sigma_next":  # the next layer's activation at layer l's own z
            delta = [None] * L + [delta_L]
            for l in range(L - 1, 0, -1):
                delta[l] = bplib.backpropagate_error(delta[l + 1], W[l + 1], z[l], sigmas[l + 1])
        elif bug == "w_same_layer":  # BP2 through the weights into layer l
            delta = [None] * L + [delta_L]
            for l in range(L - 1, 0, -1):
                delta[l] = bplib.backpropagate_error(delta[l + 1], W[l], z[l], sigmas[l])
        elif bug == "delta_L_everywhere":
            delta = [None] + [delta_L] * L
        else:
            delta = [None] * L + [delta_L]
            for l in range(L - 1, 0, -1):
                delta[l] = bplib.backpropagate_error(delta[l + 1], W[l + 1], z[l], sigmas[l])
        a_in = a[1:] + [None] if bug == "a_l" else a  # a_in[l - 1] is a[l] for that bug
        grad_W = [None] + [bplib.weight_gradient(delta[l], a_in[l - 1]) for l in range(1, L + 1)]
        grad_b = [None] + [bplib.bias_gradient(delta[l]) for l in range(1, L + 1)]
        if bug in ("sum_not_mean", "weight_sum"):  # BP4 by hand: delta^T a, no 1/m
            grad_W = [None] + [np.einsum("ij,ik->jk", delta[l], a[l - 1]) for l in range(1, L + 1)]
        if bug in ("sum_not_mean", "bias_sum"):  # BP3 by hand: a sum over the rows
            grad_b = [None] + [np.sum(delta[l], axis=0) for l in range(1, L + 1)]
        if bug == "not_updated":
            sgd_update(W, b, grad_W, grad_b, eta)  # its result, the new lists, is dropped
            return W, b
        return sgd_update(W, b, grad_W, grad_b, eta)

    return sgd_step


def _student_minibatches(bug):
    """Exercise 8.1 written the way a student would get it wrong (``bug``)."""

    def minibatches(n, m, rng):
        if bug == "order_per_step":  # a fresh order for every step
            out, start = [], 0
            while start < n:
                out.append(rng.permutation(n)[:m])
                start += m
            return out
        if bug == "order_per_slice":  # every slice cut from a fresh order
            out = []
            for start in range(0, n, m):
                order = rng.permutation(n)
                out.append(order[start : start + m])
            return out
        if bug == "batches_shuffled":  # cut in the stored order, the batches shuffled
            batches = np.array_split(np.arange(n), range(m, n, m))
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
            return [order[k * m : (k + 1) * m] for k in range(n // m)]
        if bug == "last_full":
            return [order[s : s + m] if s + m <= n else order[-m:] for s in range(0, n, m)]
        return [order[s : s + m] for s in range(0, n, m)]

    return minibatches


def _student_epoch(bug):
    """Exercise 8.3 written the way a student would get it wrong, with the right 8.1 and 8.2."""
    from exercises.reference.nb08_training import minibatches, sgd_step

    def sgd_epoch(W, b, sigmas, X, Y, m, eta, rng):
        n = len(X)
        if bug == "y_not_shuffled":  # the inputs shuffled, the targets left in place
            for k, rows in enumerate(minibatches(n, m, rng)):
                W, b = sgd_step(W, b, sigmas, X[rows], Y[k * m : k * m + m], eta)
            return W, b
        if bug == "shuffled_apart":  # one list of batches for X, another for Y
            for rows_X, rows_Y in zip(minibatches(n, m, rng), minibatches(n, m, rng)):
                W, b = sgd_step(W, b, sigmas, X[rows_X], Y[rows_Y], eta)
            return W, b
        if bug == "no_shuffle":  # the rows in their stored order, m at a time
            for start in range(0, n, m):
                W, b = sgd_step(W, b, sigmas, X[start : start + m], Y[start : start + m], eta)
            return W, b
        if bug == "new_generator":  # a generator made inside, with another fixed seed
            for rows in minibatches(n, m, np.random.default_rng(7)):
                W, b = sgd_step(W, b, sigmas, X[rows], Y[rows], eta)
            return W, b
        if bug == "steps_from_start":  # every step from the given parameters
            for rows in minibatches(n, m, rng):
                new_W, new_b = sgd_step(W, b, sigmas, X[rows], Y[rows], eta)
            return new_W, new_b
        if bug == "step_discarded":  # sgd_step called on its own line, its result dropped
            for rows in minibatches(n, m, rng):
                sgd_step(W, b, sigmas, X[rows], Y[rows], eta)
            return W, b
        for rows in minibatches(n, m, rng):
            W, b = sgd_step(W, b, sigmas, X[rows], Y[rows], eta)
            if bug == "returned_early":
                return W, b  # inside the loop
        return W, b

    return sgd_epoch


STUDENT_BUGS.update(
    {
        # 08: the mini-batches, the step and the epoch
        **{
            ("minibatches", bug.key): _student_minibatches(bug.key)
            for bug in EXERCISES["minibatches"].bugs
        },
        **{("sgd_step", bug.key): _student_step(bug.key) for bug in EXERCISES["sgd_step"].bugs},
        **{("sgd_epoch", bug.key): _student_epoch(bug.key) for bug in EXERCISES["sgd_epoch"].bugs},
    }
)


def _student_input_gradient(bug):
    """10.3, written apart from the reference's variants: the errors kept in a dict."""

    def my_input_gradient(W, sigmas, cost, z, a, Y):
        L, n = len(W) - 1, Y.shape[0]
        err = {L: cost.grad_a(a[L], Y) * sigmas[L].prime(z[L])}
        for l in range(L - 1, 0, -1):
            hidden = sigmas[1] if bug == "first_hidden_prime" else sigmas[l]
            err[l] = (err[l + 1] @ W[l + 1]) * hidden.prime(z[l])
        top = 2 if bug == "stops_at_delta_2" and L > 1 else 1
        g = err[top] @ (W[top].T if bug == "no_transpose" else W[top])
        if bug == "prime_at_input":
            g = g * sigmas[1].prime(a[0])
        if bug == "prime_at_z1":  # layer 1's σ′ once more, past δ^1
            g = g * sigmas[1].prime(z[1])
        if bug == "delta_1":
            return err[1] / n
        if bug == "one_row_sum":
            return g.sum(axis=0)
        if bug == "one_row":
            return g.mean(axis=0)
        if bug == "mean_every_row":
            return np.tile(g.mean(axis=0), (n, 1))
        return g if bug == "no_mean" else g / n

    return my_input_gradient


STUDENT_BUGS.update(
    {
        # 10.3: the gradient with respect to the input
        ("my_input_gradient", bug.key): _student_input_gradient(bug.key)
        for bug in EXERCISES["my_input_gradient"].bugs
    }
)


def test_sgd_step_that_calls_bplibs_backward_pass_is_refused():
    """Exercise 8.2 chains bplib's pieces: bplib.backpropagate (BP2's loop, which notebook 10
    leaves to the reader, so 08 must not write it) is allowed; bplib.backprop and
    net.gradients, which compute every gradient at once, are refused, under any name."""

    def sgd_update(W, b, grad_W, grad_b, eta):
        return (
            [None] + [W[l] - eta * grad_W[l] for l in range(1, len(W))],
            [None] + [b[l] - eta * grad_b[l] for l in range(1, len(b))],
        )

    whole_pass = bplib.backprop  # an alias is watched too

    def with_backprop(W, b, sigmas, a0, Y, eta):
        return sgd_update(W, b, *whole_pass(W, b, sigmas, quadratic, a0, Y), eta)

    def with_net_gradients(W, b, sigmas, a0, Y, eta):
        sizes = [W[1].shape[1]] + [w.shape[0] for w in W[1:]]
        net = Network(sizes, activation=sigmas[1].name, output_activation=sigmas[-1].name)
        net.W, net.b = W, b
        return sgd_update(W, b, *net.gradients(a0, Y), eta)

    for fn, name in ((with_backprop, "backprop"), (with_net_gradients, "Network.gradients")):
        fb = check("sgd_step", fn)
        assert fb.status == "wrong" and fb.bug == "library", (name, repr(fb))
        assert f"`{name}`" in fb.message and "bplib.backpropagate" in fb.message, fb.message
    step = _ref("sgd_step")
    assert check("sgd_step", step).passed
    source = inspect.getsource(step)  # the reference: bplib.backpropagate, no BP2 loop of its own
    assert "bplib.backpropagate(" in source and "range(L - 1" not in source


def test_minibatches_and_epoch_from_another_random_source_are_named():
    from exercises.reference.nb08_training import minibatches as right_minibatches
    from exercises.reference.nb08_training import sgd_step

    def minibatches(n, m, rng):
        order = np.random.permutation(n)  # the global generator, not rng
        return [order[start : start + m] for start in range(0, n, m)]

    fb = check("minibatches", minibatches)
    assert fb.status == "wrong" and fb.bug == "not_rng" and "other than the rng" in fb.message
    assert "permutation(n)" not in fb.message and fb.message.endswith("?"), fb.message

    def sgd_epoch(W, b, sigmas, X, Y, m, eta, rng):
        for rows in right_minibatches(len(X), m, np.random.default_rng()):  # not rng
            W, b = sgd_step(W, b, sigmas, X[rows], Y[rows], eta)
        return W, b

    fb = check("sgd_epoch", sgd_epoch)
    assert fb.status == "wrong" and fb.bug == "not_rng" and "other than the rng" in fb.message
    assert "minibatches(len(X)" not in fb.message and fb.message.endswith("?"), fb.message


def test_minibatches_of_the_wrong_sizes_are_told_their_sizes():
    # np.array_split into n // m parts: not a named bug, told in the reader's terms
    fb = check("minibatches", lambda n, m, rng: np.array_split(rng.permutation(n), n // m))
    assert fb.bug == "sizes" and "4 mini-batches, of 6, 6, 6 and 5 rows" in fb.message
    assert "5, 5, 5, 5 and 3" in fb.message and "np.array_split" in fb.message
    fb = check("minibatches", lambda n, m, rng: [rng.permutation(n)[:m]])  # one batch only
    assert fb.bug == "sizes" and "np.array_split" not in fb.message
    # a generator made inside with another seed than the named bug's is still named
    fb = check(
        "minibatches",
        lambda n, m, rng: [
            np.random.default_rng(5).permutation(n)[s : s + m] for s in range(0, n, m)
        ],
    )
    assert fb.bug == "new_generator"


def _twice_and_never(batches, n):
    """The first row found in two mini-batches and the first row found in none."""
    seen = [sum(row in list(batch) for batch in batches) for row in range(n)]
    return seen.index(2), seen.index(0)


def test_minibatches_that_reuse_rows_name_a_row_used_twice_and_a_row_never_used():
    # the contract "no row is left out or used twice", told with the reader's own rows
    def sampled(n, m, rng):  # a fresh sample of the right size for every step
        return [rng.choice(n, size=min(m, n - s), replace=False) for s in range(0, n, m)]

    for name, fn, key in [
        ("sampled", sampled, "rows_reused"),
        ("sliced", STUDENT_BUGS[("minibatches", "order_per_slice")], "order_per_slice"),
    ]:
        fb = check("minibatches", fn)
        assert fb.status == "wrong" and fb.bug == key, (name, repr(fb))
        twice, never = _twice_and_never(fn(23, 5, np.random.default_rng(711)), 23)
        said = f"row {twice} appears in two mini-batches and row {never} in none"
        assert said in fb.message and "How many random orders" in fb.message, fb.message
        assert "permutation(n)" not in fb.message, fb.message
        assert "different values" not in fb.message


def test_minibatches_as_a_generator_or_of_lists_is_accepted():
    def as_generator(n, m, rng):
        order = rng.permutation(n)
        for start in range(0, n, m):
            yield order[start : start + m]

    def of_lists(n, m, rng):
        order = rng.permutation(n).tolist()
        return [order[start : start + m] for start in range(0, n, m)]

    assert check("minibatches", as_generator).passed
    assert check("minibatches", of_lists).passed
    fb = check("minibatches", lambda n, m, rng: rng.permutation(n))  # the order, not cut
    assert fb.status == "wrong" and fb.bug == "shape" and "5 values" in fb.message, fb.message


def test_sgd_step_and_epoch_against_bplib():
    """The reference step is one descend on bplib.backprop's gradients; two reference epochs
    from one generator are net.fit(epochs=2) with the same seed."""
    for W, b, sigmas, a0, Y, eta in _cases("sgd_step"):
        new_W, new_b = _ref("sgd_step")(W, b, sigmas, a0, Y, eta)
        grad_W, grad_b = bplib.backprop(W, b, sigmas, quadratic, a0, Y)
        bplib.descend(W, b, grad_W, grad_b, eta)
        for l in range(1, len(W)):
            _assert_close(new_W[l], W[l])
            _assert_close(new_b[l], b[l])
    X, y = bplib.moons(30, noise=0.15, seed=3)
    net = Network([2, 4, 3, 1], activation="tanh", output_activation="sigmoid", seed=3)
    W, b = [None] + [w.copy() for w in net.W[1:]], [None] + [v.copy() for v in net.b[1:]]
    rng = np.random.default_rng(5)
    for _ in range(2):
        W, b = _ref("sgd_epoch")(W, b, net.sigmas, X, y.reshape(-1, 1), 7, 2.0, rng)
    net.fit(X, y.reshape(-1, 1), epochs=2, batch_size=7, eta=2.0, seed=5, progress=False)
    for l in range(1, len(W)):
        _assert_close(W[l], net.W[l])
        _assert_close(b[l], net.b[l])


def _named_bugs():
    """Every bug in the registry, except the backprop combinations (tested below)."""
    out = []
    for ex in EXERCISES.values():
        for bug in ex.bugs:
            if ex.name == "backprop" and "+" in bug.key:
                continue
            out.append((ex.name, bug.key))
    return out


def test_every_named_bug_has_a_student_style_test():
    assert set(_named_bugs()) == set(STUDENT_BUGS)


@pytest.mark.parametrize("name,bug", sorted(STUDENT_BUGS))
def test_named_bug_is_diagnosed(name, bug):
    fb = check(name, STUDENT_BUGS[(name, bug)])
    assert fb.status == "wrong" and not fb.passed, repr(fb)
    assert fb.bug == bug, repr(fb)
    expected = next(b.message for b in EXERCISES[name].bugs if b.key == bug)
    if name == "feedforward_rows":  # 1.1 may first say which layer is the first wrong one
        assert fb.message.endswith(expected)
    else:
        assert fb.message == expected


@pytest.mark.parametrize(
    "bug",
    [
        "a_not_a_prev",
        "a_not_a_prev+swapped",
        "a_not_a_prev+bias_one",
        "a_not_a_prev+bias_a",
        "a_not_a_prev+stray_sigma_prime",
    ],
)
def test_7_1_a_in_place_of_a_prev_is_named_on_every_test_case(bug):
    """Not only on the case of equal widths: the student's result on each case is the named
    bug's stored one, so whichever case first sees it names it (never "different values")."""
    from bplib.exercises.checker import _Answers, _close, _run

    ex, student = EXERCISES["parameter_partials"], STUDENT_BUGS[("parameter_partials", bug)]
    answers = _Answers(ex)
    for i, args in enumerate(ex.cases()):
        got = _run(ex, student, args)
        assert _close(got, answers.bug(bug, i)), (bug, i)
        assert not _close(got, answers.expected(i)), (bug, i)
    message = next(b.message for b in ex.bugs if b.key == bug)
    assert "layer l's own activations a^l" in message and message.endswith("?")


def _loop_6_2(delta_next, W_next, z, sigma):
    rows = []
    for i in range(len(delta_next)):  # one example at a time
        rows.append((W_next.T @ delta_next[i]) * sigma.prime(z[i]))
    return np.array(rows)


def _loop_7_1(delta, a_prev):
    return sum(np.outer(d, a) for d, a in zip(delta, a_prev)) / len(delta)


def _loop_7_2(delta, a_prev):
    return np.array([np.outer(delta[i], a_prev[i]) for i in range(len(delta))])


def _loop_7_3(delta, a_prev):
    n, grad = len(delta), np.zeros((delta.shape[1], a_prev.shape[1] + 1))
    i = 0
    while i < n:
        grad += np.outer(delta[i], np.append(a_prev[i], 1.0)) / n
        i += 1
    return grad


@pytest.mark.parametrize(
    "name,looped,line",
    [
        ("backpropagate_error", _loop_6_2, "for i in range(len(delta_next)):"),
        ("weight_gradient", _loop_7_1, "return sum(np.outer(d, a) for d, a in zip(delta, a_prev))"),
        ("weight_gradient_per_example", _loop_7_2, "np.outer(delta[i], a_prev[i]) for i in"),
        ("augmented_gradient", _loop_7_3, "while i < n:"),
    ],
)
def test_6_2_and_7_1_to_7_3_name_a_loop_over_the_examples(name, looped, line):
    """6.2 and 7.2-7.4 ask for no loop: right numbers from a loop (a `for`, a comprehension, a
    generator, a `while`) are 'wrong', with feedback that quotes the loop, never a traceback;
    without it the same numbers are correct."""
    fb = check(name, looped)
    assert fb.status == "wrong" and fb.bug == "loop", repr(fb)
    assert fb.message.startswith("Right numbers, but your function has") and line in fb.message
    assert "exercise asks for no loop" in fb.message and "Traceback" not in fb.message
    assert check(name, EXERCISES[name].reference).passed


def test_the_loop_check_says_nothing_when_the_source_cannot_be_read():
    """A function whose source inspect cannot find (made by exec) is judged by its numbers
    alone, and so is a lambda that shares its line with another."""
    namespace = {"np": np}
    exec(
        "def weight_gradient(delta, a_prev):\n"
        "    return sum(np.outer(d, a) for d, a in zip(delta, a_prev)) / len(delta)\n",
        namespace,
    )
    assert check("weight_gradient", namespace["weight_gradient"]).passed
    two = [lambda d, a: [x for x in d] and d.T @ a / len(d), lambda d, a: d]  # noqa: C416
    assert check("weight_gradient", two[0]).passed
    assert check("weight_gradient", lambda d, a: d.T @ a / len(d)).passed  # no loop: correct


def test_6_1_takes_sigma_as_bplib_and_exercise_8_2_do():
    """6.1 is bplib.backpropagate_error's interface, the one notebook 08 calls: (delta_next,
    W_next, z, sigma); the note's slip (sigma' of the output layer) is section 2's, not a bug
    the reader can make here, since only layer l's z is passed."""
    ex = EXERCISES["backpropagate_error"]
    assert ex.params == list(inspect.signature(bplib.backpropagate_error).parameters)
    assert ex.params == ["delta_next", "W_next", "z", "sigma"]
    assert "next_z" not in {b.key for b in ex.bugs} and "z_next" not in ex.statement


@pytest.mark.parametrize(
    "at",
    [
        lambda delta_next, W_next, z, sigma: (delta_next @ W_next) @ sigma.prime(z),
        lambda delta_next, W_next, z, sigma: sigma.prime(z) @ (delta_next @ W_next),
        lambda delta_next, W_next, z, sigma: np.dot(delta_next, W_next) @ sigma.prime(z),
    ],
)
def test_6_1_with_at_where_the_elementwise_product_belongs_is_named(at):
    """(delta_next @ W_next) @ sigma.prime(z) has the right first product and `@` where (5)'s
    ⊙ is: the feedback names the `*`, not a transpose (which would send the reader astray)."""
    fb = check("backpropagate_error", at)
    assert fb.status == "error" and not fb.passed, repr(fb)
    assert "element-wise: multiply by σ′(z^l) with `*`, not `@`" in fb.message, fb.message
    assert "column" not in fb.message and "transpose" not in fb.message, fb.message
    for raw in ("gufunc", "ValueError", "matmul", "Traceback"):
        assert raw not in fb.message, (raw, fb.message)


@pytest.mark.parametrize(
    "column",
    [
        lambda delta_next, W_next, z, sigma: (W_next.T @ delta_next) * sigma.prime(z),
        lambda delta_next, W_next, z, sigma: np.dot(W_next.T, delta_next) * sigma.prime(z),
        lambda delta_next, W_next, z, sigma: (W_next.T @ delta_next.T) * sigma.prime(z),
    ],
)
def test_the_column_form_of_6_1_is_named_without_numpys_message(column):
    """The likeliest wrong answer to 6.1 is (5) as written, for columns: it raises in numpy
    (matmul's gufunc text, or a broadcast of transposed shapes); the check names it instead."""
    fb = check("backpropagate_error", column)
    assert fb.status == "error" and not fb.passed, repr(fb)
    assert "column form (5)" in fb.message or "stored as a column" in fb.message, fb.message
    assert "transpose of a product" in fb.message, fb.message  # a hint, not the answer:
    assert "(δ^{l+1})ᵀ W^{l+1}" not in fb.message, fb.message  # the feedback names the bug only
    for raw in ("gufunc", "ValueError", "not aligned", "broadcast together", "Traceback"):
        assert raw not in fb.message, (raw, fb.message)
    assert "\n" not in fb.message


def test_broken_backprop_unchanged_gets_no_bug_named_one_fix_names_the_other():
    """backprop_broken handed in as it is: finding its bugs with the gradient check is the
    exercise, so the feedback points to the check and names neither; once one is fixed,
    the other is named."""
    namespace = {"sigmoid": sigmoid, "np": np}
    exec(BROKEN_BACKPROP_SOURCE, namespace)
    fb = check("backprop", namespace["backprop_broken"])
    assert fb.status == "wrong" and fb.bug == "next_z+no_mean_W2", repr(fb)
    assert fb.message == UNCHANGED, fb.message
    assert fb.message.startswith("Both bugs are still there: run the gradient check"), fb.message
    for word in ("σ′", "z^2", "z2", "1/n", "layer 2", "sums"):
        assert word not in fb.message, word
    fixed_z = BROKEN_BACKPROP_SOURCE.replace("sigmoid.prime(z2)  # BP2", "sigmoid.prime(z1)  # BP2")
    fixed_n = BROKEN_BACKPROP_SOURCE.replace("grad_W1, grad_W2]", "grad_W1, grad_W2 / n]")
    assert fixed_z != BROKEN_BACKPROP_SOURCE and fixed_n != BROKEN_BACKPROP_SOURCE
    for source, left in ((fixed_z, "no_mean_W2"), (fixed_n, "next_z")):
        exec(source, namespace)
        fb = check("backprop", namespace["backprop_broken"])
        assert fb.bug == left and fb.message.startswith("One bug is left: "), repr(fb)


def test_a_1_over_n_added_twice_is_named():
    """The fix of layer 2's missing 1/n written as `/ n` on both weight gradients at the end:
    layer 1's already had its 1/n inside the loop, so it is now n times too small, with the
    same r as a missing 1/n."""
    namespace = {"sigmoid": sigmoid, "np": np}
    source = BROKEN_BACKPROP_SOURCE.replace(
        "sigmoid.prime(z2)  # BP2", "sigmoid.prime(z1)  # BP2"
    ).replace("[None, grad_W1, grad_W2]", "[None, grad_W1 / n, grad_W2 / n]")
    assert source.count("grad_W1 / n") == 1
    exec(source, namespace)
    fb = check("backprop", namespace["backprop_broken"])
    assert fb.status == "wrong" and fb.bug == "twice_W1", repr(fb)
    assert "divided by n twice" in fb.message and "layer 1" in fb.message, fb.message


def test_three_backprop_bugs_at_once_are_all_named():
    def backprop(W, b, X, Y):
        grad_W, grad_b = STUDENT_BUGS[("backprop", "next_z")](W, b, X, Y)
        n = X.shape[0]  # + sign, + no 1/n in the bias gradient of layer 1:
        return [None] + [-g for g in grad_W[1:]], [None, -grad_b[1] * n, -grad_b[2]]

    fb = check("backprop", backprop)
    assert fb.bug == "next_z+sign+no_mean_b1", repr(fb)
    assert fb.message.startswith("This looks like three bugs: (1) δ^1")


def _step_with(update):
    """Exercise 8.2 right up to the gradients, then ``update(W, b, grad_W, grad_b, eta)``."""

    def sgd_step(W, b, sigmas, a0, Y, eta):
        L = len(W) - 1
        z, a = bplib.feedforward_layers(W, b, sigmas, a0)
        delta = [None] * L + [bplib.output_error(a[L], Y, z[L], quadratic, sigmas[L])]
        for l in range(L - 1, 0, -1):
            delta[l] = bplib.backpropagate_error(delta[l + 1], W[l + 1], z[l], sigmas[l])
        grad_W = [None] + [bplib.weight_gradient(delta[k], a[k - 1]) for k in range(1, L + 1)]
        grad_b = [None] + [bplib.bias_gradient(delta[k]) for k in range(1, L + 1)]
        return update(W, b, grad_W, grad_b, eta)

    return sgd_step


def test_sgd_step_that_updates_in_place_is_accepted():
    def in_place(W, b, grad_W, grad_b, eta):
        bplib.descend(W, b, grad_W, grad_b, eta)  # bplib's own update, in place
        return W, b

    assert check("sgd_step", _step_with(in_place)).passed


def test_lists_without_the_input_layer_are_explained():
    def drops_index_0(W, b, grad_W, grad_b, eta):
        return (
            [W[l] - eta * grad_W[l] for l in range(1, len(W))],
            [b[l] - eta * grad_b[l] for l in range(1, len(b))],
        )

    fb = check("sgd_step", _step_with(drops_index_0))
    assert fb.status == "wrong" and fb.bug == "shape"
    assert "index 0, the input layer, holds None" in fb.message


def test_none_at_index_0_in_arithmetic_is_explained():
    def from_index_0(W, b, grad_W, grad_b, eta):  # index 0 is None
        return [w - eta * g for w, g in zip(W, grad_W)], [v - eta * g for v, g in zip(b, grad_b)]

    fb = check("sgd_step", _step_with(from_index_0))
    assert fb.status == "error" and "index 0" in fb.message, fb.message


# ----------------------------------------------------------------------------
# The reference solutions against bplib and against central finite differences
# ----------------------------------------------------------------------------
def _cases(name):
    return copy.deepcopy(EXERCISES[name].cases())


def _case_numbers(name):
    return range(len(EXERCISES[name].cases()))


def _ref(name):
    return EXERCISES[name].reference


def _numerical_gradient(f, x, eps=1e-6):
    """Central differences of the scalar function ``f`` at the array ``x``."""
    x = np.array(x, dtype=float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f(x)
        x[i] = old - eps
        down = f(x)
        x[i] = old
        g[i] = (up - down) / (2 * eps)
    return g


def _assert_close(got, want, rtol=1e-6, atol=1e-8):
    np.testing.assert_allclose(
        np.asarray(got, float), np.asarray(want, float), rtol=rtol, atol=atol
    )


def _assert_by_layer(got, want, **tol):
    assert len(got) == len(want) and got[0] is None and want[0] is None
    for g, w in zip(got[1:], want[1:]):
        _assert_close(g, w, **tol)


def test_batch_cost_is_the_mean_of_bplibs_quadratic_cost():
    cases = _cases("batch_cost")
    assert any(Y.shape == (len(A),) and A.shape == (len(A), 1) for A, Y in cases)  # flat targets
    for A, Y in cases:
        _assert_close(_ref("batch_cost")(A, Y), np.mean(quadratic.fn(A, np.reshape(Y, A.shape))))


@pytest.mark.parametrize("i", _case_numbers("cost_gradient"))
def test_cost_gradient_against_bplib_and_finite_differences(i):
    """Exercise 2.2: the gradient of the batch cost C = mean of the C_i, (A - Y)/n."""
    A, Y = _cases("cost_gradient")[i]
    got = _ref("cost_gradient")(A, Y)
    _assert_close(got, quadratic.grad_a(A, Y) / len(A))
    _assert_close(got, _numerical_gradient(lambda A_: quadratic.fn(A_, Y).mean(), A), rtol=1e-5)


def test_steepest_step_lowers_the_first_order_change_most_among_steps_of_its_length():
    """Exercise 3.1's reference: of 500 random steps of the same length, none has a lower
    grad . step than it, which is -length * |grad| (Cauchy-Schwarz); and bplib.descend's step is
    the same direction with length eta * |grad|."""
    rng = np.random.default_rng(0)
    for grad, length in _cases("steepest_step"):
        step = _ref("steepest_step")(grad, length)
        assert np.isclose(np.linalg.norm(step), length)
        best = np.sum(grad * step)
        assert np.isclose(best, -length * np.linalg.norm(grad))
        others = rng.normal(size=(500,) + grad.shape)
        others *= length / np.linalg.norm(others.reshape(500, -1), axis=1).reshape(
            (500,) + (1,) * grad.ndim
        )
        assert np.all(np.sum(others * grad, axis=tuple(range(1, grad.ndim + 1))) > best)
        W, b = [None, np.zeros_like(grad)], [None, np.zeros(1)]
        bplib.descend(W, b, [None, grad], [None, np.zeros(1)], 0.3)
        _assert_close(step * 0.3 * np.linalg.norm(grad) / length, W[1])


def test_descend_is_repeated_bplib_descend_until_the_gradient_is_short():
    lengths = []
    for grad_C, theta0, eta, max_steps, tol in _cases("descend"):
        W, b = [None, np.array(theta0, float)], [None, np.zeros(1)]
        path = [W[1].copy()]
        while len(path) <= max_steps and np.linalg.norm(grad_C(W[1])) >= tol:
            bplib.descend(W, b, [None, grad_C(W[1])], [None, np.zeros(1)], eta)
            path.append(W[1].copy())
        _assert_close(_ref("descend")(grad_C, theta0, eta, max_steps, tol), np.array(path))
        lengths.append(len(path) - 1)
    # case 0 stops early, case 1 runs out of steps (so both ends of the loop are tested)
    assert 0 < lengths[0] < _cases("descend")[0][3] and lengths[1] == _cases("descend")[1][3]
    # descend_grad is the gradient of the cost the docstring names
    theta = np.array([0.3, -1.2, 0.8])
    cost = lambda t: np.sum(np.log(np.cosh(t)) + t**2 / 4)  # noqa: E731
    _assert_close(descend_grad(theta), _numerical_gradient(cost, theta), rtol=1e-6)


def _chain_net(*params):
    """The chain of single neurons as bplib lists indexed by layer: (w1, b1, w2, b2, ...)."""
    W = [None] + [np.array([[w]]) for w in params[0::2]]
    b = [None] + [np.array([v]) for v in params[1::2]]
    return W, b


@pytest.mark.parametrize("i", _case_numbers("dC_dw"))
def test_dC_dw_against_bplib_backprop_and_finite_differences(i):
    a_prev, w, b_, y = _cases("dC_dw")[i]  # C_i = 1/2 (a - y)^2, bplib's default cost
    got = _ref("dC_dw")(a_prev, w, b_, y)
    W, b = _chain_net(w, b_)
    grad_W, _ = bplib.backprop(
        W, b, [None, sigmoid], quadratic, np.array([[a_prev]]), np.array([[y]])
    )
    _assert_close(got, grad_W[1][0, 0])
    num = _numerical_gradient(lambda w_: 0.5 * (sig(w_ * a_prev + b_) - y) ** 2, np.array(w))
    _assert_close(got, num, rtol=1e-6)


@pytest.mark.parametrize("i", _case_numbers("dC_da_prev"))
def test_dC_da_prev_against_finite_differences(i):
    a1, w2, b2, y = _cases("dC_da_prev")[i]
    cost = lambda a1_: 0.5 * (sig(w2 * a1_ + b2) - y) ** 2  # noqa: E731
    _assert_close(_ref("dC_da_prev")(a1, w2, b2, y), _numerical_gradient(cost, np.array(a1)))


@pytest.mark.parametrize("i", _case_numbers("dC_dw_chain"))
def test_4_3_is_bplibs_backprop_on_a_chain(i):
    """Exercise 4.3's slopes of every weight of a chain of L neurons are bplib's backprop on
    Network([1] * (L + 1)) and the central differences of the cost."""
    x, y, w, b = _cases("dC_dw_chain")[i]
    got = _ref("dC_dw_chain")(x, y, w, b)
    W, B = _chain_net(*[v for pair in zip(w[1:], b[1:]) for v in pair])
    grad_W, _ = bplib.backprop(
        W, B, [None] + [sigmoid] * (len(w) - 1), quadratic, np.array([[x]]), np.array([[y]])
    )
    assert len(got) == len(w) and got[0] is None
    _assert_close(np.array(got[1:]), np.array([g[0, 0] for g in grad_W[1:]]))

    def cost(ws):
        a = x
        for w_l, b_l in zip(ws, b[1:]):
            a = sig(w_l * a + b_l)
        return 0.5 * (a - y) ** 2

    _assert_close(
        np.array(got[1:]), _numerical_gradient(cost, np.array(w[1:], dtype=float)), rtol=1e-6
    )


def _dC_dz(cost, z, y, sigma=sigmoid):
    """∂(Σ_rows C_i)/∂z for an output layer with activation sigma, by central differences."""
    return _numerical_gradient(lambda z_: cost.fn(sigma.fn(z_), y).sum(), z)


def test_output_error_against_bplib_and_finite_differences():
    """Exercise 5.1's weighted cost: with c = 1 it is bplib's quadratic cost; with the check's
    weights, the central differences of 1/2 sum_j c_j (a_j - y_j)^2 by z."""
    activations = []
    for a_L, y, z_L, c, sigma in _cases("output_error"):
        activations.append(sigma.name)
        _assert_close(a_L, sigma.fn(z_L))
        assert len(set(c)) == c.size == z_L.shape[1]  # every node its own weight
        ones = _ref("output_error")(a_L, y, z_L, np.ones_like(c), sigma)
        _assert_close(ones, bplib.output_error(a_L, y, z_L, quadratic, sigma))
        _assert_close(ones, quadratic.delta(a_L, y, z_L, sigma))
        got = _ref("output_error")(a_L, y, z_L, c, sigma)
        weighted = _numerical_gradient(
            lambda z_, c=c, y=y, sigma=sigma: 0.5 * np.sum(c * (sigma.fn(z_) - y) ** 2), z_L
        )
        _assert_close(got, weighted, rtol=1e-5)
    assert activations == ["sigmoid", "tanh"]


def test_output_error_cross_entropy_against_bplib_and_finite_differences():
    saturated = 0
    for a_L, y, z_L in _cases("output_error_cross_entropy"):
        got = _ref("output_error_cross_entropy")(a_L, y, z_L)
        _assert_close(got, bplib.output_error(a_L, y, z_L, cross_entropy, sigmoid))
        _assert_close(got, cross_entropy.delta(a_L, y, z_L, sigmoid))
        if np.abs(z_L).max() < 30:  # where sigma rounds to 0 or 1 the cost is clipped
            _assert_close(got, _dC_dz(cross_entropy, z_L, y), rtol=1e-5)
        else:
            saturated += 1
    assert saturated == 1


def test_the_unsimplified_cross_entropy_error_fails_only_on_saturated_nodes():
    """(7) times sigma' is right in exact arithmetic, and passes the ordinary cases; at z = +-40
    it gives 0/0, which the checker names (pointing to section 4's note), not a NaN error."""

    def output_error_cross_entropy(a_L, y, z_L):
        return (a_L - y) / (a_L * (1 - a_L)) * sigp(z_L)

    fb = check("output_error_cross_entropy", output_error_cross_entropy)
    assert fb.bug == "unsimplified" and "section 4" in fb.message, repr(fb)
    assert "a − y" not in fb.message  # a nudge, not the answer
    kept = next(
        b for b in EXERCISES["output_error_cross_entropy"].bugs if b.key == "kept_sigma_prime"
    )
    assert "δ^L = a − y" not in kept.message
    # A result that is NaN where nothing saturates is still reported as NaN.
    fb = check("output_error_cross_entropy", lambda a_L, y, z_L: (a_L - y) * np.nan)
    assert fb.status == "error" and "NaN" in fb.message


@pytest.mark.parametrize("i", _case_numbers("backpropagate_error"))
def test_backpropagate_error_against_bplib_and_finite_differences(i):
    delta_next, W_next, z, sigma = _cases("backpropagate_error")[i]
    got = _ref("backpropagate_error")(delta_next, W_next, z, sigma)
    _assert_close(got, bplib.backpropagate_error(delta_next, W_next, z, sigma))
    # a cost whose gradient with respect to z^{l+1} is delta_next: C = Σ δ^{l+1} ⊙ z^{l+1}
    cost = lambda z_: np.sum(delta_next * (sigma.fn(z_) @ W_next.T))  # noqa: E731
    _assert_close(got, _numerical_gradient(cost, z), rtol=1e-5)


def test_parameter_partials_against_finite_differences_of_one_examples_cost():
    """7.1's reference, fed one example's delta^l, a^{l-1}, z^l, a^l of a real network, gives
    every layer's weight and bias partials of that example's cost, by central differences."""
    net = Network([2, 3, 3, 2], activation="sigmoid", cost="quadratic", seed=4)
    x, y = np.array([[0.8, -0.4]]), np.array([[1.0, 0.0]])
    Z, A = net.feedforward_layers(x)
    delta_L = bplib.output_error(A[net.L], y, Z[net.L], net.cost_function, sigmoid)
    Delta = bplib.backpropagate(delta_L, net.W, Z, net.sigmas)
    num_W, num_b = bplib.numerical_gradients(net, x, y)
    for l in range(1, net.L + 1):
        gw, gb = _ref("parameter_partials")(Delta[l][0], A[l - 1][0], Z[l][0], A[l][0])
        assert gw.shape == net.W[l].shape and gb.shape == net.b[l].shape
        _assert_close(gw, num_W[l], rtol=1e-6, atol=1e-9)
        _assert_close(gb, num_b[l], rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("i", _case_numbers("weight_gradient"))
def test_weight_gradient_against_bplib_and_finite_differences(i):
    delta, a_prev = _cases("weight_gradient")[i]
    n, n_l = delta.shape
    got = _ref("weight_gradient")(delta, a_prev)
    _assert_close(got, bplib.weight_gradient(delta, a_prev))
    _assert_close(got, bplib.weight_gradient_per_example(delta, a_prev).mean(axis=0))
    # the mean cost whose error at z = a_prev W^T + b is delta, row by row
    W, b = np.zeros((n_l, a_prev.shape[1])), np.zeros(n_l)
    cost_W = lambda W_: np.sum(delta * (a_prev @ W_.T + b)) / n  # noqa: E731
    _assert_close(got, _numerical_gradient(cost_W, W), rtol=1e-5)


@pytest.mark.parametrize("i", _case_numbers("weight_gradient_per_example"))
def test_weight_gradient_per_example_against_a_loop_bplib_and_finite_differences(i):
    delta, a_prev = _cases("weight_gradient_per_example")[i]
    n, n_l = delta.shape
    got = _ref("weight_gradient_per_example")(delta, a_prev)
    assert got.shape == (n, n_l, a_prev.shape[1])
    _assert_close(got, bplib.weight_gradient_per_example(delta, a_prev))
    _assert_close(got, np.array([np.outer(delta[i_], a_prev[i_]) for i_ in range(n)]))  # a loop
    _assert_close(got.mean(axis=0), _ref("weight_gradient")(delta, a_prev))
    # example i's own cost, whose error at z = a_prev W^T + b is delta[i]
    W = np.zeros((n_l, a_prev.shape[1]))
    for i_ in range(n):
        cost_i = lambda W_, i_=i_: np.sum(delta[i_] * (a_prev[i_] @ W_.T))  # noqa: E731
        _assert_close(got[i_], _numerical_gradient(cost_i, W), rtol=1e-5)


def test_the_solutions_of_04_05_06_together_are_backprop():
    """BP1, BP2, BP3 and BP4 from the reference solutions: the gradients of a real net."""
    net = Network([3, 4, 3, 2], seed=3)
    rng = np.random.default_rng(4)
    X, Y = rng.normal(0, 1, (6, 3)), rng.uniform(0, 1, (6, 2))
    z, a = net.feedforward_layers(X)
    L = net.L
    delta = [None] * (L + 1)
    delta[L] = _ref("output_error")(a[L], Y, z[L], np.ones(Y.shape[1]), sigmoid)  # c = 1
    for l in range(L - 1, 0, -1):
        delta[l] = _ref("backpropagate_error")(delta[l + 1], net.W[l + 1], z[l], net.sigmas[l])
    grad_W = [None] + [_ref("weight_gradient")(delta[l], a[l - 1]) for l in range(1, L + 1)]
    grad_b = [None] + [delta[l].mean(axis=0) for l in range(1, L + 1)]
    for l in range(1, L + 1):
        per_example = _ref("weight_gradient_per_example")(delta[l], a[l - 1])
        _assert_close(per_example.mean(axis=0), grad_W[l])
    want_W, want_b = net.gradients(X, Y)
    _assert_by_layer(grad_W, want_W)
    _assert_by_layer(grad_b, want_b)
    num_W, num_b = bplib.numerical_gradients(net, X, Y)
    _assert_by_layer(grad_W, num_W, rtol=1e-5, atol=1e-9)
    _assert_by_layer(grad_b, num_b, rtol=1e-5, atol=1e-9)


def test_numerical_gradient_solution_is_bplibs_and_a_flat_view_answer_passes():
    """9.1's reference equals bplib.numerical_gradients on a network (f its cost, p each layer's
    parameters) and leaves the network as it was; a right answer written another way (through
    a flat view of p) passes, and a planted slip is caught."""
    ng = _ref("numerical_gradient")
    net = Network([3, 4, 2], seed=0)
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(5, 3)), rng.uniform(size=(5, 2))
    before = [w.copy() for w in net.W[1:]] + [b.copy() for b in net.b[1:]]
    num_W, num_b = bplib.numerical_gradients(net, X, Y, eps=1e-6)
    for l in range(1, net.L + 1):
        for p, want in ((net.W[l], num_W[l]), (net.b[l], num_b[l])):
            _assert_close(ng(lambda: net.cost(X, Y), p, 1e-6), want, rtol=1e-12, atol=1e-15)
    after = [w for w in net.W[1:]] + [b for b in net.b[1:]]
    assert all(np.array_equal(a, b) for a, b in zip(before, after))

    def through_a_view(f, p, eps):
        flat, out = p.reshape(-1), np.empty(p.size)
        for k in range(flat.size):
            keep = flat[k]
            flat[k] = keep + eps
            up = f()
            flat[k] = keep - eps
            down = f()
            flat[k] = keep
            out[k] = (up - down) / (2 * eps)
        return out.reshape(p.shape)

    assert check("numerical_gradient", through_a_view).passed
    assert check("numerical_gradient", _ng_right).passed
    # the cases' f reads the very array the checker passes as p (a fresh copy of both)
    f, p, _ = EXERCISES["numerical_gradient"].cases()[0]
    assert isinstance(f, ReadsP) and f.p is p and p.ndim == 2


def test_backprop_solution_is_bplibs_backprop_and_passes_the_gradient_check():
    assert all(len(W) == 3 for W, *_ in _cases("backprop"))  # one hidden layer, no more
    for W, b, X, Y in _cases("backprop"):
        sigmas = [None] + [sigmoid] * (len(W) - 1)
        grad_W, grad_b = _ref("backprop")(W, b, X, Y)
        want_W, want_b = bplib.backprop(W, b, sigmas, quadratic, X, Y)
        _assert_by_layer(grad_W, want_W)
        _assert_by_layer(grad_b, want_b)
    for sizes in ([3, 2, 2], [2, 4, 3]):
        net = Network(sizes, seed=1)
        X = np.random.default_rng(2).normal(0, 1, (5, sizes[0]))
        Y = np.random.default_rng(3).uniform(0, 1, (5, sizes[-1]))
        report = bplib.gradient_check(
            net, X, Y, gradients=lambda net, X, Y: _ref("backprop")(net.W, net.b, X, Y)
        )
        assert report.ok, report


def _broken_backprop():
    from bplib.exercises.nb09_gradient_checking import backprop_broken  # as the statement does

    return backprop_broken


def test_what_the_find_the_bug_statement_says_about_backprop_broken():
    broken = _broken_backprop()
    cells = nbformat.read(ROOT / "notebooks" / "09_gradient_checking.ipynb", as_version=4).cells
    text = next(c.source for c in cells if c.get("id") == "ex09-diagnosis-run")
    # The diagnosis cell's check, on section 1's X, Y (5 examples; notebook 09's first code cell)
    assert "bplib.Network([3, 2, 2], seed=0), X, Y" in text and "print(report)" in text
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(5, 3)), rng.uniform(size=(5, 2))
    net = Network([3, 2, 2], seed=0)
    report = bplib.gradient_check(net, X, Y, gradients=lambda net, X, Y: broken(net.W, net.b, X, Y))
    # ... flags both gradients of layer 1 (delta^1) and only the weights of layer 2, with the
    # r of a factor n = 5, (n - 1)/(n + 1) = 2/3: where and what, as the hints say.
    assert report.bad_layers() == [1, 2], report
    assert min(report.errors_W[1], report.errors_b[1]) > 1e-2
    assert np.isclose(report.errors_W[2], 2 / 3) and report.errors_b[2] < 1e-8, report
    assert "2/3 for n = 5" in EXERCISES["backprop"].hints[2]
    # ... and with unequal hidden and output widths one of the bugs (σ′ at z^2) cannot run.
    net = Network([3, 4, 2], seed=1)
    with pytest.raises(ValueError):
        broken(net.W, net.b, X, Y)


def test_find_the_bug_has_no_loop_over_layers_and_no_batch_matrix():
    """09's broken backprop and its fix are written out for one hidden layer, in column form,
    one example at a time: neither is the any-depth answer of notebook 10 nor its batch form
    (test_capstone checks that neither passes its checks). Their one loop runs over the
    examples."""
    for source in (BROKEN_BACKPROP_SOURCE, EXERCISES["backprop"].function_source):
        text = source.split('"""')[-1]  # the code after the docstring
        loops = [line.strip() for line in text.splitlines() if line.strip().startswith("for ")]
        assert loops == ["for i in range(n):  # one example at a time"], loops
        assert "len(W)" not in text and "W[l" not in text and "[l]" not in text
        assert "W[1]" in text and "W[2]" in text and "W[3]" not in text
        # columns: W^l times a column, W^2 transposed in BP2; no rows-times-W^T batch products
        assert "W[1] @ x" in text and "W[2] @ a1" in text and "W[2].T @ delta2" in text
        assert "X @" not in text and "@ W[" not in text and ".sum(axis=0)" not in text


# ----------------------------------------------------------------------------
# The sources and the generated cells
# ----------------------------------------------------------------------------
def _load_tool(name):
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


exercise_cells = _load_tool("exercise_cells")
NOTEBOOK_NUMBERS = sorted({ex.notebook for ex in EXERCISES.values()})


def test_the_package_runs_no_strings():
    for path in (ROOT / "bplib" / "exercises").glob("*.py"):
        text = path.read_text()
        assert "exec(" not in text and "eval(" not in text, path.name


def test_lists_are_indexed_by_layer_everywhere():
    """No weights[l - 1] translation is left: W[l] is W^l in statements and solutions."""
    for nn in NOTEBOOK_NUMBERS:
        text = "\n".join(c.source for c in exercise_cells.section_cells(nn))
        for old in (
            "weights[",
            "biases[",
            "net.weights",
            "net.biases",
            "net.forward(",
            "W[l - 1]",
            "b[l - 1]",
            "zs[",
            "activations[",
        ):
            assert old not in text, (nn, old)
    text = BROKEN_BACKPROP_SOURCE + EXERCISES["backprop"].source
    assert "W[1]" in text and "W[2]" in text and "b[1]" in text


def test_broken_backprop_is_imported_not_shown():
    """9.2 is solved with the gradient check: backprop_broken is imported from the package,
    its source is read only after the check (`backprop_broken??`), and no cell of notebook 09
    (nor its generated exercise cells) shows its two wrong lines."""
    from bplib.exercises.nb09_gradient_checking import backprop_broken

    assert EXERCISES["backprop"].broken is None and EXERCISES["backprop"].broken_source is None
    assert BROKEN_BACKPROP_SOURCE.startswith("def backprop_broken(W, b, X, Y):")
    assert BROKEN_BACKPROP_SOURCE == textwrap.dedent(inspect.getsource(backprop_broken))
    statement = EXERCISES["backprop"].statement
    run = next(
        c.source
        for c in nbformat.read(
            ROOT / "notebooks" / "09_gradient_checking.ipynb", as_version=4
        ).cells
        if c.get("id") == "ex09-diagnosis-run"
    )
    assert "from bplib.exercises.nb09_gradient_checking import backprop_broken" in run
    assert "backprop_broken??" in statement and "not shown" in statement
    # the diagnosis is committed and checked before the source may be read
    assert "check_diagnosis(diagnosis)` must say correct first" in statement
    wrong_lines = [
        line.split("#")[0].strip()
        for line in BROKEN_BACKPROP_SOURCE.splitlines()
        if "sigmoid.prime(z2)  # BP2" in line or "grad_W = [" in line
    ]
    assert len(wrong_lines) == 2, wrong_lines
    cells = nbformat.read(ROOT / "notebooks" / "09_gradient_checking.ipynb", as_version=4).cells
    shown = "\n".join(c.source for c in cells) + "\n".join(
        c.source for c in exercise_cells.section_cells("09")
    )
    for line in wrong_lines:
        assert line not in shown, line


@pytest.mark.parametrize("nn", NOTEBOOK_NUMBERS)
def test_print_shows_the_cells_of_every_notebook(nn):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert exercise_cells.main(["--print", nn]) == 0
    cells = json.loads(out.getvalue())
    assert cells == json.loads(json.dumps([dict(c) for c in exercise_cells.section_cells(nn)]))
    inline = nn in exercise_cells.INLINE_EXERCISES  # exercises inside numbered sections
    assert cells[0]["source"].startswith("**Exercises.**" if inline else "## Exercises")
    assert cells[1]["source"] == "from bplib.exercises import check, hint"
    ids = [c["id"] for c in cells]
    want = [f"ex{nn}-heading", f"ex{nn}-import"]
    for ex in exercises_for(nn):
        cid = f"ex{nn}-{ex.name}"
        want += (
            [f"{cid}-statement"]
            + [f"{cid}-broken"] * (ex.broken is not None)
            + [cid, f"{cid}-check", f"{cid}-solution"]
        )
    assert ids == want
    for name in (ex.name for ex in exercises_for(nn)):
        solution = cells[ids.index(f"ex{nn}-{name}")]["source"]
        assert solution.endswith("    ### END SOLUTION")
        assert f"def {name}(" in solution and '"""' in solution


def test_solution_cell_format_is_the_documented_one():
    source = EXERCISES["output_error"].source
    assert (
        source
        == '''import numpy as np


def output_error(a_L, y, z_L, c, sigma):
    """BP1 for the weighted quadratic cost C_i = 1/2 sum_j c_j (a_j - y_j)^2, batch as rows.

    a_L, y, z_L : (n, n_L), one example per row; a_L = sigma.fn(z_L).
    sigma : the output activation (bplib.sigmoid or bplib.tanh).
    c : (n_L,), the importance of each output node.   Returns (n, n_L).
    """
    ### BEGIN SOLUTION
    return c * (a_L - y) * sigma.prime(z_L)
    ### END SOLUTION
'''
    )
    folded = exercise_cells.exercise_cells(EXERCISES["output_error"], "4.1")[-1].source
    assert (
        "```python\ndef output_error(a_L, y, z_L, c, sigma):\n"
        "    return c * (a_L - y) * sigma.prime(z_L)\n```"
    ) in folded


def _ruff():
    if shutil.which("ruff"):
        return ["ruff"]
    try:
        import ruff  # noqa: F401
    except ImportError:
        return None
    return [sys.executable, "-m", "ruff"]


def test_generated_code_cells_pass_ruff(tmp_path):
    ruff = _ruff()
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -e .[test])")
    for nn in NOTEBOOK_NUMBERS:
        for cell in exercise_cells.section_cells(nn):
            if (
                cell.cell_type == "code"
                and "nbgrader" in cell.metadata
                and not cell.metadata.nbgrader.get("grade")
            ):
                (tmp_path / f"cell_{cell.id.replace('-', '_')}.py").write_text(cell.source + "\n")
    # F401: the cells import numpy and sigmoid for the student even where the answer needs
    # neither; I001: the documented cell format has no blank line between the two imports.
    # The exercises' names count as defined: a later exercise may call an earlier one of its
    # notebook (08's epoch calls the minibatches of 8.1 and the step of 8.2), defined cells above;
    # so does `Value`, the class that notebook 11's exercises build on, defined in its section 1.
    result = subprocess.run(
        ruff
        + [
            "check",
            "--no-cache",
            "--extend-ignore",
            "F401,I001",
            "--config",
            str(ROOT / "pyproject.toml"),
            "--config",
            f"builtins = {sorted(EXERCISES) + ['Value']!r}",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


# ----------------------------------------------------------------------------
# The real notebooks hold the current cells. These fail after a change to an
# exercise until `tools/exercise_cells.py notebooks/NN_*.ipynb` is run again.
# ----------------------------------------------------------------------------
NOTEBOOKS = Path(os.environ.get("BPLIB_NOTEBOOKS", ROOT / "notebooks"))


def _notebook(nn):
    paths = sorted(NOTEBOOKS.glob(f"{nn}_*.ipynb"))
    if not paths:
        pytest.skip(f"no notebook {nn} in {NOTEBOOKS}")
    return nbformat.read(paths[0], as_version=4)


def _essentials(cell):
    meta = {
        k: v for k, v in cell.metadata.items() if k in ("tags", "nbgrader", "deletable", "editable")
    }
    return {
        "id": cell.get("id"),
        "cell_type": cell.cell_type,
        "source": cell.source,
        "metadata": meta,
    }


@pytest.mark.parametrize("nn", NOTEBOOK_NUMBERS)
def test_notebook_exercise_cells_are_current(nn):
    nb = _notebook(nn)
    have = [_essentials(c) for c in nb.cells if exercise_cells.TAG in c.metadata.get("tags", [])]
    want = [_essentials(c) for c in exercise_cells.section_cells(nn)]
    assert have == want, (
        f"notebook {nn}: run `python tools/exercise_cells.py "
        f"notebooks/{nn}_*.ipynb` to regenerate its exercise cells"
    )


def _lse_rows(Z):
    m = Z.max(axis=1, keepdims=True)
    return m + np.log(np.exp(Z - m).sum(axis=1, keepdims=True))


def test_extra_axis_message_names_the_axis_to_sum():
    """12.1 returning Y * (lse - Z), (n, K) for (n,): the missing sum is over axis 1, the
    classes, not over the examples."""
    fb = check("categorical_cost", lambda Z, Y: Y * (_lse_rows(Z) - Z))
    assert fb.status == "wrong", fb
    assert "sum or mean over axis 1" in fb.message, fb.message
    assert "examples (axis 0)" not in fb.message, fb.message


def test_values_message_says_entry_not_example():
    """ "for example 0.3" read as "example number 0.3" where an example is a data row."""
    fb = check("categorical_cost", lambda Z, Y: 0.37 * Z.sum(axis=1) ** 2 + 0.11)
    assert fb.status == "wrong", fb
    assert "different values: one entry is " in fb.message, fb.message
    assert "for example" not in fb.message, fb.message
