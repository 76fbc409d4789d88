"""Notebook 08, training: the SGD update of every layer (lists indexed by layer)."""

from __future__ import annotations

import copy
import dataclasses

import numpy as np

from .checker import Bug, Exercise, _Checker, register


def _sgd_cases():
    out = []
    for seed, sizes, eta in ((701, (3, 4, 2), 0.5), (702, (2, 3, 3, 1), 1.5)):
        r = np.random.default_rng(seed)
        pairs = list(zip(sizes[:-1], sizes[1:]))
        W = [None] + [r.normal(0, 1, (o, i)) for i, o in pairs]
        b = [None] + [r.normal(0, 1, o) for _, o in pairs]
        gW = [None] + [r.normal(0, 1, (o, i)) for i, o in pairs]
        gb = [None] + [r.normal(0, 1, o) for _, o in pairs]
        out.append((W, b, gW, gb, eta))
    return out


def _sgd_collect(returned, args):
    # In place is fine too: a function that returns None is judged by its (copied) inputs.
    return (args[0], args[1]) if returned is None else returned


GRADIENTS_CHANGED = (
    "Your update changed the gradients it was given: grad_W or grad_b holds different "
    "numbers after the call. The new W and b are right, but whoever computed the gradients "
    "(to print them, check them or take a second step) now sees wrong ones. An in-place "
    "`grad_W[l] *= eta` does this; compute `W[l] - eta * grad_W[l]` (a new array) or "
    "`W[l] -= eta * grad_W[l]` (changes W only) instead."
)


def _sgd_check(checker):
    """The usual comparison of W and b; then, if they are right, the gradients must be as given.

    ``collect`` sees only what the update left in W and b, so an update that also changes
    grad_W or grad_b in place would pass; here each case is run once more on copies that
    are compared with the originals afterwards.
    """
    plain = dataclasses.replace(checker.ex, custom_check=None)
    feedback = _Checker(plain, checker.fn).run()
    if not feedback.passed:
        return feedback
    for args in checker.ex.cases():
        given = copy.deepcopy(args)
        try:
            with np.errstate(all="ignore"):
                checker.fn(*given)
        except Exception:  # noqa: BLE001 - it ran on these cases a moment ago; nothing to add
            return feedback
        for after, before in zip(given[2:4], args[2:4]):
            if any(not np.array_equal(a, b) for a, b in zip(after[1:], before[1:])):
                return checker.feedback("wrong", GRADIENTS_CHANGED, "changed_gradients")
    return feedback


register(
    Exercise(
        notebook="08",
        title="the update of every layer",
        imports="import numpy as np",
        signature="sgd_update(W, b, grad_W, grad_b, eta)",
        statement=r"""Every weight and every bias of a network takes one step of gradient descent
(notebook 03) with its own gradient and the one learning rate `eta`, all layers in the same step.
Write `sgd_update(W, b, grad_W, grad_b, eta)`, which does this for a whole network. The four
arguments are lists indexed by layer, like `net.W` and `net.b`: `W[l]` is $W^l$ for
$l = 1, \dots, L$, `grad_W[l]` is $\partial C/\partial W^l$ (shaped like `W[l]`), likewise `b`
and `grad_b`, and index 0 is `None` (the input layer has no parameters). Return the new lists
`(W, b)`, indexed the same way (updating the arrays in place and returning `None` is accepted
too). Leave `grad_W` and `grad_b` as they were: the caller may still need them. Equation (6)
writes the update out after the exercise.""",
        explanation="One subtraction per layer and per parameter kind, for l = 1, …, L; every layer "
        "moves in the same step, and index 0 stays `None`. (`bplib.descend` does the same "
        "in place.)",
        cases=_sgd_cases,
        collect=_sgd_collect,
        custom_check=_sgd_check,
        bugs=[
            Bug(
                "added",
                'This looks like you added η∇C (the seed says "add"): that climbs the '
                "cost. Descent subtracts: W ← W − η∇_W C, b ← b − η∇_b C.",
            ),
            Bug(
                "no_eta",
                "The learning rate η is missing: subtract η times the gradient.",
            ),
            Bug(
                "biases_not_updated",
                "The biases did not change: update b ← b − η∇_b C as well.",
            ),
            Bug(
                "weights_not_updated",
                "The weights did not change: update W ← W − η∇_W C as well.",
            ),
            Bug(
                "one_layer_only",
                "Only one layer was updated (the last, L): loop over every layer, l = 1, …, L.",
            ),
            Bug(
                "first_layer_only",
                "Only one layer was updated (the first): loop over every layer, "
                "l = 1, …, L. `range(1, len(W))` does, since len(W) is L + 1; "
                "`range(1, len(W) - 1)` stops one layer short.",
            ),
            Bug(
                "unchanged",
                "Nothing changed. In `for Wl, gW in zip(W[1:], grad_W[1:]): "
                "Wl = Wl - eta * gW` the name Wl is bound to a new array, but the list still holds the "
                "old one. Build new lists and return them, or assign into the list, "
                "`W[l] = W[l] - eta * grad_W[l]`, or update in place, `W[l] -= eta * grad_W[l]`.",
            ),
        ],
        hints=[
            "The layers with parameters are l = 1, …, L: `for l in range(1, len(W))`. Index 0, "
            "the input layer, is None and has nothing to update.",
            "A list comprehension builds a new list: "
            "`[None] + [... for l in range(1, len(W))]`. What goes in place of the dots, and "
            "which way does a step of gradient descent go?",
        ],
        correct="Every layer moved against its gradient: W − η∇_W C and b − η∇_b C.",
    )
)
