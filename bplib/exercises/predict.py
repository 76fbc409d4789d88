"""Predict, then run: ``reveal`` compares the reader's prediction with what happened.

A prediction cell holds ``prediction = None  # your guess: ...``; the cell after it runs the
experiment and ends with ``reveal(prediction, actual, what_happened, why)``. It never raises,
whatever the prediction holds, and it is not graded (the cells carry no nbgrader metadata, only
the tag ``predict``).

The notebooks are stored with their outputs, so the run cell's output is on the page before
the reader has predicted. While the prediction is still ``None`` the HTML view asks for one and
folds the outcome (what happened, why, and any figures) in ``<details>`` (JupyterLab, nbviewer
and GitHub fold it); the text view, which cannot fold, gives no outcome at all, only how to
predict (``ASK_TEXT``). The learner's and the student's copies (``tools/make_student.py``)
store no output of these cells at all.

A question with lettered answers passes its letters as ``options`` ("ABCD"); without them,
when the answer is one letter, they are read from the ``# your guess: "A", "B", ...`` comment
of the last prediction cell the kernel ran. A prediction that is not one of them (an "E", a
"B or C") is refused with the valid letters, not scored, and the outcome stays folded.
Lower-case letters and blanks around them are accepted.

A question whose answer is not one value to compare with (a measured timing, a ratio to be
guessed to within an order of magnitude) passes the ``verdict`` the notebook computed itself;
figures go in ``figures``, folded with the outcome.
"""

from __future__ import annotations

import html
import numbers
import re

__all__ = ["ASK", "ASK_TEXT", "SUMMARY", "WRONG", "Reveal", "figure_html", "reveal"]

ASK = (
    "You haven't predicted yet: write your guess in the `prediction` cell above, then run the "
    "cells from there down to this one."
)
#: The text view while nothing is predicted: no outcome, which text cannot fold.
ASK_TEXT = ASK + " The outcome is printed here once you have."
SUMMARY = "What happened, and why (open it after you predict)"
WRONG = "Read why below, then look again at the equation it comes from."


def _norm(value):
    """A comparable form: strings lower-cased and stripped, sets and lists of them as sets."""
    if isinstance(value, str):
        return value.strip().strip(".!").lower()
    if isinstance(value, (set, frozenset, list)):
        return frozenset(_norm(v) for v in value)
    return value


def _letter_options(options, actual):
    """The valid letters, upper-case, or None when the question has no lettered options."""
    if options is None:
        if not (isinstance(actual, str) and re.fullmatch(r"[A-Za-z]", actual.strip())):
            return None
        options = _options_from_history()
        if options is None or actual.strip().upper() not in options:
            return None
    letters = [str(o).strip().upper() for o in options]
    return letters or None


def _options_from_history():
    """The quoted letters of the ``# your guess: "A", "B", ...`` comment of the last cell the
    IPython kernel ran that has one (the prediction cell), or None outside IPython."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with Jupyter
        return None
    shell = get_ipython()
    if shell is None:
        return None
    for source in reversed(shell.user_ns.get("In", [])):
        found = re.search(r"#\s*your guess:(.*)", str(source))
        if found:
            letters = re.findall(r"[\"']([A-Za-z])[\"']", found.group(1))
            return [x.upper() for x in letters] or None
    return None


def _or_list(items):
    quoted = [f'"{x}"' for x in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


def _agrees(prediction, actual, rtol):
    try:
        if isinstance(actual, tuple):  # several answers, in order
            return (
                isinstance(prediction, (tuple, list))
                and len(prediction) == len(actual)
                and all(_agrees(p, a, rtol) for p, a in zip(prediction, actual))
            )
        if isinstance(actual, numbers.Number) and not isinstance(actual, bool):
            p = float(prediction)
            return abs(p - actual) <= rtol * abs(actual) + 1e-12
        if isinstance(actual, (set, frozenset, list)) and isinstance(prediction, numbers.Number):
            prediction = {prediction}
        return bool(_norm(prediction) == _norm(actual))
    except (TypeError, ValueError):
        return False


def _show(value):
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(_show(v) for v in sorted(value, key=repr)) + "}"
    if isinstance(value, tuple):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    if isinstance(value, numbers.Number) and hasattr(value, "item"):  # a numpy scalar
        value = value.item()
    return repr(value)


def figure_html(fig):
    """``(html, alt)``: ``fig`` as an inline ``<img>`` with its alt text, and closed (so it is not shown twice)."""
    import matplotlib.pyplot as plt

    from .. import plotting

    alt = plotting.figure_alt(fig)
    out = plotting.img_html(plotting.figure_png(fig), alt)
    plt.close(fig)
    return out, alt


class Reveal:
    """The outcome of a predict-then-run cell. ``status`` is ``"not predicted"``, ``"not an
    option"`` (a letter the question does not offer: refused, not scored), ``"right"``,
    ``"wrong"``, or ``"predicted"`` when the notebook gave its own ``verdict``; HTML in a
    notebook, text in its repr. ``folded`` until a valid prediction is made: the HTML folds
    the outcome, and the text leaves it out."""

    def __init__(
        self,
        prediction,
        actual,
        what_happened,
        why="",
        *,
        verdict=None,
        figures=(),
        rtol=0.1,
        wrong=None,
        options=None,
    ):
        self.prediction, self.actual = prediction, actual
        self.options = _letter_options(options, actual)
        self._wrong = WRONG if wrong is None else str(wrong).strip()
        self.what_happened = str(what_happened).lstrip("\n").rstrip()
        self.why = str(why or "").strip()
        self._verdict = None if verdict is None else str(verdict).strip()
        self.figures = [figure_html(f) for f in figures]
        if prediction is None:
            self.status = "not predicted"
        elif self.options is not None and not (
            isinstance(prediction, str) and prediction.strip().upper() in self.options
        ):
            self.status = "not an option"
        elif self._verdict is not None:
            self.status = "predicted"
        else:
            self.status = "right" if _agrees(prediction, actual, rtol) else "wrong"

    @property
    def folded(self):
        return self.status in ("not predicted", "not an option")

    @property
    def verdict(self):
        if self.status == "not predicted":
            return ASK
        if self.status == "not an option":
            return (
                f"{_show(self.prediction)} is not one of the options. Write one of the letters "
                f"{_or_list(self.options)} in the `prediction` cell, in quotes (such as "
                f'prediction = "{self.options[0]}"), then run the cells from there down to this one.'
            )
        if self.status == "predicted":
            return self._verdict
        if self.status == "right":
            return f"You predicted {_show(self.prediction)}: right."
        return (
            f"You predicted {_show(self.prediction)}; the answer is {_show(self.actual)}. "
            + self._wrong
        )

    def __repr__(self):
        if self.status == "not predicted":
            return ASK_TEXT  # text cannot fold: no outcome before a prediction
        if self.folded:
            return self.verdict
        sep = "\n" if "\n" in self.what_happened else " "
        text = f"{self.verdict}\nWhat happened:{sep}{self.what_happened}"
        text += "".join(f"\n{alt}" for _, alt in self.figures)
        return text + (f"\nWhy: {self.why}" if self.why else "")

    def _repr_html_(self):
        colour = {"right": "#1a7f37", "wrong": "#b35900"}.get(self.status, "#444")
        if "\n" in self.what_happened:
            body = f"<p><b>What happened:</b></p><pre>{html.escape(self.what_happened)}</pre>"
        else:
            body = f"<p><b>What happened:</b> {html.escape(self.what_happened)}</p>"
        body += "".join(f"<div>{img}</div>" for img, _ in self.figures)
        if self.why:
            body += f"<p><b>Why:</b> {html.escape(self.why)}</p>"
        if self.folded:
            summary = SUMMARY if self.why else SUMMARY.replace(", and why", "")
            body = f"<details><summary>{summary}</summary>{body}</details>"
        return (
            f"<div class='bplib-reveal'><p style='color:{colour}'><b>"
            f"{html.escape(self.verdict)}</b></p>{body}</div>"
        )


def reveal(
    prediction,
    actual,
    what_happened,
    why="",
    *,
    verdict=None,
    figures=(),
    rtol=0.1,
    wrong=None,
    options=None,
):
    """Compare ``prediction`` with ``actual`` and explain; never raises.

    Strings compare without case or surrounding blanks, lists and sets as sets, tuples element
    by element in order, numbers within ``rtol`` of ``actual``. ``what_happened`` is what the
    experiment printed (several lines are kept as they are), ``why`` the reason, from the
    equations of the notebook (leave it out when a folded markdown cell after the run cell
    explains). ``verdict``: the notebook's own verdict on a prediction (used instead of the
    comparison once ``prediction`` is not None). ``figures``: matplotlib figures, shown with
    the outcome (folded with it) and closed. ``wrong``: what a wrong prediction is told after
    the answer, in place of ``WRONG`` (a measured outcome comes from no equation: say where to
    look instead). ``options``: the letters of a lettered question ("ABCD"); a prediction
    that is not one of them is refused with the list (read from the prediction cell's comment
    when left out).
    """
    return Reveal(
        prediction,
        actual,
        what_happened,
        why,
        verdict=verdict,
        figures=figures,
        rtol=rtol,
        wrong=wrong,
        options=options,
    )
