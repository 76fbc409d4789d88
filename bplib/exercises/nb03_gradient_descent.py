"""Notebook 03, gradient descent: one step, then several."""

from __future__ import annotations

import numpy as np

from .checker import Bug, Exercise, register


def _rng(seed):
    return np.random.default_rng(seed)


# ----------------------------------------------------------------------------
# gd_step
# ----------------------------------------------------------------------------


def _gd_step_cases():
    r = _rng(201)
    return [
        (r.normal(0, 1, 4), r.normal(0, 1, 4), 0.3),
        (r.normal(0, 1, (2, 3)), r.normal(0, 1, (2, 3)), 0.05),
    ]


register(
    Exercise(
        notebook="03",
        title="one step of gradient descent",
        imports="import numpy as np",
        signature="gd_step(theta, grad, eta)",
        statement=r"""Before reading on, find the step yourself, from (1) alone. Write
`gd_step(theta, grad, eta)`: the parameters after one step $\Delta\theta$ of gradient descent,
$\theta + \Delta\theta$. `grad` is $\nabla C$ at `theta`, with the same shape, and the learning
rate `eta` $> 0$ sets the length of the step: $\lVert\Delta\theta\rVert$ is `eta` times the length
of `grad` (a steep slope gives a long step, a flat one a short step). Its direction is yours to
find: among all steps of that length, take the one that lowers $C$ the most according to (1).
Which direction makes the dot product $\nabla C \cdot \Delta\theta$ as negative as it can be? The
text after the exercises derives it.""",
        explanation=r"The gradient points uphill, so a step against it, $-\eta\nabla C$, lowers "
        "the cost for a small enough η.",
        cases=_gd_step_cases,
        bugs=[
            Bug(
                "added",
                "This looks like you added η∇C. The seed says to add the gradient times the "
                "learning rate, but the gradient points uphill: adding climbs. Descent subtracts, "
                "θ ← θ − η∇C.",
            ),
            Bug(
                "no_eta",
                "The learning rate η is missing: the step is −η∇C, not −∇C.",
            ),
            Bug(
                "divided_by_eta",
                "You divided by η; the step is the gradient times η.",
            ),
            Bug(
                "normalised",
                "Your step has length η whatever the gradient: you divided the gradient by its "
                "length. Here the step is η times as long as the gradient, so a steep slope "
                "takes a longer step than a flat one.",
            ),
            Bug(
                "step_only",
                "You returned only the step −η∇C; the new parameters are θ plus that step.",
            ),
            Bug(
                "in_place",
                "Your new parameters are right, but your function also changed an input array "
                "(`theta` or `grad`) in place: after `theta_new = gd_step(theta, grad, eta)` the "
                "caller's `theta` should still hold the old parameters. An in-place operator "
                "such as `-=` or `*=` writes into the array it was given, and `new = theta` does "
                "not copy the array, it gives it a second name. Compute the result as a new "
                "array (`a - b` makes one, `a -= b` does not), or work on `theta.copy()`.",
            ),
        ],
        hints=[
            "By (1) a step Δθ changes the cost by about ∇C · Δθ = ‖∇C‖ ‖Δθ‖ cos φ, with φ the "
            "angle between the two vectors. For a fixed length ‖Δθ‖, which angle φ makes that "
            "change most negative?",
            "A step along the gradient itself (φ = 0) makes C rise fastest. Which way do you "
            "want to go, and how long must the step be?",
            "Return the new parameters, θ with the step applied, not the step alone.",
        ],
        correct="θ − η∇C: a step against the gradient, downhill.",
    )
)


# ----------------------------------------------------------------------------
# descend
# ----------------------------------------------------------------------------


def descend_grad(theta):
    """The gradient of C(theta) = sum(theta^2 / 2 + theta^4 / 4): it changes as theta moves."""
    return theta + theta**3


def _descend_cases():
    return [
        (descend_grad, np.array([1.0, -0.5, 0.8]), 0.1, 5),
        (descend_grad, np.array([[0.3, -1.1], [0.6, 0.2]]), 0.2, 3),
    ]


register(
    Exercise(
        notebook="03",
        title="several steps of gradient descent",
        imports="import numpy as np",
        signature="descend(grad_C, theta0, eta, steps)",
        statement=r"""Write `descend(grad_C, theta0, eta, steps)`: start at `theta0` and take `steps`
steps like the one of exercise 3.1, one after the other. `grad_C(theta)` returns the gradient at
`theta`; the gradient changes as $\theta$ moves, so where must each step evaluate it? Return the
final $\theta$. Section 3 runs such steps on a parabola.""",
        explanation="Each step evaluates the gradient where θ is now, then moves against it.",
        cases=_descend_cases,
        bugs=[
            Bug(
                "added",
                "This looks like gradient ascent: you added η∇C, which climbs. Descent "
                "subtracts, θ ← θ − η∇C.",
            ),
            Bug(
                "stale_gradient",
                "The gradient was evaluated only once, at θ₀. It changes as θ "
                "moves: call `grad_C(theta)` at the current θ in every step.",
            ),
            Bug(
                "one_step_short",
                "You took one step too few: the loop should run `steps` times.",
            ),
            Bug(
                "one_step_extra",
                "You took one step too many: the loop should run `steps` times.",
            ),
            Bug(
                "in_place",
                "Your final θ is right, but your function also changed the caller's `theta0` in "
                "place: after the call the start is gone (`theta0` holds the final θ too), so a "
                "second run from the same start would silently start somewhere else. "
                "`theta = theta0` does not copy the array, it gives it a second name, and "
                "`theta -= ...` then writes into `theta0` itself. Make a new array in each step "
                "(`a - b` makes one, `a -= b` does not), or start from `theta0.copy()`.",
            ),
        ],
        hints=[
            "Each step starts where the previous one ended: keep the current θ in a variable "
            "and update it `steps` times.",
            "The slope under your feet changes as you walk: which θ must `grad_C` see in each step?",
        ],
        correct="Each step re-evaluates the gradient at the current θ and moves against it.",
    )
)
