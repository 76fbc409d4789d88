"""The student versions of the REAL course notebooks (notebooks/NN_*.ipynb).

For every notebook with exercises, one kernel runs, top to bottom:

1. the student version that ``make student`` writes (tools/make_student.py: solutions
   stubbed, folded solutions removed, outputs cleared). No cell may fail, and every
   check cell must report "not attempted";
2. then, in the same kernel, the solution cells put back by
   ``make_student.restore_solutions`` with their check cells, in notebook order. Every
   check must report "correct".

Step 2 runs the restored cells after the student notebook instead of re-running the whole
restored notebook, which saves one full run per notebook. That is sound because a solution
uses only its arguments and the notebook's imports (its check calls it on the checker's own
inputs), so it does not matter that the exercises now sit before the worked code that
confirms them; a later cell that rebinds an exercise's name would make its check fail here. (The instructor
notebooks themselves, solutions in place, are run by strict nbval: `make test-notebooks`.)
With ``pytest -n 2`` the notebooks run two at a time.
"""

from __future__ import annotations

import copy
import importlib.util
import os
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = Path(os.environ.get("BPLIB_NOTEBOOKS", ROOT / "notebooks"))

spec = importlib.util.spec_from_file_location("make_student", ROOT / "tools" / "make_student.py")
make_student = importlib.util.module_from_spec(spec)
sys.modules.setdefault("make_student", make_student)
spec.loader.exec_module(make_student)


def _with_exercises():
    out = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        if any(make_student.is_check_cell(c) for c in nb.cells):
            out.append(path)
    return out


PATHS = _with_exercises()


def test_every_exercise_notebook_is_covered():
    """Every notebook from 01 on has exercises, so all of them are run below."""
    numbers = sorted(p.name[:2] for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert [p.name[:2] for p in PATHS] == [n for n in numbers if n != "00"]


def _exercise_cells(nb):
    """The solution and check cells of ``nb``, in order (copies, outputs cleared)."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code" and (
            make_student.is_solution_cell(cell) or make_student.is_check_cell(cell)
        ):
            cell = copy.deepcopy(cell)
            cell.outputs, cell.execution_count = [], None
            cells.append(cell)
    return cells


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_student_version_runs_then_solutions_pass(path):
    instructor = nbformat.read(path, as_version=4)
    student = make_student.student_version(instructor)
    assert not any("### BEGIN SOLUTION" in c.source for c in student.cells)
    restored = _exercise_cells(make_student.restore_solutions(student, instructor))
    n_student = len(student.cells)

    run = copy.deepcopy(student)
    run.cells = run.cells + restored
    # raises CellExecutionError (with the cell and its traceback) if any cell fails
    NotebookClient(
        run,
        timeout=120,
        kernel_name="python3",
        store_widget_state=False,
        resources={"metadata": {"path": str(path.parent)}},
    ).execute()

    errors = [
        o for c in run.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors
    as_student = copy.deepcopy(run)
    as_student.cells = run.cells[:n_student]
    as_restored = copy.deepcopy(run)
    as_restored.cells = run.cells[n_student:]
    not_attempted = make_student.check_statuses(as_student)
    solved = make_student.check_statuses(as_restored)

    n_checks = sum(make_student.is_check_cell(c) for c in instructor.cells)
    assert len(not_attempted) == len(solved) == n_checks >= 1
    assert set(not_attempted.values()) == {"not attempted"}, (
        f"{path.name}, student version: {not_attempted}"
    )
    assert set(solved.values()) == {"correct"}, f"{path.name}, solutions put back: {solved}"
