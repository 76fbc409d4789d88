"""Predict, then run: ``reveal`` compares the reader's prediction with what happened.

A prediction cell holds ``prediction = None  # your guess: ...``; the cell after it runs the
experiment and ends with ``reveal(prediction, actual, what_happened, why)``. It never raises,
whatever the prediction holds, and it is not graded (the cells carry no nbgrader metadata).

The notebooks are stored with their outputs, so the run cell's output is on the page before
the reader has predicted. While the prediction is still ``None`` the HTML view asks for one and
folds the outcome in ``<details>`` (JupyterLab, nbviewer and GitHub fold it); the text view,
which cannot fold, says so first and then gives the outcome.
"""

from __future__ import annotations

import html
import numbers

__all__ = ["Reveal", "reveal"]

ASK = "You haven't predicted yet: write your guess in the cell above, then run both cells."


def _norm(value):
    """A comparable form: strings lower-cased and stripped, sets and lists of them as sets."""
    if isinstance(value, str):
        return value.strip().strip(".!").lower()
    if isinstance(value, (set, frozenset, list, tuple)):
        return frozenset(_norm(v) for v in value)
    return value


def _agrees(prediction, actual, rtol):
    try:
        if isinstance(actual, numbers.Number) and not isinstance(actual, bool):
            p = float(prediction)
            return abs(p - actual) <= rtol * abs(actual) + 1e-12
        if isinstance(actual, (set, frozenset)) and isinstance(prediction, numbers.Number):
            prediction = {prediction}
        return _norm(prediction) == _norm(actual)
    except (TypeError, ValueError):
        return False


def _show(value):
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(repr(v) for v in sorted(value, key=repr)) + "}"
    return repr(value)


class Reveal:
    """The outcome of a predict-then-run cell. ``status`` is ``"not predicted"``, ``"right"``
    or ``"wrong"``; HTML in a notebook, the same text in its repr."""

    def __init__(self, prediction, actual, what_happened, why, rtol=0.1):
        self.prediction, self.actual = prediction, actual
        self.what_happened, self.why = what_happened.strip(), why.strip()
        if prediction is None:
            self.status = "not predicted"
        else:
            self.status = "right" if _agrees(prediction, actual, rtol) else "wrong"

    @property
    def verdict(self):
        if self.status == "not predicted":
            return ASK
        if self.status == "right":
            return f"You predicted {_show(self.prediction)}: right."
        return (
            f"You predicted {_show(self.prediction)}; the answer is {_show(self.actual)}. "
            "Read why below, then look again at the equation it comes from."
        )

    def __repr__(self):
        return f"{self.verdict}\nWhat happened: {self.what_happened}\nWhy: {self.why}"

    def _repr_html_(self):
        colour = {"right": "#1a7f37", "wrong": "#b35900", "not predicted": "#444"}[self.status]
        body = (
            f"<p><b>What happened:</b> {html.escape(self.what_happened)}</p>"
            f"<p><b>Why:</b> {html.escape(self.why)}</p>"
        )
        if self.status == "not predicted":
            body = f"<details><summary>What happened, and why (open it after you predict)</summary>{body}</details>"
        return (
            f"<div class='bplib-reveal'><p style='color:{colour}'><b>"
            f"{html.escape(self.verdict)}</b></p>{body}</div>"
        )


def reveal(prediction, actual, what_happened, why, rtol=0.1):
    """Compare ``prediction`` with ``actual`` and explain; never raises.

    Strings compare without case or surrounding blanks, collections as sets, numbers within
    ``rtol`` of ``actual``. ``what_happened`` is what the experiment printed, ``why`` the
    reason, from the equations of the notebook.
    """
    return Reveal(prediction, actual, what_happened, why, rtol=rtol)
