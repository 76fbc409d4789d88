r"""Exercises with feedback that names the likely bug.

In a notebook the student fills in a function, and the next cell checks it in
one line::

    from bplib.exercises import check, hint
    check("output_error", output_error)

The checker calls the function on seeded test inputs and compares the result
with the right answer, with a tolerance (never exact float equality). When
they differ it also compares it with the results of deliberately broken
variants (sigma' at the next layer's z, a missing sigma', a missing transpose,
the flipped sign, the missing 1/n, the factor 2, ...) and, if one matches,
names that bug. A
function still raising ``NotImplementedError`` reports "not attempted"; an
exception, NaN or a wrong shape gives a short message, never a traceback. So
"Run All" never stops at an exercise.

Under nbgrader (``NBGRADER_EXECUTION`` is ``autograde`` or ``validate``) a
result other than "correct" raises ``AssertionError`` with the same message,
so the graded check cell fails and scores zero.

The package:

- :mod:`.feedback`: :class:`Feedback` and :class:`Hints`, what ``check`` and
  ``hint`` return (HTML in a notebook, text in their repr);
- :mod:`.checker`: the :class:`Exercise` and :class:`Bug` registry, the
  comparison of results, ``check`` and ``hint``;
- one module per notebook, ``nb01_network`` ... ``nb12_softmax``, found by name: each
  exercise's statement, the function's signature, test cases, named bugs (their
  messages) and hints;
- ``answers.json``: the right result of every test case and every named bug's
  result on it, which ``check`` compares with.

The reference solutions and the bugs' functions are not installed: they are in the
repository's ``exercises/reference/`` (``import exercises.reference`` attaches them),
from which ``tools/exercise_answers.py`` writes ``answers.json`` and
``tools/exercise_cells.py`` the notebook cells; see ``docs/exercise_cells.md``.
"""

from __future__ import annotations

import importlib
import pkgutil

from .checker import EXERCISES, Bug, Exercise, check, exercises_for, hint
from .feedback import Feedback, Hints

# importing a notebook's module registers its exercises: every nbNN_*.py here, in notebook order
# (a new notebook's exercises need only a new module, no edit to this file)
for _module in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("nb")):
    importlib.import_module(f"{__name__}.{_module}")

from .nb09_gradient_checking import BROKEN_BACKPROP_SOURCE  # noqa: E402 (after the loop: order)

__all__ = [
    "check",
    "hint",
    "Feedback",
    "Hints",
    "Exercise",
    "Bug",
    "EXERCISES",
    "exercises_for",
    "BROKEN_BACKPROP_SOURCE",
]
