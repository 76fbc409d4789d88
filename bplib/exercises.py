r"""Exercises with feedback that names the likely bug.

In a notebook the student fills in a function, and the next cell checks it in
one line::

    from bplib.exercises import check, hint
    check("output_error", output_error)

The checker calls the function on seeded test inputs and compares the result
with the right answer, with a tolerance (never exact float equality). When
they differ it also runs deliberately broken variants (sigma' at the next
layer's z, a missing sigma', a missing transpose, the flipped sign, the
missing 1/n, the factor 2, ...) and, if one matches, names that bug. A
function still raising ``NotImplementedError`` reports "not attempted"; an
exception, NaN or a wrong shape gives a short message, never a traceback. So
"Run All" never stops at an exercise.

Under nbgrader (``NBGRADER_EXECUTION`` is ``autograde`` or ``validate``) a
result other than "correct" raises ``AssertionError`` with the same message,
so the graded check cell fails and scores zero.

Every exercise also carries the text of its notebook cells (statement,
solution, collapsed solution); ``tools/exercise_cells.py`` turns them into
cells. See ``docs/exercise_cells.md``.
"""
from __future__ import annotations

import copy
import difflib
import html
import inspect
import itertools
import os
import re
import textwrap
import warnings
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .activations import sigmoid

__all__ = ["check", "hint", "Feedback", "Hints", "Exercise", "Bug", "EXERCISES",
           "exercises_for", "BROKEN_BACKPROP_SOURCE"]

RTOL, ATOL = 1e-5, 1e-8
STATUSES = ("correct", "not attempted", "wrong", "error")
_COLORS = {"correct": "#2e7d32", "not attempted": "#757575", "wrong": "#e65100", "error": "#c62828"}
_ICONS = {"correct": "✔", "not attempted": "…", "wrong": "✘", "error": "⚠"}

s, sp = sigmoid.fn, sigmoid.prime  # short names for the variants below


# ----------------------------------------------------------------------------
# What a check returns
# ----------------------------------------------------------------------------
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
        color = _COLORS[self.status]
        hints = "".join(
            f"<details style='margin-top:4px'><summary>Hint {i}</summary>"
            f"<div style='margin-left:1em'>{_code_html(h)}</div></details>"
            for i, h in enumerate(self.hints, 1))
        return (f"<div style='border-left:6px solid {color};padding:6px 10px;margin:4px 0;"
                f"background:rgba(127,127,127,0.06)'>"
                f"<b style='color:{color}'>{_ICONS[self.status]} {html.escape(self.headline)}</b>"
                f"<div style='margin-top:4px'>{_code_html(self.message)}</div>{hints}</div>")


class Hints:
    """The hints of one exercise: each one folded in a notebook, all listed in text."""

    def __init__(self, name, hints):
        self.name, self.hints = name, list(hints)

    def __repr__(self):
        return "\n".join([f"Hints for {self.name}:"] + [
            textwrap.fill(f"{i}. {h}", 92, subsequent_indent="   ")
            for i, h in enumerate(self.hints, 1)])

    def _repr_html_(self):
        items = "".join(f"<details><summary>Hint {i}</summary><div style='margin-left:1em'>"
                        f"{_code_html(h)}</div></details>" for i, h in enumerate(self.hints, 1))
        return f"<div><b>Hints for {html.escape(self.name)}</b> (open one at a time){items}</div>"


# ----------------------------------------------------------------------------
# Exercises and bugs
# ----------------------------------------------------------------------------
@dataclass
class Bug:
    """A deliberately broken variant: ``fn`` has the exercise's signature.

    ``fn=None`` marks a bug found by calling twice (state kept across calls).
    """

    key: str
    message: str
    fn: Callable | None = None


@dataclass
class Exercise:
    name: str
    notebook: str
    title: str
    params: list            # argument names, in the order the checker passes them
    doc: str                # the docstring of the student's function
    solution: str           # the body between the solution markers
    statement: str          # markdown: the task
    explanation: str        # markdown: why the solution is right (shown with it)
    cases: Callable         # () -> list of argument tuples; case 0 tells the bugs apart
    bugs: list
    hints: list
    correct: str            # the message shown when the answer is right
    imports: str = "import numpy as np\nfrom bplib import sigmoid"
    collect: Callable | None = None   # (returned, args) -> result to compare
    _reference: Callable | None = field(default=None, repr=False)

    @property
    def source(self):
        """The complete solution cell, nbgrader markers included."""
        body = textwrap.indent(self.solution.strip("\n"), "    ")
        doc = textwrap.indent(self.doc.strip("\n"), "    ").strip()
        doc = f'"""{doc}\n    """' if "\n" in doc else f'"""{doc}"""'
        head = f"{self.imports}\n\n\n" if self.imports else ""
        return (f"{head}def {self.name}({', '.join(self.params)}):\n    {doc}\n"
                f"    ### BEGIN SOLUTION\n{body}\n    ### END SOLUTION\n")

    @property
    def check_line(self):
        return f'check("{self.name}", {self.name})'

    @property
    def reference(self):
        if self._reference is None:
            namespace = {}
            exec(compile(self.source, f"<solution {self.name}>", "exec"), namespace)
            self._reference = namespace[self.name]
        return self._reference


EXERCISES: dict = {}


def _register(ex):
    assert ex.name not in EXERCISES, ex.name
    EXERCISES[ex.name] = ex
    return ex


def exercises_for(notebook):
    """The exercises of a notebook ('04' or '04_output_error'), in order."""
    return [ex for ex in EXERCISES.values() if ex.notebook == str(notebook)[:2]]


def _rng(seed):
    return np.random.default_rng(seed)


# ----------------------------------------------------------------------------
# 01 cost
# ----------------------------------------------------------------------------
def _cost_cases():
    r = _rng(101)
    A, Y = r.uniform(0, 1, (5, 3)), np.eye(3)[[0, 2, 1, 1, 0]]
    A2, Y2 = r.uniform(0, 1, (7, 2)), r.uniform(0, 1, (7, 2))
    return [(A, Y), (A2, Y2)]


_register(Exercise(
    name="batch_cost", notebook="01", title="the cost of a batch",
    imports="import numpy as np",
    params=["A", "Y"],
    doc="""Mean over the rows of C_k = 1/2 ||a_k - y_k||^2.

A, Y : (n, n_L) arrays, one example per row.   Returns one number.""",
    solution="return np.mean(0.5 * np.sum((A - Y) ** 2, axis=1))",
    statement=r"""Write `batch_cost(A, Y)`: the cost of a batch, the mean over the $n$ rows of
$C_k = \tfrac12 \lVert a_k - y_k \rVert^2$ (the convention bplib uses), equation (4):

$$C = \frac1n \sum_{k=0}^{n-1} \tfrac12 \lVert a_k - y_k \rVert^2 .$$

`A` and `Y` have one example per row, shape `(n, n_L)`. Return one number.""",
    explanation="Square element-wise, sum over the output nodes of each row (`axis=1`), "
                "halve, then average over the rows.",
    cases=_cost_cases,
    bugs=[
        Bug("factor_2", "Your cost is twice the right one: the ½ is missing. Here C_k = ½‖a − y‖² "
            "(bplib's convention); the seed's (a − y)² has no ½, and that puts a factor 2 into every "
            "gradient.", lambda A, Y: np.mean(np.sum((A - Y) ** 2, axis=1))),
        Bug("no_mean", "You summed the per-example costs instead of averaging them: the 1/n is "
            "missing. The cost of a batch is the mean of C_k over the rows, so it does not grow "
            "with the batch size.", lambda A, Y: 0.5 * np.sum((A - Y) ** 2)),
        Bug("mean_all", "You averaged over the output nodes too: `np.mean` of the whole array "
            "divides by n·n_L. Sum over the nodes of each example (`axis=1`), then average over "
            "the examples.", lambda A, Y: 0.5 * np.mean((A - Y) ** 2)),
        Bug("not_squared", "The distance is not squared: C_k = ½‖a − y‖² is half the squared "
            "length, not half the length.",
            lambda A, Y: np.mean(0.5 * np.linalg.norm(A - Y, axis=1))),
        Bug("per_row", "You returned one cost per example, C_k for each row; the cost of the "
            "batch is their mean, one number.",
            lambda A, Y: 0.5 * np.sum((A - Y) ** 2, axis=1)),
    ],
    hints=["Square element-wise: `(A - Y) ** 2` has shape (n, n_L).",
           "C_k sums over the output nodes of row k: `np.sum(..., axis=1)`, shape (n,).",
           "The batch cost is the mean of the n values C_k; don't forget the ½."],
    correct="The batch cost is the mean of ½‖a − y‖² over the rows.",
))


def _cost_gradient_cases():
    r = _rng(102)
    return [(r.uniform(0, 1, (5, 3)), np.eye(3)[[1, 0, 2, 2, 1]]),
            (r.uniform(0, 1, (4, 2)), r.uniform(0, 1, (4, 2)))]


_register(Exercise(
    name="cost_gradient", notebook="01", title="the gradient of the cost of one example",
    imports="import numpy as np",
    params=["a", "y"],
    doc="""The gradient of C_k = 1/2 ||a - y||^2 with respect to a, for every row.

a, y : (n, n_L).   Returns (n, n_L).""",
    solution="return a - y",
    statement=r"""Write `cost_gradient(a, y)`: the gradient $\nabla_a C_k$ of
$C_k = \tfrac12 \lVert a - y \rVert^2$ with respect to the output activations $a$, for each
example (row). Return an array shaped like `a`.""",
    explanation=r"$\partial C_k / \partial a_j = \tfrac12 \cdot 2 (a_j - y_j) = a_j - y_j$: "
                "the ½ cancels the 2 of the exponent.",
    cases=_cost_gradient_cases,
    bugs=[
        Bug("factor_2", "Your gradient is twice the right one: that is the gradient of (a − y)², "
            "the seed's cost without the ½. With C_k = ½‖a − y‖² the 2 from the exponent cancels "
            "the ½.", lambda a, y: 2 * (a - y)),
        Bug("stray_half", "Your gradient is half the right one: the ½ of the cost cancels "
            "against the 2 that comes down from the exponent; don't keep both.",
            lambda a, y: 0.5 * (a - y)),
        Bug("sign", "The sign is flipped: ∂/∂a ½(a − y)² = a − y, positive when a is above its "
            "target, so that descent pulls a down.", lambda a, y: y - a),
        Bug("squared", "That is the cost per node, not its derivative: differentiate "
            "½(a − y)² with respect to a.", lambda a, y: 0.5 * (a - y) ** 2),
        Bug("squared_no_half", "That is (a − y)², the cost per node, not its derivative.",
            lambda a, y: (a - y) ** 2),
    ],
    hints=["Differentiate ½(a_j − y_j)² with respect to a_j, one node at a time.",
           "The result is element-wise, with the same shape as `a`; no sum, no mean."],
    correct="∇_a C_k = a − y: the ½ cancels the 2 of the exponent.",
))


# ----------------------------------------------------------------------------
# 02 gradient descent
# ----------------------------------------------------------------------------
def _gd_step_cases():
    r = _rng(201)
    return [(r.normal(0, 1, 4), r.normal(0, 1, 4), 0.3),
            (r.normal(0, 1, (2, 3)), r.normal(0, 1, (2, 3)), 0.05)]


_register(Exercise(
    name="gd_step", notebook="02", title="one step of gradient descent",
    imports="import numpy as np",
    params=["theta", "grad", "eta"],
    doc="""One step of gradient descent: the new parameters.

theta, grad : arrays of the same shape;  eta : the learning rate.""",
    solution="return theta - eta * grad",
    statement=r"""Write `gd_step(theta, grad, eta)`: one step of gradient descent,
$\theta \leftarrow \theta - \eta \nabla C$. `grad` is $\nabla C$ at `theta`, with the same
shape; return the new parameters. (The seed says "add"; which sign goes downhill?)""",
    explanation=r"The gradient points uphill, so a step against it, $-\eta\nabla C$, lowers "
                "the cost for a small enough η.",
    cases=_gd_step_cases,
    bugs=[
        Bug("added", "This looks like you added η∇C. The seed says to add the gradient times the "
            "learning rate, but the gradient points uphill: adding climbs. Descent subtracts, "
            "θ ← θ − η∇C.", lambda theta, grad, eta: theta + eta * grad),
        Bug("no_eta", "The learning rate η is missing: the step is −η∇C, not −∇C.",
            lambda theta, grad, eta: theta - grad),
        Bug("divided_by_eta", "You divided by η; the step is the gradient times η.",
            lambda theta, grad, eta: theta - grad / eta),
        Bug("step_only", "You returned only the step −η∇C; the new parameters are θ plus that "
            "step.", lambda theta, grad, eta: -eta * grad),
    ],
    hints=["The gradient points in the direction in which C grows fastest.",
           "Move θ a distance proportional to η against the gradient."],
    correct="θ − η∇C: a step against the gradient, downhill.",
))


def _descend_grad(theta):
    # C(theta) = sum(theta^2 / 2 + theta^4 / 4): its gradient changes as theta moves.
    return theta + theta ** 3


def _descend_cases():
    return [(_descend_grad, np.array([1.0, -0.5, 0.8]), 0.1, 5),
            (_descend_grad, np.array([[0.3, -1.1], [0.6, 0.2]]), 0.2, 3)]


def _descend_variant(sign=-1, extra=0, stale=False):
    def fn(grad_C, theta0, eta, steps):
        theta, g0 = np.array(theta0, dtype=float), grad_C(theta0)
        for _ in range(steps + extra):
            theta = theta + sign * eta * (g0 if stale else grad_C(theta))
        return theta
    return fn


_register(Exercise(
    name="descend", notebook="02", title="several steps of gradient descent",
    imports="import numpy as np",
    params=["grad_C", "theta0", "eta", "steps"],
    doc="""Run `steps` steps of gradient descent from theta0 and return the final theta.

grad_C : a function, grad_C(theta) is the gradient of C at theta.""",
    solution="""theta = theta0
for _ in range(steps):
    theta = theta - eta * grad_C(theta)
return theta""",
    statement=r"""Write `descend(grad_C, theta0, eta, steps)`: start at `theta0` and take `steps`
steps $\theta \leftarrow \theta - \eta \nabla C(\theta)$. `grad_C(theta)` returns the gradient
at `theta`. Return the final $\theta$.""",
    explanation="Each step evaluates the gradient where θ is now, then moves against it.",
    cases=_descend_cases,
    bugs=[
        Bug("added", "This looks like gradient ascent: you added η∇C, which climbs. Descent "
            "subtracts, θ ← θ − η∇C.", _descend_variant(sign=+1)),
        Bug("stale_gradient", "The gradient was evaluated only once, at θ₀. It changes as θ "
            "moves: call `grad_C(theta)` at the current θ in every step.",
            _descend_variant(stale=True)),
        Bug("one_step_short", "You took one step too few: the loop should run `steps` times.",
            _descend_variant(extra=-1)),
        Bug("one_step_extra", "You took one step too many: the loop should run `steps` times.",
            _descend_variant(extra=+1)),
    ],
    hints=["Use a loop: `for _ in range(steps):`.",
           "Inside the loop, evaluate `grad_C(theta)` at the current theta, then step against it."],
    correct="Each step re-evaluates the gradient at the current θ and moves against it.",
))


# ----------------------------------------------------------------------------
# 03 chain rule (the 3Blue1Brown chain with C_0 = (a - y)^2, no 1/2)
# ----------------------------------------------------------------------------
def _dC_dw_cases():
    return [(0.7, 1.3, -0.4, 1.0), (0.2, -0.8, 0.5, 0.0), (0.9, 0.4, 0.1, 0.3)]


def _z_a(a_prev, w, b):
    z = w * a_prev + b
    return z, s(z)


_register(Exercise(
    name="dC_dw", notebook="03", title="one partial derivative by the chain rule",
    params=["a_prev", "w", "b", "y"],
    doc="""dC_0/dw for the last neuron of a chain: z = w a_prev + b, a = sigmoid(z),
C_0 = (a - y)^2.  All arguments are numbers; return a number.""",
    solution="""z = w * a_prev + b
a = sigmoid.fn(z)
return a_prev * sigmoid.prime(z) * 2 * (a - y)""",
    statement=r"""In the chain of single neurons, the last neuron computes $z^{(L)} = w^{(L)}
a^{(L-1)} + b^{(L)}$, $a^{(L)} = \sigma(z^{(L)})$, and the cost of one example is
$C_0 = (a^{(L)} - y)^2$, the seed's cost (3), with no ½. Write
`dC_dw(a_prev, w, b, y)` returning

$$\frac{\partial C_0}{\partial w^{(L)}} = \frac{\partial z^{(L)}}{\partial w^{(L)}}
\frac{\partial a^{(L)}}{\partial z^{(L)}} \frac{\partial C_0}{\partial a^{(L)}} .$$

Use `sigmoid.fn` and `sigmoid.prime` from bplib.""",
    explanation=r"The three factors are $a^{(L-1)}$, $\sigma'(z^{(L)})$ and "
                r"$2(a^{(L)} - y)$.",
    cases=_dC_dw_cases,
    bugs=[
        Bug("no_sigma_prime", "The factor σ′(z) = ∂a/∂z is missing: the weight acts on a only "
            "through z.", lambda a_prev, w, b, y: a_prev * 2 * (_z_a(a_prev, w, b)[1] - y)),
        Bug("sigma_not_prime", "You used σ(z) where its derivative σ′(z) belongs: "
            "∂a/∂z = σ′(z) = σ(z)(1 − σ(z)).",
            lambda a_prev, w, b, y: a_prev * s(w * a_prev + b) * 2 * (_z_a(a_prev, w, b)[1] - y)),
        Bug("prime_of_a", "σ′ was evaluated at a instead of at z. σ′ takes the weighted input: "
            "σ′(z) (which equals a(1 − a), not σ′(a)).",
            lambda a_prev, w, b, y: a_prev * sp(_z_a(a_prev, w, b)[1]) * 2
            * (_z_a(a_prev, w, b)[1] - y)),
        Bug("stray_half", "Your answer is half the right one: the derivative of (a − y)² is "
            "2(a − y). This exercise uses C_0 = (a − y)² without the ½, so the 2 stays.",
            lambda a_prev, w, b, y: a_prev * sp(w * a_prev + b) * (_z_a(a_prev, w, b)[1] - y)),
        Bug("sign", "The sign is flipped: ∂C_0/∂a = 2(a − y), not 2(y − a).",
            lambda a_prev, w, b, y: a_prev * sp(w * a_prev + b) * 2 * (y - _z_a(a_prev, w, b)[1])),
        Bug("dC_db", "That is ∂C_0/∂b: the factor ∂z/∂w = a^(L−1) is missing.",
            lambda a_prev, w, b, y: sp(w * a_prev + b) * 2 * (_z_a(a_prev, w, b)[1] - y)),
        Bug("dC_da_prev", "That is ∂C_0/∂a^(L−1): you multiplied by w. For the weight, "
            "∂z/∂w = a^(L−1).",
            lambda a_prev, w, b, y: w * sp(w * a_prev + b) * 2 * (_z_a(a_prev, w, b)[1] - y)),
    ],
    hints=["First compute z and a from a_prev, w and b.",
           "∂z/∂w = a_prev, ∂a/∂z = σ′(z) = `sigmoid.prime(z)`, ∂C_0/∂a = 2(a − y). Multiply."],
    correct="∂C_0/∂w = a^(L−1) · σ′(z^(L)) · 2(a^(L) − y).",
))


def _chain2(a0, w1, b1, w2, b2):
    z1 = w1 * a0 + b1
    a1 = s(z1)
    z2 = w2 * a1 + b2
    return z1, a1, z2, s(z2)


def _dC_dw_prev_variant(bug):
    def fn(a0, w1, b1, w2, b2, y):
        z1, a1, z2, a2 = _chain2(a0, w1, b1, w2, b2)
        f = {"a": a0, "p1": sp(z1), "w": w2, "p2": sp(z2), "c": 2 * (a2 - y)}
        if bug == "next_z":
            f["p1"] = sp(z2)
        elif bug == "no_w":
            f["w"] = 1.0
        elif bug == "no_inner_prime":
            f["p1"] = 1.0
        elif bug == "no_outer_prime":
            f["p2"] = 1.0
        elif bug == "stray_half":
            f["c"] = a2 - y
        elif bug == "sign":
            f["c"] = 2 * (y - a2)
        elif bug == "last_weight":
            f = {"a": a1, "p2": sp(z2), "c": 2 * (a2 - y)}
        return float(np.prod(list(f.values())))
    return fn


_DW_PREV_BUGS = [
    ("next_z", "This looks like σ′ was evaluated at the next layer's z: σ′(z^(L)) appears "
     "twice. The factor for the earlier neuron is σ′(z^(L−1)), the slope of its own activation "
     "(the seed makes the same slip, writing σ′(z^L) where σ′(z^l) belongs)."),
    ("no_w", "The weight w^(L) is missing: ∂z^(L)/∂a^(L−1) = w^(L). The error reaches the "
     "earlier neuron through that weight."),
    ("no_inner_prime", "σ′(z^(L−1)) is missing: ∂a^(L−1)/∂z^(L−1), the slope of the earlier "
     "neuron's activation."),
    ("no_outer_prime", "σ′(z^(L)) is missing: ∂a^(L)/∂z^(L), the slope of the last neuron's "
     "activation."),
    ("stray_half", "Your answer is half the right one: with C_0 = (a − y)² (no ½) the "
     "derivative ∂C_0/∂a^(L) = 2(a^(L) − y) keeps its 2."),
    ("sign", "The sign is flipped: ∂C_0/∂a^(L) = 2(a^(L) − y), not 2(y − a^(L))."),
    ("last_weight", "That is ∂C_0/∂w^(L), the last weight. This exercise goes one layer further "
     "back, to w^(L−1)."),
]

_register(Exercise(
    name="dC_dw_prev", notebook="03", title="one layer further back",
    params=["a0", "w1", "b1", "w2", "b2", "y"],
    doc="""dC_0/dw1 for the chain a0 -> (w1, b1) -> a1 -> (w2, b2) -> a2 with
z1 = w1 a0 + b1, a1 = sigmoid(z1), z2 = w2 a1 + b2, a2 = sigmoid(z2), C_0 = (a2 - y)^2.""",
    solution="""z1 = w1 * a0 + b1
a1 = sigmoid.fn(z1)
z2 = w2 * a1 + b2
a2 = sigmoid.fn(z2)
return a0 * sigmoid.prime(z1) * w2 * sigmoid.prime(z2) * 2 * (a2 - y)""",
    statement=r"""Now two neurons: $z^{(L-1)} = w^{(L-1)} a^{(L-2)} + b^{(L-1)}$,
$a^{(L-1)} = \sigma(z^{(L-1)})$, then $z^{(L)} = w^{(L)} a^{(L-1)} + b^{(L)}$,
$a^{(L)} = \sigma(z^{(L)})$ and $C_0 = (a^{(L)} - y)^2$. Write
`dC_dw_prev(a0, w1, b1, w2, b2, y)` returning $\partial C_0 / \partial w^{(L-1)}$, where `a0`
is $a^{(L-2)}$, `w1, b1` are $w^{(L-1)}, b^{(L-1)}$ and `w2, b2` are $w^{(L)}, b^{(L)}$ (the numbers are
bplib's layer numbers: in `Network([1, 1, 1])`, $L = 2$), as in equation (10):

$$\frac{\partial C_0}{\partial w^{(L-1)}} = \frac{\partial z^{(L-1)}}{\partial w^{(L-1)}}
\frac{\partial a^{(L-1)}}{\partial z^{(L-1)}} \frac{\partial z^{(L)}}{\partial a^{(L-1)}}
\frac{\partial a^{(L)}}{\partial z^{(L)}} \frac{\partial C_0}{\partial a^{(L)}} .$$""",
    explanation=r"Five factors: $a^{(L-2)}\,\sigma'(z^{(L-1)})\,w^{(L)}\,\sigma'(z^{(L)})\,"
                r"2(a^{(L)} - y)$. Each σ′ is taken at its own layer's z.",
    cases=lambda: [(0.8, 1.5, -0.3, -1.2, 0.4, 1.0), (0.3, -0.7, 0.6, 0.9, -0.2, 0.0),
                   (-0.5, 0.6, 0.2, 1.7, -0.9, 0.4)],
    bugs=[Bug(key, msg, _dC_dw_prev_variant(key)) for key, msg in _DW_PREV_BUGS],
    hints=["Run the chain forward first: z1, a1, z2, a2.",
           "Write down the five factors of the equation one by one, then multiply them.",
           "Each σ′ belongs to one neuron: σ′(z1) for the first, σ′(z2) for the second."],
    correct="Five factors, each σ′ at its own layer: a^(L−2) σ′(z^(L−1)) w^(L) σ′(z^(L)) "
            "2(a^(L) − y).",
))


# ----------------------------------------------------------------------------
# 04 output error
# ----------------------------------------------------------------------------
def _output_error_cases():
    r = _rng(401)
    out = []
    for n, m, seed_y in ((5, 3, 0), (4, 2, 1)):
        z = r.normal(0, 1.5, (n, m))
        y = np.eye(m)[r.integers(0, m, n)]
        out.append((s(z), y, z))
    return out


_register(Exercise(
    name="output_error", notebook="04", title=r"the output error $\delta^L$",
    params=["a_L", "y", "z_L"],
    doc="""BP1 for the quadratic cost and sigmoid output: delta^L = (a^L - y) * sigma'(z^L).

a_L, y, z_L : (n, n_L), one example per row.   Returns (n, n_L).""",
    solution="return (a_L - y) * sigmoid.prime(z_L)",
    statement=r"""Write `output_error(a_L, y, z_L)`: the output error of a sigmoid output layer
with the quadratic cost $C = \tfrac12\sum_j (a^L_j - y_j)^2$, for a batch, equation (5):

$$\delta^L = (A^L - Y) \odot \sigma'(Z^L).$$

`a_L` is $A^L$, `y` is $Y$ and `z_L` is $Z^L$: all three have shape `(n, n_L)`, one example per
row. Use `sigmoid.prime`.""",
    explanation=r"$\nabla_a C = a^L - y$ for the quadratic cost, and $\odot$ is the element-wise "
                r"product `*`.",
    cases=_output_error_cases,
    bugs=[
        Bug("no_sigma_prime", "σ′(z^L) is missing. a − y alone is δ^L only for the cross-entropy "
            "cost with a sigmoid output, where σ′ cancels; for the quadratic cost multiply by "
            "σ′(z^L).", lambda a_L, y, z_L: a_L - y),
        Bug("sigma_not_prime", "You used σ(z^L) where its derivative σ′(z^L) belongs.",
            lambda a_L, y, z_L: (a_L - y) * s(z_L)),
        Bug("prime_of_a", "σ′ was evaluated at a^L instead of at z^L: use `sigmoid.prime(z_L)` "
            "(or a_L * (1 - a_L), which is the same number).",
            lambda a_L, y, z_L: (a_L - y) * sp(a_L)),
        Bug("factor_2", "Your δ^L is twice the right one: 2(a − y) is the gradient of the seed's "
            "(a − y)² without the ½. This course's cost is ½‖a − y‖², whose gradient is a − y.",
            lambda a_L, y, z_L: 2 * (a_L - y) * sp(z_L)),
        Bug("sign", "The sign is flipped: ∇_a C = a − y, not y − a.",
            lambda a_L, y, z_L: (y - a_L) * sp(z_L)),
        Bug("matmul", "You used a matrix product where ⊙ belongs: ⊙ is the element-wise product, "
            "`*` in numpy, and keeps the shape (n, n_L).",
            lambda a_L, y, z_L: (a_L - y) @ sp(z_L).T),
    ],
    hints=["For the quadratic cost, ∇_a C = a^L − y.",
           "⊙ is element-wise: `*`, not `@`. The result has the shape of a_L."],
    correct="δ^L = (a^L − y) ⊙ σ′(z^L), row by row.",
))

_register(Exercise(
    name="output_error_cross_entropy", notebook="04", title=r"$\delta^L$ for the cross-entropy cost",
    params=["a_L", "y", "z_L"],
    doc="""BP1 for the cross-entropy cost and sigmoid output (sigma' cancels).

a_L, y, z_L : (n, n_L).   Returns (n, n_L).""",
    solution="return a_L - y",
    statement=r"""For the cross-entropy cost (6), $C = -\sum_j [y_j \ln a_j + (1-y_j)\ln(1-a_j)]$,
with a sigmoid output, $\partial C / \partial a_j = \frac{a_j - y_j}{a_j(1-a_j)}$ and
$\sigma'(z_j) = a_j(1 - a_j)$. Write `output_error_cross_entropy(a_L, y, z_L)` returning
$\delta^L = \nabla_a C \odot \sigma'(z^L)$ in its simplest form (you may not need every
argument).""",
    explanation=r"$\frac{a - y}{a(1-a)} \cdot a(1 - a) = a - y$: σ′ cancels, so a saturated "
                "output neuron still learns.",
    cases=_output_error_cases,
    bugs=[
        Bug("kept_sigma_prime", "You kept σ′(z^L). For cross-entropy with a sigmoid output, "
            "∂C/∂a = (a − y)/(a(1 − a)) and σ′(z) = a(1 − a) cancel: δ^L = a − y.",
            lambda a_L, y, z_L: (a_L - y) * sp(z_L)),
        Bug("grad_a_only", "That is ∇_a C, the gradient with respect to a; δ^L multiplies it by "
            "σ′(z^L) = a(1 − a), which cancels the denominator.",
            lambda a_L, y, z_L: (a_L - y) / (a_L * (1 - a_L))),
        Bug("sign", "The sign is flipped: δ^L = a − y, not y − a.", lambda a_L, y, z_L: y - a_L),
    ],
    hints=["Multiply (a − y)/(a(1 − a)) by a(1 − a) on paper first."],
    correct="δ^L = a^L − y: σ′ cancels against the cross-entropy's denominator.",
))


# ----------------------------------------------------------------------------
# 05 backpropagating the error
# ----------------------------------------------------------------------------
def _bp2_cases():
    r = _rng(501)
    out = []
    for n, n_l, n_next in ((5, 3, 3), (4, 3, 2)):   # case 0: equal widths, so every bug computes
        out.append((r.normal(0, 1, (n, n_next)), r.normal(0, 1, (n_next, n_l)),
                    r.normal(0, 1, (n, n_l)), r.normal(0, 1, (n, n_next))))
    return out


_NEXT_Z = ("This looks like σ′ was evaluated at the next layer's z, σ′(z^{l+1}), the slip in the "
           "seed's formula (it writes σ′(z^L)). δ^l belongs to layer l: the error passes back "
           "through layer l's activation, so the factor is σ′(z^l).")
_NO_TRANSPOSE = ("The transpose is wrong: you multiplied by the transpose of W^{l+1}. With rows "
                 "as examples and W stored (n_{l+1}, n_l), δ^{l+1} @ W^{l+1} (no .T) is the batch "
                 "form of the textbook's (W^{l+1})^T δ^{l+1}. It only ran because the test's "
                 "layers have equal widths; with different widths the shapes do not fit.")

_register(Exercise(
    name="backpropagate_error", notebook="05", title=r"one step of the recursion for $\delta^l$",
    params=["delta_next", "W_next", "z", "z_next"],
    doc="""BP2: the error of layer l from the error of layer l+1, batch-first.

delta_next : (n, n_{l+1})  error of layer l+1
W_next     : (n_{l+1}, n_l) weights of layer l+1, stored (n_out, n_in)
z          : (n, n_l)      weighted inputs of layer l
z_next     : (n, n_{l+1})  weighted inputs of layer l+1
Returns (n, n_l).""",
    solution="return (delta_next @ W_next) * sigmoid.prime(z)",
    statement=r"""Write `backpropagate_error(delta_next, W_next, z, z_next)`: one step of the
recursion for a sigmoid network in the batch form (6), one row per example:

$$\Delta^l = (\Delta^{l+1} W^{l+1}) \odot \sigma'(Z^l).$$

`delta_next` is $\Delta^{l+1}$, shape `(n, n_{l+1})`, and `W_next` is $W^{l+1}$, stored
`(n_{l+1}, n_l)`. You get the weighted inputs of both layers, `z` $= Z^l$ and
`z_next` $= Z^{l+1}$: use the right one.""",
    explanation=r"Row $i$ of $\Delta^{l+1} W^{l+1}$ is the transpose of the textbook's "
                r"$(w^{l+1})^T \delta^{l+1}$ for example $i$; σ′ is taken at the layer the error "
                r"belongs to, $Z^l$ (the seed's $z^L$ is a slip).",
    cases=_bp2_cases,
    bugs=[
        Bug("next_z", _NEXT_Z, lambda d, W, z, zn: (d @ W) * sp(zn)),
        Bug("no_sigma_prime", "σ′(z^l) is missing: after flowing back through the weights, the "
            "error passes through layer l's activation, which multiplies it by σ′(z^l).",
            lambda d, W, z, zn: d @ W),
        Bug("no_transpose", _NO_TRANSPOSE, lambda d, W, z, zn: (d @ W.T) * sp(z)),
        Bug("sigma_not_prime", "You used σ(z^l) where its derivative σ′(z^l) belongs.",
            lambda d, W, z, zn: (d @ W) * s(z)),
        Bug("next_z+no_transpose", "Two bugs: (1) " + _NEXT_Z + " (2) " + _NO_TRANSPOSE,
            lambda d, W, z, zn: (d @ W.T) * sp(zn)),
    ],
    hints=["Write the shape next to each symbol: δ^{l+1} is (n, n_{l+1}), W^{l+1} is "
           "(n_{l+1}, n_l). Which product gives (n, n_l)?",
           "δ^l belongs to layer l, so its σ′ is evaluated at layer l's weighted input."],
    correct="δ^l = (δ^{l+1} W^{l+1}) ⊙ σ′(z^l): σ′ at layer l, no transpose in batch form.",
))


# ----------------------------------------------------------------------------
# 06 parameter gradients
# ----------------------------------------------------------------------------
def _bp4_cases():
    r = _rng(601)
    return [(r.normal(0, 1, (5, 3)), r.uniform(0, 1, (5, 3))),   # equal widths: .T computable
            (r.normal(0, 1, (6, 2)), r.uniform(0, 1, (6, 4)))]


_ACCUMULATE = ("Your function gives a different answer when called again with the same input: "
               "the second call returned about twice the first, so the gradients accumulate "
               "across calls. Start from fresh zeros (or compute the result directly) on every "
               "call, instead of adding into an array kept from before.")

_register(Exercise(
    name="weight_gradient", notebook="06", title="the averaged weight gradient",
    imports="import numpy as np",
    params=["delta", "a_prev"],
    doc="""BP4, averaged over the batch: grad_W = delta^T a_prev / n.

delta : (n, n_l)   a_prev : (n, n_{l-1})   Returns (n_l, n_{l-1}), shaped like W.""",
    solution="n = delta.shape[0]\nreturn delta.T @ a_prev / n",
    statement=r"""Write `weight_gradient(delta, a_prev)`: the gradient of the batch cost with
respect to the weights of layer $l$, averaged over the $n$ examples,

$$\frac{\partial C}{\partial w^l_{jk}} = \frac1n \sum_{i} \delta^l_{ij}\, a^{l-1}_{ik},
\qquad \nabla_{W^l} C = (\Delta^l)^T A^{l-1} / n,$$

equations (5) and (6): `delta` is $\Delta^l$, shape `(n, n_l)`, and `a_prev` is $A^{l-1}$,
shape `(n, n_{l-1})`. The result is shaped like $W^l$: `(n_l, n_{l-1})`.""",
    explanation=r"`delta.T @ a_prev` sums $\delta^l_{ij}\, a^{l-1}_{ik}$ over the examples $i$ "
                "in one product; dividing by n averages, as in (5).",
    cases=_bp4_cases,
    bugs=[
        Bug("no_mean", "The 1/n is missing: you summed the per-example gradients instead of "
            "averaging them. The seed's ∂C/∂w = 1/n Σ ∂C_i/∂w is a mean; without 1/n the step size "
            "grows with the batch size.", lambda delta, a_prev: delta.T @ a_prev),
        Bug("transposed", "Your result is the transpose of the answer: W is stored "
            "(n_out, n_in) = (n_l, n_{l−1}), so grad_W[j, k] pairs δ_j with a_k: "
            "`delta.T @ a_prev`, not `a_prev.T @ delta`.",
            lambda delta, a_prev: a_prev.T @ delta / delta.shape[0]),
        Bug("transposed+no_mean", "Two bugs: your result is the transpose of the answer "
            "(`delta.T @ a_prev` gives the (n_out, n_in) shape of W), and the 1/n of the "
            "average is missing.", lambda delta, a_prev: a_prev.T @ delta),
        Bug("accumulate", _ACCUMULATE),
    ],
    hints=["For one example i, ∂C_i/∂w_jk = δ_j a_k: an outer product of shape (n_l, n_{l−1}).",
           "`delta.T @ a_prev` adds these outer products over the examples; then average."],
    correct="∇_W C = δ^T a^{l−1} / n, shaped like W.",
))

_register(Exercise(
    name="bias_gradient", notebook="06", title="the averaged bias gradient",
    imports="import numpy as np",
    params=["delta"],
    doc="""BP3, averaged over the batch: the mean of delta over the rows.

delta : (n, n_l)   Returns (n_l,), shaped like b.""",
    solution="return delta.mean(axis=0)",
    statement=r"""Write `bias_gradient(delta)`: $\partial C/\partial b^l_j =
\frac1n \sum_i \delta^l_{ij}$, the mean of the errors over the examples, equation (7).
`delta` is $\Delta^l$, shape `(n, n_l)`; return shape `(n_l,)`, like $b^l$.""",
    explanation="Each bias gets the mean over the rows (`axis=0`) of its neuron's error.",
    cases=lambda: [(_rng(602).normal(0, 1, (5, 3)),), (_rng(603).normal(0, 1, (4, 2)),)],
    bugs=[
        Bug("no_mean", "The 1/n is missing: you summed the errors over the examples instead of "
            "averaging them.", lambda delta: delta.sum(axis=0)),
        Bug("wrong_axis", "You averaged over the neurons (axis=1) instead of over the examples "
            "(axis=0): rows are examples, and there is one bias per neuron.",
            lambda delta: delta.mean(axis=1)),
        Bug("no_reduction", "You returned δ itself, one row per example. ∂C/∂b is its mean over "
            "the examples: one number per neuron.", lambda delta: delta),
        Bug("mean_all", "You averaged everything into one number; keep one value per neuron: "
            "`mean(axis=0)`.", lambda delta: delta.mean()),
        Bug("accumulate", _ACCUMULATE),
    ],
    hints=["∂C_i/∂b_j = δ_j for one example i; then average over the examples.",
           "Rows are examples: reduce over axis 0."],
    correct="∂C/∂b = the mean of δ over the rows.",
))


# ----------------------------------------------------------------------------
# 07 training
# ----------------------------------------------------------------------------
def _sgd_cases():
    out = []
    for seed, sizes, eta in ((701, (3, 4, 2), 0.5), (702, (2, 3, 3, 1), 1.5)):
        r = _rng(seed)
        pairs = list(zip(sizes[:-1], sizes[1:]))
        W = [r.normal(0, 1, (o, i)) for i, o in pairs]
        b = [r.normal(0, 1, o) for _, o in pairs]
        gW = [r.normal(0, 1, (o, i)) for i, o in pairs]
        gb = [r.normal(0, 1, o) for _, o in pairs]
        out.append((W, b, gW, gb, eta))
    return out


def _sgd_collect(returned, args):
    # In place is fine too: a function that returns None is judged by its (copied) inputs.
    return (args[0], args[1]) if returned is None else returned


def _sgd_variant(sign=-1, use_eta=True, layers=None, do_W=True, do_b=True):
    def fn(weights, biases, grad_W, grad_b, eta):
        e = eta if use_eta else 1.0
        keep = range(len(weights)) if layers is None else [layers % len(weights)]
        W = [w + sign * e * g if (do_W and i in keep) else w.copy()
             for i, (w, g) in enumerate(zip(weights, grad_W))]
        b = [v + sign * e * g if (do_b and i in keep) else v.copy()
             for i, (v, g) in enumerate(zip(biases, grad_b))]
        return W, b
    return fn


_register(Exercise(
    name="sgd_update", notebook="07", title="the update of every layer",
    imports="import numpy as np",
    params=["weights", "biases", "grad_W", "grad_b", "eta"],
    doc="""One SGD step for every layer: W <- W - eta grad_W, b <- b - eta grad_b.

weights, biases, grad_W, grad_b : lists with one array per layer.
Return the new (weights, biases) lists (or update them in place and return None).""",
    solution="""new_weights = [W - eta * gW for W, gW in zip(weights, grad_W)]
new_biases = [b - eta * gb for b, gb in zip(biases, grad_b)]
return new_weights, new_biases""",
    statement=r"""Write `sgd_update(weights, biases, grad_W, grad_b, eta)`: the update (6) for
every layer, $W^l \leftarrow W^l - \eta\, \partial C/\partial W^l$ and
$b^l \leftarrow b^l - \eta\, \partial C/\partial b^l$. The four arguments are lists with one array
per layer, indexed like `net.weights` (`weights[l - 1]` is $W^l$). Return the new lists `(weights, biases)` (updating the arrays in place and returning
`None` is accepted too).""",
    explanation="One subtraction per layer and per parameter kind; every layer moves in the same "
                "step.",
    cases=_sgd_cases,
    collect=_sgd_collect,
    bugs=[
        Bug("added", "This looks like you added η∇C (the seed says \"add\"): that climbs the "
            "cost. Descent subtracts: W ← W − η∇_W C, b ← b − η∇_b C.", _sgd_variant(sign=+1)),
        Bug("no_eta", "The learning rate η is missing: subtract η times the gradient.",
            _sgd_variant(use_eta=False)),
        Bug("biases_not_updated", "The biases did not change: update b ← b − η∇_b C as well.",
            _sgd_variant(do_b=False)),
        Bug("weights_not_updated", "The weights did not change: update W ← W − η∇_W C as well.",
            _sgd_variant(do_W=False)),
        Bug("one_layer_only", "Only one layer was updated (the last): loop over every layer.",
            _sgd_variant(layers=-1)),
        Bug("first_layer_only", "Only one layer was updated (the first): loop over every layer.",
            _sgd_variant(layers=0)),
        Bug("unchanged", "Nothing changed. In `for W, gW in zip(weights, grad_W): W = W - eta * gW` "
            "the name W is bound to a new array, but the list still holds the old one. Build new "
            "lists and return them, or update in place with `W -= eta * gW`.",
            _sgd_variant(do_W=False, do_b=False)),
    ],
    hints=["`zip(weights, grad_W)` pairs each layer's W with its gradient.",
           "A list comprehension builds the new list: `[W - eta * gW for W, gW in zip(...)]`."],
    correct="Every layer moved against its gradient: W − η∇_W C and b − η∇_b C.",
))


# ----------------------------------------------------------------------------
# 08 gradient checking
# ----------------------------------------------------------------------------
def _f_cd(x):
    return np.sin(3 * x) + x ** 3


_register(Exercise(
    name="central_difference", notebook="08", title="the central difference",
    params=["f", "x", "eps"],
    doc="""The central-difference estimate of f'(x) with step eps.""",
    imports="",
    solution="return (f(x + eps) - f(x - eps)) / (2 * eps)",
    statement=r"""Write `central_difference(f, x, eps)`: the estimate of $f'(x)$ from the two
points $\epsilon$ either side of $x$, equation (3) for any function $f$:

$$f'(x) \approx \frac{f(x + \epsilon) - f(x - \epsilon)}{2\epsilon}.$$""",
    explanation="The two points are 2ε apart; the symmetric difference cancels the "
                "f″ term, so the error shrinks like ε² instead of ε.",
    cases=lambda: [(_f_cd, 0.7, 1e-2), (_f_cd, -0.4, 1e-3)],
    bugs=[
        Bug("forward", "That is the one-sided (forward) difference (f(x + ε) − f(x))/ε; its error "
            "shrinks only like ε. Use the points on both sides of x.",
            lambda f, x, eps: (f(x + eps) - f(x)) / eps),
        Bug("backward", "That is the one-sided (backward) difference (f(x) − f(x − ε))/ε; its "
            "error shrinks only like ε. Use the points on both sides of x.",
            lambda f, x, eps: (f(x) - f(x - eps)) / eps),
        Bug("missing_2", "Your estimate is twice the slope: the two points are 2ε apart, so "
            "divide by 2ε.", lambda f, x, eps: (f(x + eps) - f(x - eps)) / eps),
        Bug("sign", "The sign is flipped: subtract f(x − ε) from f(x + ε), not the other way.",
            lambda f, x, eps: (f(x - eps) - f(x + eps)) / (2 * eps)),
    ],
    hints=["Evaluate f at x + eps and at x − eps.",
           "A slope is a rise over a run: how far apart are the two points?"],
    correct="(f(x + ε) − f(x − ε)) / (2ε).",
))

# The broken backprop of the find-the-bug exercise: it has two bugs (sigma' at the
# next layer's z in BP2, and the missing 1/n in BP4). The notebook shows it in a
# read-only cell; the student writes the fixed version.
BROKEN_BACKPROP_SOURCE = '''\
def backprop_broken(weights, biases, X, Y):
    """Gradients of the mean quadratic cost of a sigmoid network. It has two bugs."""
    L = len(weights)
    zs, activations = [None], [X]                      # zs[l], activations[l]: layer l
    for W, b in zip(weights, biases):
        zs.append(activations[-1] @ W.T + b)
        activations.append(sigmoid.fn(zs[-1]))
    n = X.shape[0]
    grad_W, grad_b = [None] * L, [None] * L
    delta = (activations[L] - Y) * sigmoid.prime(zs[L])                   # BP1
    for l in range(L, 0, -1):                          # weights[l - 1] is W^l
        grad_b[l - 1] = delta.mean(axis=0)                                # BP3
        grad_W[l - 1] = delta.T @ activations[l - 1]                      # BP4
        if l > 1:
            delta = (delta @ weights[l - 1]) * sigmoid.prime(zs[l])       # BP2
    return grad_W, grad_b
'''

_FIXED_BACKPROP = """L = len(weights)
zs, activations = [None], [X]                      # zs[l], activations[l]: layer l
for W, b in zip(weights, biases):
    zs.append(activations[-1] @ W.T + b)
    activations.append(sigmoid.fn(zs[-1]))
n = X.shape[0]
grad_W, grad_b = [None] * L, [None] * L
delta = (activations[L] - Y) * sigmoid.prime(zs[L])                   # BP1
for l in range(L, 0, -1):                          # weights[l - 1] is W^l
    grad_b[l - 1] = delta.mean(axis=0)                                # BP3
    grad_W[l - 1] = delta.T @ activations[l - 1] / n                  # BP4: average (fixed)
    if l > 1:
        delta = (delta @ weights[l - 1]) * sigmoid.prime(zs[l - 1])   # BP2: z^l (fixed)
return grad_W, grad_b"""

_BACKPROP_BUGS = {
    "next_z": "BP2 evaluates σ′ at the next layer's z, σ′(z^{l+1}) (here `zs[l]` where the new "
              "δ belongs to layer l − 1): the seed's slip. Use the z of the layer the new δ "
              "belongs to.",
    "no_mean_W": "the weight gradients miss the 1/n of the average (BP4 sums over the examples "
                 "while BP3 averages).",
    "no_mean_b": "the bias gradients miss the 1/n of the average (BP3 sums over the examples).",
    "no_prime_hidden": "BP2 misses the factor σ′(z^l).",
    "no_prime_output": "BP1 misses the factor σ′(z^L).",
    "no_transpose": "BP2 multiplies by the transpose of W^{l+1}; in batch form it is "
                    "δ^{l+1} @ W^{l+1}, no .T.",
    "sign": "the sign of δ^L is flipped (y − a instead of a − y), so every gradient points "
            "uphill.",
    "factor_2": "δ^L carries a factor 2, as for the cost (a − y)² without the ½.",
}


def _backprop_variant(bugs):
    bugs = frozenset(bugs)

    def fn(weights, biases, X, Y):
        L = len(weights)
        zs, acts = [None], [X]
        for W, b in zip(weights, biases):
            zs.append(acts[-1] @ W.T + b)
            acts.append(s(zs[-1]))
        n = X.shape[0]
        grad_a = (Y - acts[L]) if "sign" in bugs else (acts[L] - Y)
        if "factor_2" in bugs:
            grad_a = 2 * grad_a
        delta = grad_a if "no_prime_output" in bugs else grad_a * sp(zs[L])
        gW, gb = [None] * L, [None] * L
        for l in range(L, 0, -1):
            gb[l - 1] = delta.sum(axis=0) if "no_mean_b" in bugs else delta.mean(axis=0)
            gW[l - 1] = delta.T @ acts[l - 1] / (1 if "no_mean_W" in bugs else n)
            if l > 1:
                W = weights[l - 1].T if "no_transpose" in bugs else weights[l - 1]
                back = delta @ W
                if "no_prime_hidden" not in bugs:
                    back = back * sp(zs[l] if "next_z" in bugs else zs[l - 1])
                delta = back
        return gW, gb
    return fn


def _backprop_bugs():
    out = []
    keys = list(_BACKPROP_BUGS)
    for k in (1, 2, 3):
        for combo in itertools.combinations(keys, k):
            if "next_z" in combo and "no_prime_hidden" in combo:
                continue  # without sigma' in BP2 there is no z to get wrong
            if k == 1:
                msg = "This looks like one bug: " + _BACKPROP_BUGS[combo[0]]
            else:
                words = {2: "two", 3: "three"}[k]
                msg = f"This looks like {words} bugs: " + " ".join(
                    f"({i}) {_BACKPROP_BUGS[c]}" for i, c in enumerate(combo, 1))
            out.append(Bug("+".join(combo), msg[0].upper() + msg[1:], _backprop_variant(combo)))
    out.append(Bug("accumulate", _ACCUMULATE))
    return out


def _backprop_cases():
    out = []
    for seed, sizes, n in ((801, (3, 3, 3, 3), 5), (802, (2, 4, 3, 2), 6)):
        r = _rng(seed)
        pairs = list(zip(sizes[:-1], sizes[1:]))
        W = [r.normal(0, 1.2, (o, i)) for i, o in pairs]
        b = [r.normal(0, 0.5, o) for _, o in pairs]
        X = r.normal(0, 1, (n, sizes[0]))
        Y = r.uniform(0, 1, (n, sizes[-1]))
        out.append((W, b, X, Y))
    return out


_register(Exercise(
    name="backprop", notebook="08", title="find the bug",
    params=["weights", "biases", "X", "Y"],
    doc="""The fixed version of backprop_broken: gradients of the mean quadratic cost
C = mean_k 1/2 ||a_k - y_k||^2 of a sigmoid network (weights[l - 1] is W^l, stored
(n_out, n_in)). Returns grad_W, grad_b, lists shaped like weights, biases.""",
    solution=_FIXED_BACKPROP,
    statement=r"""`backprop_broken` (the read-only cell below) computes the gradients of a
sigmoid network with the cost $C = \frac1n\sum_k \tfrac12\lVert a_k - y_k\rVert^2$ (bplib's
default, with the ½: unlike the bug zoo's, its BP1 has no factor 2), but it has two bugs. `bplib.gradient_check(net, X, Y, gradients=lambda net, X, Y:
backprop_broken(net.weights, net.biases, X, Y))` shows which layers are wrong; use a net whose
layers after the input have equal widths, such as `bplib.Network([2, 3, 3, 3])`, since with
unequal widths one of the bugs cannot even run. Write the fixed
version `backprop(weights, biases, X, Y)` in the cell after it: copy the body of
`backprop_broken` and fix it. `weights[l - 1]` is $W^l$, stored `(n_out, n_in)`; rows of `X`
and `Y` are examples.""",
    explanation=r"BP2 takes σ′ at the z of the layer the new δ belongs to, "
                r"`zs[l - 1]`; BP4 averages over the batch like BP3, `/ n`.",
    cases=_backprop_cases,
    bugs=_backprop_bugs(),
    hints=["Compare each line with BP1–BP4: δ^L = (a − y) ⊙ σ′(z^L), δ^l = (δ^{l+1} W^{l+1}) "
           "⊙ σ′(z^l), ∂C/∂b = mean of δ, ∂C/∂W = δ^T a^{l−1} / n.",
           "Inside the loop the current δ belongs to layer l; the new δ, after BP2, to layer "
           "l − 1. Which z does its σ′ need?",
           "BP3 averages over the examples. Does BP4?"],
    correct="The fixed backprop agrees with the right gradients on every layer.",
))


# ----------------------------------------------------------------------------
# Running the student's function
# ----------------------------------------------------------------------------
class _Stop(Exception):
    """Carries a Feedback out of the checking steps."""

    def __init__(self, feedback):
        super().__init__(feedback.message)
        self.feedback = feedback


def _shapes(x):
    if isinstance(x, tuple):
        return "[" + ", ".join(_shapes(v) for v in x) + "]"
    return str(x.shape)


def _describe(x):
    if isinstance(x, tuple):
        return f"{len(x)} values with shapes {_shapes(x)}"
    return "a number" if x.ndim == 0 else f"an array of shape {x.shape}"


def _structure(x):
    return tuple(_structure(v) for v in x) if isinstance(x, tuple) else x.shape


def _as_result(x):
    """What a function returned, as float arrays nested in tuples (lists become tuples)."""
    if isinstance(x, (list, tuple)):
        if x and all(isinstance(v, (int, float, bool, np.number)) for v in x):
            return np.asarray(x, dtype=float)
        return tuple(_as_result(v) for v in x)
    arr = np.asarray(x)
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
        raise TypeError(f"not numbers: {type(x).__name__}")
    return arr.astype(float)


def _finite(x):
    return all(_finite(v) for v in x) if isinstance(x, tuple) else bool(np.isfinite(x).all())


def _close(a, b):
    if isinstance(a, tuple) != isinstance(b, tuple):
        return False
    if isinstance(a, tuple):
        return len(a) == len(b) and all(_close(x, y) for x, y in zip(a, b))
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL))


def _flat(x):
    return np.concatenate([_flat(v) for v in x]) if isinstance(x, tuple) else x.reshape(-1)


def _arg_text(ex, args):
    parts = []
    for name, a in zip(ex.params, args):
        if isinstance(a, np.ndarray):
            parts.append(f"{name} of shape {a.shape}")
        elif isinstance(a, (list, tuple)) and a and isinstance(a[0], np.ndarray):
            parts.append(f"{name} a list of {len(a)} arrays")
        elif callable(a):
            parts.append(f"{name} a function")
        else:
            parts.append(f"{name} = {a!r}")
    return ", ".join(parts)


def _grading():
    return os.environ.get("NBGRADER_EXECUTION", "").lower() in ("autograde", "validate")


class _Checker:
    def __init__(self, ex, fn):
        self.ex, self.fn = ex, fn

    def feedback(self, status, message, bug=None, hints=()):
        return Feedback(self.ex.name, status, message, bug, hints)

    def stop(self, status, message, bug=None, hints=()):
        raise _Stop(self.feedback(status, message, bug, hints))

    def call(self, fn, args):
        """Call ``fn`` on fresh copies of ``args``; return what it returned (collected)."""
        args = copy.deepcopy(args)
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = fn(*args)
        return self.ex.collect(out, args) if self.ex.collect else out

    def student(self, args, which):
        """The student's result on ``args`` as arrays, or a _Stop with a friendly message."""
        try:
            out = self.call(self.fn, args)
        except NotImplementedError:
            self.stop("not attempted", "The function still raises NotImplementedError. Write your "
                      "answer in the cell above in place of `raise NotImplementedError(...)`, run "
                      "that cell, then run this one.")
        except Exception as e:  # noqa: BLE001 - any error becomes a message, never a traceback
            self.stop("error", self.error_message(e, args, which))
        if out is None:
            self.stop("error", f"Your function returned None: is the `return` missing? It should "
                      f"return {_describe(self.expected(args))}.")
        want = self.expected(args)
        try:
            got = _as_result(out)
        except (TypeError, ValueError):
            self.stop("error", f"Your function returned {type(out).__name__} {str(out)[:60]!r}, "
                      f"not numbers; it should return {_describe(want)}.")
        if not _finite(got):
            self.stop("error", "Your function returned NaN (not a number) or infinity "
                      f"{which}. The test inputs are small and ordinary numbers, so look for a "
                      "division by zero, a log of 0 or an exp that overflows; the right answer is "
                      "finite everywhere.")
        return got

    def expected(self, args):
        return _as_result(self.call(self.ex.reference, args))

    def error_message(self, e, args, which):
        ex, text = self.ex, f"{type(e).__name__}: {e}"
        msg = (f"Your function raised {text[:300].strip()} {which}, called as {ex.name}("
               f"{_arg_text(ex, args)}).")
        low = str(e).lower()
        if isinstance(e, TypeError) and ("positional argument" in low or "argument" in low
                                         and "takes" in low):
            msg += (f" The checker calls it with {len(ex.params)} arguments, "
                    f"({', '.join(ex.params)}), in that order.")
        elif "broadcast" in low or "matmul" in low or "shapes" in low or "aligned" in low:
            msg += (" Two arrays with shapes that do not fit met. Write the shape next to each "
                    "term (rows are examples; W is stored (n_out, n_in)) and check where a "
                    "transpose belongs, and whether the product is `@` or element-wise `*`.")
        elif isinstance(e, NameError):
            msg += " A name is not defined: is it imported, or is it defined in a cell you "
            msg += "have not run yet?"
        return msg

    def match_bug(self, args, got):
        for bug in self.ex.bugs:
            if bug.fn is None:
                continue
            try:
                variant = _as_result(self.call(bug.fn, args))
            except Exception:  # noqa: BLE001 - a variant that cannot run on these shapes
                continue
            if _close(got, variant):
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
            return self.feedback("wrong", _ACCUMULATE, "accumulate")
        return self.feedback("wrong", "Your function gives a different answer when called again "
                             "with the same input, so it keeps state between calls (a global "
                             "array, or an input changed in place). Compute the result afresh "
                             "on every call.", "state")

    def shape_message(self, got, want):
        msg = f"Your function returned {_describe(got)}, but the answer is {_describe(want)}."
        if not isinstance(got, tuple) and not isinstance(want, tuple):
            if got.ndim == 2 and got.shape == want.shape[::-1]:
                msg += (" It looks transposed: rows are examples, and W is stored "
                        "(n_out, n_in).")
            elif want.ndim == 0 and got.ndim >= 1:
                msg += " Reduce it to one number: which sum or mean is missing?"
            elif got.ndim < want.ndim:
                msg += " A sum or mean went over an axis that should stay."
            elif got.ndim > want.ndim:
                msg += " A sum or mean over the examples (axis 0) may be missing."
            else:
                msg += " Write the shape next to each term and follow them through."
        elif isinstance(want, tuple) and (not isinstance(got, tuple) or len(got) != len(want)):
            msg += (f" Return {len(want)} things, separated by commas, in the order the "
                    "exercise gives them.")
        return msg

    def wrong_values(self, got, want):
        diff = np.abs(_flat(got) - _flat(want))
        i = int(np.argmax(diff))
        g, w = _flat(got)[i], _flat(want)[i]
        msg = (f"Your function returns the right shape but different values: for example "
               f"{g:.4g} where the answer is {w:.4g}.")
        denom = _flat(want) @ _flat(want)
        if denom > 0:
            c = _flat(got) @ _flat(want) / denom
            if _close(got, _scale(want, c)) and abs(c) > 1e-6:
                msg += (f" Every value is {c:.4g} times the right one: look for a misplaced "
                        "constant factor (a ½, a 2, an η or a 1/n) or sign.")
        return msg

    def run(self):
        ex = self.ex
        if not callable(self.fn):
            self.stop("error", f"check needs your function itself: `{ex.check_line}`, with no "
                      f"parentheses after the function's name. It got {type(self.fn).__name__}. "
                      f"If the check cell is as given, `{ex.name}` now names something else: an "
                      "earlier cell that uses the same name was run after your function, so run "
                      "the cell with your function again, then this one.")
        try:
            inspect.signature(self.fn).bind(*ex.params)
        except TypeError:
            self.stop("error", f"Your function should take {len(ex.params)} arguments, "
                      f"({', '.join(ex.params)}), in that order.")
        except ValueError:  # no signature (a builtin): just try it
            pass
        cases = ex.cases()
        for i, args in enumerate(cases):
            which = "on the test input" if i == 0 else "on a second test, with other shapes"
            got = self.student(args, which)
            want = self.expected(args)
            if _close(got, want):
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
                return self.feedback("wrong", self.shape_message(got, want), "shape",
                                     ex.hints[:1])
            msg = self.wrong_values(got, want)
            if i > 0:
                msg = ("It was right on the first test but not " + which[3:] + ": "
                       + _arg_text(ex, args) + ". " + msg)
            return self.feedback("wrong", msg, None, ex.hints[:1])
        return self.feedback("correct", ex.correct)


def _scale(x, c):
    return tuple(_scale(v, c) for v in x) if isinstance(x, tuple) else x * c


def _exercise(name):
    if name not in EXERCISES:
        close = difflib.get_close_matches(str(name), list(EXERCISES), n=1)
        hint_ = f" Did you mean {close[0]!r}?" if close else ""
        raise ValueError(f"unknown exercise {name!r}.{hint_} The exercises are: "
                         f"{', '.join(EXERCISES)}.")
    return EXERCISES[name]


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
