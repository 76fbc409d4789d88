"""Notebook 09, gradient checking: the central difference, and find the bug in a backprop."""

from __future__ import annotations

import inspect
import itertools
import textwrap

import numpy as np

from bplib import backpropagate_error, bias_gradient, sigmoid, weight_gradient

from .checker import ACCUMULATE, Bug, Exercise, register, usual_comparison

s, sp = sigmoid.fn, sigmoid.prime  # short names for the variants below


# ----------------------------------------------------------------------------
# numerical_gradient: section 1 gives the central difference (3) for one number; the reader
# writes it for every entry of an array that a function of no arguments reads, changing each
# entry in place and putting it back (as bplib.numerical_gradients does for a network, whose
# cost reads net.W). The cases' f is an object holding p itself, so that the checker's fresh
# copies of the arguments (copy.deepcopy of the tuple) still share it: f reads the copy of p.
# ----------------------------------------------------------------------------


class ReadsP:
    """A smooth function of no arguments that reads the entries of the array ``p`` when called,
    as ``lambda: net.cost(X, Y)`` reads ``net.W[l]``: f() = Σ sin(A ⊙ p) + ½ (c · p)²."""

    def __init__(self, p, A, c):
        self.p, self.A, self.c = p, A, c

    def __call__(self):
        return float(np.sum(np.sin(self.A * self.p)) + 0.5 * np.sum(self.c * self.p) ** 2)

    def __repr__(self):
        return "f (a function of no arguments that reads p)"


def _numerical_gradient_cases():
    out = []
    for seed, shape, eps in ((901, (2, 3), 1e-2), (902, (4,), 1e-3)):
        r = np.random.default_rng(seed)
        p = r.normal(0, 1, shape)
        out.append((ReadsP(p, r.uniform(0.5, 2.0, shape), r.normal(0, 1, shape)), p, eps))
    return out


_ALL_AT_ONCE = (
    "You moved every entry of p at once, so one difference of f measured the sum of all the "
    "partial derivatives, not each one. Move one entry at a time: f(p with only p[i] moved by "
    "±ε), for each index i in turn, `for i in np.ndindex(p.shape)`."
)

register(
    Exercise(
        notebook="09",
        title="the numerical gradient of an array",
        imports="import numpy as np",
        signature="numerical_gradient(f, p, eps)",
        statement=r"""A gradient check needs (3) for every parameter. Write
`numerical_gradient(f, p, eps)`: `p` is an array of any shape (a weight matrix `net.W[l]`,
a bias vector), and `f` a function of **no arguments** whose value depends on the entries of
`p`, read when `f()` is called, as `lambda: net.cost(X, Y)` reads `net.W[l]`. Return an array
shaped like `p` whose entry `i` is the central difference (3) in that one entry, with the
step `eps`. When your function returns, `p` must hold exactly what it held before (the network
is used again after the check). Write it from (3), with numpy only: notebook 02's `fd_gradient`
and `bplib.numerical_gradients` do not take this interface.""",
        explanation=r"`f` takes no arguments, so the only way to give it another value of "
        r"$\theta$ is to change the entry of `p` itself, then call `f()`. For each index `i` "
        r"(`np.ndindex` runs over every index of an array of any shape): keep the old value, "
        r"evaluate at `old + eps` and at `old - eps`, and put the old value back before the next "
        r"entry, so that each partial is taken with every other entry at its own value, and `p` "
        r"ends as it began. `p[i] = old` restores it exactly; adding and subtracting ε can miss "
        r"the old value by a rounding step. This is what `bplib.numerical_gradients` does for "
        r"every layer of a network, with `f` its cost.",
        cases=_numerical_gradient_cases,
        bugs=[
            Bug(
                "forward",
                "That is the forward difference (2), [f(θ + ε) − f(θ)]/ε, whose error shrinks "
                "only like ε. Use the two points θ ± ε, symmetric about the entry's value, (3).",
            ),
            Bug(
                "divide_by_eps",
                "Every entry is twice the slope: the two points θ + ε and θ − ε are 2ε apart, so "
                "the difference of f is divided by 2ε, not ε.",
            ),
            Bug(
                "no_restore",
                "Each entry is left moved after its difference is taken, so the partials of the "
                "later entries are taken at a p that has drifted away from the one given. What must "
                "p[i] hold before you move on to the next entry?",
            ),
            Bug(
                "in_place",
                "Right numbers, but p does not hold what it held before your function ran: an "
                "entry was left moved, or put back by arithmetic (old + ε − 2ε + ε can miss old by "
                "a rounding step). What must each entry hold when your function returns, and how "
                "do you give it exactly that? The network is used again after the check.",
            ),
            Bug(
                "all_at_once",
                _ALL_AT_ONCE,
            ),
            Bug("all_at_once_number", _ALL_AT_ONCE),
            Bug(
                "rows",
                "You moved a whole row at a time: for a matrix, p[i] with one index is row i, so "
                "each difference measured the sum of that row's partials. Move one entry at a "
                "time, with one index per axis: `for i in np.ndindex(p.shape)` gives them all.",
            ),
            Bug(
                "copy",
                "Every entry is 0: f never saw the changes. f reads the array p itself (as "
                "net.cost reads net.W), so move the entry of p in place, not of a copy of it, "
                "then put it back.",
            ),
            Bug(
                "flat",
                "The right values, as a flat vector: return them in an array shaped like p "
                "(`np.zeros_like(p)`, filled at each index i), so that entry i of the gradient "
                "belongs to entry i of p.",
            ),
        ],
        hints=[
            "f takes no arguments: to evaluate it at θ + ε for one entry, set that entry of p "
            "to its old value + eps, then call f(). `np.ndindex(p.shape)` gives every index of "
            "an array of any shape.",
            "After your second call to f, what does p[i] hold, and what must it hold before "
            "the next index? Which two values of f does (3) subtract, and over what?",
        ],
        correct="Every entry is its central difference, and p is left exactly as it was.",
    )
)


# ----------------------------------------------------------------------------
# backprop: find the bug
# ----------------------------------------------------------------------------
# The broken backprop of the find-the-bug exercise is a network with exactly one hidden
# layer, written out line by line in the column form of notebooks 05-07, one example at a
# time: x is a column (n_0, 1), W^l is (n_l, n_{l-1}), and a loop over the examples sums
# their gradients (W^1's with its 1/n inside the loop, so that no single line shows the
# missing one). There is no loop over layers and no batch matrix, so its fix is neither the any-depth answer nor the batch form of notebook 10. It has two
# bugs that the per-layer check tells apart: sigma' at the output layer's z in delta^1
# (layer 1 flagged, weights and biases), and the missing 1/n in the weight gradient of
# layer 2 (only layer 2's weights flagged, with r = (n - 1)/(n + 1)). The notebook does not
# show it: the reader imports it, finds both bugs with the gradient check, and only then
# reads its source (`backprop_broken??`) and writes the fixed version, `backprop`.
def backprop_broken(W, b, X, Y):
    """Gradients of the mean cost C = (1/n) Σ_i C_i, C_i = ½‖a^2 − y‖² for example i (columns
    a^2, y), of a sigmoid network with one hidden layer: W = [None, W1, W2],
    b = [None, b1, b2]. It has two bugs."""
    n = X.shape[0]  # examples, one per row of X
    b1, b2 = b[1].reshape(-1, 1), b[2].reshape(-1, 1)  # biases as columns
    grad_W1, grad_b1 = np.zeros_like(W[1]), np.zeros_like(b1)  # sums over the examples
    grad_W2, grad_b2 = np.zeros_like(W[2]), np.zeros_like(b2)
    for i in range(n):  # one example at a time
        x, y = X[i].reshape(-1, 1), Y[i].reshape(-1, 1)  # columns (n_0, 1) and (n_2, 1)
        z1 = W[1] @ x + b1  # hidden layer, (n_1, 1)
        a1 = sigmoid.fn(z1)
        z2 = W[2] @ a1 + b2  # output layer, (n_2, 1)
        a2 = sigmoid.fn(z2)
        delta2 = (a2 - y) * sigmoid.prime(z2)  # BP1: error of the output layer
        delta1 = (W[2].T @ delta2) * sigmoid.prime(z2)  # BP2
        grad_b2 += delta2  # BP3
        grad_W2 += delta2 @ a1.T  # BP4
        grad_b1 += delta1  # BP3
        grad_W1 += delta1 @ x.T / n  # BP4
    grad_W = [None, grad_W1, grad_W2]
    grad_b = [None, grad_b1.ravel() / n, grad_b2.ravel() / n]  # shaped like b[1], b[2]
    return grad_W, grad_b


BROKEN_BACKPROP_SOURCE = textwrap.dedent(inspect.getsource(backprop_broken))


BACKPROP_BUGS = {
    "next_z": "δ^1 takes σ′ at the output layer's weighted input z^2: the note's slip. "
    "Which layer does the new δ belong to, and so whose weighted input does BP2's σ′ take?",
    "prime_of_a": "δ^1 takes σ′ of the hidden layer's activation a^1 instead of its weighted "
    "input z^1: σ′(a^1) is the slope of the sigmoid at the wrong point. σ′ is evaluated where "
    "σ was, at z.",
    "no_prime_hidden": "δ^1 misses the factor σ′(z^1) (BP2).",
    "no_prime_output": "δ^2 misses the factor σ′(z^2) (BP1).",
    "no_transpose": "δ^1 multiplies δ^2 by W^2 itself where BP2 needs its transpose: "
    "which matrix carries δ^2 back to layer 1, for a column?",
    "sign": "the sign of δ^2 is flipped (y − a instead of a − y), so every gradient points uphill.",
    "factor_2": "δ^2 carries a factor 2, the formula of the cost (a − y)² without the ½; this "
    "cost has the ½, so BP1 is (a − y) ⊙ σ′(z^2).",
    "no_mean": "every gradient misses the 1/n of the mean: they sum over the examples.",
    "no_mean_W1": "the weight gradient of layer 1 misses the 1/n of the mean (it sums over the "
    "examples).",
    "no_mean_b1": "the bias gradient of layer 1 misses the 1/n of the mean (it sums over the "
    "examples).",
    "no_mean_W2": "the weight gradient of layer 2 misses the 1/n of the mean (it sums over the "
    "examples).",
    "no_mean_b2": "the bias gradient of layer 2 misses the 1/n of the mean (it sums over the "
    "examples).",
    "twice_W1": "the weight gradient of layer 1 is divided by n twice: the loop already adds "
    "each example's share with its 1/n, so one more 1/n at the end makes it n times too small. "
    "Its r is (n − 1)/(n + 1), as for a missing 1/n: r says a factor n, not which way.",
    "twice_W2": "the weight gradient of layer 2 is divided by n twice, once inside the loop and "
    "once at the end, so it is n times too small. Its r is (n − 1)/(n + 1), as for a missing "
    "1/n: r says a factor n, not which way.",
}


# backprop_broken's own two bugs. Its result gets no names: finding them with the gradient
# check is the exercise; a bug is named once the student has fixed the other one.
BROKEN_BUGS = ("next_z", "no_mean_W2")
UNCHANGED = (
    "Both bugs are still there: run the gradient check in the statement. Which layers are "
    "flagged, the weights, the biases or both, and which r?"
)


# Part 1 of 9.2, the diagnosis, committed before the source is read: a lettered choice that
# check_diagnosis answers. Each wrong option is told which number of the report contradicts it.
DIAGNOSIS_RIGHT = "B"
DIAGNOSIS_FEEDBACK = {
    "A": "A bug in BP1 spoils δ^2, and every gradient of layer 2 is built from δ^2: its bias "
    "gradient would be flagged too, but the report has r ≈ 1e-10 there. Which line do only "
    "layer 1's two gradients share?",
    "B": "Right. Only layer 1 is spoiled in both gradients: they share one line, δ^1 (BP2), and "
    "layer 2 uses δ^2 only. Its r ≈ 0.1 is none of section 2's tell-tale values: a wrong δ "
    "changes each entry differently, so it gives no one factor. Layer 2's weights alone, with "
    "r = 2/3 = (n − 1)/(n + 1) for n = 5: that gradient is n times too large, a missing 1/n in "
    "its BP4. Now read the source and fix the two lines.",
    "C": "A factor 2 gives r = 1/3 (section 2). Layer 2's weights have r ≈ 0.67 = 2/3: which "
    "factor gives (k − 1)/(k + 1) = 2/3, and what number is that in this batch?",
    "D": "A missing 1/n gives r = (n − 1)/(n + 1) = 2/3 exactly, but layer 1's two gradients have "
    "r ≈ 0.11 and 0.13: no single factor. Two gradients of one layer wrong together point to "
    "the one line they share.",
}


def check_diagnosis(diagnosis):
    """Exercise 9.2, part 1: the letter of the diagnosis, answered (never raises)."""
    from .feedback import Feedback  # noqa: PLC0415

    letters = ", ".join(f'"{k}"' for k in DIAGNOSIS_FEEDBACK)
    if diagnosis is None:
        return Feedback(
            "diagnosis",
            "not attempted",
            f"Set `diagnosis` to one letter, {letters}, and run again.",
        )
    key = str(diagnosis).strip().strip(".").upper()
    if key not in DIAGNOSIS_FEEDBACK:
        return Feedback("diagnosis", "wrong", f"Answer with one letter: {letters}.")
    status = "correct" if key == DIAGNOSIS_RIGHT else "wrong"
    return Feedback("diagnosis", status, DIAGNOSIS_FEEDBACK[key])


def _compatible(combo):
    if sum(c in combo for c in ("next_z", "no_prime_hidden", "prime_of_a")) > 1:
        return False  # one sigma' in BP2: at the wrong z, at a^1 or missing, not two of these
    if "no_mean" in combo and any(c.startswith("no_mean_") for c in combo):
        return False  # no_mean already misses every 1/n
    for layer in ("W1", "W2"):  # a gradient's 1/n is missing, once or twice: not both
        if f"twice_{layer}" in combo and ("no_mean" in combo or f"no_mean_{layer}" in combo):
            return False
    if len(combo) == 3 and any(c.startswith("twice_") for c in combo):
        return False  # a 1/n twice is named alone or with one other bug
    return True


def _backprop_bugs():
    out = []
    keys = list(BACKPROP_BUGS)
    for k in (1, 2, 3):
        for combo in itertools.combinations(keys, k):
            if not _compatible(combo):
                continue
            if k == 1 and combo[0] in BROKEN_BUGS:  # the reader fixed the other one
                msg = "One bug is left: " + BACKPROP_BUGS[combo[0]]
            elif k == 1:
                msg = "This looks like one bug: " + BACKPROP_BUGS[combo[0]]
            else:
                words = {2: "two", 3: "three"}[k]
                msg = f"This looks like {words} bugs: " + " ".join(
                    f"({i}) {BACKPROP_BUGS[c]}" for i, c in enumerate(combo, 1)
                )
            if combo == BROKEN_BUGS:  # backprop_broken itself, unchanged: the check finds them
                msg = UNCHANGED
            out.append(Bug("+".join(combo), msg[0].upper() + msg[1:]))
    out.append(Bug("accumulate", ACCUMULATE))
    return out


def _backprop_cases():
    """Networks [n_0, n_1, n_2] with one hidden layer. Case 0 has equal hidden and output
    widths, so that σ′(z^2) in δ^1 and a transposed W^2 run there and can be named."""
    out = []
    for seed, sizes, n in ((801, (3, 3, 3), 5), (802, (2, 4, 3), 6)):
        r = np.random.default_rng(seed)
        pairs = list(zip(sizes[:-1], sizes[1:]))
        W = [None] + [r.normal(0, 1.2, (o, i)) for i, o in pairs]
        b = [None] + [r.normal(0, 0.5, o) for _, o in pairs]
        X = r.normal(0, 1, (n, sizes[0]))
        Y = r.uniform(0, 1, (n, sizes[-1]))
        out.append((W, b, X, Y))
    return out


def _check_own(checker):
    """The usual comparison, with a call into bplib's own backprop refused (``net.gradients``,
    ``bplib.backprop``, section 5's ``backprop_with``: notebook 10's watch); calling
    ``backprop_broken`` is allowed."""
    from .nb10_your_own_backprop import _library_feedback, _Watched  # noqa: PLC0415

    watched = _Watched(checker.fn, allow=(backprop_broken,))
    feedback = usual_comparison(checker, watched)
    if watched.used:
        return _library_feedback(checker, watched.used)
    return feedback


register(
    Exercise(
        notebook="09",
        title="find the bug",
        signature="backprop(W, b, X, Y)",
        statement=r"""`backprop_broken`, imported from `bplib.exercises.nb09_gradient_checking`
above, has two bugs, and its source is not shown here. **Part 1**, the diagnosis from the
gradient check alone, is above: `check_diagnosis(diagnosis)` must say correct first.

**Part 2: fix.** Only then show the source, `backprop_broken??` in a new cell, and find the two
lines you diagnosed. Write `backprop(W, b, X, Y)` in the cell below: copy the body of
`backprop_broken` and fix the two lines. `W[l]` is $W^l$, stored `(n_l, n_{l-1})`, `b[l]` a
vector `(n_l,)`, index 0 is `None`, and rows of `X` and `Y` are examples. Return the
gradients shaped like `W[l]` and `b[l]`.""",
        explanation=r"The check flags both gradients of layer 1 and only the weights of layer "
        r"2, with $r = \frac{n-1}{n+1} = \frac23$ for $n = 5$: a factor $n$. "
        r"Layer 2's gradients do not use $\delta^1$, so the bug of layer 1 is in the line of "
        r"$\delta^1$: BP2 takes σ′ at the z of the layer the new δ belongs to, `z1`. "
        r"The weight gradient of layer 2 was returned as the sum over the examples: BP4 is a "
        r"mean like BP3, so it needs the $1/n$ that the other three gradients get "
        r"(`grad_W2 / n` at the end, or `/ n` in the loop as for `grad_W1`).",
        cases=_backprop_cases,
        bugs=_backprop_bugs(),
        hints=[
            "Run the check of the statement and print the report. Which layers are flagged, "
            "and in each of them, the weights, the biases or both?",
            "Layer 2's gradients use δ^2 only, and layer 1's use δ^1 only. A bug that spoils "
            "both gradients of layer 1 and nothing else sits in the line of δ^1 (BP2). Which "
            "z does its σ′ need?",
            "Only the weights of layer 2, with r = (n − 1)/(n + 1) = 2/3 for n = 5: by "
            "section 2, that gradient is n times too large. Follow each of the four gradients "
            "from its zeros to the return line: where does each get its 1/n?",
        ],
        correct="The fixed backprop agrees with the right gradients on both layers.",
        custom_check=_check_own,
    )
)


# ----------------------------------------------------------------------------
# Section 5's bug zoo: backprop from bplib's pieces, with one classic bug switched in.
# It lives here and not in a notebook cell because it works for any depth: printed above
# notebook 10, it would be the answer of 10's exercises (whose checker refuses a call
# into it, as into bplib's own forward and backward pass).
# ----------------------------------------------------------------------------
ZOO_BUGS = (
    "sigma'(z^{l+1}) for sigma'(z^l)",
    "missing sigma'",
    "missing transpose",
    "sign flipped",
    "1/n missing",
    "factor 2 added",
)


def backprop_with(bug, net, X, Y):
    """BP1-BP4 for bplib's cost ½||a - y||^2 from bplib's pieces, one replaced by a bug (None: correct).

    ``bug`` is None or one of ``ZOO_BUGS``; returns ``grad_W, grad_b`` indexed by layer.
    """
    if bug is not None and bug not in ZOO_BUGS:
        raise ValueError(f"unknown bug {bug!r}; the zoo has {', '.join(map(repr, ZOO_BUGS))}")
    W, sigma, L = net.W, net.activation, net.L
    z, a = net.feedforward_layers(X)  # lists indexed by layer
    grad_a = a[L] - Y  # row i: dC_i/da^L for C_i = ½||a^L_i - y_i||^2
    if bug == "factor 2 added":
        grad_a = 2 * (a[L] - Y)  # the formula of the cost without the ½ (the note's)
    if bug == "sign flipped":
        grad_a = Y - a[L]
    delta = [None] * (L + 1)
    delta[L] = grad_a * sigma.prime(z[L])  # BP1
    for l in range(L - 1, 0, -1):  # BP2: delta^l from delta^{l+1}
        if bug == "missing transpose":
            delta[l] = (delta[l + 1] @ W[l + 1].T) * sigma.prime(z[l])  # W^{l+1} delta^{l+1}
        elif bug == "sigma'(z^{l+1}) for sigma'(z^l)":
            delta[l] = backpropagate_error(
                delta[l + 1], W[l + 1], z[l + 1], sigma
            )  # the layer after
        elif bug == "missing sigma'":
            delta[l] = delta[l + 1] @ W[l + 1]
        else:
            delta[l] = backpropagate_error(delta[l + 1], W[l + 1], z[l], sigma)  # correct
    grad_W, grad_b = [None] * (L + 1), [None] * (L + 1)
    for l in range(1, L + 1):
        if bug == "1/n missing":  # sums over the batch
            grad_b[l], grad_W[l] = delta[l].sum(axis=0), delta[l].T @ a[l - 1]
        else:  # BP3, BP4: means
            grad_b[l], grad_W[l] = bias_gradient(delta[l]), weight_gradient(delta[l], a[l - 1])
    return grad_W, grad_b
