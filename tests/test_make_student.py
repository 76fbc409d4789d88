"""tools/make_student.py and tools/exercise_cells.py on a small synthetic notebook.

The notebook is built here, with exercise cells from several notebooks, so the
test does not depend on the course notebooks. It proves: the student version
has its solutions stubbed, its collapsed solutions removed and its outputs
cleared; it runs top to bottom with every checker reporting "not attempted";
putting the solutions back makes every checker pass.
"""

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

ROOT = Path(__file__).resolve().parents[1]


def _load(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


make_student = _load("make_student")
exercise_cells = _load("exercise_cells")
from bplib.exercises import EXERCISES  # noqa: E402


def _synthetic_notebook():
    code = new_code_cell(
        "import numpy as np\nprint('ready')",
        execution_count=1,
        outputs=[new_output("stream", name="stdout", text="ready\n")],
    )
    nb = new_notebook(
        cells=[
            new_markdown_cell("# A synthetic notebook"),
            code,
            new_markdown_cell("## Summary\n\n- one bullet"),
        ]
    )
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    exercise_cells.insert(nb, "06_backpropagating_error.ipynb")
    # Add exercises of other notebooks too (08 has the read-only broken cell).
    at = len(nb.cells) - 1
    nb.cells[at:at] = exercise_cells.exercise_cells(
        EXERCISES["minibatches"], "7.1"
    ) + exercise_cells.exercise_cells(EXERCISES["backprop"], "8.2")
    return nb


def _execute(nb, path):
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(path)}}
    ).execute()
    return nb


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("course")
    src = tmp / "notebooks"
    src.mkdir()
    (src / "data.txt").write_text("an asset\n")
    nb = _synthetic_notebook()
    nbformat.write(nb, src / "05_synthetic.ipynb")
    out = tmp / "student"
    assert make_student.main(["--out", str(out), str(src / "05_synthetic.ipynb")]) == 0
    return nb, nbformat.read(out / "05_synthetic.ipynb", as_version=4), out


def test_exercise_cells_go_before_the_summary_and_update_in_place():
    nb = new_notebook(cells=[new_markdown_cell("# T"), new_markdown_cell("## Summary")])
    exercise_cells.insert(nb, "06_backpropagating_error.ipynb")
    # 06's exercises sit inside its sections: an "**Exercises.**" paragraph, not a heading
    assert nb.cells[-1].source == "## Summary" and nb.cells[1].source.startswith("**Exercises.**")
    before = nbformat.writes(nb)
    exercise_cells.insert(nb, "06_backpropagating_error.ipynb")  # again: replaced, not doubled
    assert nbformat.writes(nb) == before
    nbformat.validate(nb)


def test_solution_and_check_cells_carry_nbgrader_metadata():
    cells = exercise_cells.section_cells("07")
    solution = [c for c in cells if c.metadata.get("nbgrader", {}).get("solution")]
    checks = [c for c in cells if c.metadata.get("nbgrader", {}).get("grade")]
    assert [c.metadata.nbgrader.grade_id for c in solution] == [
        "ex07-parameter_partials",
        "ex07-weight_gradient",
        "ex07-weight_gradient_per_example",
        "ex07-augmented_gradient",
    ]
    assert checks[0].metadata.nbgrader == {
        "grade": True,
        "grade_id": "ex07-parameter_partials-check",
        "locked": True,
        "points": 1,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    assert solution[0].metadata.nbgrader == {
        "grade": False,
        "grade_id": "ex07-parameter_partials",
        "locked": False,
        "schema_version": 3,
        "solution": True,
        "task": False,
    }
    assert all(len(c.source.splitlines()) == 1 for c in checks)
    hidden = [c for c in cells if "solution" in c.metadata.get("tags", [])]
    assert len(hidden) == 4
    # folded in <details>, between nbgrader's delimiters as HTML comments: plain nbgrader
    # refuses to release them (tests/test_nbgrader.py)
    assert all(
        c.source.startswith(f"{exercise_cells.FOLD_BEGIN}\n<details>\n<summary>")
        and c.source.endswith(f"</details>\n{exercise_cells.FOLD_END}")
        and "nbgrader" not in c.metadata
        for c in hidden
    )
    assert "###" not in exercise_cells.FOLD_BEGIN  # not a code solution region to make_student
    assert all(make_student.is_collapsed_solution(c) for c in hidden)
    untagged = nbformat.from_dict({**hidden[0], "metadata": {}})
    assert make_student.is_collapsed_solution(untagged)  # the delimiter alone is enough
    assert not make_student.is_solution_cell(hidden[0])


def test_student_version_stubs_solutions_and_clears_outputs(built):
    instructor, student, out = built
    text = "\n".join(c.source for c in student.cells)
    assert "### BEGIN SOLUTION" not in text and "### END SOLUTION" not in text
    solution_cells = [c for c in student.cells if make_student.is_solution_cell(c)]
    assert len(solution_cells) == 4  # 06's two, 07.1 (minibatches), 8.2
    for cell in solution_cells:
        assert cell.source.rstrip().endswith(
            '    raise NotImplementedError("write your answer here")'
        )
        assert cell.source.lstrip().startswith(("import", "def"))  # def and docstring kept
    assert "(delta_next @ W_next)" not in text  # the answer is gone
    assert not any(make_student.is_collapsed_solution(c) for c in student.cells)
    n_hidden = sum(make_student.is_collapsed_solution(c) for c in instructor.cells)
    assert len(student.cells) == len(instructor.cells) - n_hidden
    for cell in student.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
    assert "backprop_broken" in text  # the given code stays
    assert (out / "data.txt").read_text() == "an asset\n"  # assets copied
    nbformat.validate(student)


@pytest.mark.slow
def test_student_version_runs_and_reports_not_attempted(built, tmp_path):
    _, student, _ = built
    executed = _execute(student, tmp_path)
    statuses = make_student.check_statuses(executed)
    assert statuses == {
        "ex06-delta_of_neuron-check": "not attempted",
        "ex06-backpropagate_error-check": "not attempted",
        "ex08-minibatches-check": "not attempted",
        "ex09-backprop-check": "not attempted",
    }


@pytest.mark.slow
def test_solutions_put_back_make_every_check_pass(built, tmp_path):
    instructor, student, _ = built
    restored = make_student.restore_solutions(student, instructor)
    statuses = make_student.check_statuses(_execute(restored, tmp_path))
    assert set(statuses.values()) == {"correct"} and len(statuses) == 4


def test_stub_keeps_the_indentation_and_the_code_around_it():
    source = (
        "def f(x):\n    y = 1\n    ### BEGIN SOLUTION\n    return x + y\n"
        "    ### END SOLUTION\n\nprint('after')"
    )
    assert make_student.stub_source(source) == (
        'def f(x):\n    y = 1\n    raise NotImplementedError("write your answer here")\n\n'
        "print('after')"
    )


def test_marker_free_solution_cell_and_hidden_tests():
    nb = new_notebook(
        cells=[
            new_code_cell(
                "x = 42",
                metadata={
                    "nbgrader": {
                        "solution": True,
                        "grade": False,
                        "grade_id": "a",
                        "locked": False,
                        "schema_version": 3,
                        "task": False,
                    }
                },
            ),
            new_code_cell(
                "assert x\n### BEGIN HIDDEN TESTS\nassert x == 42\n### END HIDDEN TESTS\n"
            ),
            new_markdown_cell(
                "Explain.\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION\n",
                metadata={"nbgrader": {"solution": True}},
            ),
        ]
    )
    student = make_student.student_version(nb)
    assert student.cells[0].source == make_student.STUB
    assert student.cells[1].source == "assert x\n"
    assert student.cells[2].source == "Explain.\nYOUR ANSWER HERE\n"


def test_nbgrader_source_keeps_solutions_and_drops_collapsed_ones(tmp_path):
    nb = _synthetic_notebook()
    path = tmp_path / "05_synthetic.ipynb"
    nbformat.write(nb, path)
    assert make_student.main(["--nbgrader", str(tmp_path / "course"), str(path)]) == 0
    source = nbformat.read(
        tmp_path / "course" / "source" / "05_synthetic" / path.name, as_version=4
    )
    assert sum("### BEGIN SOLUTION" in c.source for c in source.cells) == 4
    assert not any(make_student.is_collapsed_solution(c) for c in source.cells)
    assert all(c.outputs == [] for c in source.cells if c.cell_type == "code")


@pytest.mark.parametrize("version", ["student_version", "learner_version", "nbgrader_source"])
def test_a_predict_questions_answer_is_out_of_sight_until_the_guess(version):
    """The cell asserting a predict question's outcome is gone from every reader's version,
    and the run cell (whose source says the answer) is folded; the guess cell stays open."""
    path = ROOT / "notebooks" / "07_parameter_gradients.ipynb"
    if not path.exists():
        pytest.skip(f"{path} is not there")
    instructor = nbformat.read(path, as_version=4)
    assert any(make_student.is_predict_check(c) for c in instructor.cells)
    nb = getattr(make_student, version)(instructor)
    assert not any(make_student.is_predict_check(c) for c in nb.cells)
    assert not any('actual == "' in c.source for c in nb.cells)
    runs = [c for c in nb.cells if c.cell_type == "code" and "reveal(" in c.source]
    guesses = [c for c in nb.cells if c.source.startswith("prediction = None")]
    assert runs and guesses
    assert all(c.metadata["jupyter"]["source_hidden"] for c in runs)
    assert not any(c.metadata.get("jupyter", {}).get("source_hidden") for c in guesses)
