"""The maintainer's workflow (CONTRIBUTING.md), proven on a temporary copy of the repository.

1. Adding a notebook: a minimal ``NN_example.ipynb`` (after the last) with one explorer and one exercise
   (its module ``bplib/exercises/nbNN_example.py``), then the documented commands. The
   navigation, the contents table, the slide metadata, the student version, strict nbval and
   the stale-output checks must all pick it up without a hand edit.
2. Editing a code cell without regenerating: the stale-output check that ``make test`` runs
   must fail and name the notebook to regenerate, with the command.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parents[1]
LAST = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))[-1].name  # the series' last
NUMBER = f"{int(LAST[:2]) + 1:02d}"  # the new notebook comes after it
NAME = f"{NUMBER}_example.ipynb"

EXERCISE_MODULE = '''\
"""Notebook NUMBER, an example: the slope of the sigmoid."""

from __future__ import annotations

import numpy as np

from .checker import Bug, Exercise, register

register(
    Exercise(
        notebook="NUMBER",
        title="the slope of the sigmoid",
        signature="sigmoid_slope(z)",
        statement=r"Write `sigmoid_slope(z)`: $\\sigma'(z) = \\sigma(z)(1 - \\sigma(z))$.",
        explanation="The sigmoid's slope is largest, 1/4, at z = 0.",
        cases=lambda: [(np.linspace(-3.0, 3.0, 7),)],
        bugs=[Bug("sigma_not_prime", "You returned σ(z), not its slope.")],
        hints=["Differentiate 1 / (1 + e^{-z}) and write the result with σ itself."],
        correct="σ′(z) = σ(z)(1 − σ(z)).",
    )
)
'''

# its reference solution and bug, outside the installed package (exercises/reference/)
REFERENCE_MODULE = '''\
"""The reference solution of bplib.exercises.nbNUMBER_example (not installed)."""

from __future__ import annotations

from bplib import sigmoid


def sigmoid_slope(z):
    """The slope of the sigmoid, element-wise.

    z : an array of any shape.   Returns an array of the same shape.
    """
    ### BEGIN SOLUTION
    s = sigmoid.fn(z)
    return s * (1 - s)
    ### END SOLUTION


SOLUTIONS = [sigmoid_slope]

BUGS = {"sigmoid_slope": {"sigma_not_prime": lambda z: sigmoid.fn(z)}}
'''


def example_notebook():
    nb = new_notebook(
        cells=[
            new_markdown_cell("# An example notebook\n\nThe slope of the sigmoid, with a slider."),
            new_code_cell(
                "import numpy as np\n\nfrom bplib import sigmoid\n\nprint(sigmoid.prime(0.0))"
            ),
            new_markdown_cell("## An explorer\n\nMove the sliders: the cost is a parabola in a."),
            new_code_cell(
                "from bplib.explorers.cost import cost_parabola_explorer\n\ncost_parabola_explorer()"
            ),
            new_markdown_cell("## Summary\n\nσ′ = σ(1 − σ)."),
        ],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    for i, cell in enumerate(nb.cells):
        cell.id = f"example-{i}"
    return nb


def run(args, cwd, env, check=True):
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    if check:
        assert result.returncode == 0, (
            f"{' '.join(map(str, args))}:\n{result.stdout}{result.stderr}"
        )
    return result


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """A copy of the repository's tracked files, whose bplib is the one imported (kernels too)."""
    dest = tmp_path_factory.mktemp("fork")
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    for name in filter(None, files):
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    env = {**os.environ, "PYTHONPATH": str(dest)}
    return dest, env


@pytest.mark.slow
def test_adding_a_notebook_needs_no_hand_edits(repo):
    dest, env = repo
    py = sys.executable
    (dest / "bplib" / "exercises" / f"nb{NUMBER}_example.py").write_text(
        EXERCISE_MODULE.replace("NUMBER", NUMBER)
    )
    (dest / "exercises" / "reference" / f"nb{NUMBER}_example.py").write_text(
        REFERENCE_MODULE.replace("NUMBER", NUMBER)
    )
    nbformat.write(example_notebook(), dest / "notebooks" / NAME)

    # the documented commands (CONTRIBUTING.md, "Adding a notebook")
    run([py, "tools/exercise_answers.py"], dest, env)
    run([py, "tools/exercise_cells.py", f"notebooks/{NAME}"], dest, env)
    run([py, "tools/navigation.py"], dest, env)
    run([py, "tools/run_notebooks.py", f"notebooks/{NAME}"], dest, env)
    run([py, "tools/slides.py", "mark"], dest, env)
    run([py, "tools/make_student.py"], dest, env)

    # navigation: the last notebook links forward to the new one and back; the contents lists it
    last = (dest / "notebooks" / LAST).read_text()
    assert f"({NAME})" in last
    new = nbformat.read(dest / "notebooks" / NAME, as_version=4)
    assert LAST in new.cells[0].source
    index = (dest / "notebooks" / "00_index.ipynb").read_text()
    assert f"[An example notebook]({NAME})" in index
    # the exercise cells, stored as correct in the instructor notebook
    sources = [c.source for c in new.cells]
    assert any("def sigmoid_slope(z):" in s for s in sources)
    checks = [c for c in new.cells if c.cell_type == "code" and c.source.startswith("check(")]
    assert len(checks) == 1 and "correct" in checks[0].outputs[0]["data"]["text/plain"]
    # slide metadata: set on the new notebook and current everywhere
    heading = next(c for c in new.cells if c.source.startswith("## An explorer"))
    assert heading.metadata["slideshow"]["slide_type"] == "slide"
    run([py, "tools/slides.py", "check"], dest, env)
    # the student version: the solution stubbed, the check "not attempted" when run
    student = nbformat.read(dest / "build" / "student" / NAME, as_version=4)
    text = "\n".join(c.source for c in student.cells)
    assert "raise NotImplementedError" in text and "s * (1 - s)" not in text

    # strict nbval and the structure and staleness checks of `make test`, over every notebook
    run(
        [
            py,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:randomly",
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            "tests/sanitize.cfg",
            f"notebooks/{NAME}",
        ],
        dest,
        env,
    )
    result = run(
        [
            py,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_notebooks.py",
            "-k",
            # README's table and docs/notebooks.md are the one documented hand edit
            # (CONTRIBUTING: "Add the notebook to the table in README.md yourself")
            "not deterministic and not readme",
        ],
        dest,
        env,
    )
    assert (
        f"{NUMBER}_example"
        in run(
            [
                py,
                "-m",
                "pytest",
                "--collect-only",
                "-q",
                "-p",
                "no:cacheprovider",
                "tests/test_notebooks.py",
            ],
            dest,
            env,
        ).stdout
    )
    print(result.stdout.splitlines()[-1])


@pytest.mark.slow
def test_an_edited_code_cell_names_the_notebook_to_regenerate(repo):
    dest, env = repo
    path = dest / "notebooks" / "03_gradient_descent.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "code" and "import" in c.source)
    cell.source += "\nx_added_by_the_test = 1"
    nbformat.write(nb, path)
    result = run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_notebooks.py",
            "-k",
            "stored_and_current",
        ],
        dest,
        env,
        check=False,
    )
    assert result.returncode == 1
    message = next(line for line in result.stdout.splitlines() if "rerun it with" in line)
    print("\n" + message)
    assert "03_gradient_descent.ipynb: rerun it with" in message
    assert "tools/run_notebooks.py notebooks/03_gradient_descent.ipynb" in message
