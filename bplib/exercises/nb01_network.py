"""Notebook 01, the network: the forward pass with examples as rows, worked out from the column
form; the one layer a network without activations is; tanh′ from tanh alone."""

from __future__ import annotations

import re

import numpy as np

from . import watch
from .checker import Bug, Exercise, _close, _Stop, register
from .feedback import Feedback


def _rng(seed):
    return np.random.default_rng(seed)


# ----------------------------------------------------------------------------
# feedforward_rows
# ----------------------------------------------------------------------------


def _layers(sizes, r):
    W = [None] + [r.normal(0, 1.2, (m, k)) for k, m in zip(sizes[:-1], sizes[1:])]
    b = [None] + [r.normal(0, 1.0, m) for m in sizes[1:]]
    return W, b


#: The case where every size is 3: the last one
SQUARE = 2
#: The slips that stop with a shape error on the first two cases and run only on the square one
SHAPE_SLIPS = ("no_transpose", "column_form", "bias_as_column", "reads_input")


def _rows_cases():
    r = _rng(101)
    # cases 0 and 1: no two neighbouring sizes equal and no width equal to the number of
    # examples, so that an answer kept as columns has the wrong shape, and the product without
    # the transpose, the column form, a bias added as a column and a layer that reads a[0] stop
    # with a shape error; case 2 (SQUARE): every width and the number of examples equal (3), so
    # that those slips run there and can be named
    W0, b0 = _layers([2, 4, 3], r)
    W1, b1 = _layers([4, 2, 5, 1], r)
    W2, b2 = _layers([3, 3, 3], r)
    return [
        (W0, b0, r.normal(0, 1, (5, 2))),
        (W1, b1, r.normal(0, 1, (6, 4))),
        (W2, b2, r.normal(0, 1, (3, 3))),
    ]


def _right_up_to(l):
    return "a[0] is right" if l == 1 else f"a[0] to a[{l - 1}] are right"


def _layer_of(e):
    """The loop variable ``l`` of the reader's function where it raised ``e``, or None."""
    tb, l = e.__traceback__, None
    while tb is not None:
        found = tb.tb_frame.f_locals.get("l")  # the deepest frame with an int l: the loop's
        l = found if isinstance(found, int) else l
        tb = tb.tb_next
    return l


def _test_name(i, X, widths):
    if i == 0:
        return "On the first test"
    return f"On test {i + 1} ({X.shape[0]} examples, widths n_0..n_L = {widths})"


def _first_wrong_layer(checker, indices=None):
    """Where the reader's list first differs from the right one: a sentence, or None when the
    answer is not a list of L + 1 arrays (the usual message says what it should be)."""
    cases = checker.ex.cases()
    for i in range(len(cases)) if indices is None else indices:
        got, want = _case(checker, "on the test input" if i == 0 else "on another test", i)
        if want is None:
            return None
        if _close(got, want):
            continue
        if not isinstance(got, tuple) or len(got) != len(want):
            return None
        W, _, X = cases[i]
        test = _test_name(i, X, [X.shape[1]] + [w.shape[0] for w in W[1:]])
        for l, (g, w) in enumerate(zip(got, want)):
            if g is None or g.shape != w.shape:
                shape = "None" if g is None else f"shape {g.shape}"
                where = "a[0], the input," if l == 0 else f"a[{l}]"
                right = "" if l == 0 else f" {_right_up_to(l)};"
                return f"{test},{right} {where} is the first wrong entry: {shape}, not {w.shape}."
            if not _close(g, w):
                if l == 0:
                    return f"{test}, a[0] is already wrong: it must be the input X itself."
                return (
                    f"{test}, {_right_up_to(l)} and a[{l}] is the first wrong layer "
                    f"(shape {g.shape} is right, the numbers are not)."
                )
        return None
    return None


def _case(checker, where, i=0):
    """The student's result on test case i and the right one; (None, None) when the
    student's function stops there (its feedback is given by the usual check)."""
    args = checker.ex.cases()[i]
    checker.index = i
    try:
        got = checker.student(args, where)
    except _Stop:
        return None, None
    return got, checker.expected(args)


def _kept_as_columns(checker):
    """Whether, on the first test, every layer after the input is the right one transposed,
    (n_l, n) for (n, n_l): the column form run on X.T, its columns never turned back (a[0]
    may be X or X.T)."""
    got, want = _case(checker, "on the test input")
    if not isinstance(got, tuple) or len(got) != len(want) or len(want) < 2:
        return False
    layers = list(zip(got[1:], want[1:]))
    return all(g is not None and g.shape == w.T.shape and _close(g, w.T) for g, w in layers)


def _named_on_the_square_case(checker):
    """A shape slip stops on the first test; on the square case it runs: name it there."""
    cases = checker.ex.cases()
    checker.index = SQUARE
    try:
        got = checker.student(cases[SQUARE], "on the last test")
    except _Stop:
        return None
    bug = checker.match_bug(cases[SQUARE], got)
    if bug is None or bug.key not in SHAPE_SLIPS:
        return None
    W, _, X = cases[0]
    widths = [X.shape[1]] + [w.shape[0] for w in W[1:]]
    where = _first_wrong_layer(checker, [SQUARE]) or ""
    return checker.feedback(
        "wrong",
        f"Your function stops with a shape error on the first test (X is {X.shape}, widths "
        f"n_0..n_L = {widths}) but runs on the last, where every size is 3. {where} " + bug.message,
        bug.key,
    )


def _rows_check(checker):
    """The usual comparison, with a call into bplib's forward pass (``bplib.feedforward``,
    ``feedforward_layers``, ``weighted_input``, a Network's methods, under any name)
    refused; a shape error on the first test that is a known slip on the square case is
    named; an answer kept as columns is named; then a wrong list gets the first wrong layer
    put first."""
    feedback = watch.watched_comparison(
        checker, watch.library_codes(), "(`sigma.fn` is fine: σ is not the exercise.)"
    )
    if feedback.status == "error":
        named = _named_on_the_square_case(checker)  # a Feedback is falsy unless it passed
        return feedback if named is None else named
    if feedback.status != "wrong" or feedback.bug == "library":
        return feedback
    if feedback.bug in (None, "shape") and _kept_as_columns(checker):
        bug = next(b for b in checker.ex.bugs if b.key == "columns")
        feedback = checker.feedback("wrong", bug.message, bug.key)
    where = _first_wrong_layer(checker)
    if where is None:
        return feedback
    return Feedback(
        feedback.name, feedback.status, f"{where} {feedback.message}", feedback.bug, feedback.hints
    )


def _rows_raised(e, args):
    """A product or a sum whose shapes do not fit (cases 1 and 2: no two neighbouring sizes
    equal): say which product, from the sizes numpy names, and never show the traceback."""
    text = str(e)
    if not isinstance(e, ValueError):
        return None
    W, b, X = args
    n, sizes = X.shape[0], [X.shape[1]] + [w.shape[0] for w in W[1:]]
    shapes = (
        f"Here X is {X.shape}, so n = {n} examples and the widths are n_0..n_L = {sizes}; "
        f"a[l − 1] is (n, n_(l−1)) and W[l] is stored (n_l, n_(l−1)) = (n_out, n_in)."
    )
    if "broadcast" in text:
        return (
            "Numpy could not add two arrays whose shapes do not fit: "
            + text[:120]
            + ". "
            + shapes
            + " The weighted input of layer l must be (n, n_l); b[l] is (n_l,). "
            "Is the bias added as a column, `b[l][:, None]`, as in the column form? In the rows "
            "layout it must line up with the neurons, along the last axis."
        )
    m = re.search(r"size (\d+) is different from (\d+)", text)
    if "matmul" not in text or m is None:
        return None
    got = {int(m.group(1)), int(m.group(2))}
    at = _layer_of(e)
    layers = [at] if at is not None and 1 <= at < len(sizes) else range(1, len(sizes))
    causes = []
    if any(got == {sizes[l], sizes[l - 1]} for l in layers):
        causes.append(
            "`a[l − 1] @ W[l]` without a transpose: its inner sizes are n_(l−1) and n_l, which "
            "meet only when they happen to be equal (as in the last test, where every size is 3)"
        )
    if any(got == {n, sizes[l - 1]} for l in layers):
        causes.append(
            "the column form `W[l] @ a[l − 1]`: it multiplies W by the examples' columns, but "
            "here the examples are rows"
        )
    if any(got == {sizes[0], sizes[l - 1]} for l in layers if l >= 2):
        causes.append(
            "a layer that reads the input a[0] (or X) instead of the layer just before it, a[l − 1]"
        )
    if not causes:
        return None
    where = f"In layer l = {at}, a" if at is not None else "A"
    return (
        where
        + " matrix product has shapes that do not fit ("
        + text[:160].strip()
        + "). "
        + shapes
        + " Likely: "
        + "; or ".join(causes)
        + ". Write the shape under each factor: the "
        "weighted input of layer l must come out (n, n_l). Transposing (4) for one example, "
        "with (Mv)^T = v^T M^T, gives the order of the factors."
    )


register(
    Exercise(
        notebook="01",
        title="the forward pass with one example per row, every layer kept",
        imports="import numpy as np\nfrom bplib import sigmoid as sigma",
        signature="feedforward_rows(W, b, X)",
        statement=r"""Code runs many examples at once, **one example per row**: the input is the
$n \times n_0$ matrix $X$ whose row $i$ is example $i$'s $x^T$, and layer $l$'s activations form
the $n \times n_l$ matrix $A^l$ whose row $i$ is that example's $(a^l)^T$; $A^0 = X$. The weights
stay as they are stored.

**Derive (on paper).** From (4), work out what layer $l$ computes from $A^{l-1}$, and write the
shape under each factor: $A^{l-1}$ is $(n, n_{l-1})$, `W[l]` is $(n_l, n_{l-1})$, `b[l]` is
$(n_l,)$, and the result must be $(n, n_l)$.

**Write** `feedforward_rows(W, b, X)` for a sigmoid network (σ in every layer, the output layer
included), with numpy and `sigma.fn` (the notebook's `sigma`, bplib's sigmoid), not bplib's
forward pass. `W` and `b` are bplib's lists
indexed by layer (`W[0]` and `b[0]` are `None`). Return **the activations of every layer**
(backpropagation needs them all; notebook 10 asks for this list again): a list `a` of $L + 1$
entries, `a[0]` the input `X` itself and `a[l]` of shape $(n, n_l)$, row $i$ for example $i$.

Section 5 derives the answer and checks it: write yours first.""",
        explanation="Each layer reads the one before it, `a[l - 1]`, and the flat `b[l]` is "
        "added to every row. Section 5, right below, derives this line as equation (7).",
        cases=_rows_cases,
        custom_check=_rows_check,
        raised=_rows_raised,
        bugs=[
            Bug(
                "no_transpose",
                "You multiplied `a[l − 1] @ W[l]`, without the transpose. It runs only where "
                "n_(l−1) = n_l, as in the last test. W[l] is stored (n_out, n_in) = "
                "(n_l, n_(l−1)). Write the shape under each factor: the product must take "
                "(n, n_(l−1)) to (n, n_l), as transposing (4) for one example does. What shape "
                "must the factor on the right have, and which matrix made from W[l] has it?",
            ),
            Bug(
                "column_form",
                "You used the column form `W[l] @ a[l − 1]` on a batch stored as rows: it "
                "multiplies W by the columns of a[l − 1], which here are not examples. It runs "
                "only where the sizes happen to be equal, as in the last test. Transpose (4) for one example, "
                "(W a)^T = a^T W^T, to see which factor comes first.",
            ),
            Bug(
                "bias_as_column",
                "The bias was added as a column, `b[l][:, None]`, the column form's habit: in "
                "the rows layout that gives b_i to every neuron of example (row) i. It runs only "
                "where the number of examples equals the layer's width, as in the last test. The bias "
                "lines up with the neurons, the last axis: which shape must it have to be added "
                "to every row?",
            ),
            Bug(
                "reads_input",
                "Every layer reads the input a[0] (or X) instead of the layer just before it: "
                "layer 1 is right and every later layer is wrong. Layer l reads a[l − 1]. (It "
                "runs only where the sizes happen to be equal, as in the last test.)",
            ),
            Bug(
                "columns",
                "Your a[l] are columns, shape (n_l, n): the column form (4) run on X.T, one "
                "example per column, with each layer kept as it came out. Here the examples stay "
                "rows from start to end, so a[l] must be (n, n_l), row i for example i. Rather "
                "than transposing on the way in and out, transpose (4) itself for one example, "
                "(W a)^T = a^T W^T, and compute each layer from the rows a[l − 1].",
            ),
            Bug(
                "stores_z",
                "Your list holds the weighted inputs z^l, not the activations: you passed σ(z) "
                "on to the next layer but stored z. a[l] is σ(z^l), the same array the next layer "
                "reads.",
            ),
            Bug(
                "no_activation",
                "σ is missing in every layer: your a[l] are the weighted inputs of a linear "
                "network, each fed to the next layer. Each layer's activation is a^l = σ(z^l), "
                "and the next layer reads a^l, not z^l.",
            ),
            Bug(
                "no_bias",
                "The biases are missing: your weighted inputs are the products alone. Which term "
                "of (4) did you leave out, and which rows of z^l does it belong to?",
            ),
            Bug(
                "no_sigma_on_output",
                "Every layer is right except the output: a[L] is the weighted input z^L, without "
                "σ. The output layer is a sigmoid layer too: a^L = σ(z^L). (Did the loop treat "
                "its last pass differently?)",
            ),
            Bug(
                "sigma_twice_on_output",
                "Every layer is right except the output: σ was applied to it twice, σ(σ(z^L)). "
                "The loop already applies σ in the output layer; the output needs nothing "
                "more after the loop.",
            ),
            Bug(
                "sigma_twice",
                "σ was applied twice in every layer: your a[l] is σ(σ(z^l)), not σ(z^l), and "
                "the next layer reads it. Each layer passes its weighted input through σ once. "
                "Where does your loop put an activation it has already computed through σ "
                "again?",
            ),
            Bug(
                "sigma_prime",
                "You applied σ′ instead of σ: the forward pass uses the activation itself, "
                "`sigma.fn`; its derivative `sigma.prime` is for the backward pass.",
            ),
            Bug(
                "last_layer_missing",
                "The last layer is missing: the loop stopped one layer short. W has L + 1 "
                "entries (W[0] is None), so the layers are `range(1, len(W))`.",
            ),
            Bug(
                "only_output",
                "You returned the output a^L alone, which is right. Return the list of every "
                "layer's activations, a[0] = X up to a[L], L + 1 arrays.",
            ),
            Bug(
                "input_missing",
                "a[0] is not X: your list starts at layer 1. a[0] must be the input X itself, so "
                "that a[l] is layer l's activations and the list has L + 1 entries, like W.",
            ),
            Bug(
                "input_as_none",
                "a[0] is not X but None. The input layer has activations, a^0 = x; only W[0] "
                "and b[0] are None (it has no weights). a[0] is X.",
            ),
            Bug(
                "input_transposed",
                "a[0] is not X but X transposed, (n_0, n): in this layout the examples stay "
                "rows from start to end, and a[0] is X itself.",
            ),
        ],
        hints=[
            "For one example, (4) is z^l = W^l a^{l−1} + b^l with columns. Transpose both "
            "sides, using (Mv)^T = v^T M^T: (W^l a^{l−1})^T = (a^{l−1})^T (W^l)^T. Now "
            "(a^{l−1})^T is one row of A^{l−1}; stacking the n rows stacks the products, "
            "and the bias row (b^l)^T is added to each of them.",
            "Start the list with the input, `a = [X]`, then loop `for l in range(1, len(W))`, "
            "appending `sigma.fn(...)` of layer l's weighted input computed from `a[l - 1]`: "
            "shape (n, n_(l−1)) times (n_(l−1), n_l), plus `b[l]`.",
        ],
        correct="One product per layer, A^{l−1} (W^l)^T, with the bias added to every row, each "
        "layer's activations kept in a list indexed by layer: the forward pass a backward pass "
        "needs, in the layout every later notebook uses.",
    )
)


# ----------------------------------------------------------------------------
# collapse
# ----------------------------------------------------------------------------


def _collapse_cases():
    r = _rng(104)
    # case 0: every size 3, so that every named slip runs (the product in the wrong order, W
    # transposed, layer 1 used twice) and is told apart; the others are not square, and one
    # has a single layer
    return [_layers(sizes, r) for sizes in ([3, 3, 3, 3], [2, 4, 3, 5], [4, 2], [3, 2, 4, 2, 3])]


#: The slips of W_one and those of b_one: a wrong answer may hold one of each
W_SLIPS = ("wrong_order", "transposed", "first_transposed", "first_twice")
B_SLIPS = ("bias_summed", "bias_last_only", "no_bias", "bias_through_own")


def _half_slip(checker, got, part, keys):
    """The slip among ``keys`` whose W_one (part 0) or b_one (part 1) on case 0 is the
    reader's, or None."""
    for key in keys:
        variant = checker.answers.bug(key, 0)
        if variant is not None and _close(got[part], variant[part]):
            return next(b for b in checker.ex.bugs if b.key == key)
    return None


def _capital(text):
    return text if text.startswith("b_one") else text[:1].upper() + text[1:]


def _two_slips(checker, feedback):
    """W_one and b_one judged apart, on the first test (every size 3, so that every slip
    runs): when neither is right, each half's slip is named, or the half is said to be wrong
    in a way not named here. None when the answer is not such a pair or no half is named."""
    got, want = _case(checker, "on the first test")
    if not isinstance(got, tuple) or len(got) != 2 or _close(got[0], want[0]):
        return None
    if any(g is None or g.shape != w.shape for g, w in zip(got, want)) or _close(got[1], want[1]):
        return None
    w_bug, b_bug = _half_slip(checker, got, 0, W_SLIPS), _half_slip(checker, got, 1, B_SLIPS)
    if w_bug is None and b_bug is None:
        return None
    w_text = w_bug.message if w_bug else "Your W_one is wrong too, in a way not named here."
    b_text = (
        _capital(b_bug.message.removeprefix("Your W_one is right, but "))
        if b_bug
        else "b_one is wrong too, in a way not named here: each bias passes through the "
        "weights of the layers after its own."
    )
    key = "+".join(b.key for b in (w_bug, b_bug) if b is not None)
    return Feedback(
        feedback.name,
        "wrong",
        f"Both W_one and b_one are wrong, each with a slip of its own; take them one at a "
        f"time. (1) {w_text} (2) {b_text}",
        key,
        feedback.hints,
    )


def _collapse_check(checker):
    """The usual comparison, with a call into bplib's forward pass refused: the one layer is
    to be found from the matrices, not by running the network on probe inputs. An answer
    that no single slip explains gets W_one and b_one diagnosed apart (a slip in each)."""
    feedback = watch.watched_comparison(
        checker, watch.library_codes(), "(numpy's `@` is all it takes.)"
    )
    if feedback.status != "wrong" or feedback.bug not in (None, "shape"):
        return feedback
    named = _two_slips(checker, feedback)  # a Feedback is falsy unless it passed
    return feedback if named is None else named


register(
    Exercise(
        notebook="01",
        title="a deep network without activations",
        imports="import numpy as np",
        signature="collapse(W, b)",
        statement=r"""Take the activation away, σ(z) = z in every layer: each layer computes
$a^l = W^l a^{l-1} + b^l$ and hands it to the next. Can such a network, with many layers, compute
more than a single layer could?

**Write** `collapse(W, b)`: given the lists by layer of such a network (`W[l]` stored
$(n_l, n_{l-1})$, `b[l]` flat; `W[0]` and `b[0]` are `None`), any number of layers $L$, return
`(W_one, b_one)`, **one** layer that gives the same output $a^L$ for every input: `W_one` stored
as `bplib` stores a layer, $(n_L, n_0)$, and `b_one` flat, $(n_L,)$. Work from the matrices
with numpy; the check refuses bplib's forward pass (running the network on chosen inputs is not
the point).""",
        explanation=r"Layer $l$ turns the one layer of layers $1, \dots, l-1$ into "
        r"$W^l(W_{\rm one}\,x + b_{\rm one}) + b^l = (W^l W_{\rm one})\,x + (W^l b_{\rm one} + b^l)$: "
        r"the layer that acts last stands on the left, $W_{\rm one} = W^L \cdots W^2 W^1$, and each "
        r"bias passes through the weights of every layer after its own. Equation (8), right below, "
        r"is the two-layer case.",
        cases=_collapse_cases,
        custom_check=_collapse_check,
        bugs=[
            Bug(
                "wrong_order",
                "Your W_one is the product in the wrong order, W^1 W^2 ⋯ W^L. The layer that acts "
                "last stands on the left: W^2 (W^1 x) = (W^2 W^1) x, so W_one = W^L ⋯ W^2 W^1. "
                "(Where the widths differ, your order does not even fit.)",
            ),
            Bug(
                "transposed",
                "Your W_one is the right one transposed, (n_0, n_L): store it as bplib stores a "
                "layer, (n_out, n_in) = (n_L, n_0), so that W_one @ x + b_one is the output for a "
                "column x.",
            ),
            Bug(
                "first_transposed",
                "Your W_one is W^L ⋯ W^2 (W^1)^T: the later layers stand in the right order, but "
                "W^1 entered transposed. Transposing a product at the end, (W^1 (W^2)^T ⋯)^T, "
                "transposes every factor, since (MN)^T = N^T M^T: a factor not transposed "
                "inside comes out transposed. (It runs only where n_0 = n_1, as in the first "
                "test.) Which factor of your product went through a transpose only once?",
            ),
            Bug(
                "first_twice",
                "W^1 is in your W_one twice, W^L ⋯ W^2 W^1 W^1: you started from layer 1 and then "
                "multiplied by it again. Start from layer 1 and go on from layer 2, or start from "
                "the identity, W_one = I and b_one = 0.",
            ),
            Bug(
                "bias_summed",
                "Your W_one is right, but b_one is the sum of the biases. An earlier layer's bias "
                "is part of that layer's output, so every later layer multiplies it by its "
                "weights: b^1 reaches the output as W^L ⋯ W^2 b^1.",
            ),
            Bug(
                "bias_last_only",
                "Your W_one is right, but b_one is the last layer's bias alone. The earlier biases "
                "do not vanish: each one passes through the weights of the layers after it.",
            ),
            Bug(
                "no_bias",
                "Your W_one is right, but b_one is 0: with x = 0 the network still outputs "
                "something, and that something is b_one.",
            ),
            Bug(
                "bias_through_own",
                "Your W_one is right, but each bias was multiplied by its own layer's weights too. "
                "b^l is added after W^l (a^l = W^l a^{l−1} + b^l), so it passes only through the "
                "layers after l.",
            ),
        ],
        hints=[
            "Two layers first, on paper: put a^1 = W^1 x + b^1 into a^2 = W^2 a^1 + b^2 and "
            "collect the term with x and the term without it.",
            "Keep one running layer (W_one, b_one) for layers 1 to l − 1. Layer l turns it into "
            "W^l W_one and W^l b_one + b^l. Start from layer 1 itself.",
        ],
        correct="W_one = W^L ⋯ W^2 W^1 and b_one carries each bias through the layers after it: "
        "without activations, depth adds nothing a single layer cannot do.",
    )
)


# ----------------------------------------------------------------------------
# tanh_prime
# ----------------------------------------------------------------------------


def _tanh_cases():
    r = _rng(103)
    return [
        (np.tanh(np.linspace(-2.0, 2.0, 9).reshape(3, 3) + 0.15),),
        (np.tanh(r.normal(0, 1.5, (4, 5))),),
    ]


register(
    Exercise(
        notebook="01",
        title="the derivative of tanh, in terms of tanh",
        imports="import numpy as np",
        signature="tanh_prime(t)",
        statement=r"""**tanh**, the hyperbolic tangent, $\tanh(z) = \dfrac{e^z - e^{-z}}{e^z +
e^{-z}}$, is an S-curve like σ but from $-1$ to $1$ and through 0. It is σ stretched and
shifted:

$$\tanh(z) = 2\sigma(2z) - 1 .$$

**Goal.** The forward pass has already computed each tanh neuron's activation
$t = \tanh(z)$, and (9) reads σ′ off the activation σ alone. Find the slope $\tanh'(z)$ as an
expression in $t$ alone, starting from this identity and from (9).
Then write `tanh_prime(t)`: given the array `t` of values $\tanh(z)$ (any shape), return the
array of slopes $\tanh'(z)$ at the same $z$, element-wise, from `t` alone (no `z`, no
`np.tanh`).""",
        explanation=r"$\tanh'(z) = 2 \cdot 2\,\sigma'(2z) = 4\,\sigma(2z)\big(1 - \sigma(2z)\big)$, "
        r"and $\sigma(2z) = \frac{1 + t}{2}$, $1 - \sigma(2z) = \frac{1 - t}{2}$, so "
        r"$\tanh'(z) = (1 + t)(1 - t) = 1 - \tanh^2(z)$. Its largest value is $\tanh'(0) = 1$, "
        r"four times $\sigma'(0) = \tfrac14$.",
        cases=_tanh_cases,
        bugs=[
            Bug(
                "sigma_prime_form",
                "You returned t(1 − t), the sigmoid's σ(1 − σ) with t in place of σ. But t is "
                "tanh(z), not σ(z): write σ(2z) in terms of t first, σ(2z) = (t + 1)/2.",
            ),
            Bug(
                "no_chain_factor",
                "Your slopes are half the right ones: the chain rule for σ(2z) gives "
                "2σ′(2z), and tanh = 2σ(2z) − 1 multiplies it by 2 again.",
            ),
            Bug(
                "no_factors",
                "Your slopes are a quarter of the right ones: the derivative of 2σ(2z) is "
                "2 · 2 · σ′(2z), two factors of 2 (one from the outer 2, one from the chain "
                "rule for 2z).",
            ),
            Bug(
                "no_square",
                "You returned 1 − t, which has lost a factor. Go back over your steps: the "
                "chain rule turns the slope of 2σ(2z) − 1 into 2 · σ′(2z) · 2, and (9) makes "
                "σ′(2z) a product of two factors, σ(2z) and 1 − σ(2z). Write each of them in "
                "terms of t before you multiply: the factors of 2 cancel, but neither factor of "
                "σ′ does.",
            ),
            Bug(
                "plus_square",
                "You returned 1 + t², a sign slip: (1 + t)(1 − t) = 1 − t².",
            ),
            Bug(
                "tanh_itself",
                "You returned t itself (or a multiple), the function, not its slope.",
            ),
            Bug(
                "tanh_of_t",
                "Your slopes are tanh′ at the point t, not at z: you put t where the chain rule "
                "has z, as in 4σ(2t)(1 − σ(2t)) (or 1 − tanh²(t), where tanh(t) is "
                "tanh(tanh(z))). t is the activation, not the weighted input. Keep "
                "4σ(2z)(1 − σ(2z)) and write each factor in terms of t instead: solve "
                "t = 2σ(2z) − 1 for σ(2z).",
            ),
            Bug(
                "four_t",
                "You returned 4t(1 − t): the chain rule's 4σ(2z)(1 − σ(2z)) with t put in "
                "place of σ(2z). But σ(2z) is not t = tanh(z): solve t = 2σ(2z) − 1 for σ(2z) "
                "first, and for 1 − σ(2z) likewise, then multiply.",
            ),
        ],
        hints=[
            "A route: differentiate both sides of tanh(z) = 2σ(2z) − 1 with the chain rule, "
            "use (9) for σ′(2z), then solve the identity for σ(2z) in terms of t and substitute.",
            "Chain rule: d/dz [2σ(2z) − 1] = 2 · σ′(2z) · 2 = 4 σ(2z)(1 − σ(2z)).",
            "From t = 2σ(2z) − 1: σ(2z) = (1 + t)/2, and 1 − σ(2z) = (1 − t)/2. Multiply.",
        ],
        correct="tanh′(z) = 1 − tanh²(z): like σ′ = σ(1 − σ), the slope is read from the "
        "activation itself, and it is largest, 1, at z = 0.",
    )
)
