r"""The engine: the registry of exercises and bugs, and :func:`check` / :func:`hint`.

An :class:`Exercise` here holds everything a student may see: the statement, the
seeded test cases, the named bugs' messages, the hints. Its reference solution and
its bugs' functions are *not* part of the installed package: they live in the
repository's ``exercises/reference/`` (real functions, the nbgrader markers inside
the solution's body), and importing ``exercises.reference`` attaches them
(``ex.solution``, ``bug.fn``; ``ex.zoo`` for notebook 10).

:func:`check` calls the student's function on seeded test inputs and compares the
result with the stored right answer (``answers.json`` next to this module, written
from the reference by ``tools/exercise_answers.py``), with a tolerance. When they
differ it compares it with each named :class:`Bug`'s stored result on the same
input and, if one matches, names that bug.
An exercise with a bug keyed ``in_place`` (no function) also compares the inputs after
the call: a right result from a function that changed an input array names that bug.
Nothing the student's function does makes it raise, except under nbgrader
(``NBGRADER_EXECUTION`` is ``autograde`` or ``validate``).
"""

from __future__ import annotations

import ast
import copy
import dataclasses
import difflib
import functools
import html
import inspect
import json
import os
import re
import textwrap
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .feedback import Feedback, Hints

RTOL, ATOL = 1e-5, 1e-8
ANSWERS = Path(__file__).with_name("answers.json")

ACCUMULATE = (
    "Your function gives a different answer when called again with the same input: "
    "the second call returned about twice the first, so the gradients accumulate "
    "across calls. Start from fresh zeros (or compute the result directly) on every "
    "call, instead of adding into an array kept from before."
)


class TableFeedback(Feedback):
    """A :class:`Feedback` followed by a fixed-width table (one row per layer, notebook 10).

    The message is wrapped as usual; the table keeps its lines, in ``repr`` and as
    ``<pre>`` in HTML.
    """

    def __init__(self, name, status, message, bug=None, hints=(), table=""):
        super().__init__(name, status, message, bug, hints)
        self.table = table

    def __repr__(self):
        return super().__repr__() + (f"\n{self.table}" if self.table else "")

    def _repr_html_(self):
        out = super()._repr_html_()
        if not self.table:
            return out
        pre = (
            "<pre class='bplib-feedback-table' style='margin:6px 0 0 0;font-size:90%;"
            f"background:transparent'>{html.escape(self.table)}</pre>"
        )
        head, tail = out.rsplit("</div>", 1)
        return head + pre + "</div>" + tail


# ----------------------------------------------------------------------------
# Exercises and bugs
# ----------------------------------------------------------------------------
@dataclass
class Bug:
    """A deliberately broken variant, named ``key``, explained by ``message``.

    ``fn``, the broken function (the exercise's signature), is not installed: it is
    attached from ``exercises/reference/`` and its results are stored in
    ``answers.json``. A bug without a function is found by calling twice (state kept
    across calls, such as ``accumulate``).
    """

    key: str
    message: str
    fn: Callable | None = None


@dataclass
class Exercise:
    """One exercise: its notebook cells and how to check it.

    ``signature`` is the function the student writes, ``"output_error(a_L, y, z_L)"``:
    the exercise's name and parameters. ``cases()`` gives the argument tuples the
    checker passes (case 0 tells the bugs apart). ``broken`` is a deliberately broken
    function shown read-only before the solution cell (notebook 09).

    ``solution`` (the reference solution, a real function named like the exercise,
    with a docstring and the nbgrader markers inside its body) and ``zoo`` (notebook
    10's bug variants) are attached by ``exercises.reference`` in the repository;
    the installed package has neither, and checks against ``answers.json``.
    """

    notebook: str  # "04"
    title: str
    signature: str  # "output_error(a_L, y, z_L)": the function the student writes
    statement: str  # markdown: the task
    explanation: str  # markdown: why the solution is right (shown with it)
    cases: Callable  # () -> list of argument tuples; case 0 tells the bugs apart
    bugs: list
    hints: list
    correct: str  # the message shown when the answer is right
    imports: str = "import numpy as np\nfrom bplib import sigmoid"
    collect: Callable | None = None  # (returned, args) -> result to compare
    broken: Callable | None = None  # read-only code the student fixes
    broken_imports: str = "from bplib import sigmoid"
    # A whole-function checker (notebook 10): called with the _Checker once the function is
    # known to be callable with the right arguments; returns a Feedback. It replaces the
    # comparison below for exercises whose answer is checked layer by layer.
    custom_check: Callable | None = None
    # (case index, args) -> the message for an answer that is NaN or infinite on that case, or
    # None for the usual one (notebook 12: a case with a probability of exactly 0 on purpose)
    nonfinite: Callable | None = None
    # (exception, args) -> the message for an answer that raises it, or None for the usual one
    # (notebook 06: a matrix product whose shapes do not fit is the column form of a row formula);
    # it replaces the whole message, so the exception's own text is not shown
    raised: Callable | None = None
    # () -> the combinations of bug keys a custom check tries, tuples (notebook 10)
    zoo_combos: Callable | None = None
    # Attached from exercises/reference/ (not installed): the reference solution, and
    # notebook 10's combo -> broken function.
    solution: Callable | None = None
    zoo: Callable | None = None

    @property
    def name(self):
        return self.signature.split("(", 1)[0]

    @property
    def params(self):
        """The argument names, in the order the checker passes them."""
        inside = self.signature.split("(", 1)[1].rstrip(")")
        return [p.strip() for p in inside.split(",") if p.strip()]

    @property
    def reference(self):
        return self._attached().solution

    def _attached(self):
        if self.solution is None:
            raise LookupError(
                f"{self.name}: the reference solution is not installed with bplib; it is in "
                "the repository's exercises/reference/ (`import exercises.reference` attaches it)"
            )
        return self

    @property
    def function_source(self):
        """The source of the solution function: def line, docstring, marked solution."""
        return textwrap.dedent(inspect.getsource(self._attached().solution))

    @property
    def source(self):
        """The complete solution cell, nbgrader markers included."""
        head = f"{self.imports}\n\n\n" if self.imports else ""
        return head + self.function_source

    @property
    def broken_source(self):
        """The read-only cell of the broken function, or None."""
        if self.broken is None:
            return None
        return f"{self.broken_imports}\n\n\n{textwrap.dedent(inspect.getsource(self.broken))}"

    @property
    def check_line(self):
        return f'check("{self.name}", {self.name})'


EXERCISES: dict = {}


def register(ex):
    """Add ``ex`` to the registry (the order of registration is the order in the notebook)."""
    assert ex.name not in EXERCISES, ex.name
    assert re.fullmatch(r"\w+\((\w+(, \w+)*)?\)", ex.signature), ex.signature
    EXERCISES[ex.name] = ex
    return ex


def exercises_for(notebook):
    """The exercises of a notebook ('05' or '05_output_error'), in order."""
    return [ex for ex in EXERCISES.values() if ex.notebook == str(notebook)[:2]]


# ----------------------------------------------------------------------------
# Comparing results: arrays nested in tuples; None where a list indexed by layer
# has no entry (index 0, the input layer)
# ----------------------------------------------------------------------------
class _Stop(Exception):
    """Carries a Feedback out of the checking steps."""

    def __init__(self, feedback):
        super().__init__(feedback.message)
        self.feedback = feedback


def _shapes(x):
    if x is None:
        return "None"
    if isinstance(x, tuple):
        return "[" + ", ".join(_shapes(v) for v in x) + "]"
    return str(x.shape)


def _describe(x):
    if isinstance(x, tuple):
        return f"{len(x)} values with shapes {_shapes(x)}"
    return "a number" if x.ndim == 0 else f"an array of shape {x.shape}"


def _structure(x):
    if x is None:
        return None
    return tuple(_structure(v) for v in x) if isinstance(x, tuple) else x.shape


def _as_result(x, top=True):
    """What a function returned, as float arrays nested in tuples (lists become tuples).

    ``None`` inside a list stays ``None`` (``W[0]``, the input layer, is None).
    """
    if x is None and not top:
        return None
    if isinstance(x, (list, tuple)):
        if x and all(isinstance(v, (int, float, bool, np.number)) for v in x):
            return np.asarray(x, dtype=float)
        return tuple(_as_result(v, top=False) for v in x)
    arr = np.asarray(x)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"not numbers: {type(x).__name__}")
    return arr.astype(float)


def _finite(x):
    if x is None:
        return True
    return all(_finite(v) for v in x) if isinstance(x, tuple) else bool(np.isfinite(x).all())


def _close(a, b):
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, tuple) != isinstance(b, tuple):
        return False
    if isinstance(a, tuple):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))


def _flat(x):
    if x is None:
        return np.zeros(0)
    if isinstance(x, tuple):
        return np.concatenate([np.zeros(0)] + [_flat(v) for v in x])
    return x.reshape(-1)


def _scale(x, c):
    if x is None:
        return None
    return tuple(_scale(v, c) for v in x) if isinstance(x, tuple) else x * c


def _by_layer(x):
    """Whether ``x`` is a list indexed by layer: None at index 0, then arrays."""
    return isinstance(x, tuple) and len(x) > 1 and x[0] is None


def _arg_text(ex, args):
    parts = []
    for name, a in zip(ex.params, args):
        if isinstance(a, np.ndarray):
            parts.append(f"{name} of shape {a.shape}")
        elif isinstance(a, (list, tuple)) and len(a) > 1 and a[0] is None:
            parts.append(f"{name} a list indexed by layer 0..{len(a) - 1} ({name}[0] is None)")
        elif isinstance(a, (list, tuple)) and a and isinstance(a[0], np.ndarray):
            parts.append(f"{name} a list of {len(a)} arrays")
        elif isinstance(a, np.random.Generator):  # its repr holds a memory address
            parts.append(f"{name} a seeded np.random.Generator")
        elif hasattr(a, "grad_a") and hasattr(a, "name"):  # a cost (notebook 10)
            parts.append(f"{name} the cost {a.name} (`{name}.grad_a`)")
        elif hasattr(a, "fn") and hasattr(a, "prime") and hasattr(a, "name"):
            parts.append(f"{name} the activation {a.name} (`{name}.fn`, `{name}.prime`)")
        elif callable(a):
            parts.append(f"{name} a function")
        else:
            parts.append(f"{name} = {a!r}")
    return ", ".join(parts)


def _grading():
    return os.environ.get("NBGRADER_EXECUTION", "").lower() in ("autograde", "validate")


# ----------------------------------------------------------------------------
# The right answers and the bugs' results, per test case
# ----------------------------------------------------------------------------
def _run(ex, fn, args, after=None):
    """Call ``fn`` on fresh copies of ``args``; return what it returned (collected).

    ``after``, a list, receives the copies as the call left them (to see what it changed).
    """
    args = copy.deepcopy(args)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = fn(*args)
    if after is not None:
        after.append(args)
    return ex.collect(out, args) if ex.collect else out


def _same(before, after):
    """Whether the argument ``after`` still holds what ``before`` held (arrays entry by entry,
    lists and tuples item by item; anything else is not compared)."""
    if isinstance(before, np.ndarray):
        return (
            isinstance(after, np.ndarray)
            and before.shape == after.shape
            and bool(np.all((before == after) | ((before != before) & (after != after))))
        )
    if isinstance(before, (list, tuple)):
        return (
            isinstance(after, (list, tuple))
            and len(before) == len(after)
            and all(_same(b, a) for b, a in zip(before, after))
        )
    return True


def _result_or_none(ex, fn, args):
    """``fn``'s result on ``args`` as arrays, or None if it raises or returns no numbers."""
    try:
        return _as_result(_run(ex, fn, args))
    except Exception:  # noqa: BLE001 - a variant that cannot run on these shapes
        return None


def _error_of(ex, fn, args):
    """``[type name, message]`` of the exception ``fn`` raises on ``args``, or None."""
    try:
        _run(ex, fn, args)
    except Exception as e:  # noqa: BLE001 - the error itself is the result
        return [type(e).__name__, str(e)]
    return None


def compute_answers(ex):
    """What ``answers.json`` stores for ``ex``, from its attached reference (as plain data).

    ``expected``: the right result of every case; ``bugs``: each bug's result per case
    (None where it raises); for notebook 10, ``zoo``: each combination's result per case
    and ``zoo_errors``: the exception of each single bug per case.
    """
    ex._attached()
    cases = ex.cases()
    out = {"expected": [_encode(_as_result(_run(ex, ex.solution, args))) for args in cases]}
    bugs = {b.key: b.fn for b in ex.bugs if b.fn is not None}
    if bugs:
        out["bugs"] = {
            key: [_encode(_result_or_none(ex, fn, args)) for args in cases]
            for key, fn in bugs.items()
        }
    if ex.zoo_combos is not None:
        combos = ex.zoo_combos()
        out["zoo"] = {
            "+".join(c): [_encode(_result_or_none(ex, ex.zoo(c), args)) for args in cases]
            for c in combos
        }
        out["zoo_errors"] = {
            c[0]: [_error_of(ex, ex.zoo(c), args) for args in cases] for c in combos if len(c) == 1
        }
    return out


def _encode(x):
    """A result (float arrays nested in tuples, None inside) as JSON data; floats exact."""
    if x is None:
        return None
    if isinstance(x, tuple):
        return {"tuple": [_encode(v) for v in x]}
    return {"shape": list(x.shape), "values": [float(v) for v in x.reshape(-1)]}


def _decode(d, arrays=()):
    """The inverse of :func:`_encode`; ``{"array": i}`` is ``arrays[i]`` (answers.json
    keeps each distinct array once: many bugs share most layers)."""
    if d is None:
        return None
    if "tuple" in d:
        return tuple(_decode(v, arrays) for v in d["tuple"])
    if "array" in d:
        d = arrays[d["array"]]
    return np.array(d["values"], dtype=float).reshape(d["shape"])


def pool_arrays(answers):
    """``{"arrays": [...], "answers": ...}``: ``answers`` (name -> :func:`compute_answers`)
    with each distinct array stored once and referred to by its index."""
    arrays, index = [], {}

    def walk(x):
        if isinstance(x, dict) and "values" in x:
            key = json.dumps(x)
            if key not in index:
                index[key] = len(arrays)
                arrays.append(x)
            return {"array": index[key]}
        if isinstance(x, dict):
            return {k: walk(v) for k, v in x.items()}
        if isinstance(x, list):
            return [walk(v) for v in x]
        return x

    pooled = walk(answers)
    return {"arrays": arrays, "answers": pooled}


@functools.cache
def _stored():
    """answers.json: exercise name -> the data of :func:`compute_answers` (arrays pooled)."""
    try:
        return json.loads(ANSWERS.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {"arrays": [], "answers": {}}


class _Answers:
    """The right answer and the bugs' results of one exercise, case by case.

    From ``answers.json`` (the installed package); computed from the attached
    reference only for an exercise the file does not hold yet (while writing one).
    """

    def __init__(self, ex):
        self.ex = ex
        stored = _stored()
        self.arrays = stored["arrays"]
        data = stored["answers"].get(ex.name)
        if data is None:
            if ex.solution is None:
                raise LookupError(
                    f"{ex.name}: no stored answers; run tools/exercise_answers.py in the repository"
                )
            data = compute_answers(ex)
        self.data = data
        self._cache = {}

    def _get(self, section, key, i):
        k = (section, key, i)
        if k not in self._cache:
            values = self.data[section] if key is None else self.data.get(section, {}).get(key)
            v = None if values is None else values[i]
            self._cache[k] = v if section == "zoo_errors" else _decode(v, self.arrays)
        return self._cache[k]

    def expected(self, i):
        return self._get("expected", None, i)

    def bug(self, key, i):
        """The bug's result on case ``i``, or None (no function, or it raised)."""
        return self._get("bugs", key, i)

    def zoo(self, combo, i):
        return self._get("zoo", "+".join(combo), i)

    def zoo_error(self, key, i):
        return self._get("zoo_errors", key, i)


# ----------------------------------------------------------------------------
# Running the student's function
# ----------------------------------------------------------------------------
class _Checker:
    def __init__(self, ex, fn):
        self.ex, self.fn = ex, fn
        self.answers = _Answers(ex)
        self.index = 0  # the test case being checked
        self.changed = []  # the inputs the student's last call changed in place

    def feedback(self, status, message, bug=None, hints=()):
        return Feedback(self.ex.name, status, message, bug, hints)

    def stop(self, status, message, bug=None, hints=()):
        raise _Stop(self.feedback(status, message, bug, hints))

    def call(self, fn, args, after=None):
        """Call ``fn`` on fresh copies of ``args``; return what it returned (collected)."""
        return _run(self.ex, fn, args, after)

    def student(self, args, which):
        """The student's result on ``args`` as arrays, or a _Stop with a friendly message.

        Sets ``self.changed``: the names of the inputs the call changed in place.
        """
        after = []
        try:
            out = self.call(self.fn, args, after)
        except NotImplementedError:
            self.stop(
                "not attempted",
                "The function still raises NotImplementedError. Write your "
                "answer in the cell above in place of `raise NotImplementedError(...)`, run "
                "that cell, then run this one.",
            )
        except Exception as e:  # noqa: BLE001 - any error becomes a message, never a traceback
            self.stop("error", self.error_message(e, args, which))
        if out is None:
            self.stop(
                "error",
                f"Your function returned None: is the `return` missing? It should "
                f"return {_describe(self.expected(args))}.",
            )
        want = self.expected(args)
        try:
            got = _as_result(out)
        except (TypeError, ValueError):
            self.stop(
                "error",
                f"Your function returned {type(out).__name__} {str(out)[:60]!r}, "
                f"not numbers; it should return {_describe(want)}.",
            )
        if not _finite(got):
            special = self.ex.nonfinite(self.index, args) if self.ex.nonfinite else None
            self.stop(
                "error",
                special
                or "Your function returned NaN (not a number) or infinity "
                f"{which}. The test inputs are small and ordinary numbers, so look for a "
                "division by zero, a log of 0 or an exp that overflows; the right answer is "
                "finite everywhere.",
            )
        self.changed = [
            name for name, b, a in zip(self.ex.params, args, after[0]) if not _same(b, a)
        ]
        return got

    def in_place(self):
        """The ``in_place`` bug's feedback if the last call changed an input, else None."""
        bug = next((b for b in self.ex.bugs if b.key == "in_place"), None)
        if bug is None or not self.changed:
            return None
        return self.feedback("wrong", bug.message, bug.key)

    def expected(self, args):
        """The right result of the current case (``self.index``; ``args`` are its arguments)."""
        return self.answers.expected(self.index)

    def error_message(self, e, args, which):
        ex, text = self.ex, f"{type(e).__name__}: {e}"
        special = ex.raised(e, args) if ex.raised else None
        if special:
            return (
                f"Your function stopped with an error {which}, called as {ex.name}("
                f"{_arg_text(ex, args)}). {special}"
            )
        raised = text[:300].strip()
        msg = (
            f"{which[:1].upper()}{which[1:]}, called as {ex.name}({_arg_text(ex, args)}), "
            f"your function raised {raised}{'' if raised.endswith(('.', '!', '?')) else '.'}"
        )
        low = str(e).lower()
        if isinstance(e, TypeError) and (
            "positional argument" in low or "argument" in low and "takes" in low
        ):
            msg += (
                f" The checker calls it with {len(ex.params)} arguments, "
                f"({', '.join(ex.params)}), in that order."
            )
        elif "nonetype" in low and any(isinstance(a, list) and a and a[0] is None for a in args):
            msg += (
                " The lists are indexed by layer, and index 0, the input layer, holds None: "
                "it has no parameters. Go over the layers l = 1 .. L, "
                "`for l in range(1, len(W))`."
            )
        elif "broadcast" in low or "matmul" in low or "shapes" in low or "aligned" in low:
            stored = "; W is stored (n_out, n_in)" if "W" in ex.params else ""
            msg += (
                " Two arrays with shapes that do not fit met. Write the shape next to each "
                f"term (rows are examples{stored}) and check where a "
                "transpose belongs, and whether the product is `@` or element-wise `*`."
            )
        elif isinstance(e, NameError):
            msg += " A name is not defined: is it imported, or is it defined in a cell you "
            msg += "have not run yet?"
        return msg

    def match_bug(self, args, got):
        for bug in self.ex.bugs:
            variant = self.answers.bug(bug.key, self.index)
            if variant is not None and _close(got, variant):
                return bug
        return None

    def repeat_differs(self, args, first):
        """Call again with the same input: a different answer means state kept across calls."""
        try:
            again = self.student(args, "on a second call with the same input")
        except _Stop:
            return None
        if _close(again, first):
            return None
        ratio = _flat(again) @ _flat(first) / max(_flat(first) @ _flat(first), 1e-300)
        accumulate = any(b.key == "accumulate" for b in self.ex.bugs) or abs(ratio - 2) < 0.2
        if abs(ratio - 2) < 0.2 and accumulate:
            return self.feedback("wrong", ACCUMULATE, "accumulate")
        return self.feedback(
            "wrong",
            "Your function gives a different answer when called again "
            "with the same input, so it keeps state between calls (a global "
            "array, or an input changed in place). Compute the result afresh "
            "on every call.",
            "state",
        )

    def shape_message(self, got, want):
        msg = f"Your function returned {_describe(got)}, but the answer is {_describe(want)}."
        if not isinstance(got, tuple) and not isinstance(want, tuple):
            if got.ndim == 2 and got.shape == want.shape[::-1]:
                msg += " It looks transposed: rows are examples" + (
                    ", and W is stored (n_out, n_in)." if "W" in self.ex.params else "."
                )
            elif want.ndim == 0 and got.size == 1:
                msg += (
                    " It holds the right count of values, one, but inside an array: return the "
                    "number itself, float(...) of it."
                )
            elif want.ndim == 0 and got.ndim >= 1:
                msg += " Reduce it to one number: which sum or mean is missing?"
            elif got.size == want.size:
                msg += (
                    f" It holds the right count of values, {want.size}, in another shape: you "
                    "flattened or reshaped it (np.ravel, .reshape, keepdims, a list). Return "
                    "the shape the statement gives."
                )
            elif got.ndim < want.ndim:
                msg += " A sum or mean went over an axis that should stay."
            elif got.ndim > want.ndim:
                extra = [ax for ax, m in enumerate(got.shape) if m not in want.shape]
                if len(extra) == 1:
                    msg += f" A sum or mean over axis {extra[0]} (length {got.shape[extra[0]]}) may be missing."
                else:
                    msg += " A sum or mean over the examples (axis 0) may be missing."
            else:
                msg += " Write the shape next to each term and follow them through."
        elif isinstance(want, tuple) and (not isinstance(got, tuple) or len(got) != len(want)):
            msg += (
                f" Return {len(want)} things, separated by commas, in the order the "
                "exercise gives them."
            )
        elif any(
            _by_layer(w) and not (isinstance(g, tuple) and len(g) == len(w) and g[0] is None)
            for g, w in zip(got, want)
        ):
            msg += (
                " Return lists indexed by layer, like W and b: index 0, the input layer, "
                "holds None, and layer l's array is at index l (a list of length L + 1)."
            )
        return msg

    def wrong_values(self, got, want):
        diff = np.abs(_flat(got) - _flat(want))
        i = int(np.argmax(diff))
        g, w = _flat(got)[i], _flat(want)[i]
        msg = (
            f"Your function returns the right shape but different values: one entry is "
            f"{g:.4g} where the answer has {w:.4g}."
        )
        denom = _flat(want) @ _flat(want)
        if denom > 0:
            c = _flat(got) @ _flat(want) / denom
            if _close(got, _scale(want, c)) and abs(c) > 1e-6 and self.same_factor(c, want):
                msg += (
                    f" Every value is {c:.4g} times the right one: look for a misplaced "
                    "constant factor (a ½, a 2, an η or a 1/n) or sign."
                )
        return msg

    def same_factor(self, c, want):
        """Whether "every value is c times the right one" says something: at least two values
        were compared, or (a single number) the function gives c times the answer on every
        other test case too. Any single number is some multiple of another."""
        if _flat(want).size >= 2:
            return True
        here, cases, others = self.index, self.ex.cases(), 0
        try:
            for i, args in enumerate(cases):
                if i == here:
                    continue
                self.index = i
                got_i, want_i = self.student(args, "on another test"), self.expected(args)
                if _structure(got_i) != _structure(want_i) or not _close(got_i, _scale(want_i, c)):
                    return False
                others += 1
        except _Stop:
            return False
        finally:
            self.index = here
        return others > 0

    def run(self):
        ex = self.ex
        if not callable(self.fn):
            self.stop(
                "error",
                f"check needs your function itself: `{ex.check_line}`, with no "
                f"parentheses after the function's name. It got {type(self.fn).__name__}. "
                f"If the check cell is as given, `{ex.name}` now names something else: an "
                "earlier cell that uses the same name was run after your function, so run "
                "the cell with your function again, then this one.",
            )
        try:
            inspect.signature(self.fn).bind(*ex.params)
        except TypeError:
            self.stop(
                "error",
                f"Your function should take {len(ex.params)} arguments, "
                f"({', '.join(ex.params)}), in that order.",
            )
        except ValueError:  # no signature (a builtin): just try it
            pass
        if ex.custom_check is not None:
            return ex.custom_check(self)
        cases = ex.cases()
        for i, args in enumerate(cases):
            self.index = i
            which = "on the test input" if i == 0 else "on a second test, with other shapes"
            got = self.student(args, which)
            want = self.expected(args)
            if _close(got, want):
                state = self.in_place()
                if state is not None:
                    return state
                if i == 0:
                    state = self.repeat_differs(args, got)
                    if state is not None:
                        return state
                continue
            bug = self.match_bug(args, got)
            if bug is not None:
                return self.feedback("wrong", bug.message, bug.key)
            if i == 0:
                state = self.repeat_differs(args, got)
                if state is not None:
                    return state
            if _structure(got) != _structure(want):
                return self.feedback("wrong", self.shape_message(got, want), "shape", ex.hints[:1])
            msg = self.wrong_values(got, want)
            if i > 0:
                msg = (
                    "It was right on the first test but not "
                    + which[3:]
                    + ": "
                    + _arg_text(ex, args)
                    + ". "
                    + msg
                )
            return self.feedback("wrong", msg, None, ex.hints[:1])
        return self.feedback("correct", ex.correct)


def _exercise(name):
    if name not in EXERCISES:
        close = difflib.get_close_matches(str(name), list(EXERCISES), n=1)
        hint_ = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(
            f"unknown exercise {name!r}.{hint_} The exercises are: {', '.join(EXERCISES)}."
        )
    return EXERCISES[name]


def usual_comparison(checker, fn):
    """The exercise's usual comparison, its custom check left out, with ``fn`` (a wrapper
    that watches the reader's function) called in place of the reader's function; the
    feedback of a stop is returned, never raised."""
    plain = dataclasses.replace(checker.ex, custom_check=None)
    try:
        return _Checker(plain, fn).run()
    except _Stop as stop:
        return stop.feedback


_LOOPS = {
    ast.For: "a `for` loop",
    ast.AsyncFor: "a `for` loop",
    ast.While: "a `while` loop",
    ast.ListComp: "a list comprehension (a `for` inside brackets)",
    ast.GeneratorExp: "a generator expression (a `for` inside parentheses)",
    ast.SetComp: "a set comprehension (a `for` inside braces)",
    ast.DictComp: "a dict comprehension (a `for` inside braces)",
}


def python_loops(fn):
    """The Python loops in the source of ``fn`` (and of the functions defined inside it): a
    list of (what, line) pairs, ``line`` being the first line of the loop as written, in the
    order they appear; [] for none. None when the source cannot be read or told apart (a
    builtin, a function made by exec, two lambdas on one line): then nothing is said."""
    code = getattr(fn, "__code__", None)
    try:
        text = textwrap.dedent("".join(inspect.getsourcelines(fn)[0]))
        tree = ast.parse(text)
    except (OSError, TypeError, SyntaxError, ValueError):
        return None
    if code is None:
        return None
    if code.co_name == "<lambda>":  # the lines of the statement that holds the lambda
        found = [node for node in ast.walk(tree) if isinstance(node, ast.Lambda)]
    else:  # the function's own block, from its def (or its decorators)
        found = [
            node
            for node in tree.body[:1]
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.name == code.co_name
        ]
    if len(found) != 1:
        return None
    text = text.splitlines()
    loops = sorted(
        (n.lineno, n.col_offset, _LOOPS[type(n)]) for n in ast.walk(found[0]) if type(n) in _LOOPS
    )
    return [(what, text[row - 1].strip()) for row, _, what in loops]


def no_loop_check(advice):
    """A ``custom_check`` for an exercise that asks for no loop over the examples: the usual
    comparison, and then, only if the numbers are right, a Python loop in the reader's
    function (read from its source with :func:`python_loops`) turns 'correct' into 'wrong'
    (bug ``"loop"``), with ``advice`` (what does the work without a loop, not the answer).
    If the source cannot be read, the numbers alone decide."""

    def check_no_loop(checker):
        feedback = usual_comparison(checker, checker.fn)
        if not feedback.passed:
            return feedback
        loops = python_loops(checker.fn)
        if not loops:
            return feedback
        what, line = loops[0]
        return checker.feedback(
            "wrong",
            f"Right numbers, but your function has {what}, `{line}`: it works through the "
            "batch one piece at a time in Python, and the exercise asks for no loop. "
            f"{advice} (A loop over the examples in Python is what numpy does for you, in "
            "compiled code, many times faster on a real batch.)",
            "loop",
        )

    return check_no_loop


def feedback_for(name, fn):
    """What :func:`check` says about ``fn``, as a :class:`Feedback`, even under nbgrader.

    For notebook cells that act on the answer (notebook 10 trains with it only when its
    checks pass): it never raises and never prints.
    """
    ex = _exercise(name)
    try:
        return _Checker(ex, fn).run()
    except _Stop as stop:
        return stop.feedback


def check(name, fn):
    """Check the student's ``fn`` for exercise ``name``; return a :class:`Feedback`.

    Never raises for anything the student's function does, except under nbgrader
    (``NBGRADER_EXECUTION`` = autograde or validate), where a result other than
    'correct' raises AssertionError so that the graded cell fails, and a correct
    one is printed (and None returned) so that nbgrader gives the full point.
    """
    ex = _exercise(name)
    try:
        feedback = _Checker(ex, fn).run()
    except _Stop as stop:
        feedback = stop.feedback
    if _grading():
        if not feedback.passed:
            raise AssertionError(repr(feedback))
        # nbgrader reads a test cell's result as partial credit if it is a number and
        # warns about anything else, so print the feedback instead of returning it.
        print(repr(feedback))
        return None
    return feedback


def hint(name):
    """The hints of exercise ``name``; in a notebook each one is folded until opened."""
    ex = _exercise(name)
    return Hints(ex.name, ex.hints)
