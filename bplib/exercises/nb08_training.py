"""Notebook 08, training: one epoch's mini-batches, one SGD step, one epoch (lists by layer)."""

from __future__ import annotations

import re

import numpy as np

import bplib

from .checker import (
    Bug,
    Exercise,
    _as_result,
    _close,
    feedback_for,
    register,
    usual_comparison,
)


def _batch_cases():
    """Case 0: 23 rows in batches of 5 (the last has 3); case 1: 12 rows in batches of 4."""
    return [(23, 5, np.random.default_rng(711)), (12, 4, np.random.default_rng(712))]


def _batch_collect(returned, args):
    # a generator or a 2-d array of index rows is read as its list of batches
    if returned is None or isinstance(returned, (list, tuple)):
        return returned
    if isinstance(returned, np.ndarray) and returned.ndim != 2:
        return returned
    try:
        return [np.asarray(rows) for rows in returned]
    except TypeError:
        return returned


NOT_RNG = (
    "Your function gives another answer each time it is called with the same rng: it draws "
    "its order from a random source other than the rng it was given (np.random.permutation, "
    "or np.random.default_rng() without a seed). The caller seeds rng once, so that the run "
    "can be repeated and each epoch still gets a new order: which object should your order "
    "come from?"
)

NOT_RNG_EPOCH = (
    "Your function gives another answer each time it is called with the same rng: its "
    "mini-batches come from a random source other than the rng it was given (a new "
    "np.random.default_rng() without a seed, or np.random). The caller seeds rng once, so "
    "that the run can be repeated and each epoch still gets a new order: which generator "
    "does your minibatches get?"
)


def _sizes(batches):
    """The row counts of a list of mini-batches, or None when it is not such a list."""
    if batches is None or (isinstance(batches, np.ndarray) and batches.ndim < 2):
        return None
    try:
        return [int(np.size(rows)) for rows in batches]
    except TypeError:
        return None


def _sizes_message(checker):
    """For minibatches: what is wrong with the sizes of the reader's mini-batches, in the
    reader's terms, when they differ from an epoch's (m rows per step, the last shorter)."""
    n, m, rng = checker.ex.cases()[0]
    try:
        got = _sizes(checker.call(checker.fn, (n, m, rng)))
    except Exception:  # noqa: BLE001 - the usual message stands
        return None
    want = _sizes(checker.expected((n, m, rng)))
    if got is None or want is None or got == want:
        return None

    def listed(sizes):
        return (
            ", ".join(map(str, sizes[:-1])) + f" and {sizes[-1]}"
            if len(sizes) > 1
            else str(sizes[0])
        )

    text = f"{len(got)} mini-batches, of {listed(got)} rows" if got else "no mini-batches"
    msg = (
        f"With n = {n} rows and m = {m}, you return {text}. An epoch takes m rows per step "
        f"until the rows run out: {listed(want)}, the last one shorter."
    )
    if max(got) - min(got) <= 1 and sum(got) == n:
        msg += (
            " np.array_split(order, k) cuts the order into k parts of nearly equal size, "
            "which is another thing: how many rows does each slice of an epoch hold, and "
            "where does the next one start?"
        )
    return msg


_COUNT = {2: "two", 3: "three", 4: "four", 5: "five"}


def _rows_message(checker):
    """For minibatches of the right sizes: the contract "no row is left out or used twice",
    in the reader's terms (a row found twice and a row found in none), when the reader's
    mini-batches break it, else None."""
    n, m, rng = checker.ex.cases()[0]
    try:
        batches = checker.call(checker.fn, (n, m, rng))
        rows = [np.asarray(batch).ravel() for batch in batches]
    except Exception:  # noqa: BLE001 - the usual message stands
        return None
    if not rows or any(r.dtype.kind not in "iu" for r in rows):
        return None
    counts = np.bincount(np.concatenate(rows), minlength=n) if min(map(np.min, rows)) >= 0 else None
    if counts is None or len(counts) != n or counts.max() < 2:
        return None
    twice, never = int(np.argmax(counts > 1)), int(np.argmax(counts == 0))
    holding = sum(twice in r for r in rows)
    where = (
        f"appears {_COUNT.get(int(counts[twice]), counts[twice])} times in one mini-batch"
        if holding == 1
        else f"appears in {_COUNT.get(holding, holding)} mini-batches"
    )
    return (
        f"With n = {n} rows and m = {m}, row {twice} {where} and row {never} in none: an "
        "epoch uses every row exactly once. How many random orders does your function draw "
        "in one epoch, and how many can it draw so that its slices hold every row once?"
    )


def _ignores_rng(checker):
    """'no_shuffle' or 'new_generator' when the reader's function gives one answer for two
    generators seeded differently (its order does not come from the rng it is given), else
    None."""
    args = list(checker.ex.cases()[0])
    try:
        one, two = (
            _as_result(checker.call(checker.fn, args[:-1] + [np.random.default_rng(seed)]))
            for seed in (1, 2)
        )
    except Exception:  # noqa: BLE001 - the usual message stands
        return None
    if not _close(one, two):
        return None
    stored = checker.answers.bug("no_shuffle", 0)
    return "no_shuffle" if stored is not None and _close(one, stored) else "new_generator"


def _epoch_raised(e, args):
    """The message for a mini-batch of inputs met with all the targets (Y[rows] forgotten),
    else the usual one."""
    X, Y = args[3], args[4]
    shapes = re.findall(r"\((\d+), \d+\)", str(e))
    if isinstance(e, ValueError) and len(X) > args[5] and str(len(Y)) in [s for s in shapes]:
        return (
            f"A step met all {len(Y)} targets `Y` with a mini-batch of inputs: the targets were "
            "not cut into the same mini-batches as the inputs. Which rows of Y belong with the "
            "inputs of a step?"
        )
    return None


def _rng_check(checker):
    """The usual comparison, with messages in the reader's terms for an order drawn from
    another random source (the checker's generic 'state' finding: a second call with the
    same input differs), for an order that ignores the rng (not shuffled, or drawn from a
    generator made inside the function) and, for minibatches, for mini-batches of the wrong
    sizes."""
    feedback = usual_comparison(checker, checker.fn)
    if feedback.passed:
        return feedback
    minibatches = checker.ex.name == "minibatches"
    if feedback.bug == "state":
        message = NOT_RNG if minibatches else NOT_RNG_EPOCH
        return checker.feedback("wrong", message, "not_rng")
    named = {bug.key: bug for bug in checker.ex.bugs}
    if feedback.bug in named and feedback.bug not in ("no_shuffle", "new_generator"):
        return feedback
    if minibatches:
        sizes = _sizes_message(checker)
        if sizes is not None:
            return checker.feedback("wrong", sizes, "sizes", checker.ex.hints[:1])
        rows = _rows_message(checker)
        if rows is not None:
            return checker.feedback("wrong", rows, "rows_reused", checker.ex.hints[:1])
    ignored = _ignores_rng(checker)
    if ignored is not None:
        return checker.feedback("wrong", named[ignored].message, ignored)
    return feedback


register(
    Exercise(
        notebook="08",
        title="one epoch's mini-batches",
        imports="import numpy as np",
        signature="minibatches(n, m, rng)",
        statement=r"""An epoch of mini-batch SGD visits each of the $n$ training rows exactly
once, in a new random order every epoch, $m$ rows per step. Write `minibatches(n, m, rng)`:
the rows of one epoch's mini-batches, as a list of integer arrays, one per step, in the order
the steps take them. The contract, which lets the check compare yours with `net.fit`: all the
randomness comes from `rng`, the caller's `np.random.Generator` (made once, with
`np.random.default_rng(seed)`, and passed to every epoch), and `net.fit` draws one random
order of the rows per epoch from `rng`, with the Generator method made for that (hint 1 names
it). Every mini-batch has $m$
rows, except the last when $m$ does not divide $n$; no row is left out or used twice.""",
        explanation="One order per epoch, drawn from the caller's generator (so the next "
        "epoch gets a new one and the run can be repeated), then $\\lceil n/m \\rceil$ "
        "consecutive slices: `order[start:start + m]` for start = 0, m, 2m, … simply comes out "
        "shorter at the end, and no row is left out or used twice.",
        cases=_batch_cases,
        collect=_batch_collect,
        custom_check=_rng_check,
        bugs=[
            Bug(
                "no_shuffle",
                "The rows came in their stored order 0, 1, 2, …: shuffle first. Draw the order "
                "from rng and cut the mini-batches from it.",
            ),
            Bug(
                "new_generator",
                "Your function gives the same mini-batches whatever rng it is given: the order "
                "came from a generator made inside the function (np.random.default_rng(0), or "
                "with any fixed seed), so every epoch would draw the same order. Draw it from "
                "the rng you are given.",
            ),
            Bug(
                "order_per_step",
                "A new random order was drawn for every mini-batch, so some rows come twice in "
                "the epoch and others not at all. Draw the order once per epoch and cut it into "
                "consecutive slices.",
            ),
            Bug(
                "order_per_slice",
                "With n = 23 rows and m = 5, row 1 appears in two mini-batches and row 2 in "
                "none: an epoch uses every row exactly once. How many random orders does your "
                "function draw in one epoch, and how many can it draw so that its slices hold "
                "every row once?",
            ),
            Bug(
                "last_dropped",
                "The last, shorter mini-batch was left out: with n = 23 and m = 5 the epoch "
                "has 5 steps, the last on 3 rows. A slice that runs past the end of an array "
                "just comes out shorter, so the last one needs no special case.",
            ),
            Bug(
                "last_full",
                "The last mini-batch was made m rows long by taking the last m rows of the "
                "order, so some rows are used twice in the epoch. Let it be shorter.",
            ),
            Bug(
                "m_batches",
                "With n = 23 rows and m = 5, your mini-batches hold 5, 5, 5, 4 and 4 rows: "
                "np.array_split(order, k) cuts the order into k parts of nearly equal size. An "
                "epoch takes m rows per step until the rows run out: 5, 5, 5, 5 and then the 3 "
                "left over. How many rows does each slice of an epoch hold, and where does the next "
                "one start?",
            ),
            Bug(
                "batches_shuffled",
                "The rows were cut in their stored order and then the mini-batches were "
                "shuffled as wholes, so rows 0 to m − 1 always share a step. Shuffle the rows "
                "first, then cut the order into consecutive slices.",
            ),
        ],
        hints=[
            "Draw the epoch's order once, at the start: the Generator method `rng.permutation` "
            "returns the numbers 0, …, n − 1 in a random order. Then cut that order into "
            "consecutive slices. Which `range` gives the first position of every mini-batch, "
            "m apart?",
            "A slice that runs past the end of an array just comes out shorter, so the last "
            "mini-batch needs no special case.",
        ],
        correct="One new order per epoch from the given rng, cut into ⌈n/m⌉ consecutive "
        "slices of m rows (the last one shorter): the mini-batches of net.fit.",
    )
)


def waiting_for(**functions):
    """None when every function passes its check; else a short sentence on what is missing.

    ``waiting_for(sgd_step=sgd_step)``. Never raises and never prints (also under nbgrader):
    notebook 08's checks of the reader's step and epoch run only when this is None.
    """
    for name, fn in functions.items():
        fb = feedback_for(name, fn)
        if not fb.passed:
            return (
                f"Waiting for your {name}: its check says '{fb.status}'. Run the check under "
                f"{name} until it says correct, then run this cell again."
            )
    return None


def _step_cases():
    """Case 0 has layers of one width (3-3-3-3), so that a[l] for a[l-1], or z^{l+1} for
    z^l, still fits and gives numbers the checker can name; case 1 is a 2-4-1 network."""
    out = []
    for seed, sizes, acts, m, eta in (
        (801, (3, 3, 3, 3), ("tanh", "tanh", "sigmoid"), 4, 0.5),
        (802, (2, 4, 1), ("sigmoid", "sigmoid"), 5, 2.0),
    ):
        r = np.random.default_rng(seed)
        pairs = list(zip(sizes[:-1], sizes[1:]))
        W = [None] + [r.normal(0, 1, (o, i)) for i, o in pairs]
        b = [None] + [r.normal(0, 1, o) for _, o in pairs]
        sigmas = [None] + [getattr(bplib, name) for name in acts]
        a0 = r.normal(0, 1, (m, sizes[0]))
        Y = r.uniform(0, 1, (m, sizes[-1]))
        out.append((W, b, sigmas, a0, Y, eta))
    return out


#: The bplib functions exercise 8.2 composes: the forward pass, BP1, BP2's loop
#: (bplib.backpropagate: notebook 10 asks the reader to write that loop, so 08 must not hold it),
#: and BP3-BP4 of one layer. Every other function of bplib's backward pass and training is
#: refused while the reader's step runs (bplib.backprop, net.gradients, ...): those compute
#: every gradient at once, which would leave the exercise nothing to do.
_STEP_PIECES = (
    bplib.weighted_input,
    bplib.feedforward_layers,
    bplib.feedforward,
    bplib.output_error,
    bplib.backpropagate,
    bplib.backpropagate_error,
    bplib.bias_gradient,
    bplib.weight_gradient,
    bplib.weight_gradient_per_example,
    bplib.descend,
)


def _library_loop(used):
    # notebook 10's watch names a call "bplib's `name`" (older versions: the bare name)
    names = ", ".join(u if "`" in u else f"bplib's `{u}`" for u in used)
    return (
        f"Your sgd_step calls {names}, which "
        + ("runs" if len(used) == 1 else "run")
        + " every gradient of the step for you; here you chain the pieces. Δ^L from "
        "output_error, every earlier layer's error from bplib.backpropagate, and each "
        "layer's gradients (4) and (5) with bias_gradient and weight_gradient, then the "
        "update. The check after the exercises compares your step with net.gradients."
    )


SHORT_LISTS = (
    "An index ran past the end of a list. The first test network has L = 3 layers with "
    "parameters (W has L + 1 entries, W[0] is None), so a step written for two layers, or a "
    "list of errors or gradients one entry short, runs out. Which layers does your step "
    "loop over, and is each of your lists as long as W?"
)


BELOW_LAYER_1 = (
    "Something met None, and index 0 of W, b, sigmas and z holds None: the input layer has no "
    "parameters, no activation function and no weighted input. Did a loop over the layers go "
    "one layer too far, down to l = 0? Going down from the output, which is the last layer "
    "whose error Δ^l you need, and what would Δ^0 be the error of?"
)

STOPS_EARLY = (
    "Layer 1's gradients met None: delta[1] was never filled, so the BP2 loop stops one "
    "layer early, at l = 2. Write out the values of l your `range` visits for L = 3 (its "
    "stop value is excluded): is 1 among them? Layer 1 has weights too, and they need Δ^1."
)

SOMETHING_NONE = (
    "Something met None: index 0 of W, b, sigmas and z holds None (the input layer has no "
    "parameters, no activation and no weighted input), and so does any entry of a list your "
    "loop never filled. Which values of l does each loop visit for L = 3?"
)

_GRADIENT_FUNCTIONS = ("bias_gradient", "weight_gradient", "weight_gradient_per_example")
_BPLIB_DIR = __file__.rsplit("/exercises/", 1)[0]


def _traceback_frames(e):
    """The frames of ``e``'s traceback, outermost first, and those of them outside bplib
    (the reader's code: its innermost one holds the reader's loop variable ``l``)."""
    frames, tb = [], e.__traceback__
    while tb is not None:
        frames.append(tb.tb_frame)
        tb = tb.tb_next
    return frames, [f for f in frames if not f.f_code.co_filename.startswith(_BPLIB_DIR)]


def _none_message(e):
    """Which loop met None, read from the traceback: BP2 run down to l = 0 (its σ or z is
    None), a gradient of layer l = 0, or layer 1's gradient with delta[1] never filled."""
    frames, mine = _traceback_frames(e)
    layer = mine[-1].f_locals.get("l") if mine else None
    for frame in reversed(frames):
        name, local = frame.f_code.co_name, frame.f_locals
        if name == "backpropagate_error" and (local.get("z") is None or local.get("sigma") is None):
            return BELOW_LAYER_1
        if name in _GRADIENT_FUNCTIONS and local.get("delta") is None:
            return BELOW_LAYER_1 if layer == 0 else STOPS_EARLY
    if layer == 0:
        return BELOW_LAYER_1
    return STOPS_EARLY if layer == 1 else SOMETHING_NONE


def not_reached(k):
    """The message for a BP2 loop that needed Δ^k before it had computed it."""
    return (
        f"Your loop did not reach layer {k} before it needed its error: Δ^{k} (delta[{k}]) "
        f"was still None when the loop computed layer {k - 1}'s, and numpy's matmul cannot "
        "multiply None. The test network has L = 3. BP2 computes Δ^l from Δ^{l+1}, so the "
        "loop must visit the later layer first, l = L − 1, …, 1. Which values of l does your "
        "range visit, and in which order?"
    )


def _unreached_layer(e):
    """k when a BP2 product met delta[k] = None (a loop run upward, or one that skipped
    layer k), read from the traceback; else None."""
    frames, mine = _traceback_frames(e)
    layer = mine[-1].f_locals.get("l") if mine else None
    if not isinstance(layer, int):
        return None
    for frame in frames:
        if (
            frame.f_code.co_name == "backpropagate_error"
            and frame.f_locals.get("delta_next") is None
        ):
            return layer + 1
    delta = mine[-1].f_locals.get("delta")
    if isinstance(delta, list) and 0 <= layer + 1 < len(delta) and delta[layer + 1] is None:
        return layer + 1
    return None


def _step_raised(e, args):
    """The message for an IndexError (a step written for two layers), for a None met (a
    BP2 loop run down to l = 0, or one that stops at l = 2), or for a BP2 product with an
    error not yet computed (a loop run upward), else the usual one."""
    if isinstance(e, IndexError):
        return SHORT_LISTS
    if isinstance(e, ValueError) and "matmul" in str(e).lower():
        k = _unreached_layer(e)
        if k is not None:
            return not_reached(k)
    if isinstance(e, (TypeError, AttributeError)) and "nonetype" in str(e).lower():
        return _none_message(e)
    return None


def _step_check(checker):
    """The usual comparison, with the calls into bplib watched (notebook 10's watch): only
    the one-equation functions of :data:`_STEP_PIECES` may be called."""
    from .nb10_your_own_backprop import _Watched  # noqa: PLC0415

    watched = _Watched(checker.fn, allow=_STEP_PIECES)
    feedback = usual_comparison(checker, watched)
    if watched.used:
        return checker.feedback("wrong", _library_loop(watched.used), "library")
    return feedback


register(
    Exercise(
        notebook="08",
        title="one step of SGD",
        imports="import bplib",
        signature="sgd_step(W, b, sigmas, a0, Y, eta)",
        statement=r"""Write `sgd_step(W, b, sigmas, a0, Y, eta)`: one step of mini-batch SGD on
the batch `a0` ($m$ rows, one example each) with targets `Y`, for a network of any depth,
with the quadratic cost `bplib.quadratic`. In order: the forward pass (1), the output error
(2), the errors of the earlier layers (3) down to layer 1, the gradients (4) and (5) of every
layer, then one step of gradient descent (notebook 03) for every weight and every bias of every
layer, each against its own gradient, with the one learning rate `eta`. Build it from
the functions of the table above, handing each the right layer's arrays. The check refuses
`bplib.backprop` and `net.gradients`, which compute every gradient for you (the check after
the exercises compares your step with `net.gradients`). `W`, `b` are lists
indexed by layer, like `net.W` and `net.b`: `W[l]` is $W^l$ for $l = 1, \dots, L$, and index 0
is `None` (the input layer has no parameters); `sigmas[l]` is the activation of layer $l$
(`sigmas[0]` is `None`). Return the lists `(W, b)` after the step.""",
        explanation="Each function gets its own layer's arrays: BP1 the output layer's $A^L$ and "
        "$Z^L$; `bplib.backpropagate` fills the list of errors from $\\Delta^L$ down to "
        "$\\Delta^1$; BP4 takes layer $l$'s $\\Delta^l$ with the activations "
        "$A^{l-1}$ of the layer *before*; and the update, $W^l - \\eta\\,\\partial C/\\partial W^l$ "
        "and $b^l - \\eta\\,\\partial C/\\partial b^l$ for every $l = 1, \\dots, L$, comes after "
        "every gradient is computed. (`bplib.descend` is the update.) The loop inside "
        "`bplib.backpropagate`, and every line of it in numpy, is yours to write in notebook 10.",
        cases=_step_cases,
        custom_check=_step_check,
        raised=_step_raised,
        bugs=[
            Bug(
                "a_l",
                "The weight gradient of layer l was computed from a[l], the layer's own "
                "activations. Weight w^l_jk multiplies a^{l-1}_k on its way into neuron j, so "
                "BP4 needs the activations of the layer before: which entry of the list a holds "
                "them?",
            ),
            Bug(
                "z_next",
                "The errors of the hidden layers used σ′ at the next layer's weighted input, "
                "Z^{l+1}. In (3) the σ′ belongs to the layer whose error you are computing: "
                "which layer's z does Δ^l need?",
            ),
            Bug(
                "layer_next",
                "The errors of the hidden layers took σ′ of the next layer, l + 1: its "
                "weighted input Z^{l+1} and its activation. In (3) both belong to layer l "
                "itself, the layer whose error you are computing; only Δ^{l+1} and W^{l+1} "
                "come from the layer after.",
            ),
            Bug(
                "sigma_next",
                "The errors of the hidden layers took the activation of the next layer, "
                "sigmas[l + 1] (here the output layer's sigmoid), at layer l's own Z^l. "
                "Δ^{l+1} already contains layer l+1's own slope (BP1, or the step before, put "
                "it there). The factor in (3) is the slope of layer l itself: which entry of "
                "sigmas is layer l's activation?",
            ),
            Bug(
                "w_same_layer",
                "The errors of the hidden layers were carried back through W^l, the weights "
                "into layer l. Δ^{l+1} lives on layer l + 1: which weights connect layer l to "
                "layer l + 1, so that the error can travel back along them? (This test "
                "network's layers are square, so the shapes did not catch it.)",
            ),
            Bug(
                "delta_L_everywhere",
                "Every layer's gradients were computed from Δ^L, the output error. The "
                "earlier layers have their own errors Δ^l from (3): bplib.backpropagate returns "
                "them as a list. Which of its entries belongs to layer l?",
            ),
            Bug(
                "cross_entropy",
                "The output error came out as A^L − Y without σ′(Z^L): that is the "
                "cross-entropy cost's (notebook 05). This network's cost is the quadratic one: "
                "which cost did your call of bplib.output_error get?",
            ),
            Bug(
                "updated_during_backprop",
                "The weights W^{l+1} were updated before Δ^l was computed from them, so (3) "
                "used the new weights instead of those of the forward pass. Compute every "
                "layer's error and gradients first, then update all layers at once.",
            ),
            Bug(
                "sum_not_mean",
                "Every gradient came out m times too large (m = the rows of the batch): BP3 "
                "and BP4 were sums over the rows. The cost is the mean over the batch, so (4) "
                "and (5) carry a 1/m.",
            ),
            Bug(
                "bias_sum",
                "The bias gradients came out m times too large (m = the rows of the batch): "
                "BP3 was a sum over the rows, and (4) is a mean, with 1/m.",
            ),
            Bug(
                "weight_sum",
                "The weight gradients came out m times too large (m = the rows of the batch): "
                "BP4 was a sum over the rows, and (5) is a mean, with 1/m.",
            ),
            Bug(
                "added",
                "The parameters moved up the gradient (W + η∇C): that climbs the cost. Which "
                "sign does the update (6) give the step?",
            ),
            Bug(
                "no_eta",
                "The gradients are right, but the learning rate η is missing from the update: "
                "subtract η times the gradient.",
            ),
            Bug(
                "biases_not_updated",
                "The weights moved, but the biases came back as they were given: update "
                "b ← b − η∇_b C as well.",
            ),
            Bug(
                "weights_not_updated",
                "The biases moved, but the weights came back as they were given: update "
                "W ← W − η∇_W C as well.",
            ),
            Bug(
                "one_layer_only",
                "Only the output layer, L, moved: every layer with parameters takes the step, "
                "l = 1, …, L.",
            ),
            Bug(
                "last_layer_missed",
                "Every layer moved except the output layer, L: the update's loop stops one layer "
                "short. len(W) is L + 1: which values of l does your loop visit, and is L among "
                "them?",
            ),
            Bug(
                "not_updated",
                "W and b came back as they were given. In `for Wl, gW in zip(W[1:], grad_W[1:]): "
                "Wl = Wl - eta * gW` the name Wl is bound to a new array, but the list still "
                "holds the old one. What does your function return: the lists it was given, "
                "holding the old arrays, or lists that hold the new ones?",
            ),
            Bug(
                "sigmoid_everywhere",
                "Your step used the sigmoid in every layer, but this test network's hidden "
                "layers use tanh: `sigmas[l]` is the activation of layer l. Where did your "
                "forward pass, BP1 and BP2 take their activations from?",
            ),
            Bug(
                "sigmoid_backward",
                "The forward pass is right, but the backward pass took the sigmoid's σ′ (or "
                "the output layer's, sigmas[L]) in every layer, and this test network's hidden "
                "layers use tanh. Δ^l takes σ′ of layer l's own activation: which activations did "
                "your call of bplib.backpropagate get?",
            ),
        ],
        hints=[
            "bplib.feedforward_layers(W, b, sigmas, a0) returns the lists z and a, indexed by "
            "layer, with a[0] = a0. The output layer is L = len(W) - 1. Which z and which a "
            "does BP1 need, and which BP4 for layer l?",
            "bplib.backpropagate(delta_L, W, z, sigmas) takes BP1's Δ^L and returns the list "
            "delta, indexed by layer like W: delta[l] is Δ^l for l = 1, …, L (delta[0] is None). "
            "Which layers then need (4) and (5), and which values of l does `range(1, len(W))` "
            "visit?",
            "Keep the gradients in lists indexed like W, and move no layer before all of them "
            "are computed. Which way does a step of gradient descent go, and by how much?",
        ],
        correct="Forward, BP1, the errors down to layer 1, BP3 and BP4 of every layer, then the update: "
        "the parameters after the step are right.",
    )
)


def _epoch_cases():
    """Case 0: 23 rows in batches of 5 (the last has 3); case 1: 12 rows in batches of 4."""
    out = []
    for seed, n, m, sizes, acts, eta in (
        (811, 23, 5, (2, 3, 1), ("tanh", "sigmoid"), 1.0),
        (812, 12, 4, (3, 4, 2), ("sigmoid", "sigmoid"), 2.0),
    ):
        r = np.random.default_rng(seed)
        pairs = list(zip(sizes[:-1], sizes[1:]))
        W = [None] + [r.normal(0, 1, (o, i)) for i, o in pairs]
        b = [None] + [r.normal(0, 1, o) for _, o in pairs]
        sigmas = [None] + [getattr(bplib, name) for name in acts]
        X = r.normal(0, 1, (n, sizes[0]))
        Y = r.uniform(0, 1, (n, sizes[-1]))
        out.append((W, b, sigmas, X, Y, m, eta, np.random.default_rng(seed + 100)))
    return out


register(
    Exercise(
        notebook="08",
        title="one epoch",
        imports="import numpy as np",
        signature="sgd_epoch(W, b, sigmas, X, Y, m, eta, rng)",
        statement=r"""Write `sgd_epoch(W, b, sigmas, X, Y, m, eta, rng)`: one epoch of
mini-batch SGD on the $n$ rows of `X` (inputs) and `Y` (their targets), built from your
`minibatches` (exercise 8.1) and your `sgd_step` (exercise 8.2). The contract: given the same
`rng`, it must leave the parameters exactly where one epoch of `net.fit` leaves them. Return
the lists `(W, b)` after the epoch. Check your `minibatches` and `sgd_step` first: this check
runs your epoch, which runs them.""",
        explanation="One call of `minibatches` per epoch, with the caller's generator, then "
        "one step per mini-batch, each starting from the parameters the step before it "
        "returned; `X[rows]`, `Y[rows]` keep each input with its own target.",
        cases=_epoch_cases,
        custom_check=_rng_check,
        raised=_epoch_raised,
        bugs=[
            Bug(
                "shuffled_apart",
                "X and Y were shuffled with two different orders (two calls of minibatches, "
                "or rng.shuffle(X) and rng.shuffle(Y)), so each input now meets another "
                "example's target. How many lists of mini-batches should one epoch draw, and which "
                "rows of Y belong with the inputs of a step?",
            ),
            Bug(
                "y_not_shuffled",
                "X was shuffled but Y was not: the inputs came in the drawn order and the "
                "targets in their stored order (Y[start:start + m], or rng.shuffle(X) alone), "
                "so each input meets another example's target. Which rows of Y belong with the "
                "inputs of a step?",
            ),
            Bug(
                "no_shuffle",
                "Your epoch gives the same parameters whatever rng it is given, and they are "
                "those of the rows in their stored order 0, 1, 2, …: the mini-batches were cut "
                "without shuffling (X[start:start + m]). Which of your functions draws an "
                "epoch's shuffled mini-batches, and from which generator?",
            ),
            Bug(
                "new_generator",
                "Your epoch gives the same parameters whatever rng it is given: its order comes "
                "from a generator made inside the function (np.random.default_rng(0), or with "
                "any fixed seed), so every epoch would visit the rows in the same order. The "
                "caller's rng is seeded once, outside, and each epoch draws a new order from "
                "it: which generator does your minibatches get?",
            ),
            Bug(
                "steps_from_start",
                "Every step started from the parameters the epoch was given, and only the last "
                "step's result came back: the steps did not build on each other. Which "
                "parameters should the second step start from?",
            ),
            Bug(
                "step_discarded",
                "The parameters after your epoch are exactly those it was given: no step "
                "changed them. sgd_step returns the new lists and leaves the ones it is given "
                "as they were, so a call on its own line throws the step away. Where does the "
                "next step start from?",
            ),
            Bug(
                "returned_early",
                "Only the first mini-batch took a step: the `return` sits inside the loop over "
                "the mini-batches, so the function returns after the first one. Where should "
                "the return sit?",
            ),
        ],
        hints=[
            "One call of your minibatches per epoch, with the rng you are given, gives the rows "
            "of every step, in order. What does each step start from, and what does it give back?",
            "The inputs of a mini-batch and their targets are the same rows of X and of Y: "
            "index both with one array of rows.",
        ],
        correct="One list of mini-batches from the given rng, one step on each, the steps one "
        "after the other: the parameters after the epoch are right.",
    )
)
