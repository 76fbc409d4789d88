"""Notebooks 11 (autodiff) and 12 (softmax): their exercises, and notebook 11 without PyTorch.

- The reference solutions agree with finite differences (and handle what the statements
  promise: zeros in the product, target rows that do not sum to 1, tanh used twice).
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
import math
import os
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

import bplib
from bplib.exercises import EXERCISES, check, nb11_autodiff
from exercises.reference.nb11_autodiff import product_gradient, value_tanh
from exercises.reference.nb12_softmax import output_error_any_target

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


def _node(t, u, local):
    """A tanh node as a student might build it, with the local derivative ``local``."""
    return nb11_autodiff.Value(t, ((u, local),))


STUDENT_BUGS = {
    ("product_gradient", "before_only"): lambda x: np.concatenate([[1.0], np.cumprod(x)[:-1]]),
    ("product_gradient", "after_only"): lambda x: np.array(
        [np.prod(x[i + 1 :]) for i in range(len(x))]
    ),
    ("product_gradient", "with_self"): lambda x: np.full(len(x), np.prod(x)),
    ("product_gradient", "sum_rule"): lambda x: np.ones_like(x),
    ("value_tanh", "tanh_as_local"): lambda u: _node(np.tanh(u.data), u, np.tanh(u.data)),
    ("value_tanh", "one_plus"): lambda u: _node(np.tanh(u.data), u, 1 + np.tanh(u.data) ** 2),
    ("value_tanh", "input_squared"): lambda u: _node(np.tanh(u.data), u, 1 - u.data**2),
    ("value_tanh", "sigmoid_form"): lambda u: _node(
        np.tanh(u.data), u, np.tanh(u.data) * (1 - np.tanh(u.data))
    ),
    ("value_tanh", "one_minus_t"): lambda u: _node(np.tanh(u.data), u, 1 - np.tanh(u.data)),
    # the chain factor written into the node (micrograd's out.grad): 0 when the node is made
    ("value_tanh", "no_parent"): lambda u: _node(
        np.tanh(u.data), u, (1 - np.tanh(u.data) ** 2) * u.grad
    ),
    ("output_error_any_target", "p_minus_y"): lambda p, y: p - y,
    ("output_error_any_target", "diagonal_only"): lambda p, y: p * (1 - p) * (-y / p),
    ("output_error_any_target", "grad_p"): lambda p, y: -y / p,
    ("output_error_any_target", "sign"): lambda p, y: y - p * y.sum(axis=1)[:, None],
}


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
    assert fb.status == "error" and "division by zero" in fb.message, repr(fb)


def test_quadratic_time_answer_is_accepted():
    def product_gradient(x):
        return np.array([np.prod(np.delete(x, i)) for i in range(len(x))])

    assert check("product_gradient", product_gradient).passed


# --- value_tanh (notebook 11) ------------------------------------------------------------
@pytest.mark.parametrize("x", [0.8, -1.5, 0.0, 2.2, -3.0])
def test_value_tanh_gives_the_gradient_of_central_differences(x):
    def f(x):  # a small expression that uses x three times, tanh twice
        u = nb11_autodiff.Value(x)
        return u, u * value_tanh(u * 2.0 + 1.0) + value_tanh(u) * value_tanh(u)

    u, out = f(x)
    out.backward()
    eps = 1e-6
    numeric = (f(x + eps)[1].data - f(x - eps)[1].data) / (2 * eps)
    assert abs(out.data - (x * np.tanh(2 * x + 1) + np.tanh(x) ** 2)) < 1e-14
    assert abs(u.grad - numeric) < 1e-8


def test_value_tanh_named_bug_without_a_parent_and_a_number_instead_of_a_node():
    fb = check("value_tanh", lambda u: nb11_autodiff.Value(np.tanh(u.data)))
    assert fb.status == "wrong" and fb.bug == "no_parent", repr(fb)
    fb = check("value_tanh", lambda u: math.tanh(u.data))
    assert fb.status == "error" and "not a node of the graph" in fb.message, repr(fb)


def _notebook_code(name):
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    return {c.id: c.source for c in nb.cells if c.cell_type == "code"}


def test_the_module_value_is_the_notebook_value():
    code = _notebook_code("11_autodiff.ipynb")
    namespace = {}
    exec(code["nb10-value"], namespace)  # the class of section 1 ...
    exec(code["nb10-backward"], namespace)  # ... and its reverse sweep
    results = []
    for Value in (namespace["Value"], nb11_autodiff.Value):
        w, x = Value(0.7), Value(-1.2)
        C = 0.5 * (((w * x + 0.3).sigmoid() - 0.25) * ((w * x + 0.3).sigmoid() - 0.25)) - w
        C.backward()
        results.append((C.data, w.grad, x.grad))
    assert results[0] == results[1]


def test_the_bp2_cell_uses_the_series_indices():
    nb = nbformat.read(ROOT / "notebooks" / "11_autodiff.ipynb", as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert "w^2_{kj}" not in text and "W2[k, j]" not in text and "sum over $k$ in BP2" not in text
    assert r"\delta^1_k = \big(\sum_j w^2_{jk}\, \delta^2_j\big)\, \sigma'(z^1_k)" in text
    assert "W2[j, k] * delta[2][0, j]" in _notebook_code("11_autodiff.ipynb")["nb10-sum"]


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
    assert ran[:-1] == _texts(stored)
