"""The exercise checkers: right answers pass, and each named bug is named.

Each buggy function below is written the way a student would write it, not
taken from the checker's own variants, so a test proves that a real mistake is
recognised.
"""
import numpy as np
import pytest

from bplib import sigmoid
from bplib.exercises import BROKEN_BACKPROP_SOURCE, EXERCISES, Feedback, check, hint

sig, sigp = sigmoid.fn, sigmoid.prime


@pytest.fixture(autouse=True)
def _not_grading(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)


# ----------------------------------------------------------------------------
# Generic behaviour, for every exercise
# ----------------------------------------------------------------------------
NAMES = list(EXERCISES)


def test_registry_covers_notebooks_01_to_08():
    per_notebook = {}
    for ex in EXERCISES.values():
        per_notebook.setdefault(ex.notebook, []).append(ex.name)
    assert sorted(per_notebook) == ["01", "02", "03", "04", "05", "06", "07", "08"]
    assert all(1 <= len(v) <= 3 for v in per_notebook.values())


@pytest.mark.parametrize("name", NAMES)
def test_reference_solution_passes(name):
    fb = check(name, EXERCISES[name].reference)
    assert fb.passed and fb.status == "correct" and fb.bug is None, repr(fb)
    assert repr(fb).startswith(f"{name}: correct.")


@pytest.mark.parametrize("name", NAMES)
def test_solution_cell_source_defines_a_passing_function(name):
    ex = EXERCISES[name]
    assert "### BEGIN SOLUTION" in ex.source and "### END SOLUTION" in ex.source
    namespace = {}
    exec(ex.source, namespace)
    assert check(name, namespace[name]).passed


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

    fb = check(name, _define(name, f"return nan_like(reference({_args(name)}))",
                             {"nan_like": nan_like}))
    assert fb.status == "error" and "NaN" in fb.message


@pytest.mark.parametrize("name", NAMES)
def test_wrong_shape_gives_a_friendly_message(name):
    def extra_axis(x):
        if isinstance(x, (list, tuple)):
            return list(x)[:-1]          # one value too few
        return np.asarray(x)[..., None]  # one axis too many

    fb = check(name, _define(name, f"return extra_axis(reference({_args(name)}))",
                             {"extra_axis": extra_axis}))
    assert fb.status == "wrong" and fb.bug == "shape", repr(fb)
    assert "the answer is" in fb.message


@pytest.mark.parametrize("name", [n for n in NAMES if n != "sgd_update"])
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


def test_wrong_values_without_a_known_bug_show_an_example_and_a_hint():
    fb = check("output_error", lambda a_L, y, z_L: (a_L - y) * sigp(z_L) + 0.1)
    assert fb.status == "wrong" and fb.bug is None
    assert "for example" in fb.message and fb.hints == EXERCISES["output_error"].hints[:1]
    assert "Hint: " in repr(fb) and "<details" in fb._repr_html_()


def test_constant_factor_is_reported():
    fb = check("bias_gradient", lambda delta: 3 * delta.mean(axis=0))
    assert fb.status == "wrong" and "3 times the right one" in fb.message


def test_right_only_for_equal_widths_is_caught_on_the_second_test():
    # Correct when W is square, wrong otherwise: uses W's row count for the width.
    def backpropagate_error(delta_next, W_next, z, z_next):
        return (delta_next @ W_next) * sigp(z[:, :W_next.shape[0]])

    fb = check("backpropagate_error", backpropagate_error)
    assert fb.status in ("wrong", "error") and "second test" in fb.message


def test_state_kept_between_calls_is_reported():
    calls = []

    def bias_gradient(delta):
        calls.append(1)
        return delta.mean(axis=0) + (len(calls) - 1) * 0.5

    fb = check("bias_gradient", bias_gradient)
    assert fb.status == "wrong" and fb.bug == "state"


def test_wrong_number_of_arguments():
    fb = check("output_error", lambda a_L, y: a_L - y)
    assert fb.status == "error" and "3 arguments" in fb.message


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
    for i, item in enumerate(EXERCISES["backpropagate_error"].hints, 1):
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
    with pytest.raises(AssertionError, match="next layer's z"):
        check("backpropagate_error", lambda d, W, z, zn: (d @ W) * sigp(zn))
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
        g = buffer.setdefault(delta.shape + a_prev.shape, np.zeros((delta.shape[1], a_prev.shape[1])))
        g += delta.T @ a_prev / delta.shape[0]   # never reset between calls
        return g
    return weight_gradient


def _accumulating_bias_gradient():
    total = [0.0]

    def bias_gradient(delta):
        total[0] = total[0] + delta.mean(axis=0)
        return total[0]
    return bias_gradient


def _accumulating_backprop():
    grads = {}

    def backprop(weights, biases, X, Y):
        L = len(weights)
        zs, acts = [None], [X]
        for W, b in zip(weights, biases):
            zs.append(acts[-1] @ W.T + b)
            acts.append(sig(zs[-1]))
        key = tuple(W.shape for W in weights)
        if key not in grads:  # buffers created once, like a layer's .grad, never zeroed
            grads[key] = ([np.zeros_like(W) for W in weights], [np.zeros_like(b) for b in biases])
        grad_W, grad_b = grads[key]
        delta = (acts[L] - Y) * sigp(zs[L])
        for l in range(L, 0, -1):
            grad_b[l - 1] += delta.mean(axis=0)
            grad_W[l - 1] += delta.T @ acts[l - 1] / X.shape[0]
            if l > 1:
                delta = (delta @ weights[l - 1]) * sigp(zs[l - 1])
        return [g.copy() for g in grad_W], [g.copy() for g in grad_b]
    return backprop


def _student_backprop(bug):
    """backprop as a student might write it, with one mistake."""
    def backprop(weights, biases, X, Y):
        L = len(weights)
        zs, acts = [None], [X]
        for W, b in zip(weights, biases):
            zs.append(acts[-1] @ W.T + b)
            acts.append(sig(zs[-1]))
        n = X.shape[0]
        grad_W, grad_b = [None] * L, [None] * L
        if bug == "sign":
            delta = (Y - acts[L]) * sigp(zs[L])
        elif bug == "factor_2":
            delta = 2 * (acts[L] - Y) * sigp(zs[L])
        elif bug == "no_prime_output":
            delta = acts[L] - Y
        else:
            delta = (acts[L] - Y) * sigp(zs[L])
        for l in range(L, 0, -1):
            grad_b[l - 1] = np.sum(delta, axis=0) if bug == "no_mean_b" else np.mean(delta, axis=0)
            grad_W[l - 1] = delta.T @ acts[l - 1] if bug == "no_mean_W" else delta.T @ acts[l - 1] / n
            if l > 1:
                if bug == "next_z":
                    delta = (delta @ weights[l - 1]) * sigp(zs[l])
                elif bug == "no_prime_hidden":
                    delta = delta @ weights[l - 1]
                elif bug == "no_transpose":
                    delta = (delta @ weights[l - 1].T) * sigp(zs[l - 1])
                else:
                    delta = (delta @ weights[l - 1]) * sigp(zs[l - 1])
        return grad_W, grad_b
    return backprop


def _sgd_rebinding(weights, biases, grad_W, grad_b, eta):
    for W, gW in zip(weights, grad_W):
        W = W - eta * gW          # rebinds the name; the list keeps the old array
    for b, gb in zip(biases, grad_b):
        b = b - eta * gb
    return weights, biases


def _descend(sign=-1, steps_delta=0, stale=False):
    def descend(grad_C, theta0, eta, steps):
        theta = theta0
        g = grad_C(theta0)
        for _ in range(steps + steps_delta):
            if not stale:
                g = grad_C(theta)
            theta = theta + sign * eta * g
        return theta
    return descend


STUDENT_BUGS = {
    # 01
    ("batch_cost", "factor_2"): lambda A, Y: np.mean(np.sum((A - Y) ** 2, axis=1)),
    ("batch_cost", "no_mean"): lambda A, Y: 0.5 * np.sum((A - Y) ** 2),
    ("batch_cost", "mean_all"): lambda A, Y: np.mean((A - Y) ** 2) / 2,
    ("batch_cost", "not_squared"): lambda A, Y: np.mean(np.sqrt(np.sum((A - Y) ** 2, axis=1))) / 2,
    ("batch_cost", "per_row"): lambda A, Y: 0.5 * ((A - Y) ** 2).sum(axis=1),
    ("cost_gradient", "factor_2"): lambda a, y: 2 * (a - y),
    ("cost_gradient", "stray_half"): lambda a, y: (a - y) / 2,
    ("cost_gradient", "sign"): lambda a, y: y - a,
    ("cost_gradient", "squared"): lambda a, y: 0.5 * (a - y) ** 2,
    ("cost_gradient", "squared_no_half"): lambda a, y: (a - y) * (a - y),
    # 02
    ("gd_step", "added"): lambda theta, grad, eta: theta + eta * grad,
    ("gd_step", "no_eta"): lambda theta, grad, eta: theta - grad,
    ("gd_step", "divided_by_eta"): lambda theta, grad, eta: theta - grad / eta,
    ("gd_step", "step_only"): lambda theta, grad, eta: -eta * grad,
    ("descend", "added"): _descend(sign=+1),
    ("descend", "stale_gradient"): _descend(stale=True),
    ("descend", "one_step_short"): _descend(steps_delta=-1),
    ("descend", "one_step_extra"): _descend(steps_delta=+1),
    # 03
    ("dC_dw", "no_sigma_prime"): lambda a_prev, w, b, y: a_prev * 2 * (sig(w * a_prev + b) - y),
    ("dC_dw", "sigma_not_prime"):
        lambda a_prev, w, b, y: a_prev * sig(w * a_prev + b) * 2 * (sig(w * a_prev + b) - y),
    ("dC_dw", "prime_of_a"):
        lambda a_prev, w, b, y: a_prev * sigp(sig(w * a_prev + b)) * 2 * (sig(w * a_prev + b) - y),
    ("dC_dw", "stray_half"):
        lambda a_prev, w, b, y: a_prev * sigp(w * a_prev + b) * (sig(w * a_prev + b) - y),
    ("dC_dw", "sign"):
        lambda a_prev, w, b, y: a_prev * sigp(w * a_prev + b) * 2 * (y - sig(w * a_prev + b)),
    ("dC_dw", "dC_db"): lambda a_prev, w, b, y: sigp(w * a_prev + b) * 2 * (sig(w * a_prev + b) - y),
    ("dC_dw", "dC_da_prev"):
        lambda a_prev, w, b, y: w * sigp(w * a_prev + b) * 2 * (sig(w * a_prev + b) - y),
}


def _chain(a0, w1, b1, w2, b2):
    z1 = w1 * a0 + b1
    a1 = sig(z1)
    z2 = w2 * a1 + b2
    return z1, a1, z2, sig(z2)


def _dw_prev(expr):
    def dC_dw_prev(a0, w1, b1, w2, b2, y):
        z1, a1, z2, a2 = _chain(a0, w1, b1, w2, b2)
        return eval(expr)
    return dC_dw_prev


STUDENT_BUGS.update({
    ("dC_dw_prev", "next_z"): _dw_prev("a0 * sigp(z2) * w2 * sigp(z2) * 2 * (a2 - y)"),
    ("dC_dw_prev", "no_w"): _dw_prev("a0 * sigp(z1) * sigp(z2) * 2 * (a2 - y)"),
    ("dC_dw_prev", "no_inner_prime"): _dw_prev("a0 * w2 * sigp(z2) * 2 * (a2 - y)"),
    ("dC_dw_prev", "no_outer_prime"): _dw_prev("a0 * sigp(z1) * w2 * 2 * (a2 - y)"),
    ("dC_dw_prev", "stray_half"): _dw_prev("a0 * sigp(z1) * w2 * sigp(z2) * (a2 - y)"),
    ("dC_dw_prev", "sign"): _dw_prev("a0 * sigp(z1) * w2 * sigp(z2) * 2 * (y - a2)"),
    ("dC_dw_prev", "last_weight"): _dw_prev("a1 * sigp(z2) * 2 * (a2 - y)"),
    # 04
    ("output_error", "no_sigma_prime"): lambda a_L, y, z_L: a_L - y,
    ("output_error", "sigma_not_prime"): lambda a_L, y, z_L: (a_L - y) * sig(z_L),
    ("output_error", "prime_of_a"): lambda a_L, y, z_L: (a_L - y) * sigp(a_L),
    ("output_error", "factor_2"): lambda a_L, y, z_L: 2 * (a_L - y) * sigp(z_L),
    ("output_error", "sign"): lambda a_L, y, z_L: (y - a_L) * sigp(z_L),
    ("output_error", "matmul"): lambda a_L, y, z_L: (a_L - y) @ sigp(z_L).T,
    ("output_error_cross_entropy", "kept_sigma_prime"): lambda a_L, y, z_L: (a_L - y) * a_L * (1 - a_L),
    ("output_error_cross_entropy", "grad_a_only"): lambda a_L, y, z_L: (a_L - y) / (a_L * (1 - a_L)),
    ("output_error_cross_entropy", "sign"): lambda a_L, y, z_L: -(a_L - y),
    # 05
    ("backpropagate_error", "next_z"): lambda delta_next, W_next, z, z_next:
        (delta_next @ W_next) * sigp(z_next),
    ("backpropagate_error", "no_sigma_prime"): lambda delta_next, W_next, z, z_next:
        delta_next @ W_next,
    ("backpropagate_error", "no_transpose"): lambda delta_next, W_next, z, z_next:
        (W_next @ delta_next.T).T * sigp(z),
    ("backpropagate_error", "sigma_not_prime"): lambda delta_next, W_next, z, z_next:
        (delta_next @ W_next) * sig(z),
    ("backpropagate_error", "next_z+no_transpose"): lambda delta_next, W_next, z, z_next:
        np.dot(delta_next, W_next.T) * sigp(z_next),
    # 06
    ("weight_gradient", "no_mean"): lambda delta, a_prev: delta.T @ a_prev,
    ("weight_gradient", "transposed"): lambda delta, a_prev: a_prev.T @ delta / len(delta),
    ("weight_gradient", "transposed+no_mean"): lambda delta, a_prev: np.einsum("ij,ik->jk", a_prev, delta),
    ("weight_gradient", "accumulate"): _accumulating_weight_gradient(),
    ("bias_gradient", "no_mean"): lambda delta: np.sum(delta, axis=0),
    ("bias_gradient", "wrong_axis"): lambda delta: np.mean(delta, axis=1),
    ("bias_gradient", "no_reduction"): lambda delta: delta,
    ("bias_gradient", "mean_all"): lambda delta: np.mean(delta),
    ("bias_gradient", "accumulate"): _accumulating_bias_gradient(),
    # 07
    ("sgd_update", "added"): lambda weights, biases, grad_W, grad_b, eta: (
        [W + eta * g for W, g in zip(weights, grad_W)], [b + eta * g for b, g in zip(biases, grad_b)]),
    ("sgd_update", "no_eta"): lambda weights, biases, grad_W, grad_b, eta: (
        [W - g for W, g in zip(weights, grad_W)], [b - g for b, g in zip(biases, grad_b)]),
    ("sgd_update", "biases_not_updated"): lambda weights, biases, grad_W, grad_b, eta: (
        [W - eta * g for W, g in zip(weights, grad_W)], biases),
    ("sgd_update", "weights_not_updated"): lambda weights, biases, grad_W, grad_b, eta: (
        weights, [b - eta * g for b, g in zip(biases, grad_b)]),
    ("sgd_update", "one_layer_only"): lambda weights, biases, grad_W, grad_b, eta: (
        weights[:-1] + [weights[-1] - eta * grad_W[-1]], biases[:-1] + [biases[-1] - eta * grad_b[-1]]),
    ("sgd_update", "first_layer_only"): lambda weights, biases, grad_W, grad_b, eta: (
        [weights[0] - eta * grad_W[0]] + weights[1:], [biases[0] - eta * grad_b[0]] + biases[1:]),
    ("sgd_update", "unchanged"): _sgd_rebinding,
    # 08
    ("central_difference", "forward"): lambda f, x, eps: (f(x + eps) - f(x)) / eps,
    ("central_difference", "backward"): lambda f, x, eps: (f(x) - f(x - eps)) / eps,
    ("central_difference", "missing_2"): lambda f, x, eps: (f(x + eps) - f(x - eps)) / eps,
    ("central_difference", "sign"): lambda f, x, eps: (f(x - eps) - f(x + eps)) / (2 * eps),
    ("backprop", "accumulate"): _accumulating_backprop(),
})
for _bug in ("next_z", "no_mean_W", "no_mean_b", "no_prime_hidden", "no_prime_output",
             "no_transpose", "sign", "factor_2"):
    STUDENT_BUGS[("backprop", _bug)] = _student_backprop(_bug)


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
    assert fb.message == expected


def test_next_z_message_says_next_layer():
    fb = check("backpropagate_error", STUDENT_BUGS[("backpropagate_error", "next_z")])
    assert "σ′ was evaluated at the next layer's z" in fb.message


def test_broken_backprop_of_the_exercise_has_its_two_bugs_named():
    namespace = {"sigmoid": sigmoid, "np": np}
    exec(BROKEN_BACKPROP_SOURCE, namespace)
    fb = check("backprop", namespace["backprop_broken"])
    assert fb.status == "wrong" and fb.bug == "next_z+no_mean_W", repr(fb)
    assert fb.message.startswith("This looks like two bugs: (1) BP2 evaluates σ′ at the next")


def test_three_backprop_bugs_at_once_are_all_named():
    def backprop(weights, biases, X, Y):
        grad_W, grad_b = STUDENT_BUGS[("backprop", "next_z")](weights, biases, X, Y)
        return [-g * X.shape[0] for g in grad_W], [-g for g in grad_b]   # + sign, + no 1/n in W

    fb = check("backprop", backprop)
    assert fb.bug == "next_z+no_mean_W+sign", repr(fb)


def test_sgd_update_in_place_is_accepted():
    def sgd_update(weights, biases, grad_W, grad_b, eta):
        for W, gW in zip(weights, grad_W):
            W -= eta * gW
        for b, gb in zip(biases, grad_b):
            b -= eta * gb

    assert check("sgd_update", sgd_update).passed
