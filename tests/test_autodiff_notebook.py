"""Notebooks 11 (autodiff) and 12 (softmax): their exercises, and notebook 11 without PyTorch.

- The reference solutions agree with finite differences (and handle what the statements
  promise: zeros in the product, target rows that do not sum to 1, a quotient x / x and constant
  operands).
- The exercise module's ``Value`` is the notebook's: same code, same gradients.
- Notebook 11's BP2 cell uses the series' indices: j in layer l, k in layer l - 1.
- Every named bug of the two exercises is diagnosed from a student-style answer.
- Notebook 11 compares with ``torch.autograd`` only where PyTorch is installed, and its stored
  outputs must be the same either way: a fresh kernel in which ``import torch`` fails runs
  the notebook and must reproduce every stored text output (strict nbval does this with
  whatever torch the environment has; this test covers the environment without it).
"""

from __future__ import annotations

import copy
import os
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

import bplib
from bplib.exercises import EXERCISES, check, nb11_autodiff
from exercises.reference.nb11_autodiff import autograd_gradients, product_gradient, value_div
from exercises.reference.nb12_softmax import categorical_cost, output_error_any_target

ROOT = Path(__file__).resolve().parents[1]


# --- product_gradient (notebook 11) ---------------------------------------------------
@pytest.mark.parametrize(
    "x",
    [[1.5, -2.0, 0.5, 3.0], [2.0, 0.0, -1.5, 4.0], [0.0, 3.0, 0.0, 2.0], [0.7, -1.3]],
)
def test_product_gradient_is_the_gradient_of_the_product(x):
    x = np.array(x)
    eps = 1e-6
    numeric = np.array(
        [(np.prod(x + eps * e) - np.prod(x - eps * e)) / (2 * eps) for e in np.eye(len(x))]
    )
    got = product_gradient(x)
    assert got.shape == x.shape and np.isfinite(got).all()
    np.testing.assert_allclose(got, numeric, rtol=1e-8, atol=1e-9)


def _quotient(u, v, local_u=None, local_v=None):
    """A division node as a student might build it: constants made nodes, then the value and
    the pairs (parent, local derivative) with the given locals (None: that parent left out)."""
    Value = nb11_autodiff.Value
    u = u if isinstance(u, Value) else Value(u)
    v = v if isinstance(v, Value) else Value(v)
    x, y = u.data, v.data
    pairs = [(u, local_u(x, y))] if local_u else []
    pairs += [(v, local_v(x, y))] if local_v else []
    return Value(x / y, tuple(pairs))


def _over_v(x, y):
    return 1 / y


def _minus_u_over_v2(x, y):
    return -x / (y * y)


def _student_cost(z, y, bug=None, axis=1):
    """categorical_cost as a student might write it (log-sum-exp by hand), one bug switched on."""
    top = np.max(z, axis=axis, keepdims=True)
    log_total = np.log(np.sum(np.exp(z - top), axis=axis, keepdims=True))
    if bug != "no_max_back":
        log_total = log_total + top
    log_p = z - log_total
    return -(y * log_p).sum(axis=1)


STUDENT_BUGS = {
    ("product_gradient", "before_only"): lambda x: np.concatenate([[1.0], np.cumprod(x)[:-1]]),
    ("product_gradient", "after_only"): lambda x: np.array(
        [np.prod(x[i + 1 :]) for i in range(len(x))]
    ),
    ("product_gradient", "with_self"): lambda x: np.full(len(x), np.prod(x)),
    ("product_gradient", "divide"): lambda x: np.prod(x) / x,
    ("product_gradient", "sum_rule"): lambda x: np.ones_like(x),
    ("value_div", "sign_v"): lambda u, v: _quotient(u, v, _over_v, lambda x, y: x / y**2),
    ("value_div", "no_square"): lambda u, v: _quotient(u, v, _over_v, lambda x, y: -x / y),
    ("value_div", "no_u"): lambda u, v: _quotient(u, v, _over_v, lambda x, y: -1 / y**2),
    ("value_div", "u_only"): lambda u, v: _quotient(u, v, _over_v),
    ("value_div", "v_only"): lambda u, v: _quotient(u, v, None, _minus_u_over_v2),
    ("value_div", "swapped"): lambda u, v: _quotient(u, v, _minus_u_over_v2, _over_v),
    ("value_div", "product_locals"): lambda u, v: _quotient(u, v, lambda x, y: y, lambda x, y: x),
    ("value_div", "constant_not_wrapped"): lambda u, v: nb11_autodiff.Value(
        u.data / v.data, ((u, 1 / v.data), (v, -u.data / v.data**2))
    ),
    ("output_error_any_target", "p_minus_y"): lambda p, y: p - y,
    ("output_error_any_target", "diagonal_only"): lambda p, y: p * (1 - p) * (-y / p),
    ("output_error_any_target", "grad_p"): lambda p, y: -y / p,
    ("output_error_any_target", "sign"): lambda p, y: y - p * y.sum(axis=1)[:, None],
    ("output_error_any_target", "normalised_y"): lambda p, y: p - y / y.sum(1, keepdims=True),
    ("output_error_any_target", "batch_total"): lambda p, y: y.sum() * p - y,
    ("output_error_any_target", "class_total"): lambda p, y: p * np.sum(y, axis=0) - y,
    ("output_error_any_target", "times_total"): lambda p, y: (p - y) * y.sum(1)[:, None],
    ("output_error_any_target", "no_kronecker"): lambda p, y: p * np.sum(y, axis=1, keepdims=True),
    ("categorical_cost", "shift_not_added_back"): lambda z, y: _student_cost(z, y, "no_max_back"),
    ("categorical_cost", "sign"): lambda z, y: -_student_cost(z, y),
    ("categorical_cost", "over_examples"): lambda z, y: _student_cost(z, y, axis=0),
    ("categorical_cost", "batch_total"): lambda z, y: _student_cost(z, y).sum(),
}


def _autograd_student(*bugs):
    """autograd_gradients as a student might write it: the parameters as object arrays of
    Values, so that numpy's @ builds the graph one product at a time; each of ``bugs``
    switches on one named mistake."""
    Value = nb11_autodiff.Value
    as_nodes = np.vectorize(Value, otypes=[object])
    sigmoid = np.vectorize(lambda u: u.sigmoid(), otypes=[object])

    def autograd_gradients(W, b1, b2, X):
        W_nodes, b1_nodes, b2_nodes = as_nodes(W), as_nodes(b1), as_nodes(b2)
        W_hidden = W.astype(object) if "output_only" in bugs else W_nodes  # numbers: no adjoint
        W_output = W.astype(object) if "hidden_only" in bugs else W_nodes
        if "mean_of_copies" in bugs:  # the output layer's own nodes, averaged with W's below
            W_output = as_nodes(W)
        rows = slice(-1, None) if "last_example" in bugs else slice(None)
        A0 = X[rows].astype(object)
        A1 = sigmoid(A0 @ W_hidden.T + b1_nodes)
        A2 = A1 @ W_output + b2_nodes  # (W^T)^T = W: rows are examples
        if "sigmoid_output" in bugs:
            A2 = sigmoid(A2)
        E = A2 - X[rows]
        half = 1.0 if "no_half" in bugs else 0.5
        C = (E * E).sum() * (half / (1 if "no_mean" in bugs else len(X)))
        if "no_backward" not in bugs:
            C.backward()
        grads = np.vectorize(lambda v: v.grad, otypes=[float])
        grad_W = grads(W_nodes)
        if "mean_of_copies" in bugs:
            grad_W = (grad_W + grads(W_output)) / 2
        return grad_W, grads(b1_nodes), grads(b2_nodes)

    return autograd_gradients


AUTOGRAD_BUGS = (
    "hidden_only",
    "output_only",
    "sigmoid_output",
    "no_half",
    "no_mean",
    "last_example",
    "mean_of_copies",
    "no_backward",
)
STUDENT_BUGS.update({("autograd_gradients", key): _autograd_student(key) for key in AUTOGRAD_BUGS})


# Exercises 11.4 and 12.3: their student-style answers are written once, in test_exercises.py (pytest puts
# this folder on sys.path, so its module is the one pytest collected).
from test_exercises import STUDENT_BUGS as _EVERY_STUDENT_BUG  # noqa: E402
from test_exercises import _student_tied  # noqa: E402

STUDENT_BUGS.update(
    {k: v for k, v in _EVERY_STUDENT_BUG.items() if k[0] in ("softmax_backward", "tied_gradient")}
)
# 11.2's forward loop one index off (before[i] takes x_i): written once, in test_exercises.py
STUDENT_BUGS[("product_gradient", "prefix_with_self")] = _EVERY_STUDENT_BUG[
    ("product_gradient", "prefix_with_self")
]
# ... and its reverse loop one index off (after[i] takes x_i)
STUDENT_BUGS[("product_gradient", "suffix_with_self")] = _EVERY_STUDENT_BUG[
    ("product_gradient", "suffix_with_self")
]


def test_every_named_bug_of_notebooks_10_and_11_has_a_student_style_answer():
    named = {
        (ex.name, bug.key)
        for ex in EXERCISES.values()
        if ex.notebook in ("11", "12")
        for bug in ex.bugs
        if bug.fn is not None
    }
    assert named == set(STUDENT_BUGS)


@pytest.mark.parametrize("name,bug", sorted(STUDENT_BUGS))
def test_named_bug_is_diagnosed(name, bug):
    fb = check(name, STUDENT_BUGS[(name, bug)])
    assert fb.status == "wrong" and fb.bug == bug, repr(fb)


def test_division_answer_is_reported_at_the_zero():
    fb = check("product_gradient", lambda x: np.prod(x) / x)
    assert fb.status == "wrong" and fb.bug == "divide", repr(fb)
    assert "x_2 = 0" in fb.message and "small and ordinary" not in fb.message, repr(fb)


def test_other_nan_answers_are_not_called_a_division():
    def nan_at_first(x):  # right values, except a NaN at entry 1 on every test
        out = np.array([np.prod(np.delete(x, i)) for i in range(len(x))])
        out[0] = np.nan
        return out

    fb = check("product_gradient", nan_at_first)
    assert fb.status == "error" and fb.bug != "divide", repr(fb)


def test_the_statement_counts_n_minus_2_multiplications_per_entry():
    statement = EXERCISES["product_gradient"].statement
    assert "$n - 2$ multiplications" in statement and "$n - 1$ multiplications" not in statement


def _softmax_rows(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def test_categorical_cost_is_minus_log_p_and_finite_on_the_big_row():
    for z, y in EXERCISES["categorical_cost"].cases():
        got = categorical_cost(z, y)
        assert got.shape == (len(z),) and np.isfinite(got).all()
        small = np.abs(z).max(axis=1) < 100
        with np.errstate(divide="ignore"):  # the big rows, compared below
            want = -np.log(np.sum(y * _softmax_rows(z), axis=1))
        np.testing.assert_allclose(got[small], want[small], rtol=1e-12)
    z, y = EXERCISES["categorical_cost"].cases()[-1]
    assert np.isclose(categorical_cost(z, y)[0], 2000 + np.log1p(np.exp(-1)), rtol=1e-14)
    assert check("categorical_cost", lambda z, y: _student_cost(z, y)).passed


def test_categorical_cost_without_the_max_added_back_is_asked_not_told_the_identity():
    """12.1's slip 'subtracted z_max, never added it back' is named, and the message ends with a
    question instead of stating ln sum e^z = z_max + ln sum e^(z - z_max), the fix."""
    fb = check("categorical_cost", lambda z, y: _student_cost(z, y, "no_max_back"))
    assert fb.status == "wrong" and fb.bug == "shift_not_added_back", repr(fb)
    assert "= z_max +" not in fb.message and fb.message.endswith("?"), fb.message


def test_product_gradient_with_x_i_in_the_reverse_product_is_named():
    """11.2's reverse loop one index off (after[i] takes x_i): the slip is named, not reported
    as 'one entry is ... where the answer has ...', and the message asks where the product starts."""
    fb = check("product_gradient", STUDENT_BUGS[("product_gradient", "suffix_with_self")])
    assert fb.status == "wrong" and fb.bug == "suffix_with_self", repr(fb)
    assert "include x_i itself" in fb.message and fb.message.endswith("?"), fb.message
    assert "x[i + 1]" not in fb.message and "where the answer has" not in fb.message


@pytest.mark.parametrize(
    "naive",
    [
        lambda z, y: -np.sum(y * np.log(_softmax_rows(z)), axis=1),  # ln 0 on the big row
        lambda z, y: np.sum(y * (np.log(np.exp(z).sum(1, keepdims=True)) - z), axis=1),  # overflow
    ],
)
def test_categorical_cost_unshifted_or_log_of_softmax_is_told_about_the_big_row(naive):
    with np.errstate(all="ignore"):
        fb = check("categorical_cost", naive)
    assert fb.status == "error" and "(1000, 999, −1000)" in fb.message and "ln 0" in fb.message


def test_categorical_cost_is_not_answered_above_its_exercise():
    nb = nbformat.read(ROOT / "notebooks" / "12_softmax.ipynb", as_version=4)
    above = _sources_above(nb, "ex12-categorical_cost-statement")
    for answer in ("log-sum-exp", r"\ln D - z", "z_max", "log_D", r"z_{\max}"):
        assert answer not in above, answer
    ids = [c.id for c in nb.cells]
    assert (
        ids.index("ex12-categorical_cost-solution")
        < ids.index("nb12-cost-md")
        < ids.index("nb12-cost")
    )


def _quadratic_prod(x):
    return np.array([np.prod(np.delete(x, i)) for i in range(len(x))])


def _quadratic_loop(x):
    out = np.ones(len(x))
    for i in range(len(x)):
        p = 1.0
        for j in range(len(x)):
            if j != i:
                p = p * x[j]
        out[i] = p
    return out


@pytest.mark.parametrize("answer", [_quadratic_prod, _quadratic_loop])
def test_quadratic_time_answer_is_not_yet_accepted(answer):
    fb = check("product_gradient", answer)
    assert fb.status == "wrong" and fb.bug == "quadratic", repr(fb)
    assert fb.message.startswith("Not yet: n² multiplications") and "Traceback" not in repr(fb)


def test_guarded_division_is_not_yet_accepted():
    def product_gradient_dividing(x):  # right values: it divides only where x_i is not 0
        p = np.prod(x)
        return np.array(
            [p / x[i] if x[i] != 0 else np.prod(np.delete(x, i)) for i in range(len(x))]
        )

    fb = check("product_gradient", product_gradient_dividing)
    assert fb.status == "wrong" and fb.bug == "division", repr(fb)
    assert fb.message.startswith("Not yet: your function divides"), repr(fb)


def _two_passes_cumprod(x):  # O(n) with numpy on the reader's own array type
    before = np.concatenate([[1.0], np.cumprod(x)[:-1]])
    after = np.concatenate([np.cumprod(x[::-1])[::-1][1:], [1.0]])
    return before * after


def _two_passes_object(x):  # O(n) in object arrays all the way: three multiplications per entry
    before, after = np.ones_like(x), np.ones_like(x)
    for i in range(1, len(x)):
        before[i] = before[i - 1] * x[i - 1]
    for i in range(len(x) - 2, -1, -1):
        after[i] = after[i + 1] * x[i + 1]
    return before * after


@pytest.mark.parametrize("answer", [product_gradient, _two_passes_cumprod, _two_passes_object])
def test_linear_answers_pass_and_are_counted(answer):
    fb = check("product_gradient", answer)
    assert fb.passed and "O(n) multiplications (counted" in fb.message, repr(fb)
    tally = nb11_autodiff.count_operations(answer)
    assert (
        tally["div"] == 0 and nb11_autodiff.COUNT_N - 1 <= tally["mul"] <= 4 * nb11_autodiff.COUNT_N
    )


def test_answer_that_converts_to_floats_passes_but_is_not_said_to_be_counted():
    def converting(x):
        return _two_passes_cumprod(np.asarray(x, dtype=float))

    fb = check("product_gradient", converting)
    assert fb.passed and "could not count" in fb.message, repr(fb)


def test_counting_numbers_count_products_and_quotients_and_not_sums():
    tally = {"mul": 0, "div": 0}
    a, b = nb11_autodiff._Counted(2.0, tally), nb11_autodiff._Counted(3.0, tally)
    c = (a * b + 1.0 - a) * 2.0
    d = 1.0 / (3.0 * c) / b
    assert float(c) == 10.0 and abs(float(d) - 1 / 90) < 1e-15
    assert tally == {"mul": 3, "div": 2}


# --- value_div (notebook 11) -------------------------------------------------------------
@pytest.mark.parametrize("case", range(len(nb11_autodiff.DIV_GRAPHS)))
def test_value_div_results_are_central_differences_of_the_same_expressions(case):
    """What the check stores for the reference, value and adjoints, from the expression on floats."""
    values, graph = nb11_autodiff.DIV_GRAPHS[case]
    leaves = [nb11_autodiff.Value(x) for x in values]
    args = graph(*leaves)
    assert [id(n) for n in nb11_autodiff._inputs(args)] == [id(n) for n in leaves]
    got = nb11_autodiff._div_results(value_div(*args), args)

    def q(*xs):
        u, v = graph(*xs)
        return u / v

    eps = 1e-6
    numeric = []
    for f in (q, lambda *xs: q(*xs) ** 2):
        for i in range(len(values)):
            up, down = list(values), list(values)
            up[i] += eps
            down[i] -= eps
            numeric.append((f(*up) - f(*down)) / (2 * eps))
    np.testing.assert_allclose(got, [q(*values), *numeric], rtol=1e-7, atol=1e-8)


def test_value_div_x_over_x_has_adjoint_zero_and_dunder_division_works():
    Value = nb11_autodiff.Value
    x = Value(1.7)
    q = value_div(x, x)
    q.backward()
    assert q.data == 1.0 and x.grad == 0.0 and len(q.parents) == 2
    w = Value(0.5)
    out = value_div(w, value_div(1.0, w) + 3.0)  # w / (1/w + 3), constants on both sides
    out.backward()
    assert abs(w.grad - (1 / (1 / 0.5 + 3) + 0.5 / (0.5 * 0.5) / (1 / 0.5 + 3) ** 2)) < 1e-12


def test_value_div_a_number_a_bare_constant_and_a_micrograd_style_node_are_explained():
    fb = check("value_div", lambda u, v: u.data / v.data)
    assert fb.status == "error" and "not a node of the graph" in fb.message, repr(fb)

    Value = nb11_autodiff.Value

    def unwrapped(u, v):  # constants left as numbers: a parent that is not a node
        ud = u.data if isinstance(u, Value) else u
        vd = v.data if isinstance(v, Value) else v
        return Value(ud / vd, ((u, 1 / vd), (v, -ud / vd**2)))

    def no_wrap(u, v):  # u.data on a plain number: AttributeError on the constant cases
        return Value(u.data / v.data, ((u, 1 / v.data), (v, -u.data / v.data**2)))

    def v_wrapped_only(u, v):  # right with a constant denominator, stops on 3.0 / x
        v = v if isinstance(v, Value) else Value(v)
        return Value(u.data / v.data, ((u, 1 / v.data), (v, -u.data / v.data**2)))

    for fn in (unwrapped, no_wrap, v_wrapped_only):
        fb = check("value_div", fn)
        assert fb.status == "wrong" and fb.bug == "constant_not_wrapped", (fn.__name__, repr(fb))
        assert "`Value(v)`" in fb.message and "__mul__" in fb.message, repr(fb)
    # the chain factor written into the node (micrograd's out.grad): 0 when the node is made
    fb = check("value_div", lambda u, v: _quotient(u, v, lambda x, y: 0.0, lambda x, y: 0.0))
    assert fb.status == "wrong" and not fb.passed, repr(fb)


def test_value_div_with_no_parents_is_named_even_with_grads_set_by_hand():
    """A node without parents, the adjoints written by hand into u and v: backward reaches nothing."""
    Value = nb11_autodiff.Value

    def by_hand(u, v):
        u = u if isinstance(u, Value) else Value(u)
        v = v if isinstance(v, Value) else Value(v)
        u.grad, v.grad = 1 / v.data, -u.data / v.data**2
        return Value(u.data / v.data)

    fb = check("value_div", by_hand)
    assert fb.status == "wrong" and fb.bug == "no_parents", repr(fb)
    assert "stores no parents" in fb.message and "`q.parents` is empty" in fb.message, repr(fb)
    assert check("value_div", value_div).passed


def test_value_div_through_a_power_or_a_copy_of_u_is_not_a_division_node():
    """`u * v ** -1` (Value knows integer powers) gives the right adjoints through a product
    node; the check asks for the node q = u / v with u and v themselves as its parents."""
    Value = nb11_autodiff.Value
    fb = check("value_div", lambda u, v: u * v**-1)
    assert fb.status == "wrong" and fb.bug == "product_of_power", repr(fb)
    assert "a product node, not a division node with two parents" in fb.message, repr(fb)

    def copied_u(u, v):  # right adjoints, but the parent is a node made from u
        u = u if isinstance(u, Value) else Value(u)
        v = v if isinstance(v, Value) else Value(v)
        return Value(u.data / v.data, ((u + 0.0, 1 / v.data), (v, -u.data / v.data**2)))

    fb = check("value_div", copied_u)
    assert fb.status == "wrong" and fb.bug == "not_two_parents", repr(fb)
    fb = check("value_div", value_div)
    assert fb.passed, repr(fb)


def _notebook_code(name):
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    return {c.id: c.source for c in nb.cells if c.cell_type == "code"}


def test_the_module_value_is_the_notebook_value():
    code = _notebook_code("11_autodiff.ipynb")
    namespace = {}
    exec(code["nb11-value"], namespace)  # the class of section 1 ...
    exec(code["nb11-backward"], namespace)  # ... and its reverse sweep
    results = []
    for Value in (namespace["Value"], nb11_autodiff.Value):
        w, x = Value(0.7), Value(-1.2)
        C = 0.5 * (((w * x + 0.3).sigmoid() - 0.25) * ((w * x + 0.3).sigmoid() - 0.25)) - w
        C = C + (1.0 - w) ** 2 + x**3
        C.backward()
        results.append((C.data, w.grad, x.grad))
    assert results[0] == results[1]


@pytest.mark.parametrize("source", ["notebook", "module"])
def test_value_rsub_and_pow_store_their_local_derivatives(source):
    if source == "module":
        Value = nb11_autodiff.Value
    else:
        namespace = {}
        code = _notebook_code("11_autodiff.ipynb")
        exec(code["nb11-value"], namespace)
        Value = namespace["Value"]
    u = Value(-1.5)
    for v, value, local in ((2.0 - u, 3.5, -1.0), (u**3, -3.375, 3 * 2.25), (u**2, 2.25, -3.0)):
        assert v.data == value and len(v.parents) == 1
        parent, stored = v.parents[0]
        assert parent is u and abs(stored - local) < 1e-15
    with pytest.raises(AssertionError):
        u**0.5


def test_value_without_division_is_named_in_exercise_11_3s_feedback():
    def dividing(W, b1, b2, X):
        Value = nb11_autodiff.Value
        C = sum(Value(w) for w in W.ravel())
        return C / len(X)

    fb = check("autograd_gradients", dividing)
    assert fb.status == "error" and "Value knows +, −, ×" in fb.message, repr(fb)
    assert "1.0 / len(X)" in fb.message


def test_network_cell_checks_the_z_adjoints_with_several_examples():
    code = _notebook_code("11_autodiff.ipynb")["nb11-network"]
    assert "Delta_bp[l] / len(X)" in code and "z_graph" in code


def test_the_bp2_cell_uses_the_series_indices():
    nb = nbformat.read(ROOT / "notebooks" / "11_autodiff.ipynb", as_version=4)
    # exercise 11.3's tied weight is w^1_jk and w^2_kj at once, rightly: the exercises aside
    text = "\n".join(c.source for c in nb.cells if "exercise" not in c.metadata.get("tags", []))
    assert "w^2_{kj}" not in text and "W2[k, j]" not in text and "sum over $k$ in BP2" not in text
    assert r"\delta^1_k = \big(\sum_j w^2_{jk}\, \delta^2_j\big)\, \sigma'(z^1_k)" in text
    assert "W2[j, k] * delta[2][0, j]" in _notebook_code("11_autodiff.ipynb")["nb11-sum"]


# --- autograd_gradients (notebook 11) -------------------------------------------------------
def _tied_cost(W, b1, b2, X):
    """C = 1/n sum_i 1/2 ||a^2_i - x_i||^2 of the tied autoencoder (numpy)."""
    a1 = bplib.sigmoid.fn(X @ W.T + b1)
    a2 = a1 @ W + b2  # W^T a^1 for every row
    return 0.5 * np.mean(np.sum((a2 - X) ** 2, axis=1))


@pytest.mark.parametrize("n_0,n_1,n", [(3, 2, 4), (4, 2, 3), (2, 3, 5), (5, 1, 2)])
def test_autograd_gradients_are_central_differences_of_the_cost(n_0, n_1, n):
    rng = np.random.default_rng(n_0 * 10 + n_1)
    params = [rng.normal(0, 1, (n_1, n_0)), rng.normal(0, 0.5, n_1), rng.normal(0, 0.5, n_0)]
    X = rng.normal(0, 1, (n, n_0))
    grads = autograd_gradients(*params, X)
    eps = 1e-6
    for p, g in zip(params, grads):
        assert g.shape == p.shape
        numeric = np.zeros_like(p)
        for idx in np.ndindex(*p.shape):
            old = p[idx]
            p[idx] = old + eps
            up = _tied_cost(*params, X)
            p[idx] = old - eps
            down = _tied_cost(*params, X)
            p[idx] = old
            numeric[idx] = (up - down) / (2 * eps)
        np.testing.assert_allclose(g, numeric, rtol=1e-6, atol=1e-9)


def _untied(W, b1, b2, X):
    """BP1-BP4 on the same autoencoder with the output layer's weights a separate matrix."""
    sigmas = [None, bplib.sigmoid, bplib.identity]
    return bplib.backprop([None, W, W.T.copy()], [None, b1, b2], sigmas, bplib.quadratic, X, X)


def test_autograd_gradients_are_the_two_layers_bp4_added_as_the_statement_asks():
    """The statement's closing question: grad_W is BP4's gradient of the hidden layer plus the
    transpose of the output layer's, and neither of them alone."""
    for W, b1, b2, X in EXERCISES["autograd_gradients"].cases():
        grad_W, grad_b1, grad_b2 = autograd_gradients(W, b1, b2, X)
        gW, gb = _untied(W, b1, b2, X)
        np.testing.assert_allclose(grad_W, gW[1] + gW[2].T, rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(grad_b1, gb[1], rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(grad_b2, gb[2], rtol=1e-12, atol=1e-14)
        assert np.abs(grad_W - gW[1]).max() > 0.05 and np.abs(grad_W - gW[2].T).max() > 0.05
    text = EXERCISES["tied_gradient"].statement  # the closing question is exercise 11.4
    assert "[None, W, W.T.copy()]" in text and "[None, b1, b2]" in text  # the untied lists
    assert "bplib.backprop(" not in text  # ... but not the call
    assert "gW[2].T" not in EXERCISES["autograd_gradients"].explanation  # 11.4's answer


def test_tied_gradient_passes_the_sum_and_refuses_values_or_no_backprop():
    """11.4's second task (which combination of the untied gradients is the tied one) is
    checked: the right combination passes; 11.3's Value answer, or hand-written numpy with
    no call of bplib.backprop, gives the right numbers and is refused by name."""
    assert check("tied_gradient", _student_tied(lambda g1, g2: g1 + g2.T)).passed
    assert check("tied_gradient", _student_tied(lambda g1, g2: g2.T + g1)).passed
    fb = check("tied_gradient", lambda W, b1, b2, X: autograd_gradients(W, b1, b2, X)[0])
    assert fb.status == "wrong" and fb.bug == "values" and "11.3" in fb.message, repr(fb)
    fb = check("tied_gradient", lambda W, b1, b2, X: _numpy_bp(W, b1, b2, X)[0])
    assert fb.status == "wrong" and fb.bug == "no_backprop", repr(fb)
    assert "`bplib.backprop`" in fb.message


@pytest.mark.parametrize(
    "bugs",
    [
        ("sigmoid_output", "no_mean"),
        ("sigmoid_output", "no_half"),
        ("hidden_only", "no_mean"),
        ("last_example", "no_half", "no_mean"),
        ("no_half", "no_mean"),
    ],
)
def test_two_slips_of_autograd_gradients_at_once_are_both_named(bugs):
    """A sigmoid on the output layer and no 1/n (say) at once: each slip is named, as it is
    alone, not "different values"."""
    fb = check("autograd_gradients", _autograd_student(*bugs))
    assert fb.status == "wrong" and fb.bug == "+".join(bugs), repr(fb)
    messages = {b.key: b.message for b in EXERCISES["autograd_gradients"].bugs}
    if bugs[0] in messages and bugs[0] not in ("no_half", "no_mean"):
        assert messages[bugs[0]] in fb.message, repr(fb)
    for missing, key in (("½", "no_half"), ("1/n", "no_mean")):
        assert (missing in fb.message) == (key in bugs), repr(fb)
    assert "different values" not in fb.message, repr(fb)


def test_autograd_gradients_in_another_style_is_accepted():
    assert check("autograd_gradients", _autograd_student()).passed


def _library_autograd(W, b1, b2, X):
    """Exercise 11.3 answered with bplib's BP1-BP4 on the untied network, the two weights added."""
    gW, gb = _untied(W, b1, b2, X)
    return gW[1] + gW[2].T, gb[1], gb[2]


def _torch_autograd(W, b1, b2, X):
    """Exercise 11.3 answered with torch.autograd."""
    import torch  # noqa: PLC0415

    Wt, b1t, b2t = (torch.tensor(p, requires_grad=True) for p in (W, b1, b2))
    Xt = torch.tensor(X)
    a2 = torch.sigmoid(Xt @ Wt.T + b1t) @ Wt + b2t
    C = 0.5 * ((a2 - Xt) ** 2).sum(1).mean()
    C.backward()
    return Wt.grad.numpy(), b1t.grad.numpy(), b2t.grad.numpy()


def _numpy_bp(W, b1, b2, X):
    """Exercise 11.3 answered with BP1-BP4 written by hand in numpy (derivatives written)."""
    a1 = 1 / (1 + np.exp(-(X @ W.T + b1)))
    delta2 = (a1 @ W + b2 - X) / len(X)
    delta1 = (delta2 @ W.T) * a1 * (1 - a1)
    return delta1.T @ X + (delta2.T @ a1).T, delta1.sum(0), delta2.sum(0)


def _values_then_numpy_bp(W, b1, b2, X):
    """Value nodes made for show, the gradients still from hand-written BP1-BP4."""
    for p in (W, b1, b2):
        [nb11_autodiff.Value(v) for v in np.ravel(p)]
    return _numpy_bp(W, b1, b2, X)


def test_autograd_gradients_not_by_reverse_mode_on_values_is_refused():
    """The three ways around the exercise give the right numbers and are refused, with a
    message and no traceback; the reference (Values, one backward) passes."""
    case = EXERCISES["autograd_gradients"].cases()[1]
    right = autograd_gradients(*case)
    for other in (_library_autograd, _numpy_bp):
        for g, r in zip(other(*case), right):
            np.testing.assert_allclose(g, r, rtol=1e-9, atol=1e-12)
    fb = check("autograd_gradients", _library_autograd)
    assert fb.status == "wrong" and fb.bug == "library" and "`backprop`" in fb.message, repr(fb)
    fb = check("autograd_gradients", _numpy_bp)
    assert fb.status == "wrong" and fb.bug == "not_reverse_mode", repr(fb)
    assert "no Value node" in fb.message, repr(fb)
    fb = check("autograd_gradients", _values_then_numpy_bp)
    assert fb.status == "wrong" and fb.bug == "not_reverse_mode", repr(fb)
    assert "`backward` never ran" in fb.message, repr(fb)
    assert check("autograd_gradients", autograd_gradients).passed


def test_autograd_gradients_with_torch_is_refused():
    pytest.importorskip("torch")
    fb = check("autograd_gradients", _torch_autograd)
    assert fb.status == "wrong" and fb.bug == "library" and "PyTorch" in fb.message, repr(fb)


def test_autograd_gradients_returning_the_nodes_is_explained():
    def nodes(W, b1, b2, X):
        Value = nb11_autodiff.Value
        return [[Value(v) for v in row] for row in W], b1, b2

    fb = check("autograd_gradients", nodes)
    assert fb.status == "error" and ".grad" in fb.message, repr(fb)


def test_section_2s_graph_pasted_is_not_the_answer_of_exercise_11_3():
    """Exercise 11.3's network is not section 2's: its code, copied onto the untied network
    with the two layers' adjoints added, fails the check (section 2 has a sigmoid output)."""
    code = _notebook_code("11_autodiff.ipynb")
    namespace = {}
    for cell in ("nb11-value", "nb11-backward", "nb11-network"):
        exec(code[cell], namespace)

    def pasted(W, b1, b2, X):
        Wv, bv = namespace["as_values"]([None, W, W.T]), namespace["as_values"]([None, b1, b2])
        C = namespace["scalar_cost"](Wv, bv, X, X)
        C.backward()
        gW, gb = namespace["adjoints"](Wv), namespace["adjoints"](bv)
        return gW[1] + gW[2].T, gb[1], gb[2]

    fb = check("autograd_gradients", pasted)
    assert fb.status == "wrong" and fb.bug == "sigmoid_output", repr(fb)


def test_the_tied_autoencoder_is_not_written_above_exercise_11_3():
    """Nothing above the exercise reads one weight in two layers: the sum it asks for is the
    reader's to find."""
    nb = nbformat.read(ROOT / "notebooks" / "11_autodiff.ipynb", as_version=4)
    above = _sources_above(nb, "ex11-autograd_gradients-statement")
    for answer in ("W.T.copy()", "tied", "autoencoder", ".T @ a1", "gW[2].T", "Wv[j][k] * a1"):
        assert answer not in above, answer


def _sources_above(nb, cell_id):
    ids = [c.id for c in nb.cells]
    return "\n".join(c.source for c in nb.cells[: ids.index(cell_id)])


def test_notebook_11_names_no_node_m_and_does_not_answer_its_first_question_early():
    nb = nbformat.read(ROOT / "notebooks" / "11_autodiff.ipynb", as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "m = w * x" not in code and "for m, " not in code and "out[m]" not in code
    above = _sources_above(nb, "nb11-predict1-md").lower()
    for spoiler in ("used twice", "add up", "**adds**"):  # what the question asks
        assert spoiler not in above, spoiler
    prompt = next(c.source for c in nb.cells if c.id == "nb11-predict1-md")
    heading = prompt.splitlines()[0].lower()
    assert "sum" not in heading and "add" not in heading, heading  # nor in its own heading
    assert "has a sum" not in prompt, prompt


def test_notebook_11_shows_the_pytorch_lines_next_to_the_value_lines():
    nb = nbformat.read(ROOT / "notebooks" / "11_autodiff.ipynb", as_version=4)
    side = next(c.source for c in nb.cells if c.id == "nb11-torch-md")
    for line in ("requires_grad=True", "C.backward()", "w.grad", "zero_grad()", "Value(0.8)"):
        assert line in side, line
    torch_cell = next(c for c in nb.cells if c.id == "nb11-torch")
    assert torch_cell.source.count("print(") == 1  # the report, sanitized for nbval (see below)
    assert "assert torch_error < 1e-12" in torch_cell.source


# --- output_error_any_target (notebook 12) ----------------------------------------------
def test_output_error_any_target_is_dC_dz_by_finite_differences():
    rng = np.random.default_rng(11)
    z = rng.normal(0, 1.5, (4, 5))
    y = rng.uniform(0, 1, (4, 5)) * np.array([[0.5], [1.0], [2.0], [3.0]])
    cost = bplib.categorical_cross_entropy
    eps = 1e-6
    numeric = np.zeros_like(z)
    for i, m in np.ndindex(*z.shape):
        e = np.zeros(5)
        e[m] = eps
        up = cost.fn(bplib.softmax.fn(z[i] + e), y[i])
        down = cost.fn(bplib.softmax.fn(z[i] - e), y[i])
        numeric[i, m] = (up - down) / (2 * eps)
    got = output_error_any_target(bplib.softmax.fn(z), y)
    np.testing.assert_allclose(got, numeric, rtol=1e-6, atol=1e-8)


def test_output_error_any_target_is_p_minus_y_for_one_hot_targets():
    rng = np.random.default_rng(12)
    p = bplib.softmax.fn(rng.normal(size=(6, 4)))
    y = np.eye(4)[rng.integers(0, 4, 6)]
    np.testing.assert_allclose(output_error_any_target(p, y), p - y, rtol=0, atol=1e-15)


def test_output_error_any_target_statement_needs_its_own_derivation():
    """Nothing above exercise 12.2 writes its answer: (6) is derived for a one-hot target, and
    the general Jacobian form copied from the notebook fails on a probability that underflowed."""
    nb = nbformat.read(ROOT / "notebooks" / "12_softmax.ipynb", as_version=4)
    above = _sources_above(nb, "ex12-output_error_any_target-statement")
    for answer in (r"p_c \sum_j y_j", r"\sum_j y_j = 1", r"y_c + p_c", "y.sum(", "Σ_j y_j"):
        assert answer not in above, answer

    def jacobian_form(p, y):  # the notebook's J^T grad_p C, row by row
        return np.array([(np.diag(r) - np.outer(r, r)).T @ (-t / r) for r, t in zip(p, y)])

    fb = check("output_error_any_target", jacobian_form)
    assert fb.status == "error" and "NaN" in fb.message, repr(fb)
    zero = EXERCISES["output_error_any_target"].cases()[-1]
    assert (zero[0] == 0).any() and (zero[1][zero[0] == 0] == 0).all()
    assert np.isfinite(output_error_any_target(*zero)).all()


# --- notebook 11 without PyTorch ---------------------------------------------------------
def _texts(nb):
    """The text outputs of every code cell (what strict nbval compares, images aside)."""
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        texts = []
        for o in cell.outputs:
            if o.output_type == "stream":
                texts.append(o.text)
            elif "data" in o:
                texts.append(o.data.get("text/plain", ""))
        out.append("".join(texts))
    return out


@pytest.mark.slow
def test_notebook_10_stores_the_same_outputs_without_torch(tmp_path):
    (tmp_path / "torch.py").write_text('raise ImportError("PyTorch is hidden for this test")\n')
    path = ROOT / "notebooks" / "11_autodiff.ipynb"
    stored = nbformat.read(path, as_version=4)
    nb = copy.deepcopy(stored)
    nb.cells.append(nbformat.v4.new_code_cell("print(torch is None, torch_checked)"))
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = str(tmp_path) + (os.pathsep + old if old else "")
    try:
        NotebookClient(
            nb,
            timeout=300,
            kernel_name="python3",
            resources={"metadata": {"path": str(path.parent)}},
        ).execute()
    finally:
        if old is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = old
    ran = _texts(nb)
    assert ran[-1] == "True False\n"  # the kernel really ran without torch
    report = re.compile(r"PyTorch check: .*")  # as tests/sanitize.cfg replaces it for nbval
    assert [report.sub("PyTorch check: REPORT", t) for t in ran[:-1]] == [
        report.sub("PyTorch check: REPORT", t) for t in _texts(stored)
    ]
    assert "PyTorch is not installed" in "".join(ran)


def test_notebook_11_prints_its_pytorch_check_and_the_sanitizer_knows_it():
    nb = nbformat.read(ROOT / "notebooks" / "11_autodiff.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.id == "nb11-torch")
    assert cell.source.rstrip().endswith("print(torch_report)")
    assert "".join(o.get("text", "") for o in cell.outputs).startswith("PyTorch check: ")
    assert "regex: PyTorch check: .*" in (ROOT / "tests" / "sanitize.cfg").read_text()
    md = next(c for c in nb.cells if c.id == "nb11-torch-md").source
    assert "Jacobian" not in md  # defined only in notebook 12


def test_notebook_11_times_in_section_5_and_counts_without_del():
    nb = nbformat.read(ROOT / "notebooks" / "11_autodiff.ipynb", as_version=4)
    ids = [c.id for c in nb.cells]
    assert ids.index("nb11-s5") < ids.index("nb11-three") < ids.index("nb11-timing")
    assert (
        "reveal(" not in nb.cells[ids.index("nb11-timing")].source
    )  # a measurement, not a question
    assert "del net" not in nb.cells[ids.index("nb11-count")].source


def test_notebook_11_asks_for_the_counts_before_writing_them():
    """The cost question: the reader counts the passes of central differences, forward mode
    and reverse mode; (4)-(6) and their counts come only after the run cell, and the goals
    do not give them either."""
    nb = nbformat.read(ROOT / "notebooks" / "11_autodiff.ipynb", as_version=4)
    ids = [c.id for c in nb.cells]
    order = [ids.index(i) for i in ("nb11-s4", "nb11-predict2-md", "nb11-predict2", "nb11-count")]
    assert order == list(range(order[0], order[0] + 4))
    above = "\n".join(c.source for c in nb.cells[: ids.index("nb11-count") + 1])
    for spoiler in (
        "2N_\\theta",
        "N_\\theta$ sweeps",
        "sweeps in all",
        "one sweep per",
        "\\tag{4}",
    ):
        assert spoiler not in above, spoiler
    run = nb.cells[ids.index("nb11-count")].source
    assert "reveal(prediction, (calls, len(sweeps), 2)" in run
    why = nb.cells[ids.index("nb11-count") + 1].source
    assert why.startswith("### ") and "\\tag{4}" in why and "\\tag{6}" in why
    text = "".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "$P$" not in text and "2P" not in text  # P is notebook 12's batch of softmax outputs


def test_notebook_11_shows_forward_mode_by_hand_after_the_count_reveal():
    """A visible tangent example (f = x y + x, x_dot = 1) after the counts are revealed and
    asserted, never before the question."""
    nb = nbformat.read(ROOT / "notebooks" / "11_autodiff.ipynb", as_version=4)
    ids = [c.id for c in nb.cells]
    assert ids.index("nb11-count-check") + 2 == ids.index("nb11-tangent")
    cell = nb.cells[ids.index("nb11-tangent")]
    assert not cell.metadata.get("jupyter", {}).get("source_hidden", False)
    assert "x_dot, y_dot = 1.0, 0.0" in cell.source and "assert f_dot ==" in cell.source
    assert "f_dot = df/dx = 6.0" in "".join(o.get("text", "") for o in cell.outputs)


def test_notebook_11_types_no_machine_timings():
    """Section 5's timings are asserted floors only: no typed ranges of ratios or microseconds
    that no cell checks."""
    nb = nbformat.read(ROOT / "notebooks" / "11_autodiff.ipynb", as_version=4)
    text = "".join(c.source for c in nb.cells if c.id in ("nb11-timing-after", "nb11-timing"))
    for typed in ("µs", " ms", "10 to 50", "25,000", "2.1 to 2.3", "1 ms"):
        assert typed not in text, typed


def test_notebook_11_cell_ids_carry_its_own_number():
    """Cell ids are nb11-* (or ex11-*, nav-*): none left over from before the renumbering."""
    nb = nbformat.read(ROOT / "notebooks" / "11_autodiff.ipynb", as_version=4)
    stray = [c.id for c in nb.cells if not c.id.startswith(("nb11-", "ex11-", "nav-"))]
    assert not stray, stray


def _section_1_namespace():
    code = _notebook_code("11_autodiff.ipynb")
    namespace = {}
    exec(code["nb11-value"], namespace)  # the class of section 1 ...
    exec(code["nb11-backward"], namespace)  # ... and its reverse sweep
    return namespace


def test_exercises_11_1_and_11_3_use_the_notebooks_own_value():
    """The exercise cells import no Value: after them, `Value` is still the notebook's class, so
    what the reader adds to it (11.1's division) is the class the later cells use; and the check
    of 11.1 builds its graphs from the class the reader's function names."""
    for name in ("value_div", "autograd_gradients"):
        assert "import Value" not in EXERCISES[name].source, name
    namespace = _section_1_namespace()
    own = namespace["Value"]
    for name in ("value_div", "autograd_gradients"):
        exec(EXERCISES[name].source, namespace)
        assert namespace["Value"] is own, name
        assert check(name, namespace[name]).passed, name
    own.__truediv__ = namespace["value_div"]  # as the statement of 11.1 suggests
    w = own(2.0)
    q = w / (1 + w * w)
    q.backward()
    assert isinstance(q, own) and abs(w.grad - (1 - 4.0) / 25.0) < 1e-15


def test_value_div_written_for_the_notebooks_class_is_checked_on_that_class():
    """A reader's value_div that tests `isinstance(u, Value)` against the notebook's class: the
    check's nodes are of that class, so its answer is right (on this module's nodes it would
    wrap every node as a constant and cut the graph)."""
    namespace = _section_1_namespace()
    exec(
        "def value_div(u, v):\n"
        "    u = u if isinstance(u, Value) else Value(u)\n"
        "    v = v if isinstance(v, Value) else Value(v)\n"
        "    return Value(u.data / v.data, ((u, 1 / v.data), (v, -u.data / v.data**2)))\n",
        namespace,
    )
    fb = check("value_div", namespace["value_div"])
    assert fb.passed, repr(fb)
    assert nb11_autodiff._DIV_CLASS[0] is None  # the module's own class again afterwards


def test_notebook_11_draws_its_graph_from_the_value_nodes_and_names_them_without_ids():
    nb = nbformat.read(ROOT / "notebooks" / "11_autodiff.ipynb", as_version=4)
    ids = [c.id for c in nb.cells]
    neuron = nb.cells[ids.index("nb11-neuron")].source
    table = nb.cells[ids.index("nb11-neuron-table")]
    # the first worked example shows only the forward lines, C.backward() and notebook 04's check;
    # the naming bookkeeping sits in the next, collapsed cell
    assert "C.backward()" in neuron and "argument(" not in neuron and len(neuron.splitlines()) <= 15
    assert ids.index("nb11-neuron-table") == ids.index("nb11-neuron") + 1
    assert (
        table.metadata.get("jupyter", {}).get("source_hidden")
        and "skip on a first read" in table.source
    )
    assert not re.search(r"\bid\(", table.source) and "def argument(node, i)" in table.source
    graph = nb.cells[ids.index("nb11-graph")]
    assert ids.index("nb11-neuron") < ids.index("nb11-graph") < ids.index("nb11-neuron-after")
    # computed from the graph itself, with alt text, and shown as a picture
    assert "for u, local in v.parents" in graph.source and "fig.set_label(" in graph.source
    assert any("image/png" in o.get("data", {}) for o in graph.outputs)
    from bplib.plotting import figure_alt, value_graph

    fig = value_graph(
        [("u", 1.0, 2.0, (0, 0), False), ("v", 3.0, 1.0, (1, 0), False)], [(0, 1, 2.0)]
    )
    fig.canvas.draw()
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "2" in texts and any("adjoint 2" in t for t in texts) and figure_alt(fig)


def test_exercise_11_3_leaves_the_two_layer_mapping_to_11_4_and_11_2_hint_1_asks():
    """11.3 is solved with one Value per weight; which entries of the untied gradients a tied
    weight is, and that (2) adds them, is 11.4's to find: not in 11.3's statement or feedback."""
    ex = EXERCISES["autograd_gradients"]
    told = ex.statement + " ".join(b.message for b in ex.bugs) + ex.correct + " ".join(ex.hints)
    for giveaway in (
        "two weights at once",
        "w^2_{kj}",
        "w^1_{jk}",
        "add the",
        "two terms",
        "gW[2]",
    ):
        assert giveaway not in told, giveaway
    hint1 = EXERCISES["product_gradient"].hints[0]
    assert "bcd" not in hint1 and "before" not in hint1 and "p̄_i = ∂p/∂p_i" in hint1
    assert "(bcd, acd, abd, abc)" in EXERCISES["product_gradient"].hints[1]
