"""Notebooks 11 (autodiff) and 12 (softmax): their exercises, and notebook 11 without PyTorch.

- The reference solutions agree with finite differences (and handle what the statements
  promise: zeros in the product, target rows that do not sum to 1).
- Every named bug of the two exercises is diagnosed from a student-style answer.
- Notebook 11 compares with ``torch.autograd`` only where PyTorch is installed, and its stored
  outputs must be the same either way: a fresh kernel in which ``import torch`` fails runs
  the notebook and must reproduce every stored text output (strict nbval does this with
  whatever torch the environment has; this test covers the environment without it).
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

import bplib
from bplib.exercises import EXERCISES, check
from bplib.exercises.nb11_autodiff import product_gradient
from bplib.exercises.nb12_softmax import output_error_any_target

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


STUDENT_BUGS = {
    ("product_gradient", "before_only"): lambda x: np.concatenate([[1.0], np.cumprod(x)[:-1]]),
    ("product_gradient", "after_only"): lambda x: np.array(
        [np.prod(x[i + 1 :]) for i in range(len(x))]
    ),
    ("product_gradient", "with_self"): lambda x: np.full(len(x), np.prod(x)),
    ("product_gradient", "sum_rule"): lambda x: np.ones_like(x),
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
