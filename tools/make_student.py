#!/usr/bin/env python
"""Write the student versions of the notebooks: solutions stubbed, outputs cleared.

    python tools/make_student.py                      # notebooks/NN_*.ipynb -> build/student/
    python tools/make_student.py --out DIR a.ipynb    # chosen notebooks, another folder
    python tools/make_student.py --nbgrader DIR       # nbgrader source: DIR/source/<NN_name>/
    python tools/make_student.py --learner --keep-existing --out my-course   # `make lab`

The notebooks in notebooks/ are the instructor version. Solutions are marked as
nbgrader marks them: a code cell whose metadata has nbgrader.solution = true
holds its solution between ``### BEGIN SOLUTION`` and ``### END SOLUTION``.
The student version

- replaces each such region by ``raise NotImplementedError("write your answer here")``
  at the indentation of the BEGIN line (a solution cell without markers is
  replaced whole), and removes ``### BEGIN HIDDEN TESTS`` regions;
- removes the collapsed solutions: markdown cells tagged "solution" (or holding the
  ``<!-- BEGIN SOLUTION`` delimiter that tools/exercise_cells.py writes around them);
- clears every output and execution count.

``--learner`` writes the self-learner's version that ``make lab`` opens: solutions stubbed
but the collapsed solutions kept (one click away), and the outputs of every cell outside the
exercises, the predict-then-run questions and the cells tagged ``needs-answer`` (cells that run
the reader's answers, such as 10's training with the reader's own backprop) kept. With
``--keep-existing`` a notebook already there is never overwritten.

``--nbgrader`` writes the source version nbgrader expects instead: solutions and
markers kept (nbgrader stubs them itself), collapsed solutions removed so that
``nbgrader generate_assignment`` cannot leak them, outputs cleared.
Other files in the notebooks/ folder (data, images) are copied alongside.
"""

from __future__ import annotations

import argparse
import copy
import re
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
STUB = 'raise NotImplementedError("write your answer here")'
TEXT_STUB = "YOUR ANSWER HERE"
_REGION = re.compile(
    r"^([ \t]*)### BEGIN SOLUTION[ \t]*\n.*?^[ \t]*### END SOLUTION[ \t]*(\n|$)", re.M | re.S
)
_HIDDEN = re.compile(
    r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*\n.*?^[ \t]*### END HIDDEN TESTS[ \t]*"
    r"(\n|$)",
    re.M | re.S,
)
_FOLD = re.compile(r"<!--\s*BEGIN SOLUTION")
_STATUS = re.compile(r"^(\w+): (correct|not attempted|wrong|error)\b")


def nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def is_solution_cell(cell):
    return bool(nbgrader_meta(cell).get("solution")) or "### BEGIN SOLUTION" in cell.source


def is_collapsed_solution(cell):
    """A folded solution: a markdown cell tagged "solution" or holding ``<!-- BEGIN SOLUTION``
    (the delimiter tools/exercise_cells.py writes around it, which keeps nbgrader from
    releasing it), so that a lost tag does not let one through."""
    return cell.cell_type == "markdown" and (
        "solution" in cell.get("metadata", {}).get("tags", []) or bool(_FOLD.search(cell.source))
    )


def is_predict_cell(cell):
    """A code cell of a predict-then-run question (tagged "predict", or ending in
    ``reveal(prediction, ...)``): its stored output holds the outcome, folded but readable."""
    return cell.cell_type == "code" and (
        "predict" in cell.get("metadata", {}).get("tags", []) or "reveal(prediction" in cell.source
    )


def is_predict_check(cell):
    """A predict question's asserted outcome (tagged "predict-check"): it keeps the stored
    answer true when the notebook is regenerated, and names the answer in its source."""
    return "predict-check" in cell.get("metadata", {}).get("tags", [])


def hide_predict_answers(nb):
    """Keep a predict question's answer out of the reader's sight until they have guessed.

    The cell that runs the experiment and calls ``reveal`` says the answer in its source: its
    source is folded (JupyterLab shows a one-line placeholder; Run All still runs it). The
    asserted outcome below it (:func:`is_predict_check`) is for the instructor's notebook and
    is removed."""
    nb.cells = [c for c in nb.cells if not is_predict_check(c)]
    for cell in nb.cells:
        if cell.cell_type == "code" and is_predict_cell(cell) and "reveal(" in cell.source:
            cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
    return nb


def needs_answer(cell):
    """A code cell tagged "needs-answer": it runs the reader's answers (10's training with the
    reader's own backprop), so its stored output is a result the reader has not earned yet."""
    return cell.cell_type == "code" and "needs-answer" in cell.get("metadata", {}).get("tags", [])


def is_check_cell(cell):
    meta = nbgrader_meta(cell)
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def stub_source(source, stub=STUB):
    """Replace each solution region by ``stub``, indented like its BEGIN line."""
    return _REGION.sub(lambda m: m.group(1) + stub + m.group(2), source)


def _clear(cell):
    cell.metadata.pop("execution", None)
    if cell.cell_type == "code":
        cell.outputs, cell.execution_count = [], None


def student_version(nb):
    """A student copy of ``nb``: solutions stubbed, collapsed solutions removed, no outputs."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    cells = []
    for cell in nb.cells:
        if is_collapsed_solution(cell):
            continue
        if is_solution_cell(cell):
            stub = STUB if cell.cell_type == "code" else TEXT_STUB
            stubbed = stub_source(cell.source, stub)
            cell.source = stubbed if stubbed != cell.source else stub
        cell.source = _HIDDEN.sub("", cell.source)
        _clear(cell)
        cells.append(cell)
    nb.cells = cells
    return hide_predict_answers(nb)


def learner_version(nb):
    """A self-learner's copy: every exercise unsolved, its solution one click away.

    Like :func:`student_version`, the solution regions are stubbed, but the collapsed
    solutions (folded in ``<details>``: one click opens them) are kept, and so are the
    stored outputs of every cell outside the exercises, so the plots and the explorers'
    pictures show before anything runs. The exercise cells (tagged ``exercise``), any
    solution or check cell, the predict-then-run cells and the cells tagged ``needs-answer``
    lose their outputs: a stored "correct", a stored outcome or a stored training result would
    give it away.
    """
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    nb.metadata.pop("bplib", None)  # the code hash belongs to the instructor version
    for cell in nb.cells:
        if is_solution_cell(cell) and not is_collapsed_solution(cell):
            stub = STUB if cell.cell_type == "code" else TEXT_STUB
            stubbed = stub_source(cell.source, stub)
            cell.source = stubbed if stubbed != cell.source else stub
        cell.source = _HIDDEN.sub("", cell.source)
        exercise = "exercise" in cell.get("metadata", {}).get("tags", [])
        hides = is_solution_cell(cell) or is_check_cell(cell) or is_predict_cell(cell)
        if exercise or hides or needs_answer(cell):
            _clear(cell)
    return hide_predict_answers(nb)


def nbgrader_source(nb):
    """The nbgrader source version: solutions kept, collapsed solutions removed, no outputs."""
    nb = copy.deepcopy(nb)
    nb.metadata.pop("widgets", None)
    nb.cells = [c for c in nb.cells if not is_collapsed_solution(c)]
    for cell in nb.cells:
        _clear(cell)
    return hide_predict_answers(nb)


def restore_solutions(student_nb, instructor_nb):
    """Put the instructor's solution cells back into a student notebook (matched by grade_id)."""
    solutions = {
        nbgrader_meta(c)["grade_id"]: c.source
        for c in instructor_nb.cells
        if is_solution_cell(c) and "grade_id" in nbgrader_meta(c)
    }
    nb = copy.deepcopy(student_nb)
    for cell in nb.cells:
        grade_id = nbgrader_meta(cell).get("grade_id")
        if is_solution_cell(cell) and grade_id in solutions:
            cell.source = solutions[grade_id]
    return nb


def check_statuses(executed_nb):
    """``{grade_id: status}`` of every check cell of an executed notebook.

    The status is read from the first line of the feedback's text, e.g.
    ``output_error: not attempted yet.``; a check cell without it gets 'missing'.
    """
    out = {}
    for cell in executed_nb.cells:
        if not is_check_cell(cell):
            continue
        status = "missing"
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/plain", "") or output.get("text", "")
            m = _STATUS.match(text if isinstance(text, str) else "".join(text))
            if m:
                status = m.group(2)
                break
        out[nbgrader_meta(cell).get("grade_id", cell.get("id"))] = status
    return out


def _copy_assets(src_dir, out_dir):
    """Copy the files beside the notebooks (data, images), never the output folder itself.

    Only from a course folder named ``notebooks`` (such as this repository's), so that
    converting a notebook that lies in, say, /tmp does not copy all of /tmp.
    """
    if src_dir.resolve().name != "notebooks":
        return
    out_dir = out_dir.resolve()
    for path in src_dir.iterdir():
        if (
            path.name.startswith((".", "__"))
            or path.suffix == ".ipynb"
            or out_dir.is_relative_to(path.resolve())
        ):
            continue
        target = out_dir / path.name
        if path.is_dir():
            shutil.copytree(
                path,
                target,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
            )
        else:
            shutil.copy2(path, target)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/NN_*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "student")
    parser.add_argument(
        "--learner",
        action="store_true",
        help="the self-learner's version: collapsed solutions and other outputs kept",
    )
    parser.add_argument(
        "--keep-existing",
        action="store_true",
        help="never overwrite a notebook already in --out (a learner's own work)",
    )
    parser.add_argument(
        "--nbgrader",
        type=Path,
        metavar="DIR",
        help="write an nbgrader source folder instead: DIR/source/<NN_name>/",
    )
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if args.nbgrader:
            target = args.nbgrader / "source" / path.stem / path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nbgrader_source(nb), target)
            _copy_assets(path.parent, target.parent)
        else:
            args.out.mkdir(parents=True, exist_ok=True)
            target = args.out / path.name
            if args.keep_existing and target.exists():
                print(f"{target}  (kept: it is yours; delete it to start this notebook afresh)")
                continue
            version = learner_version if args.learner else student_version
            nbformat.write(version(nb), target)
        n = sum(is_solution_cell(c) for c in nb.cells)
        print(f"{target}  ({n} solution cell{'s' * (n != 1)})")
    if not args.nbgrader:
        _copy_assets(paths[0].parent, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
