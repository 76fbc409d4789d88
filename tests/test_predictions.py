"""The predict-then-run questions of notebooks 02-09 and their helper, bplib.exercises.predict."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

from bplib.exercises.predict import ASK, reveal

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0[2-9]_*.ipynb"))

spec = importlib.util.spec_from_file_location("make_student", ROOT / "tools" / "make_student.py")
make_student = importlib.util.module_from_spec(spec)
sys.modules.setdefault("make_student", make_student)
spec.loader.exec_module(make_student)


@pytest.mark.parametrize(
    "prediction, actual, status",
    [
        (None, "rises", "not predicted"),
        ("Rises ", "rises", "right"),
        ("falls", "rises", "wrong"),
        ({2, 1}, {1, 2}, "right"),
        ([1, 2], {1, 2}, "right"),
        ({3}, {1, 2}, "wrong"),
        (3, {3}, "right"),
        (0, 0.0, "right"),
        (0.5, 0.0, "wrong"),
        ("four", 4.0, "wrong"),  # not a number: wrong, never an exception
        (object(), "rises", "wrong"),
        (float("nan"), 1.0, "wrong"),
    ],
)
def test_reveal_never_raises_and_judges(prediction, actual, status):
    r = reveal(prediction, actual, "what happened", "why")
    assert r.status == status
    text, page = repr(r), r._repr_html_()
    assert "What happened: what happened" in text and "Why: why" in text
    assert "what happened" in page
    if status == "not predicted":
        assert text.startswith(ASK) and "<details>" in page  # folded until predicted
    else:
        assert text.startswith("You predicted") and "<details>" not in page


def _predictions(nb):
    cells = nb.cells
    return [
        (cells[i], cells[i + 1])
        for i, c in enumerate(cells[:-1])
        if c.cell_type == "code" and c.source.startswith("prediction = None")
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_every_notebook_has_a_prediction_and_its_stored_outcome_reads_alone(path):
    nb = nbformat.read(path, as_version=4)
    pairs = _predictions(nb)
    assert 1 <= len(pairs) <= 2
    for guess, run in pairs:
        assert "# your guess" in guess.source  # the placeholder says what to write
        assert "reveal(prediction," in run.source and "nbgrader" not in run.metadata
        assert "nbgrader" not in guess.metadata  # never graded
        (out,) = [o for o in run.outputs if o.output_type == "execute_result"]
        assert out["data"]["text/plain"].startswith(ASK)
        assert "What happened:" in out["data"]["text/plain"]
        assert "<details>" in out["data"]["text/html"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_student_version_keeps_the_prediction_cells(path):
    nb = nbformat.read(path, as_version=4)
    student = make_student.student_version(nbformat.read(path, as_version=4))
    sources = [c.source for c in student.cells]
    for guess, run in _predictions(nb):
        assert guess.source in sources and run.source in sources
