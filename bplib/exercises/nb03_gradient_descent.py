"""Notebook 03, gradient descent: one step, then several."""

from __future__ import annotations

import numpy as np

from .checker import Bug, Exercise, register, usual_comparison
from .feedback import Feedback


def _rng(seed):
    return np.random.default_rng(seed)


# ----------------------------------------------------------------------------
# steepest_step
# ----------------------------------------------------------------------------


def _steepest_step_cases():
    r = _rng(201)
    return [
        (r.normal(0, 1, 4), 0.1),
        (r.normal(0, 1, (2, 3)), 0.5),
        (np.array([3.0, -0.4, 0.2]), 2.0),  # one slope far steeper than the others
    ]


register(
    Exercise(
        notebook="03",
        title="the steepest step of a given length",
        imports="import numpy as np",
        signature="steepest_step(grad, length)",
        statement=r"""Before reading on, find the best direction yourself, from (1) alone. Write
`steepest_step(grad, length)`: of all the steps $\Delta\theta$ whose length $\lVert\Delta\theta\rVert$
is `length`, the one that lowers $C$ the most by (1). `grad` is $\nabla C$ at the current
parameters (an array of any shape, not all zero), and the step has the same shape; return the step
$\Delta\theta$, not the new parameters. The length of an array of any shape is `np.linalg.norm`, the
square root of the sum of its squared entries. Before you run the check, compare the first-order
change (1) of your step, `np.sum(grad * step)`, with that of a few other steps of the same length:
moving one parameter alone, or every parameter by the same amount.""",
        explanation=r"By (1) the change is $\nabla C\cdot\Delta\theta = \lVert\nabla C\rVert\,"
        r"\lVert\Delta\theta\rVert\cos\varphi$, with $\varphi$ the angle between the two; at a "
        r"fixed length it is most negative at $\varphi = 180°$, against the gradient, where it is "
        r"$-\text{length}\cdot\lVert\nabla C\rVert$. Dividing by $\lVert\nabla C\rVert$ makes "
        r"the direction a unit vector, and `length` sets the size. Moving each parameter by the "
        r"same amount, or only the steepest one, lowers $C$ less.",
        cases=_steepest_step_cases,
        bugs=[
            Bug(
                "uphill",
                "Your step climbs: by (1) it raises C by length·‖∇C‖, the most of any step of "
                "this length. The gradient points uphill; turn the step round.",
            ),
            Bug(
                "not_normalised",
                "Your step points the right way, but its length is length·‖∇C‖, not length: "
                "make the direction a unit vector first (divide by the gradient's own length).",
            ),
            Bug(
                "unit_length",
                "Your step points the right way but has length 1: scale it to `length`.",
            ),
            Bug(
                "squared_norm",
                "You divided the gradient by ‖∇C‖², its squared length: the step's length is "
                "then length/‖∇C‖. A unit vector divides by ‖∇C‖ once.",
            ),
            Bug(
                "l1_norm",
                "Your step points the right way, but you divided by the sum of the absolute "
                "values of the gradient's entries, Σ|∂C/∂θ|, not by its length "
                "‖∇C‖ = √(Σ (∂C/∂θ)²): the direction is then no unit vector, and the step's "
                "length is not `length`. Which of the two is the length of an array, the one "
                "`np.linalg.norm` computes?",
            ),
            Bug(
                "same_size_moves",
                "Your step has the right length and goes downhill, but it moves every parameter "
                "by the same amount. By (1) the change is a sum over the parameters of slope "
                "times move: a parameter with a steep slope lowers C more per unit moved than a "
                "flat one, so the best step gives each parameter a share in proportion to its "
                "slope.",
            ),
            Bug(
                "steepest_only",
                "You spent the whole step on the parameter with the steepest slope. That lowers "
                "C, but by (1) the change sums slope times move over every parameter: moving each "
                "one in proportion to its slope lowers C more for the same length.",
            ),
            Bug(
                "rows_normalised",
                "You made each row of the gradient a unit vector on its own: the length of a "
                "step is taken over all its entries at once (`np.linalg.norm(grad)` with no "
                "axis), so your step is longer than `length`.",
            ),
            Bug(
                "in_place",
                "Your step is right, but your function also changed `grad` in place: the caller's "
                "gradient should still hold the old numbers. An in-place operator such as `/=` or "
                "`*=` writes into the array it was given. Compute the result as a new array "
                "(`a / b` makes one, `a /= b` does not), or work on `grad.copy()`.",
            ),
        ],
        hints=[
            "By (1) a step Δθ changes the cost by about ∇C · Δθ = ‖∇C‖ ‖Δθ‖ cos φ, with φ the "
            "angle between the two vectors. For a fixed length ‖Δθ‖, which angle φ makes that "
            "change most negative?",
            "At that angle the step is a multiple of ∇C. Which sign, and which factor, give it "
            "the length `length`?",
            "Return the step Δθ itself, an array shaped like `grad`, not θ plus the step.",
        ],
        correct="−length·∇C/‖∇C‖: against the gradient, the direction in which C falls fastest; "
        "by (1) it lowers C by length·‖∇C‖.",
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
gradient descent, $\Delta\theta = -\eta\,\nabla C$ (`grad_C(theta)` is $\nabla C$ at `theta`): exercise
3.1's direction, with a length $\eta\lVert\nabla C\rVert$ that shrinks as the slope flattens, until the gradient is shorter than `tol`
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
                "no_start+never_stops",
                "Your path is missing its first row: it starts after the first step, but the "
                "path starts with θ₀ itself, so it has T + 1 rows for T steps. It also runs all "
                "`max_steps` steps, even after the gradient has become shorter than `tol`. "
                "Which point does your list hold before the loop, and where does the loop test "
                "the gradient's length?",
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
