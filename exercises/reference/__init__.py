"""The exercises' reference solutions and bug variants: in the repository, never installed.

``bplib.exercises`` (installed) holds what a student may see: statements, test cases,
the bugs' messages, hints, and ``answers.json``, the right answer and each bug's
result on every test case. The functions that produce those numbers live here, one
module per notebook (``nbNN_*.py``, named like the package's), each with

- ``SOLUTIONS``: the reference solutions, real functions named like the exercises,
  with the nbgrader markers inside their bodies (the notebooks' solution cells are
  their source, ``tools/exercise_cells.py``);
- ``BUGS``: ``{exercise: {bug key: function}}``, the named bugs' broken variants;
- ``ZOO`` (notebook 10): ``{exercise: combo -> function}``, the bug zoo.

Importing this package attaches them to the registered exercises (``ex.solution``,
``bug.fn``, ``ex.zoo``), for the tools and the tests. ``tools/exercise_answers.py``
writes ``bplib/exercises/answers.json`` from them.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

from bplib.exercises import EXERCISES

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
_MARKERS = re.compile(rf"^    {BEGIN}\n(.+\n)+?    {END}\n\Z", re.M)


def attach(solution, bugs=None, zoo=None):
    """Give the registered exercise named like ``solution`` its reference solution, its
    bugs' functions (``{key: fn}``) and notebook 10's ``zoo`` (combo -> fn)."""
    ex = EXERCISES[solution.__name__]
    params = list(inspect.signature(solution).parameters)
    assert params == ex.params, f"{ex.name}: the solution takes {params}, not {ex.params}"
    ex.solution, ex.zoo = solution, zoo
    src = ex.function_source
    assert inspect.getdoc(solution), f"{ex.name}: the solution needs a docstring"
    assert src.count(BEGIN) == src.count(END) == 1 and _MARKERS.search(src), (
        f"{ex.name}: the body must end with the solution between `    {BEGIN}` and `    {END}`"
    )
    bugs = dict(bugs or {})
    for bug in ex.bugs:
        bug.fn = bugs.pop(bug.key, None)
    assert not bugs, f"{ex.name}: no such bugs: {sorted(bugs)}"
    return ex


MODULES = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name.startswith("nb"))

for _name in MODULES:
    _module = importlib.import_module(f"{__name__}.{_name}")
    for _solution in _module.SOLUTIONS:
        attach(
            _solution,
            _module.BUGS.get(_solution.__name__),
            getattr(_module, "ZOO", {}).get(_solution.__name__),
        )

_missing = [name for name, ex in EXERCISES.items() if ex.solution is None]
assert not _missing, f"exercises without a reference solution: {_missing}"


# ----------------------------------------------------------------------------
# What must never be shipped (tests/test_packaging.py scans the wheel with it)
# ----------------------------------------------------------------------------
def _normal(text):
    return " ".join(text.split())


def fingerprints():
    """Whitespace-normalised texts that must appear in no installed file.

    The nbgrader markers; every solution's marked body; and the source of every
    function (def or lambda, nested ones too) of the reference modules, which covers
    the solutions (def line, docstring and body), the bugs and their helpers.
    """
    out = {BEGIN, END}
    for name in MODULES:
        src = Path(__file__).with_name(f"{name}.py").read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(src)):
            if isinstance(node, (ast.FunctionDef, ast.Lambda)):
                out.add(_normal(ast.get_source_segment(src, node)))
    for ex in EXERCISES.values():
        body = ex.function_source.split(BEGIN, 1)[1].split(END, 1)[0]
        out.add(_normal(body))
    return out


def leaks(texts, public=()):
    """``(file, fingerprint)`` for every fingerprint found in ``texts`` ({file: text}).

    A fingerprint that one of the ``public`` texts holds is left out: the course library's
    own functions (``bplib.backward``, ``bplib.costs``, ...) are public by design, and a few
    one-line solutions are the same line as theirs (``return delta.mean(axis=0)``).
    """
    shared = _normal("\n".join(public))
    prints = sorted(p for p in fingerprints() if p not in shared)
    found = []
    for file, text in sorted(texts.items()):
        flat = _normal(text)
        found += [(file, p) for p in prints if p in flat]
    return found
