"""The reference solutions and bug variants of bplib.exercises.nb03_gradient_descent (not installed)."""

from __future__ import annotations

import numpy as np


def steepest_step(grad, length):
    """The step of length `length` that lowers C the most by (1), shaped like grad.

    grad : the gradient of C (an array of any shape, not all zero);  length : a positive number.
    """
    ### BEGIN SOLUTION
    return -length * grad / np.linalg.norm(grad)
    ### END SOLUTION


def descend(grad_C, theta0, eta, max_steps, tol):
    """Gradient descent from theta0 until the gradient is shorter than tol, or max_steps steps.

    grad_C : a function, grad_C(theta) is the gradient of C at theta.
    Returns the path theta_0 .. theta_T as one array, shape (T + 1,) + np.shape(theta0).
    """
    ### BEGIN SOLUTION
    theta = theta0
    path = [theta]
    for _ in range(max_steps):
        grad = grad_C(theta)
        if np.linalg.norm(grad) < tol:
            break
        theta = theta - eta * grad
        path.append(theta)
    return np.array(path)
    ### END SOLUTION


def _descend_variant(bug):
    bugs = set(bug.split("+"))  # a combination names each of its slips

    def fn(grad_C, theta0, eta, max_steps, tol):
        theta = np.array(theta0, dtype=float)
        g0, path, sign = grad_C(theta), [theta.copy()], +1 if bug == "added" else -1
        steps = max_steps + {"one_step_short": -1, "one_step_extra": 1}.get(bug, 0)
        for _ in range(steps):
            grad = g0 if bug == "stale_gradient" else grad_C(theta)
            length = np.max(np.abs(grad)) if bug == "entries_not_length" else np.linalg.norm(grad)
            if length < tol and not bugs & {"never_stops", "late_test"}:
                break
            theta = theta + sign * eta * grad
            path.append(theta.copy())
            if bug == "late_test" and length < tol:
                break
        if "no_start" in bugs:
            path = path[1:]
        if bug == "final_only":
            return path[-1]
        if bug == "same_array":
            path = [theta] * len(path)
        return np.array(path)

    return fn


def _steepest_only(grad, length):
    step = np.zeros_like(grad)
    k = np.argmax(np.abs(grad))
    step.flat[k] = -length * np.sign(grad.flat[k])
    return step


def _rows_normalised(grad, length):
    g = np.atleast_2d(grad)
    return (-length * g / np.linalg.norm(g, axis=-1, keepdims=True)).reshape(grad.shape)


SOLUTIONS = [steepest_step, descend]

_DESCEND_BUGS = ["added", "stale_gradient", "final_only", "no_start", "never_stops", "late_test"]
_DESCEND_BUGS += ["entries_not_length", "one_step_short", "one_step_extra", "same_array"]
_DESCEND_BUGS += ["no_start+never_stops"]

BUGS = {
    "steepest_step": {
        "uphill": lambda grad, length: length * grad / np.linalg.norm(grad),
        "not_normalised": lambda grad, length: -length * grad,
        "unit_length": lambda grad, length: -grad / np.linalg.norm(grad),
        "squared_norm": lambda grad, length: -length * grad / np.linalg.norm(grad) ** 2,
        "l1_norm": lambda grad, length: -length * grad / np.sum(np.abs(grad)),
        "same_size_moves": lambda grad, length: -length * np.sign(grad) / np.sqrt(grad.size),
        "steepest_only": _steepest_only,
        "rows_normalised": _rows_normalised,
    },
    "descend": {key: _descend_variant(key) for key in _DESCEND_BUGS},
}
