"""What a check returns: :class:`Feedback`, and what :func:`hint` returns: :class:`Hints`.

Both display as HTML in a notebook (a coloured box; hints folded one by one) and
as the same text, plain, in their ``repr``.
"""

from __future__ import annotations

import html
import re
import textwrap

STATUSES = ("correct", "not attempted", "wrong", "error")

#: The status colours (headline text and the box's left border) in JupyterLab's light theme
#: (and wherever the theme is unknown: nbconvert, nbviewer, GitHub) and in its dark theme.
#: Each has a contrast of at least 4.5:1 with the box's background in its theme (see
#: ``tests/test_widgets.py``); one colour cannot pass on both white and near-black.
COLORS = {
    "light": {
        "correct": "#1b5e20",
        "not attempted": "#595959",
        "wrong": "#a33a00",
        "error": "#b71c1c",
    },
    "dark": {
        "correct": "#81c784",
        "not attempted": "#bdbdbd",
        "wrong": "#ffb74d",
        "error": "#ef9a9a",
    },
}
_COLORS = COLORS["light"]
#: The box's background: a faint grey over the page (light: white; dark: #111).
BOX_BACKGROUND = "rgba(127,127,127,0.06)"
_VAR = {s: "--bplib-" + s.replace(" ", "-") for s in STATUSES}
#: Sets the dark theme's colours where JupyterLab (or Voila, or nbconvert --theme dark) says
#: the theme is dark; elsewhere the inline fallbacks (the light colours) apply.
_DARK_CSS = (
    '<style>[data-jp-theme-light="false"] .bplib-feedback {'
    + "".join(f"{_VAR[s]}:{c};" for s, c in COLORS["dark"].items())
    + "}</style>"
)
_ICONS = {"correct": "✔", "not attempted": "…", "wrong": "✘", "error": "⚠"}


def _code_html(text):
    """Escape ``text`` for HTML, turn `backticks` into <code> and z^L, z^{l+1} into superscripts."""
    parts = re.split(r"(`[^`]+`)", html.escape(text))
    out = []
    for part in parts:
        if part.startswith("`") and part.endswith("`") and len(part) > 1:
            out.append(f"<code>{part[1:-1]}</code>")
        else:
            part = re.sub(r"\^\{([^}]*)\}", r"<sup>\1</sup>", part)
            out.append(re.sub(r"\^(\([^)]*\)|[A-Za-z0-9]+)", r"<sup>\1</sup>", part))
    return "".join(out)


class Feedback:
    """The result of :func:`check`: ``.status`` is one of 'correct', 'not attempted',
    'wrong', 'error'; ``.passed`` is True only for 'correct'; ``.bug`` names the
    diagnosed bug (a key such as ``'next_z'``) or is None.

    Displays as a coloured box in a notebook; ``repr`` is the same text, plain.
    """

    def __init__(self, name, status, message, bug=None, hints=()):
        assert status in STATUSES, status
        self.name, self.status, self.message, self.bug = name, status, message, bug
        self.hints = list(hints)

    @property
    def passed(self):
        return self.status == "correct"

    def __bool__(self):
        return self.passed

    @property
    def headline(self):
        return f"{self.name}: {self.status}" + (" yet" if self.status == "not attempted" else "")

    def __repr__(self):
        parts = [self.headline + ".", self.message]
        parts += [f"Hint: {h}" for h in self.hints]
        return "\n".join(textwrap.fill(p, 92, break_on_hyphens=False) for p in parts if p)

    def _repr_html_(self):
        color = f"var({_VAR[self.status]}, {_COLORS[self.status]})"
        status = self.status.replace(" ", "-")
        hints = "".join(
            f"<details style='margin-top:4px'><summary>Hint {i}</summary>"
            f"<div style='margin-left:1em'>{_code_html(h)}</div></details>"
            for i, h in enumerate(self.hints, 1)
        )
        return (
            f"{_DARK_CSS}<div class='bplib-feedback bplib-feedback-{status}' "
            f"style='border-left:6px solid {color};padding:6px 10px;margin:4px 0;"
            f"background:{BOX_BACKGROUND}'>"
            f"<b class='bplib-feedback-status' style='color:{color}'>{_ICONS[self.status]} {html.escape(self.headline)}</b>"
            f"<div style='margin-top:4px'>{_code_html(self.message)}</div>{hints}</div>"
        )


class Hints:
    """The hints of one exercise: each one folded in a notebook, all listed in text."""

    def __init__(self, name, hints):
        self.name, self.hints = name, list(hints)

    def __repr__(self):
        return "\n".join(
            [f"Hints for {self.name}:"]
            + [
                textwrap.fill(f"{i}. {h}", 92, subsequent_indent="   ")
                for i, h in enumerate(self.hints, 1)
            ]
        )

    def _repr_html_(self):
        items = "".join(
            f"<details><summary>Hint {i}</summary><div style='margin-left:1em'>"
            f"{_code_html(h)}</div></details>"
            for i, h in enumerate(self.hints, 1)
        )
        return f"<div class='bplib-hints'><b>Hints for {html.escape(self.name)}</b> (open one at a time){items}</div>"
