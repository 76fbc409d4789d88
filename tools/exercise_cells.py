#!/usr/bin/env python
"""Build or insert the exercise cells of a notebook from the registry in bplib.exercises.

    python tools/exercise_cells.py notebooks/05_output_error.ipynb   # insert / update in place
    python tools/exercise_cells.py --print 04                          # show the cells

The cells follow docs/exercise_cells.md: an "Exercises" heading and one import
cell, then for each exercise a statement (markdown), a solution cell (nbgrader
"autograded answer", the solution between ### BEGIN SOLUTION / ### END
SOLUTION), a one-line check cell (nbgrader "autograder tests", locked, 1 point)
and a collapsed solution (a markdown cell tagged "solution" whose text is folded
in <details>; removed from the student version). Every generated cell is tagged "exercise", so running this
again replaces each exercise where it sits (an exercise moved next to the section it needs stays
there). A notebook without exercises gets them just before its "Summary" heading; a new exercise
goes after the last one already in the notebook.
Run tools/run_notebooks.py on the notebook afterwards to store the outputs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import exercises.reference  # noqa: E402, F401 - attaches the solutions (not installed)
from bplib.exercises import exercises_for  # noqa: E402

TAG = "exercise"
IMPORT = "from bplib.exercises import check, hint"
# The folded solution sits between nbgrader's own solution delimiters, written as HTML comments
# (invisible wherever the markdown is rendered). The cell is deliberately *not* an nbgrader
# solution cell (nbgrader allows a markdown solution cell only as a graded answer), so plain
# nbgrader's generate_assignment finds a solution region outside a solution cell and refuses
# to release the notebook, printing the cell, whose first line says what to do instead; with
# ClearSolutions.enforce_metadata = False it replaces the region by its stub. Either way the
# folded solution is never released (tests/test_nbgrader.py). "###" is left out on purpose:
# tools/make_student.py reads "### BEGIN SOLUTION" as a code solution region.
FOLD_BEGIN = (
    "<!-- BEGIN SOLUTION (folded, for self-learners; nbgrader refuses to release it: make the "
    "graded course with `python deploy/course.py nbgrader DIR`, see the README) -->"
)
FOLD_END = "<!-- END SOLUTION -->"


def nbgrader(grade_id, *, solution=False, grade=False, locked=False, points=None):
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": 3,
        "solution": solution,
        "task": False,
    }
    if points is not None:
        meta["points"] = points
    return meta


def _md(cell_id, source, tags=(TAG,), **meta):
    cell = new_markdown_cell(source, metadata={"tags": list(tags), **meta})
    cell.id = cell_id  # fixed ids: regenerating gives the same file
    return cell


def _code(cell_id, source, tags=(TAG,), **meta):
    cell = new_code_cell(source, metadata={"tags": list(tags), **meta})
    cell.id = cell_id
    return cell


def solution_code(ex):
    """The def line and the solution body, without markers or docstring (for reading)."""
    body = ex.source.split("### BEGIN SOLUTION\n", 1)[1].split("    ### END SOLUTION", 1)[0]
    return f"def {ex.name}({', '.join(ex.params)}):\n{body.rstrip()}"


def exercise_cells(ex, number):
    """The cells of one exercise; ``number`` is e.g. "4.1"."""
    cid = f"ex{ex.notebook}-{ex.name}"
    cells = [
        _md(
            f"{cid}-statement",
            f"### Exercise {number}: {ex.title}\n\n{ex.statement}\n\n"
            f'Stuck? Run `hint("{ex.name}")` in a new cell.',
        )
    ]
    if ex.broken is not None:  # read-only code the student fixes (08 backprop)
        cells.append(
            _code(
                f"{cid}-broken",
                ex.broken_source.rstrip("\n"),
                nbgrader=nbgrader(f"{cid}-broken", locked=True),
                deletable=False,
                editable=False,
            )
        )
    cells.append(_code(cid, ex.source.rstrip("\n"), nbgrader=nbgrader(cid, solution=True)))
    cells.append(
        _code(
            f"{cid}-check",
            ex.check_line,
            nbgrader=nbgrader(f"{cid}-check", grade=True, locked=True, points=1),
            deletable=False,
            editable=False,
        )
    )
    # Folded with <details>: JupyterLab 4.6 ignores jupyter.source_hidden on markdown cells,
    # while <details> folds in JupyterLab, on GitHub and in nbviewer alike.
    cells.append(
        _md(
            f"{cid}-solution",
            f"{FOLD_BEGIN}\n<details>\n<summary><b>Solution to exercise {number}</b> "
            f"(click to show)</summary>\n\n"
            f"```python\n{solution_code(ex)}\n```\n\n{ex.explanation}\n\n</details>\n{FOLD_END}",
            tags=(TAG, "solution"),
        )
    )
    return cells


# notebooks whose exercises have no "## Exercises" heading of their own
INLINE_EXERCISES = {"01", "06", "07", "09", "10", "11", "12"}


def section_cells(notebook):
    """All exercise cells of a notebook ("04" or "05_output_error"), heading first."""
    exercises = exercises_for(notebook)
    if not exercises:
        return []
    nn = str(notebook)[:2]
    intro = (
        "Write each function in the cell under its statement, "
        "replacing `raise NotImplementedError(...)`, then run the check cell below it. "
        "The check tells you whether the answer is right and, if not, what the likely "
        "bug is."
    )
    # In a notebook of INLINE_EXERCISES every exercise sits inside the numbered section it
    # belongs to: a "## Exercises" heading there would split that section in two.
    heading = f"**Exercises.** {intro}" if nn in INLINE_EXERCISES else f"## Exercises\n\n{intro}"
    cells = [
        _md(f"ex{nn}-heading", heading),
        _code(f"ex{nn}-import", IMPORT),
    ]
    for k, ex in enumerate(exercises, 1):
        cells += exercise_cells(ex, f"{int(nn)}.{k}")
    return cells


def _is_summary(cell):
    return cell.cell_type == "markdown" and cell.source.lstrip().lower().startswith(
        ("## summary", "# summary")
    )


def _units(notebook):
    """The exercise cells of a notebook in units that move together: the heading with the
    import, then each exercise; as (prefix of the cell ids, cells)."""
    cells = section_cells(notebook)
    units = [(None, cells[:2])]
    for c in cells[2:]:
        if c.id.endswith("-statement"):
            units.append((c.id.removesuffix("-statement"), []))
        units[-1][1].append(c)
    return units


def _unit_of(cell, units):
    if cell.source.strip() == IMPORT or cell.id.endswith("-heading"):
        return None
    for prefix, _ in units[1:]:
        if cell.id == prefix or cell.id.startswith(prefix + "-"):
            return prefix
    return "gone"  # an exercise no longer in the registry: its cells are dropped


def insert(nb, notebook):
    """Replace the notebook's exercise cells (tagged "exercise") where they sit, or insert them
    before Summary.

    Each exercise is replaced in place, so an exercise moved next to the section it needs stays
    there; a new exercise goes after the last one already in the notebook.
    """
    units = _units(notebook)
    if not any(TAG in c.metadata.get("tags", []) or c.source.strip() == IMPORT for c in nb.cells):
        at = next((i for i, c in enumerate(nb.cells) if _is_summary(c)), len(nb.cells))
        nb.cells[at:at] = [c for _, cells in units for c in cells]
        return nb
    new_cells = dict(units)
    out, placed, end = [], set(), 0
    for c in nb.cells:
        if not (TAG in c.metadata.get("tags", []) or c.source.strip() == IMPORT):
            out.append(c)
            continue
        key = _unit_of(c, units)
        if key != "gone" and key not in placed:
            placed.add(key)
            out += new_cells[key]
            end = len(out)
    out[end:end] = [c for key, cells in units if key not in placed for c in cells]
    nb.cells = out
    return nb


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--print", dest="show", metavar="NN", help="print the cells of notebook NN")
    args = parser.parse_args(argv)
    if args.show:
        print(json.dumps([dict(c) for c in section_cells(args.show)], indent=1, ensure_ascii=False))
        return 0
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        nbformat.write(insert(nb, path.name), path)
        print(f"{path}: {len(exercises_for(path.name))} exercises")
    return 0


if __name__ == "__main__":
    sys.exit(main())
