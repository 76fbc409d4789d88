"""Predict, then run: the helper bplib.exercises.predict, and the predict cells of notebooks
01-12 (tagged ``predict``): no stored output spoils a prediction, in the instructor's notebooks
(the outcome is folded) and in the learner's and student's copies (no outcome is stored)."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import matplotlib
import nbformat
import pytest

from bplib.exercises.predict import ASK, ASK_TEXT, SUMMARY, reveal

matplotlib.use("Agg")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[01][0-9]_*.ipynb"))
NOTEBOOKS = [p for p in NOTEBOOKS if not p.name.startswith("00_")]

spec = importlib.util.spec_from_file_location("make_student", ROOT / "tools" / "make_student.py")
make_student = importlib.util.module_from_spec(spec)
sys.modules.setdefault("make_student", make_student)
spec.loader.exec_module(make_student)


# ----------------------------------------------------------------------------
# The helper
# ----------------------------------------------------------------------------
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
        ([1], [1], "right"),
        (1, [1], "right"),
        ([2, 3], [1], "wrong"),
        (0, 0.0, "right"),
        (0.5, 0.0, "wrong"),
        ("four", 4.0, "wrong"),  # not a number: wrong, never an exception
        (object(), "rises", "wrong"),
        (float("nan"), 1.0, "wrong"),
        ((6, 3), (6.0, 3.0), "right"),  # a tuple: in order
        ((3, 6), (6.0, 3.0), "wrong"),
        ([6, "3"], (6.0, 3.0), "right"),
        (6, (6.0, 3.0), "wrong"),
        (("Softmax", "both"), ("softmax", "softmax"), "wrong"),
    ],
)
def test_reveal_never_raises_and_judges(prediction, actual, status):
    r = reveal(prediction, actual, "what happened", "why")
    assert r.status == status and r.folded == (status == "not predicted")
    text, page = repr(r), r._repr_html_()
    assert "what happened" in page
    if status == "not predicted":
        # the HTML folds the outcome; the text, which cannot fold, leaves it out
        assert "<details>" in page and text == ASK_TEXT
        assert "what happened" not in text and "Why" not in text
    else:
        assert text.startswith("You predicted") and "<details>" not in page
        assert "What happened: what happened" in text and "Why: why" in text


def test_the_text_view_without_a_prediction_gives_nothing_away():
    """Reviewers read the text/plain view: before a prediction it only says how to make one."""
    r = reveal(None, "C", "the shape is (3, 3)", "numpy broadcasts", figures=())
    assert repr(r) == ASK_TEXT and ASK_TEXT.startswith(ASK)
    assert "(3, 3)" not in repr(r) and "broadcasts" not in repr(r) and "'C'" not in repr(r)
    assert "once you have" in ASK_TEXT  # says the outcome comes after a prediction


@pytest.mark.parametrize(
    "prediction, status",
    [
        ("C", "right"),
        ("c", "right"),  # lower case is fine
        (" c ", "right"),
        ("B", "wrong"),
        ("E", "not an option"),
        ("e", "not an option"),
        ("B or C", "not an option"),
        ("", "not an option"),
        (3, "not an option"),
        (["C"], "not an option"),
        (None, "not predicted"),
    ],
)
def test_a_letter_outside_the_options_is_refused_not_scored(prediction, status):
    r = reveal(prediction, "C", "the shape is (3, 3)", "numpy broadcasts", options="ABCD")
    assert r.status == status, r.verdict
    if status == "not an option":
        assert r.folded and "<details>" in r._repr_html_()  # the outcome stays folded
        text = repr(r)
        assert text == r.verdict and "is not one of the options" in text
        assert '"A", "B", "C" or "D"' in text and "(3, 3)" not in text
        assert "the answer is" not in text and "You predicted" not in text


def test_the_options_come_from_the_prediction_cells_comment(monkeypatch):
    """Without ``options``, a one-letter answer takes its letters from the `# your guess:`
    comment of the last prediction cell the kernel ran; outside IPython nothing is refused."""
    import IPython

    class Shell:
        user_ns = {
            "In": [
                "",
                'prediction = "E"  # your guess: "A", "B", "C", "D" or "E"',
                'prediction = "E"  # your guess: "A", "B" or "C"',
                "from bplib.exercises.predict import reveal\nreveal(prediction, actual, '')",
            ]
        }

    monkeypatch.setattr(IPython, "get_ipython", lambda: Shell())
    r = reveal("E", "B", "timed")
    assert r.status == "not an option" and '"A", "B" or "C"' in r.verdict
    assert reveal("b", "B", "timed").status == "right"
    assert reveal(2.0, 2.0, "a number").status == "right"  # not a letter question
    Shell.user_ns["In"] = Shell.user_ns["In"][:2]
    assert reveal("E", "B", "timed").status == "wrong"  # A-E: a wrong letter is scored
    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    assert reveal("E", "B", "timed").status == "wrong"


def test_a_numpy_answer_reads_as_a_number():
    import numpy as np

    r = reveal(10, np.float64(37.6), "ratio 37.6")
    assert r.verdict.startswith("You predicted 10; the answer is 37.6.")


def test_the_notebooks_own_verdict_and_no_why():
    folded = reveal(None, None, "measured", verdict="You guessed 10; this kernel measured 30.")
    shown = reveal(10, None, "measured", verdict="You guessed 10; this kernel measured 30.")
    assert folded.folded and repr(folded) == ASK_TEXT
    assert shown.status == "predicted" and not shown.folded
    assert repr(shown) == "You guessed 10; this kernel measured 30.\nWhat happened: measured"
    assert "Why" not in shown._repr_html_() and "<details>" not in shown._repr_html_()


def test_a_measured_question_tells_a_wrong_guess_where_to_look():
    from bplib.exercises.predict import WRONG

    usual = reveal("A", "D", "timed")
    measured = reveal("A", "D", "timed", wrong="The count leaves something out.")
    assert usual.verdict.endswith(WRONG)
    assert (
        measured.verdict == "You predicted 'A'; the answer is 'D'. The count leaves something out."
    )
    assert reveal("D", "D", "timed", wrong="unused").verdict == "You predicted 'D': right."


def test_several_lines_keep_their_layout():
    r = reveal([1], [1], "  layer 1: WRONG\n  layer 2: ok\n")
    assert repr(r).endswith("What happened:\n  layer 1: WRONG\n  layer 2: ok")
    assert "<pre>  layer 1: WRONG\n  layer 2: ok</pre>" in r._repr_html_()


def test_figures_are_folded_with_the_outcome_and_closed():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    ax.set_title("a line")
    r = reveal(None, "x", "text", figures=[fig])
    assert not plt.fignum_exists(fig.number)  # closed: not shown a second time
    ask, folded = r._repr_html_().split("<details>", 1)
    assert "<img" not in ask and "<pre>" not in ask
    assert (
        SUMMARY.replace(", and why", "") in folded and '<img class="bplib-figure" alt="' in folded
    )
    assert repr(r) == ASK_TEXT  # no alt text either before a prediction
    fig, ax = plt.subplots()
    ax.set_title("a line")
    shown = reveal("x", "x", "text", figures=[fig])
    assert repr(shown).endswith("What happened: text\nFigure. A line.")  # its alt text
    assert "<img" in shown._repr_html_() and "<details>" not in shown._repr_html_()


# ----------------------------------------------------------------------------
# The notebooks
# ----------------------------------------------------------------------------
def _predictions(nb):
    """(guess, run) of each question: the placeholder cell, and the next code cell that
    reveals (notebook 12's second question trains in a cell between them)."""
    cells, pairs = nb.cells, []
    for i, c in enumerate(cells):
        if c.cell_type == "code" and c.source.startswith("prediction = None"):
            run = next(d for d in cells[i + 1 :] if d.cell_type == "code" and "reveal(" in d.source)
            pairs.append((c, run))
    return pairs


def _tags(cell):
    return cell.get("metadata", {}).get("tags", [])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_every_notebook_has_a_prediction_and_its_stored_outcome_is_folded(path):
    nb = nbformat.read(path, as_version=4)
    pairs = _predictions(nb)
    assert 1 <= len(pairs) <= 2
    for guess, run in pairs:
        assert guess.source.startswith("prediction = None  # your guess: ")  # says what to write
        assert "\n" not in guess.source.strip()
        assert "from bplib.exercises.predict import reveal" in run.source
        last = ast.parse(run.source).body[-1]  # the cell ends in reveal(...): its output
        assert isinstance(last, ast.Expr) and last.value.func.id == "reveal"
        assert "reveal(prediction," in run.source and "print(" not in run.source
        for cell in (guess, run):
            assert "nbgrader" not in cell.metadata  # never graded
            assert "predict" in _tags(cell)
        prompt = nb.cells[nb.cells.index(guess) - 1]
        assert prompt.cell_type == "markdown" and "predict" in _tags(prompt)
        assert "Predict, then run" in prompt.source
        assert not [o for o in run.outputs if o.output_type in ("stream", "display_data")]
        (out,) = [o for o in run.outputs if o.output_type == "execute_result"]
        text, page = out["data"]["text/plain"], out["data"]["text/html"]
        assert text == ASK_TEXT, "stored before predict.py's text view left the outcome out: re-run"
        ask, folded = page.split("<details>", 1)
        assert ASK.replace("'", "&#x27;") in ask and "<pre>" not in ask and "<img" not in ask
        assert "What happened:" not in ask
        assert (
            folded.startswith("<summary>What happened") and "(open it after you predict)" in folded
        )
    # every cell tagged predict belongs to a question
    question_cells = {id(c) for pair in pairs for c in pair}
    for cell in nb.cells:
        if "predict" in _tags(cell) and cell.cell_type == "code":
            assert id(cell) in question_cells, cell.get("id")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_an_explanation_after_the_run_cell_is_folded(path):
    """After the run cell comes a new section, more code, or the explanation in <details>."""
    nb = nbformat.read(path, as_version=4)
    for _, run in _predictions(nb):
        after = nb.cells[nb.cells.index(run) + 1]
        if after.cell_type == "markdown" and not after.source.startswith("#"):
            assert after.source.startswith("<details>\n<summary><b>"), after.get("id")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
@pytest.mark.parametrize("version", ["student", "learner"])
def test_no_copy_stores_an_outcome(path, version):
    nb = nbformat.read(path, as_version=4)
    make = make_student.student_version if version == "student" else make_student.learner_version
    copy = make(nbformat.read(path, as_version=4))
    sources = [c.source for c in copy.cells]
    for guess, run in _predictions(nb):
        assert guess.source in sources and run.source in sources  # the cells are kept
    for cell in copy.cells:
        if cell.cell_type != "code":
            continue
        if "predict" in _tags(cell) or "reveal(prediction" in cell.source:
            assert cell.outputs == [] and cell.execution_count is None, cell.get("id")
        stored = nbformat.writes(nbformat.v4.new_notebook(cells=[cell]))
        assert "bplib-reveal" not in stored and "You haven" not in stored, cell.get("id")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_the_answer_is_asserted_after_the_reveal_not_in_the_run_cell(path):
    """A reader sees the run cell before predicting: it computes the outcome but asserts nothing
    (an `assert actual == "B"` would give the answer away); the asserts sit in a cell tagged
    predict-check after the folded explanation, with its source hidden (it names the letter)."""
    nb = nbformat.read(path, as_version=4)
    for _, run in _predictions(nb):
        tree = ast.parse(run.source)
        assert not [n for n in tree.body if isinstance(n, ast.Assert)], run.get("id")
        i = nb.cells.index(run)
        later = nb.cells[i + 1 : i + 3]
        checks = [c for c in later if "predict-check" in _tags(c)]
        if checks:
            assert checks[0].source.startswith("# The outcome above, asserted")
            assert "assert " in checks[0].source and not checks[0].outputs
            hidden = checks[0].metadata.get("jupyter", {}).get("source_hidden", False)
            assert hidden, f"{checks[0].get('id')}: its asserts show the answer in plain sight"
