"""What the run cell of a "predict, then run" question shows: :class:`Outcome`.

The notebooks are stored with their outputs, so a run cell's output is on the page before the
reader has predicted anything. Until the prediction cell holds an answer, an ``Outcome``
therefore shows one sentence asking for a prediction, and the outcome itself folded in
``<details>`` (JupyterLab, nbviewer and GitHub fold it; a plain-text front end cannot, so the
text ``repr`` lists it after the sentence). Once there is a prediction, it shows the outcome and
the verdict, unfolded.
"""

from __future__ import annotations

import html

from .. import plotting

ASK = (
    "No prediction yet: write yours in the cell above and run both cells. "
    "The outcome is folded below; open it once you have committed."
)
SUMMARY = "The outcome (open it after you have predicted)"


def figure_html(fig):
    """``fig`` as an inline ``<img>`` with its alt text, and closed (so it is not shown twice)."""
    import matplotlib.pyplot as plt

    out = plotting.img_html(plotting.figure_png(fig), plotting.figure_alt(fig))
    plt.close(fig)
    return out


class Outcome:
    """The outcome of a predict-then-run cell: ``text`` (what the experiment printed), the
    reader's ``verdict`` (None while nothing is predicted) and optional matplotlib ``figures``.
    Folded until there is a verdict; displays as HTML in a notebook, as text in its repr.
    """

    def __init__(self, text, verdict=None, figures=()):
        self.text, self.verdict = text.rstrip("\n"), verdict
        self.figures = [figure_html(f) for f in figures]

    @property
    def folded(self):
        return self.verdict is None

    def __repr__(self):
        if self.folded:
            return f"{ASK}\n\n{self.text}"
        return f"{self.text}\n{self.verdict}"

    def _repr_html_(self):
        body = f"<pre>{html.escape(self.text)}</pre>" + "".join(
            f"<div>{img}</div>" for img in self.figures
        )
        if self.folded:
            return (
                f"<div class='bplib-outcome'><p><b>{html.escape(ASK)}</b></p>"
                f"<details><summary>{SUMMARY}</summary>{body}</details></div>"
            )
        return f"<div class='bplib-outcome'>{body}<p><b>{html.escape(self.verdict)}</b></p></div>"
