"""Notebook 03, gradient descent: one step, then several."""

from __future__ import annotations

import numpy as np

from .checker import Bug, Exercise, register, usual_comparison
from .feedback import Feedback


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
`gd_step(theta, grad, eta)`: the parameters $\theta + \Delta\theta$ after one step of gradient
descent, where `grad` is $\nabla C$ at `theta` (same shape) and the learning rate `eta` $> 0$ scales
the step. The step must make $C$ smaller, by (1). The text after the exercises derives it.""",
        explanation=r"The gradient points uphill, so a step against it, $-\eta\nabla C$, lowers "
        "the cost for a small enough η.",
        cases=_gd_step_cases,
        bugs=[
            Bug(
                "added",
                "This looks like you added η∇C: the gradient points uphill, so adding climbs. "
                "Descent subtracts, θ ← θ − η∇C.",
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
    """The gradient of C(theta) = sum(log cosh(theta) + theta^2 / 4): it changes as theta moves,
    and stays finite along 60 steps of ascent (the "added" bug)."""
    return np.tanh(theta) + theta / 2


def _descend_cases():
    # case 0 stops early (after 24 steps), case 1 runs out of steps, case 2 is one number,
    # case 3 starts where the slope is already flat (no step: the path is θ₀ alone)
    return [
        (descend_grad, np.array([1.0, -0.5, 0.8]), 0.1, 60, 0.05),
        (descend_grad, np.array([[0.3, -1.1], [0.6, 0.2]]), 0.2, 3, 1e-3),
        (descend_grad, 0.6, 0.3, 20, 0.1),
        (descend_grad, np.array([0.01, -0.02]), 0.3, 20, 0.1),
    ]


def _path_array(out, args):
    """The path as one float array (a list of arrays stacks along a new first axis); ``None``
    stays ``None``, so that a missing ``return`` is named as such (not as a NaN)."""
    if out is None:
        return out
    try:
        return np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        return out


def _descend_check(checker):
    """The usual comparison, then two things it cannot say: a path returned as a Python list
    (right numbers, but the exercise asks for one array), and a single θ returned in place of
    the path (the usual shape message would blame a sum or a mean)."""
    feedback = usual_comparison(checker, checker.fn)
    if feedback.status not in ("correct", "wrong"):
        return feedback
    for args in checker.ex.cases():
        grad_C, theta0, eta, max_steps, tol = args
        try:
            out = checker.fn(grad_C, np.copy(theta0), eta, max_steps, tol)
        except Exception:  # noqa: BLE001 - the usual comparison has said what went wrong
            return feedback
        want = np.shape(theta0)
        if feedback.passed and not isinstance(out, np.ndarray):
            return Feedback(
                feedback.name,
                "wrong",
                f"Your path holds the right points, but it is a {type(out).__name__}, not one "
                "array. Return `np.array(path)`: one array with θ_t in row t, so that "
                "`path[:, 0]` or `path.shape` work on it.",
                "not_an_array",
                feedback.hints,
            )
        arr = np.asarray(out, dtype=float) if isinstance(out, (np.ndarray, float, int)) else None
        if (
            feedback.status == "wrong"
            and feedback.bug in (None, "shape")
            and arr is not None
            and arr.shape == want
        ):
            return Feedback(
                feedback.name,
                "wrong",
                f"Your function returned one θ, of the shape of theta0 {want}, not the path. "
                "Return every point from θ₀ to θ_T stacked along a new first axis, shape "
                "(T + 1,) + np.shape(theta0).",
                "single_theta",
                feedback.hints,
            )
    return feedback


def _descend_raised(e, args):
    """``if grad < tol`` on an array gradient: numpy cannot say whether a whole array is true."""
    if isinstance(e, ValueError) and "truth value of an array" in str(e):
        return (
            "`if` was given an array of True/False values: `grad` is an array, so `grad < tol` "
            "compares every entry. The test is on the gradient's length: compare "
            "`np.linalg.norm(grad) < tol`."
        )
    return None


register(
    Exercise(
        notebook="03",
        title="gradient descent until the slope is flat",
        imports="import numpy as np",
        signature="descend(grad_C, theta0, eta, max_steps, tol)",
        statement=r"""Write `descend(grad_C, theta0, eta, max_steps, tol)`: from `theta0`, take steps of
exercise 3.1 (`grad_C(theta)` is the gradient at `theta`) until the gradient is shorter than `tol`
(the cost is flat), and at most `max_steps` steps. Return the **path** $\theta_0, \dots, \theta_T$ as
one array, shape `(T + 1,) + np.shape(theta0)`; `theta0` may be a number or an array. Section 3 runs
your `descend` on a parabola.""",
        explanation="Each step evaluates the gradient where θ is now, tests its length before "
        "moving, and stores a new array: updating θ in place would change every row stored "
        "under the same name.",
        cases=_descend_cases,
        collect=_path_array,
        custom_check=_descend_check,
        raised=_descend_raised,
        bugs=[
            Bug(
                "added",
                "This looks like gradient ascent: you added η∇C, which climbs. Descent "
                "subtracts, θ ← θ − η∇C.",
            ),
            Bug(
                "stale_gradient",
                "The gradient was evaluated only once, at θ₀. It changes as θ "
                "moves: evaluate it at the current θ in every step.",
            ),
            Bug(
                "final_only",
                "You returned the last θ only. Return the whole path: every point from θ₀ "
                "to θ_T, one after the other along the first axis.",
            ),
            Bug(
                "no_start",
                "Your path is missing its first row: the path starts with θ₀ itself, before "
                "any step, so it has T + 1 rows for T steps.",
            ),
            Bug(
                "never_stops",
                "Your path runs all `max_steps` steps even after the gradient has become "
                "shorter than `tol`: test its length before every step and stop there.",
            ),
            Bug(
                "late_test",
                "Your path has one step too many: it took the step from a point whose "
                "gradient was already shorter than `tol`. Test the gradient before moving, "
                "and stop without taking that step.",
            ),
            Bug(
                "entries_not_length",
                "Your path stops at a different step: you compared each entry of the gradient "
                "with `tol`, but the test is on its length, ‖∇C‖ = √(Σ of the squared entries).",
            ),
            Bug(
                "one_step_short",
                "You took one step too few when the gradient never gets flat: at most "
                "`max_steps` steps, so a path of at most `max_steps + 1` rows.",
            ),
            Bug(
                "one_step_extra",
                "You took one step too many when the gradient never gets flat: at most "
                "`max_steps` steps, so a path of at most `max_steps + 1` rows.",
            ),
            Bug(
                "same_array",
                "Every row of your path holds the same θ, the last one. The rows were stored "
                "as several names for one array, and updating that array in place changed "
                "them all. Each step must make a new array for the path to keep.",
            ),
            Bug(
                "in_place",
                "Your path is right, but your function also changed the caller's `theta0` in "
                "place: after the call the start is gone, so a second run from the same start "
                "would silently start somewhere else. `theta = theta0` does not copy the "
                "array, it gives it a second name, and `theta -= ...` then writes into "
                "`theta0` itself. Make a new array in each step (`a - b` makes one, `a -= b` "
                "does not), or start from `theta0.copy()`.",
            ),
        ],
        hints=[
            "Keep the current θ in a variable and the path in a list that starts with θ₀; "
            "each step appends the new θ. `np.array(list_of_thetas)` stacks them.",
            "In each step: evaluate the gradient at the current θ, test its length "
            "(`np.linalg.norm`), and only then move.",
            "If the rows of your path all look alike, ask whether each row is its own array.",
        ],
        correct="Each step evaluates the gradient at the current θ, stops if it is shorter "
        "than tol, and otherwise moves against it; the path keeps every point.",
    )
)
