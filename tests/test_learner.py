"""The self-learner's door: `make lab` opens my-course/, made by make_student.py --learner.

Every exercise is unsolved there, its solution is one click away (the folded solution
cell), the rest of the stored outputs are kept, and a learner's own copy is never
overwritten.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("make_student", ROOT / "tools" / "make_student.py")
make_student = importlib.util.module_from_spec(spec)
sys.modules.setdefault("make_student", make_student)
spec.loader.exec_module(make_student)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_learner_version_hides_answers_and_keeps_the_rest(path):
    instructor = nbformat.read(path, as_version=4)
    learner = make_student.learner_version(instructor)
    kept = [c for c in instructor.cells if not make_student.is_predict_check(c)]
    assert len(learner.cells) == len(kept)  # a predict question's asserted outcome is left out
    for before, after in zip(kept, learner.cells):
        if make_student.is_collapsed_solution(before):
            assert after.source == before.source  # the solution, one click away
            assert "<details" in after.source
        elif make_student.is_solution_cell(before):
            assert "### BEGIN SOLUTION" not in after.source
            assert make_student.STUB in after.source or make_student.TEXT_STUB in after.source
        if after.cell_type != "code":
            continue
        tags = before.metadata.get("tags", [])
        if "exercise" in tags or make_student.is_check_cell(before):
            assert after.outputs == []  # a stored "correct" would give the answer away
        elif make_student.is_predict_cell(before):
            assert after.outputs == []  # a stored outcome would spoil the prediction
        elif make_student.needs_answer(before):
            assert after.outputs == []  # a result of the reader's answers, before they write them
        else:
            assert after.outputs == before.outputs  # plots and explorer pictures stay


def test_make_lab_keeps_a_learners_work(tmp_path):
    out = tmp_path / "my-course"
    cmd = [
        sys.executable,
        str(ROOT / "tools" / "make_student.py"),
        "--learner",
        "--keep-existing",
        "--out",
        str(out),
    ]
    subprocess.run(cmd, check=True, capture_output=True)
    mine = out / "03_gradient_descent.ipynb"
    nb = nbformat.read(mine, as_version=4)
    nb.cells[-1].source += "\n\nMy own note."
    nbformat.write(nb, mine)
    (out / "05_output_error.ipynb").unlink()
    result = subprocess.run(cmd, check=True, capture_output=True, text=True)
    assert "My own note." in mine.read_text()
    assert "03_gradient_descent.ipynb  (kept" in result.stdout
    assert (out / "05_output_error.ipynb").exists()  # a deleted one is made afresh


@pytest.mark.slow
def test_learner_version_runs_with_every_check_not_attempted(tmp_path):
    path = ROOT / "notebooks" / "05_output_error.ipynb"
    learner = make_student.learner_version(nbformat.read(path, as_version=4))
    NotebookClient(learner, timeout=120, resources={"metadata": {"path": str(tmp_path)}}).execute()
    statuses = make_student.check_statuses(learner)
    assert statuses and set(statuses.values()) == {"not attempted"}, statuses
