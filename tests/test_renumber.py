"""tools/renumber.py: what it rewrites when notebook 05 and the later ones move up by one."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("renumber", ROOT / "tools" / "renumber.py")
renumber = importlib.util.module_from_spec(spec)
spec.loader.exec_module(renumber)

STEMS = {"cost", "output_error", "backpropagating_error", "training"}


@pytest.mark.parametrize(
    "before, after",
    [
        ("notebooks/05_backpropagating_error.ipynb", "notebooks/06_backpropagating_error.ipynb"),
        (
            "bplib/exercises/nb05_backpropagating_error.py",
            "bplib/exercises/nb06_backpropagating_error.py",
        ),
        ("notebooks/02_cost.ipynb", "notebooks/02_cost.ipynb"),  # before 05: stays
        ('notebook="05"', 'notebook="06"'),
        ('notebook="04"', 'notebook="04"'),
        ('"grade_id": "ex07-minibatches-check"', '"grade_id": "ex08-minibatches-check"'),
        ('("05", "recursion", "depth_explorer")', '("06", "recursion", "depth_explorer")'),
        ('if ex.notebook in ("10", "11")', 'if ex.notebook in ("11", "12")'),
        ("see notebook 05 and notebook 02", "see notebook 06 and notebook 02"),
        ("Notebooks 04, 05 and 06", "Notebooks 04, 06 and 07"),
        ("notebooks 01–08", "notebooks 01–09"),
        ("notebook 07's kernel", "notebook 08's kernel"),  # shifted once, not twice
        ("as in 07's explorers", "as in 08's explorers"),
        ("Exercise 5.1 and 6.2", "Exercise 6.1 and 7.2"),
        ("exercise 4.1", "exercise 4.1"),
        ("# 05 · Backpropagating the error", "# 06 · Backpropagating the error"),
        ("z = 0.05 * x", "z = 0.05 * x"),  # numbers that are not notebooks
    ],
)
def test_rewrite(before, after):
    assert renumber.rewriter(5, STEMS)(before) == after
