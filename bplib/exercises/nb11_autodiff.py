"""Notebook 11, backprop is reverse-mode autodiff: every partial of a product, without division; division as a node of the graph; a tied autoencoder's gradients from the graph."""

from __future__ import annotations

import math
import os

import numpy as np

from . import watch
from .checker import Bug, Exercise, register, usual_comparison

# ----------------------------------------------------------------------------
# product_gradient
# ----------------------------------------------------------------------------
COUNT_N = 20  # the length of the input on which the check counts multiplications


class _Counted:
    """A number that counts the multiplications and divisions it takes part in.

    The check calls the reader's ``product_gradient`` once more on an object array of these:
    every product or quotient with an entry of x (or with a result computed from one) is
    counted, the arithmetic itself is that of floats. A product of two plain floats (after the
    reader converted an entry with ``float``) escapes the count, so the count is a lower bound.
    """

    def __init__(self, value, tally):
        self.value, self.tally = float(value), tally

    def _new(self, value):
        return _Counted(value, self.tally)

    @staticmethod
    def _plain(other):
        return other.value if isinstance(other, _Counted) else other

    def _mul(self, other):
        self.tally["mul"] += 1
        return self._new(self.value * self._plain(other))

    __mul__ = __rmul__ = _mul

    def __truediv__(self, other):
        self.tally["div"] += 1
        return self._new(self.value / self._plain(other))

    def __rtruediv__(self, other):
        self.tally["div"] += 1
        return self._new(self._plain(other) / self.value)

    __floordiv__, __rfloordiv__ = __truediv__, __rtruediv__

    def __pow__(self, k):
        self.tally["mul"] += max(int(abs(self._plain(k))) - 1, 1)
        return self._new(self.value ** self._plain(k))

    def __add__(self, other):
        return self._new(self.value + self._plain(other))

    __radd__ = __add__

    def __sub__(self, other):
        return self._new(self.value - self._plain(other))

    def __rsub__(self, other):
        return self._new(self._plain(other) - self.value)

    def __neg__(self):
        return self._new(-self.value)

    def __abs__(self):
        return self._new(abs(self.value))

    def __float__(self):
        return self.value

    def __bool__(self):
        return bool(self.value)

    def __eq__(self, other):
        return self.value == self._plain(other)

    def __ne__(self, other):
        return self.value != self._plain(other)

    def __lt__(self, other):
        return self.value < self._plain(other)

    def __le__(self, other):
        return self.value <= self._plain(other)

    def __gt__(self, other):
        return self.value > self._plain(other)

    def __ge__(self, other):
        return self.value >= self._plain(other)

    __hash__ = None


def count_operations(fn, n=COUNT_N):
    """How many multiplications and divisions ``fn`` makes with the entries of an x of n
    non-zero entries: ``{"mul": ..., "div": ...}``, or None if it cannot run on counting
    numbers (it converted them, or called a function they do not support)."""
    tally = {"mul": 0, "div": 0}
    x = np.empty(n, dtype=object)
    for i in range(n):
        x[i] = _Counted(1.0 + 0.01 * (i + 1) * (-1) ** i, tally)
    try:
        with np.errstate(all="ignore"):
            fn(x)
    except Exception:  # noqa: BLE001 - it ran on the usual cases; this extra run is a bonus
        return None
    return tally


def _divided(checker):
    """The feedback of the bug ``divide`` (p / x) when the reader's function gives its results:
    right wherever x_i is not 0 and NaN or infinite where it is. None otherwise. Never raises."""
    from .checker import _result_or_none

    bug = next(b for b in checker.ex.bugs if b.key == "divide")
    for i, args in enumerate(checker.ex.cases()):
        with np.errstate(all="ignore"):
            got = _result_or_none(checker.ex, checker.fn, args)
        want = checker.answers.bug(bug.key, i)
        if got is None or want is None or got.shape != want.shape:
            return None
        if not np.allclose(got, want, equal_nan=True):
            return None
    return checker.feedback("wrong", bug.message, bug.key, checker.ex.hints[:1])


def _product_check(checker):
    """The usual comparison; then, once the values are right, the operations are counted on
    an x of COUNT_N entries: any division, or more than 4n multiplications, is not yet the
    answer the exercise asks for. Never raises."""
    feedback = usual_comparison(checker, checker.fn)
    if not feedback.passed:
        divided = _divided(checker)
        return feedback if divided is None else divided
    tally = count_operations(checker.fn)
    if tally is None:
        return feedback
    n = COUNT_N
    if tally["div"]:
        return checker.feedback(
            "wrong",
            f"Not yet: your function divides. Every value is right, but on an x of {n} non-zero "
            f"entries it made {tally['div']} divisions; the exercise asks for none. p / x_i "
            "needs a special case at every zero, and a division is exactly what the two "
            "sweeps of reverse mode do without.",
            "division",
            checker.ex.hints[:1],
        )
    if tally["mul"] > 4 * n:
        return checker.feedback(
            "wrong",
            f"Not yet: n² multiplications. Every value is right, but on an x of n = {n} "
            f"entries your function made {tally['mul']} multiplications: it multiplies the "
            f"other n − 1 entries afresh for each i (n² = {n * n}). Two passes need about "
            f"2n = {2 * n}: what do a forward pass and a reverse sweep compute on the chain "
            "p_i = p_(i−1) · x_i?",
            "quadratic",
            checker.ex.hints[:1],
        )
    if tally["mul"] < n - 1:  # the entries were turned into plain floats: nothing counted
        return checker.feedback(
            "correct",
            "Every partial is right, with no division. Your function turns x into plain floats "
            "first, so the check could not count its multiplications: make sure it makes two "
            "passes of about n each, not n − 1 afresh for each i (n² in all).",
        )
    return feedback


# ----------------------------------------------------------------------------
# value_div: division as a node of the notebook's computational graph
# ----------------------------------------------------------------------------
class Value:
    """The ``Value`` of notebook 11, section 1, with its ``backward`` (section 1, step two).

    A number in a computational graph: its value, and each parent with the local derivative.
    The same code as the notebook's cells. The exercise cells use the notebook's own class; this
    one builds the graphs of the reference answers, and of a reader's ``value_div`` whose module
    defines no ``Value`` (see ``_readers_value``).
    """

    def __init__(self, data, parents=()):
        self.data = float(data)
        self.parents = parents  # ((u, dv/du), ...): filled by the operation
        self.grad = 0.0  # the adjoint dC/dv, filled by backward()

    def __repr__(self):
        return f"Value({self.data:.4g}, grad={self.grad:.4g})"

    def __float__(self):  # the value alone (the notebook's class has no need of it)
        return self.data

    def __add__(self, other):  # v = u1 + u2: local derivatives 1 and 1
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, ((self, 1.0), (other, 1.0)))

    def __mul__(self, other):  # v = u1 * u2: local derivatives u2 and u1
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, ((self, other.data), (other, self.data)))

    def __neg__(self):  # v = -u: local derivative -1
        return Value(-self.data, ((self, -1.0),))

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):  # v = c - u for a constant c: local derivative -1
        return Value(other - self.data, ((self, -1.0),))

    def __pow__(self, k):  # v = u**k for an integer k: local derivative k u^(k-1)
        assert isinstance(k, int), "only integer powers: u ** 2, not u ** 0.5"
        return Value(self.data**k, ((self, k * self.data ** (k - 1)),))

    __radd__, __rmul__ = __add__, __mul__  # 2 + v, 0.5 * v

    def sigmoid(self):  # v = sigma(u): local derivative sigma(u)(1 - sigma(u))
        s = 1.0 / (1.0 + math.exp(-self.data))
        return Value(s, ((self, s * (1.0 - s)),))

    def backward(self):
        order = topological_order(self)
        for node in order:
            node.grad = 0.0  # fresh adjoints on every call
        self.grad = 1.0  # dC/dC = 1
        for node in reversed(order):  # children before parents
            for parent, local in node.parents:
                parent.grad += node.grad * local  # one term per edge, added up


def topological_order(root):
    """Every node that ``root`` depends on, parents before children (iterative depth-first)."""
    order, seen, stack = [], set(), [(root, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack.extend((parent, False) for parent, _ in reversed(node.parents))
    return order


def _is_node(x):
    return hasattr(x, "data") and hasattr(x, "parents") and hasattr(x, "backward")


def _inputs(args):
    """The leaves of the graphs of ``u`` and ``v`` (nodes without parents), in topological order."""
    leaves, seen = [], set()
    for a in args:
        if not _is_node(a):
            continue  # a constant operand: a plain number
        for node in topological_order(a):
            if not node.parents and id(node) not in seen:
                seen.add(id(node))
                leaves.append(node)
    return leaves


def _div_results(q, args):
    """What the check compares: the value of the node ``q`` the student returned, then the
    adjoints of the inputs of ``u`` and ``v`` after ``q.backward()``, then after the backward
    sweep from ``q * q`` (the new node used twice).

    Numbers, arrays of numbers and None pass through, for the checker to describe.
    """
    if q is None or isinstance(q, (np.ndarray, np.number)) and q.dtype != object:
        return q
    if isinstance(q, np.ndarray):  # nodes in an array: each one's results, one more axis
        rows = [_div_results(node, args) for node in q.ravel()]
        return np.array(rows).reshape(q.shape + (-1,))
    if not _is_node(q):
        raise TypeError(
            f"it returned {type(q).__name__} {str(q)[:40]!r}, not a node of the graph: return "
            "a new Value, with its value and each parent with its local derivative"
        )
    for pair in q.parents:
        parent = pair[0] if isinstance(pair, tuple) and len(pair) == 2 else pair
        if not _is_node(parent):
            raise TypeError(
                f"a parent of the new node is {type(parent).__name__} {str(parent)[:40]!r}, "
                "not a node: each parent is a Value (a constant operand becomes one first, as "
                "in `__mul__`), paired with its local derivative, `(parent, local)`"
            )
    leaves = _inputs(args)
    q.backward()
    first = [leaf.grad for leaf in leaves]
    (q * q).backward()
    return np.array([q.data, *first, *(leaf.grad for leaf in leaves)])


# Each case: the values of the inputs, and how u and v are computed from them. The same
# expressions run on Values (the check) and on floats (central differences, in the tests).
DIV_GRAPHS = [
    ((1.3, -0.7, 0.4), lambda a, b, c: (a * b + c, a * a + b)),  # inputs shared by u and v
    ((1.25, -1.6), lambda a, b: (lambda x: (x, x))(a * b)),  # x / x: one node, both parents
    ((0.6, 1.1), lambda a, b: (a * a - b, 2.5)),  # a constant denominator
    ((-0.9, -0.8), lambda a, b: (3.0, a * b - a)),  # a constant numerator
    ((-2.0, 0.5), lambda a, b: (a, b)),  # two inputs
]


_DIV_CLASS = [None]  # the reader's Value while their value_div is checked; None: this module's


def _div_cases():
    cls = _DIV_CLASS[0] or Value
    return [graph(*map(cls, values)) for values, graph in DIV_GRAPHS]


def _readers_value(fn):
    """The class that the reader's ``value_div`` calls ``Value``: the notebook's own (section 1,
    with ``backward``), so that the check builds its graphs from the class the reader's function
    builds nodes of and tests with ``isinstance``. This module's ``Value`` (the same code) if the
    function's module has none."""
    cls = getattr(fn, "__globals__", {}).get("Value")
    if isinstance(cls, type) and callable(getattr(cls, "backward", None)):
        return cls
    return Value


def _unwrapped_constant(checker):
    """The feedback of the bug ``constant_not_wrapped`` when the reader's function fails
    where it does: it stops with an error on one or more of the cases with a plain-number operand
    (``x / 2.5``, ``3.0 / x``: ``2.5.data`` does not exist, or a float became a parent) and is
    right on every other case. None otherwise. Never raises."""
    from .checker import _result_or_none

    bug = next(b for b in checker.ex.bugs if b.key == "constant_not_wrapped")
    stopped = False
    for i, args in enumerate(checker.ex.cases()):
        with np.errstate(all="ignore"):
            got = _result_or_none(checker.ex, checker.fn, args)
        want = checker.answers.bug(bug.key, i)  # None: the bug stops here (a constant operand)
        if want is None and got is None:
            stopped = True  # the reader's stops there too
            continue
        want = checker.answers.expected(i) if want is None else want  # or is right there
        if got is None or got.shape != want.shape or not np.allclose(got, want):
            return None
    if not stopped:
        return None
    return checker.feedback("wrong", bug.message, bug.key, checker.ex.hints[-1:])


def _no_parents(checker):
    """The feedback when the reader's node stores no parent at all (``Value(u.data / v.data)``,
    perhaps with ``u.grad`` and ``v.grad`` set by hand): ``backward`` from it reaches nothing.
    None otherwise. Never raises."""
    cls = _DIV_CLASS[0] or Value
    u, v = cls(1.5), cls(-0.8)
    try:
        q = checker.fn(u, v)
        empty = _is_node(q) and len(q.parents) == 0
    except Exception:  # noqa: BLE001 - the usual feedback speaks for any error
        return None
    if not empty:
        return None
    return checker.feedback(
        "wrong",
        "Not yet: your node stores no parents (`q.parents` is empty), so `backward` stops at it "
        "and no adjoint reaches u, v or what they were computed from. Setting `u.grad` or "
        "`v.grad` by hand does not help: `backward` first sets every adjoint of its graph to 0, "
        "and the graph it walks ends at your node. Give the new node its parents, "
        "`Value(value, ((u, ...), (v, ...)))`, each with its local derivative.",
        "no_parents",
        checker.ex.hints[1:],
    )


def _div_check(checker):
    """``_div_check_with`` on graphs built from the reader's own ``Value`` class."""
    _DIV_CLASS[0] = _readers_value(checker.fn)
    try:
        return _div_check_with(checker, _DIV_CLASS[0])
    finally:
        _DIV_CLASS[0] = None


def _div_check_with(checker, Value):
    """The usual comparison; then, once the adjoints are right, the node itself: its parents
    must be u and v themselves, with the local derivatives 1/v and −u/v². ``u * v ** -1`` gives
    the right adjoints through a product node and a power node, which is not the exercise's
    division node. Never raises."""
    feedback = usual_comparison(checker, checker.fn)
    if not feedback.passed:
        orphan = _no_parents(checker)
        if orphan is not None:
            return orphan
        unwrapped = _unwrapped_constant(checker)
        return feedback if unwrapped is None else unwrapped
    u, v = Value(1.5), Value(-0.8)
    try:
        q = checker.fn(u, v)
        pairs = [tuple(pair) for pair in q.parents]
    except Exception:  # noqa: BLE001 - it passed the usual cases; this extra look is a bonus
        return feedback
    parents = [pair[0] for pair in pairs]
    ids = {id(u), id(v)}
    if len(pairs) == 2 and {id(p) for p in parents} == ids:
        local = {id(p): float(d) for p, d in pairs}
        if np.allclose([local[id(u)], local[id(v)]], [1 / v.data, -u.data / v.data**2]):
            return feedback
    from_v = [p for p in parents if id(p) not in ids and any(n is v for n in topological_order(p))]
    if from_v:
        return checker.feedback(
            "wrong",
            "Not yet: every adjoint is right, but your node's parents are not u and v "
            "themselves: one of them is a node computed from v (v ** -1?). `u * v ** -1` is a "
            "product node, not a division node with two parents. Build the node q = u / v "
            "directly, with u and v as its parents and, next to each, the local derivative of "
            "q with the other held fixed.",
            "product_of_power",
            checker.ex.hints[:1],
        )
    return checker.feedback(
        "wrong",
        "Not yet: every adjoint is right, but your node's parents are not the pairs (u, ∂q/∂u) "
        "and (v, ∂q/∂v) with u and v themselves: the exercise asks for one node q = u / v with "
        "two parents, each with its local derivative.",
        "not_two_parents",
        checker.ex.hints[:1],
    )


register(
    Exercise(
        notebook="11",
        title="division in the graph",
        imports="",
        signature="value_div(u, v)",
        statement=r"""The `Value` class of section 1 knows $+$, $\times$, $-$, integer powers
and $\sigma$, but not division. This exercise and 11.3 work with that class itself, the one
defined in this notebook: run section 1's cells first. Write `value_div(u, v)`, which returns a new node $q = u / v$ of the graph. It has
two parents, $u$ and $v$ themselves; either of them may come as a plain number, a constant (`x / 2.0`, `1.0 / x`), which
becomes a node first, as in `__mul__`. Store in the new node what the reverse sweep (3) needs
from this operation, and nothing else: `backward` does the rest. Equation (1) does not list
division: work out its two local derivatives, one per parent with the other held fixed, and test
them with central differences (notebook 09) before you run the check.

The check computes $u$ and $v$ from a few inputs, some of them shared by $u$ and $v$, one case
with $u$ and $v$ the same node ($x / x$) and cases with a constant numerator or denominator. It
runs `backward` from your node, then again from $q \cdot q$, and compares the value and the
adjoints of the inputs with the right values (which agree with central differences of the same
expressions). Once it says correct, `Value.__truediv__ = value_div` and
`Value.__rtruediv__ = lambda self, other: value_div(other, self)` make `/` work on nodes:
`w / (1 + x * x)`.""",
        explanation=r"The node stores one pair (parent, local derivative) per parent. "
        r"$\partial q/\partial u = 1/v$: with $v$ held fixed, $u/v$ is $u$ times the number $1/v$. "
        r"$\partial q/\partial v = -u/v^2$: $\frac{u}{v + \varepsilon} - \frac{u}{v} = "
        r"\frac{-u\,\varepsilon}{v\,(v + \varepsilon)}$, so $u/v$ falls by $u/v^2$ per unit of $v$ "
        r"to first order. For $x / x$ both edges lead to $x$, with $1/x$ and $-x/x^2 = -1/x$; "
        r"`backward` adds them, and $x$'s adjoint is 0, as it must be for the constant 1. A "
        r"constant operand becomes a leaf whose adjoint nobody reads.",
        cases=_div_cases,
        collect=_div_results,
        custom_check=_div_check,
        bugs=[
            Bug(
                "sign_v",
                "The adjoints that pass through v have the wrong sign: the local derivative you "
                "stored with v is +u/v². With u > 0 fixed, does u / v grow or shrink when v "
                "grows?",
            ),
            Bug(
                "no_square",
                "The local derivative you stored with v is −u/v: v is missing a power. Compare "
                "it with a central difference of u / v at v = 2 and at v = 4: how does it scale "
                "with v?",
            ),
            Bug(
                "no_u",
                "The local derivative you stored with v is −1/v², the derivative of 1/v alone: "
                "q is u times 1/v, so u multiplies that derivative too.",
            ),
            Bug(
                "u_only",
                "Only u is a parent of your node: nothing passes back to v, and on x / x the "
                "adjoint of x is 1/x instead of 0. Store one pair (parent, local derivative) per "
                "parent, v included.",
            ),
            Bug(
                "v_only",
                "Only v is a parent of your node: nothing passes back to u. Store one pair "
                "(parent, local derivative) per parent, u included.",
            ),
            Bug(
                "swapped",
                "The two local derivatives are swapped: the one stored with u is ∂q/∂v, and the "
                "one stored with v is ∂q/∂u. (On x / x that cannot be seen: both edges lead to "
                "the same node.)",
            ),
            Bug(
                "constant_not_wrapped",
                "Not yet: your node is right when u and v are both nodes, but it stops with an "
                "error when one of them is a plain number, a constant (`x / 2.5`, `3.0 / x`): a "
                "float has no `.data`, and it cannot be a parent, since `backward` writes a "
                "`.grad` into every parent. Turn a plain-number operand into a node first, "
                "`Value(v)`, as `__mul__` does with `other`, then build the node from the two "
                "nodes.",
            ),
            Bug(
                "product_locals",
                "The local derivatives you stored are v and u: those of the product u · v "
                "(section 1), not of the quotient u / v.",
            ),
        ],
        hints=[
            "Hold v fixed: u / v is u times a number; what is that number? Then hold u fixed "
            "and nudge v by a small ε: is u / (v + ε) − u / v positive or negative when u and "
            "v are, and how does its size depend on v? Check both answers with central "
            "differences at u = 3, v = 2.",
            "How many (parent, local derivative) pairs does the new node need? On x / x = 1, "
            "what should x's adjoint be, and which two terms does backward add to get it? "
            "When one operand is a plain number, what does `__mul__` do with it before it "
            "builds the node?",
        ],
        correct="The node holds u / v with the local derivatives 1/v and −u/v², one per parent: "
        "the adjoints agree where u and v share inputs, with constants, and on x / x, where "
        "they cancel.",
    )
)


register(
    Exercise(
        notebook="11",
        title="every partial of a product, without division",
        imports="import numpy as np",
        signature="product_gradient(x)",
        statement=r"""Write `product_gradient(x)`: the gradient of $p = x_1 x_2 \cdots x_n$, the
vector of $\partial p / \partial x_i = \prod_{j \ne i} x_j$. The quick answer, $p / x_i$, fails as
soon as one $x_i$ is 0, and computing each entry afresh costs $n - 2$ multiplications (a product
of the other $n - 1$ entries), about $n^2$ in all. Find an answer with no division and $O(n)$ multiplications.

Think of the product as a chain graph, $p_1 = x_1$, $p_i = p_{i-1}\, x_i$, $p = p_n$: what do a
forward pass and one reverse sweep (equation (3)) compute on it? `x` is a 1-D array with $n \ge 2$
entries; return an array of the same shape. Once the values are right, the check runs your function
once more on 20 numbers that count the multiplications and divisions made with them.""",
        explanation=r"The forward pass stores the products before $x_i$; the reverse sweep carries "
        r"$\bar p_i = \partial p/\partial p_i = x_{i+1} \cdots x_n$ back from $\bar p_n = 1$; their "
        r"product is $\partial p/\partial x_i$. Two sweeps of $n$ multiplications each, as reverse "
        r"mode promises: one forward, one backward.",
        cases=lambda: [
            (np.array([1.5, -2.0, 0.5, 3.0, -1.2]),),
            (np.array([2.0, 0.0, -1.5, 4.0]),),
            (np.array([0.0, 3.0, 0.0, 2.0, 5.0]),),
            (np.array([0.7, -1.3]),),
        ],
        bugs=[
            Bug(
                "before_only",
                "Entry i is the product of the x_j before x_i only: the forward pass. The x_j after "
                "x_i are missing; they are what the reverse sweep carries back.",
            ),
            Bug(
                "after_only",
                "Entry i is the product of the x_j after x_i only: the reverse sweep. Multiply by "
                "the product of the x_j before x_i, from the forward pass.",
            ),
            Bug(
                "with_self",
                "Every entry is the whole product p, x_i included. Leave x_i out of entry i.",
            ),
            Bug(
                "divide",
                "You divided p by x_i. That is right on the first test, but the second test "
                "has x_2 = 0: there p = 0, and entry 2 is 0 / 0 = NaN, while the true "
                "∂p/∂x_2 = x_1 x_3 x_4 = −12 is not 0 at all. The zero is the point of the "
                "exercise: find the product of the x_j other than x_i without dividing by x_i.",
            ),
            Bug(
                "sum_rule",
                "Every entry is 1: that is the gradient of the sum x_1 + ... + x_n, not of the "
                "product.",
            ),
            Bug(
                "prefix_with_self",
                "Every entry is x_2 x_3 ⋯ x_n, which is right for entry 1 only: your products "
                "before x_i include x_i itself (the forward loop multiplies by x_i where it "
                "should multiply by x_(i−1)), so x_1 never enters them. before[i] must be the "
                "product of x_1 … x_(i−1), without x_i (1 for x_1); the reverse sweep's "
                "product after x_i is x_(i+1) … x_n.",
            ),
            Bug(
                "suffix_with_self",
                "Every entry is x_1 x_2 ⋯ x_(n−1), which is right for entry n only: your products "
                "after x_i include x_i itself (the reverse loop multiplies by x_i), so x_n never "
                "enters them. Entry i must leave x_i out: at which x should the reverse sweep's "
                "product for entry i start?",
            ),
        ],
        hints=[
            "Sweep the chain p_i = p_{i−1} x_i back from p̄_n = ∂p/∂p_n = 1 with (3): each "
            "node p_i has one edge out, to p_{i+1}, with local derivative x_{i+1}. What is "
            "p̄_i = ∂p/∂p_i, then, and what does the edge x_i → p_i (local derivative p_{i−1}) "
            "give for x̄_i?",
            "With x = (a, b, c, d) the answer is (bcd, acd, abd, abc). Entry 3 is (ab)·(d): "
            "the product of everything before x_3 times everything after it. One loop from the "
            "left builds the products before each x_i; one loop from the right builds the "
            "products after it. Multiply them entry by entry.",
        ],
        custom_check=_product_check,
        correct="Every partial is right, with no division and O(n) multiplications (counted on "
        "an x of 20 entries): a forward pass of the products before each x_i and a reverse "
        "sweep of the products after it.",
    )
)


# ----------------------------------------------------------------------------
# autograd_gradients: a tied autoencoder's gradients, the way one gets them from PyTorch
# ----------------------------------------------------------------------------
def _autograd_cases():
    out = []
    for seed, n_0, n_1, n in ((1111, 3, 2, 4), (1112, 4, 2, 3), (1113, 2, 3, 5)):
        r = np.random.default_rng(seed)
        W = r.normal(0, 1.0, (n_1, n_0))  # the one weight matrix, stored (n_1, n_0)
        b1, b2 = r.normal(0, 0.5, n_1), r.normal(0, 0.5, n_0)
        X = r.normal(0, 1, (n, n_0))
        out.append((W, b1, b2, X))
    return out


def _has_nodes(x):
    if isinstance(x, (list, tuple)):
        return any(_has_nodes(v) for v in x)
    if isinstance(x, np.ndarray) and x.dtype == object:
        return any(_has_nodes(v) for v in x.ravel())
    return hasattr(x, "grad") and hasattr(x, "parents")


def _autograd_results(out, args):
    """The returned gradients as they are; a node of the graph gets its own message."""
    if _has_nodes(out):
        raise TypeError(
            "it returned nodes of the graph (Values), not numbers: read each parameter's "
            "adjoint, its `.grad`, into the arrays"
        )
    return out


def _is_value(obj):
    """A node of a graph like section 1's: the module's Value or the notebook's own."""
    cls = type(obj)
    return callable(getattr(cls, "backward", None)) and not cls.__module__.startswith("torch")


def _bplib_but_this_module(code):
    """Any of bplib's code but this module's (its ``Value`` is the one the exercise uses)."""
    return code.co_filename.startswith(_BPLIB_DIR) and code.co_filename != __file__


_BPLIB_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


class _AutogradWatch(watch.Watch):
    """The reader's ``autograd_gradients``, watched (:class:`.watch.Watch`): any call into
    bplib (its forward or backward pass) or PyTorch is noted, and it counts the Value nodes
    each call creates and how often a Value's ``backward`` runs."""

    def __init__(self, fn):
        super().__init__(fn, _bplib_but_this_module, on_call=self._count)
        self.nodes = self.backwards = 0  # in the current call
        self.short = None  # (nodes, parameters) of the first call with fewer nodes than parameters

    def _count(self, frame):
        name = frame.f_code.co_name
        if name in ("__init__", "backward") and _is_value(frame.f_locals.get("self")):
            if name == "__init__":
                self.nodes += 1
            else:
                self.backwards += 1

    def __call__(self, W, b1, b2, X):
        params = np.size(W) + np.size(b1) + np.size(b2)
        self.nodes = 0
        try:
            return super().__call__(W, b1, b2, X)
        finally:
            if self.nodes < params and self.short is None:
                self.short = (self.nodes, params)


def _autograd_raised(e, args):
    """A TypeError from an operation that Value does not have gets a message of its own."""
    text = str(e)
    if not isinstance(e, (TypeError, AttributeError, AssertionError)) or "Value" not in text:
        return None
    return (
        f"{type(e).__name__}: {text[:160]}. Value knows +, −, ×, integer powers (`u ** 2`) "
        "and `.sigmoid()`, and nothing else: no `/` (that is exercise 11.1: multiply by "
        "`1.0 / len(X)` instead), no numpy functions such as `np.exp` or `np.dot` on Values "
        "(write the sums with `sum(...)` or a loop), and no `float(v)` before `backward` "
        "(it cuts the graph)."
    )


#: The slips of 11.3 that change what the graph computes, and those that only scale C: an
#: answer may hold one of each, or both scale slips (their gradients are the product)
GRAPH_SLIPS = ("hidden_only", "output_only", "sigmoid_output", "last_example", "mean_of_copies")
SCALE_SLIPS = ("no_half", "no_mean")


def _scale_text(keys, n, alone=True):
    """What the scale slips ``keys`` do: to the right gradients (``alone``), or on top of
    another slip (one scale slip is only ever named on top of another)."""
    if keys == ("no_half", "no_mean"):
        than = "the right one" if alone else "what the other slip alone gives"
        return (
            f"The ½ and the 1/n are both missing: every gradient is 2n = {2 * n} times "
            f"{than}. The cost of one example is ½ Σ_k (a²_k − x_k)², and C is the mean of the "
            "n example costs."
        )
    if keys == ("no_half",):
        return (
            "The ½ is missing, which doubles every gradient on top of that: the cost of one "
            "example is ½ Σ_k (a²_k − x_k)²."
        )
    return (
        f"The 1/n is missing, which makes every gradient n = {n} times larger on top of that: "
        "C is the mean over the n examples, so multiply the sum of the example costs by 1/n."
    )


def _two_slips(checker):
    """Two of the named slips at once, judged apart: the gradients of one graph slip (or of
    none), times the factor of one or both scale slips (2 without the ½, n without the 1/n),
    on every test. The feedback names each; None when no such pair explains the answer.
    Never raises."""
    from .checker import _close, _result_or_none, _scale

    bugs = {b.key: b for b in checker.ex.bugs}
    cases = checker.ex.cases()
    got = []
    for args in cases:
        with np.errstate(all="ignore"):
            got.append(_result_or_none(checker.ex, checker.fn, args))
    for graph in (None, *GRAPH_SLIPS):
        for scale in (("no_half",), ("no_mean",), SCALE_SLIPS):
            if graph is None and len(scale) == 1:
                continue  # a single slip: the usual comparison names it
            matched = True
            for i, args in enumerate(cases):
                base = (
                    checker.answers.expected(i) if graph is None else checker.answers.bug(graph, i)
                )
                n = len(args[3])
                factor = (2.0 if "no_half" in scale else 1.0) * (n if "no_mean" in scale else 1)
                if got[i] is None or base is None or not _close(got[i], _scale(base, factor)):
                    matched = False
                    break
            if not matched:
                continue
            n = len(cases[0][3])
            if graph is None:
                return checker.feedback(
                    "wrong", _scale_text(scale, n), "+".join(scale), checker.ex.hints[-1:]
                )
            return checker.feedback(
                "wrong",
                f"{'Two' if len(scale) == 1 else 'Three'} slips at once, each named here as "
                f"if it were alone; take them one at a time. (1) {bugs[graph].message} "
                f"(2) {_scale_text(scale, n, alone=False)}",
                "+".join((graph, *scale)),
                checker.ex.hints[-1:],
            )
    return None


def _autograd_check(checker):
    """The usual comparison, with the reader's calls watched; then refuse an answer that
    was not computed by reverse mode on Values: one that calls bplib's passes or PyTorch,
    builds no Value per parameter, or never runs ``backward``. An answer that no single slip
    explains may be two named slips at once (``_two_slips``). Never raises."""
    watched = _AutogradWatch(checker.fn)
    feedback = usual_comparison(checker, watched)
    if watched.torch:
        return checker.feedback(
            "wrong",
            "Not with the notebook's Value: your function calls PyTorch, whose autograd "
            "does the work this exercise asks you to do yourself. Build the cost from Value "
            "nodes and call `backward` on it; compare with PyTorch afterwards, as section 6 "
            "does.",
            "library",
        )
    if watched.library:
        names = ", ".join(watched.library)
        return checker.feedback(
            "wrong",
            f"Not with the notebook's Value: your function calls bplib's {names}, which runs "
            "BP1–BP4 for you, the very thing the exercise replaces. Make each entry of W, b1 "
            "and b2 a Value, build C from them, and let one `backward` fill in the adjoints.",
            "library",
        )
    if feedback.status not in ("correct", "wrong") or feedback.bug == "no_backward":
        return feedback  # an error, or not attempted: its own message is the useful one
    if watched.short is not None:
        nodes, params = watched.short
        made = "no Value node" if nodes == 0 else f"only {nodes} Value nodes"
        return checker.feedback(
            "wrong",
            f"Your function creates {made} on an autoencoder with {params} weights and "
            "biases: the numbers it returns are not the adjoints of Value parameters. "
            "Write no derivative (no BP1–BP4 by hand): make "
            "every entry of W, b1 and b2 a Value, compute C from them, call `C.backward()`, "
            "and read each parameter's `.grad`.",
            "not_reverse_mode",
            checker.ex.hints[:1],
        )
    if watched.backwards == 0:
        return checker.feedback(
            "wrong",
            "A Value's `backward` never ran while your function did, so the numbers it "
            "returned are not adjoints from a reverse sweep. Build C from the parameter "
            "Values, call `C.backward()` once, then read the `.grad`s.",
            "not_reverse_mode",
            checker.ex.hints[:1],
        )
    if feedback.status == "wrong" and feedback.bug is None:
        named = _two_slips(checker)
        if named is not None:
            return named
    return feedback


register(
    Exercise(
        notebook="11",
        title="a weight used in two layers, the PyTorch way",
        imports="import numpy as np",
        signature="autograd_gradients(W, b1, b2, X)",
        statement=r"""With PyTorch you never write BP1–BP4: you make the parameters tensors
that require gradients, compute the loss from them, call `loss.backward()`, and read each
parameter's `.grad` (section 6). That pays most on a network that BP1–BP4, as derived, do not
fit. Here is one, a **tied autoencoder**: it learns to reproduce its input through a hidden
layer, $n_0$ inputs, $n_1$ sigmoid hidden neurons and $n_0$ linear outputs, with the input itself
as the target. Its output layer has no weights of its own: it uses the transpose of the hidden
layer's matrix $W$, stored `(n_1, n_0)`, and there is no other weight. For one example $x$ (a
column), and the cost over the $n$ examples $x_1, \dots, x_n$ (the rows of `X`):

$$a^1 = \sigma\big(W x + b^1\big), \qquad a^2 = W^T a^1 + b^2, \qquad
C = \frac1n \sum_{i=1}^{n} \tfrac12 \big\lVert a^2(x_i) - x_i \big\rVert^2 ,$$

where $a^2(x_i)$ is the output for example $x_i$. Inside one example, $k$ numbers the inputs and the
outputs, $j$ the hidden neurons, and $w_{jk}$ is entry `W[j, k]`. In the hidden layer it is the
weight to hidden neuron $j$ from input $k$, $z^1_j = \sum_k w_{jk} x_k + b^1_j$, as always; the
output layer reads the transpose, so the same $w_{jk}$ is its weight to output $k$ from hidden
neuron $j$: $z^2_k = \sum_j w_{jk} a^1_j + b^2_k$.

BP4 gives each layer's weight matrix its own gradient; here there is one matrix, used by both
layers. Write `autograd_gradients(W, b1, b2, X)`, which returns `(grad_W, grad_b1, grad_b2)`,
arrays shaped like `W`, `b1` and `b2`, with `grad_W[j, k]` $= \partial C/\partial w_{jk}$, and
get them the way a PyTorch user does: from this notebook's `Value` and its reverse sweep, with no
derivative written by hand. The only derivatives are the local ones that `Value`'s operations
store; the check makes sure that a `backward` ran and that no pass of bplib's did the work. How
the parameters must enter the graph, so that the adjoints you read are the gradients of the tied
network, is for you to work out. `Value` knows $+$, $-$, $\times$, integer powers and
`.sigmoid()`; for the $\frac1n$, multiply by `1.0 / len(X)` (or divide, if you gave `Value` the
division of exercise 11.1). Rows of `X` are examples.

Exercise 11.4 then asks how your `grad_W` follows from BP1–BP4.""",
        explanation=r"Each $w_{jk}$ is one node with two children per example: the product "
        r"$w_{jk}\, x_k$ inside $z^1_j$, and the product $w_{jk}\, a^1_j$ inside $z^2_k$. Your "
        r"function never says what either layer contributes to that weight's gradient: one Value "
        r"per weight, read by both layers, and `backward` does the bookkeeping. This is how PyTorch is used on networks that nobody "
        r"derived BP1–BP4 for (shared weights, skip connections, attention): write the forward "
        r"pass, and reverse mode writes the backward pass.",
        cases=_autograd_cases,
        collect=_autograd_results,
        custom_check=_autograd_check,
        raised=_autograd_raised,
        bugs=[
            Bug(
                "hidden_only",
                "`grad_W` holds only what reaches W through the hidden layer: the output layer "
                "read W's entries as plain numbers or as separate Values, whose adjoints are "
                "lost. Make one Value per entry of W and let both layers read that same node: "
                "`backward` then follows every use of it.",
            ),
            Bug(
                "output_only",
                "`grad_W` holds only what reaches W through the output layer: the hidden layer "
                "read W's entries as plain numbers or as separate Values, whose adjoints are "
                "lost. Make one Value per entry of W and let both layers read that same node: "
                "`backward` then follows every use of it.",
            ),
            Bug(
                "sigmoid_output",
                "These are the gradients of an autoencoder with a sigmoid on the output layer "
                "too. Here the output is linear: a² = Wᵀa¹ + b², σ on the hidden layer only.",
            ),
            Bug(
                "no_half",
                "Every gradient is twice the right one: the cost of one example is "
                "½ Σ_k (a²_k − x_k)², with the ½.",
            ),
            Bug(
                "no_mean",
                "Every gradient is n times the right one: C is the mean over the n examples, so "
                "multiply the sum of the example costs by 1/n.",
            ),
            Bug(
                "last_example",
                "Only the last example counts: C is overwritten in the loop over the examples "
                "instead of adding each example's cost to it.",
            ),
            Bug(
                "mean_of_copies",
                "`grad_W` is exactly half the right one (`grad_b1` and `grad_b2` are right): it "
                "is the mean of the two, what reaches W through the hidden layer and what "
                "reaches it through the output layer, read from two separate Values per entry. "
                "The reverse sweep does not average the uses of a node. Make one Value per "
                "entry of W and let both layers read that same node: `backward` then follows "
                "every use of it.",
            ),
            Bug(
                "no_backward",
                "Every gradient is 0: the adjoints are read before `backward` has filled them "
                "in. Call `C.backward()` once the whole cost is built, then read the `.grad`s.",
            ),
        ],
        hints=[
            "Three steps, as with PyTorch. (1) The parameters: one Value per entry of W, b1 "
            "and b2, kept in nested lists so that you can find them again; one Value per "
            "entry, not one per use. (2) The forward pass and the cost with those Values, one "
            "example at a time. (3) C.backward(), then the .grad of each parameter, back into "
            "arrays of the right shapes.",
            "Hidden neuron j: z¹_j = Σ_k w_jk x_k + b¹_j, a¹_j = σ(z¹_j). Output k: "
            "a²_k = Σ_j w_jk a¹_j + b²_k, the same nodes w_jk read along the other index, and "
            "no σ. Add each example's ½ Σ_k (a²_k − x_k)(a²_k − x_k) to C, and multiply by 1/n "
            "at the end.",
        ],
        correct="The adjoints of W, b¹ and b², from one backward sweep from C, with each w_jk "
        "one node read by both layers. How they follow from BP1–BP4 is exercise 11.4.",
    )
)


# ----------------------------------------------------------------------------
# tied_gradient: the same gradient from BP1-BP4 on the untied network
# ----------------------------------------------------------------------------
def _tied_cases():
    """A square W first (n_1 = n_0), so that a sum without the transpose runs and is named,
    then the three autoencoders of 11.3."""
    r = np.random.default_rng(1114)
    square = (
        r.normal(0, 1.0, (3, 3)),
        r.normal(0, 0.5, 3),
        r.normal(0, 0.5, 3),
        r.normal(0, 1, (4, 3)),
    )
    return [square] + _autograd_cases()


def _tied_check(checker):
    """The usual comparison, with the reader's calls watched: the answer must come from
    ``bplib.backprop``'s two gradients, not from Value nodes (11.3's function again)."""
    watched = _AutogradWatch(checker.fn)
    feedback = usual_comparison(checker, watched)
    if watched.nodes or watched.backwards:
        return checker.feedback(
            "wrong",
            "Your function builds Value nodes: that is exercise 11.3's way. Here the numbers "
            "must come from BP1–BP4 on the untied network: call `bplib.backprop` on the "
            "untied network's lists, and combine its `gW[1]` and `gW[2]` (with no Value).",
            "values",
        )
    if feedback.status in ("correct", "wrong") and "`backprop`" not in watched.library:
        return checker.feedback(
            "wrong",
            "Your function never calls `bplib.backprop`: the exercise is to find which "
            "combination of BP4's two gradients, `gW[1]` and `gW[2]` of the untied network, "
            "is the tied one. Call it on the untied network's lists, then combine the two.",
            "no_backprop",
        )
    return feedback


register(
    Exercise(
        notebook="11",
        title="the tied gradient from BP1–BP4",
        imports="import numpy as np\n\nimport bplib",
        signature="tied_gradient(W, b1, b2, X)",
        statement=r"""BP1–BP4 as derived want one weight matrix per layer. Untie the
autoencoder of exercise 11.3: give its output layer a copy of its own, $W^2 = W^T$. As bplib's
lists, indexed by layer, the untied network is

```python
[None, W, W.T.copy()]                    # the weights: W^1 = W, and W^2, a copy of W^T
[None, b1, b2]                           # the biases
[None, bplib.sigmoid, bplib.identity]    # sigmoid hidden layer, linear output
```

with the cost `bplib.quadratic`, and `X` as both the input and the target. `bplib.backprop`
(called in section 5's `gradients_matrix`) gives each layer's matrix its own BP4 gradient, `gW`:
`gW[1]` has the shape of `W`, `(n_1, n_0)`; `gW[2]` has the shape of $W^2$, `(n_0, n_1)`. Write
`tied_gradient(W, b1, b2, X)`: the gradient of the tied autoencoder's $C$ with respect to its
one matrix $W$, the `grad_W` of exercise 11.3, computed from `gW[1]` and `gW[2]` (no `Value`).
Which combination of the two is it? Try your guess against your `autograd_gradients` on a small
case of your own first (`rng = np.random.default_rng(0)`, then `W`, `b1`, `b2`, `X` =
`rng.normal(size=...)` with the shapes `(2, 3)`, `(2,)`, `(3,)`, `(4, 3)`), as an
`assert np.allclose(...)`, and say which equation of this notebook makes it so.""",
        explanation=r"`grad_W = gW[1] + gW[2].T`. Entry $w_{jk}$ of the tied matrix is the node "
        r"behind two untied weights, $w^1_{jk}$ (`gW[1][j, k]`) and $w^2_{kj}$ (`gW[2][k, j]`, "
        r"hence the transpose). By equation (2), the tied weight's adjoint is the sum of the two "
        r"untied ones. Either term alone "
        r"drops the edges into one layer, and a mean halves the sum; (2) keeps every term "
        r"whole.",
        cases=_tied_cases,
        custom_check=_tied_check,
        bugs=[
            Bug(
                "hidden_only",
                "That is `gW[1]` alone, what reaches W through the hidden layer. The tied W is "
                "also the output layer's matrix: what does the reverse sweep do at a node with "
                "two children?",
            ),
            Bug(
                "output_only",
                "That is `gW[2].T` alone, what reaches W through the output layer. The tied W is "
                "also the hidden layer's matrix: what does the reverse sweep do at a node with "
                "two children?",
            ),
            Bug(
                "no_transpose",
                "You added `gW[2]` without its transpose: it ran only because the first test's "
                "W is square. `gW[2][k, j]` belongs to the output layer's weight to output k "
                "from hidden neuron j, which is W's entry w_jk: which index of `gW[2]` is j?",
            ),
            Bug(
                "mean",
                "Half the right gradient: the mean of the two terms. Equation (2) does not "
                "average over the children of a node; what does it do with their terms?",
            ),
            Bug(
                "difference",
                "You subtracted one term from the other. Both layers' terms push C the same "
                "way through the one node w_jk: equation (2) adds them.",
            ),
        ],
        hints=[
            "Section 3: a node with two edges out gets one term of (2) from each. Here the "
            "node is w_jk and its children are in both layers: which entry of `gW[1]` and "
            "which entry of `gW[2]` belong to w_jk?",
            "`gW[2]` is shaped like W^2 = W^T: its entry [k, j] is the output layer's weight to "
            "output k from hidden neuron j. Turn it into W's shape first.",
        ],
        correct="grad_W = gW[1] + gW[2].T: the tied weight w_jk is one node with edges into "
        "both layers, and equation (2) adds the terms of all its edges: the hidden layer's "
        "BP4 gradient plus the output layer's, transposed back to W's shape.",
    )
)
