"""The reference solutions and bug variants of bplib.exercises.nb03_gradient_descent (not installed)."""

from __future__ import annotations

import numpy as np


def gd_step(theta, grad, eta):
    """One step of gradient descent: the new parameters.

    theta, grad : arrays of the same shape;  eta : the learning rate.
    """
    ### BEGIN SOLUTION
    return theta - eta * grad
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
    def fn(grad_C, theta0, eta, max_steps, tol):
        theta = np.array(theta0, dtype=float)
        g0, path, sign = grad_C(theta), [theta.copy()], +1 if bug == "added" else -1
        steps = max_steps + {"one_step_short": -1, "one_step_extra": 1}.get(bug, 0)
        for _ in range(steps):
            grad = g0 if bug == "stale_gradient" else grad_C(theta)
            length = np.max(np.abs(grad)) if bug == "entries_not_length" else np.linalg.norm(grad)
            if length < tol and bug not in ("never_stops", "late_test"):
                break
            theta = theta + sign * eta * grad
            path.append(theta.copy())
            if bug == "late_test" and length < tol:
                break
        if bug == "no_start":
            path = path[1:]
        if bug == "final_only":
            return path[-1]
        if bug == "same_array":
            path = [theta] * len(path)
        return np.array(path)

    return fn


SOLUTIONS = [gd_step, descend]

_DESCEND_BUGS = ["added", "stale_gradient", "final_only", "no_start", "never_stops", "late_test"]
_DESCEND_BUGS += ["entries_not_length", "one_step_short", "one_step_extra", "same_array"]

BUGS = {
    "gd_step": {
        "added": lambda theta, grad, eta: theta + eta * grad,
        "no_eta": lambda theta, grad, eta: theta - grad,
        "divided_by_eta": lambda theta, grad, eta: theta - grad / eta,
        "step_only": lambda theta, grad, eta: -eta * grad,
        "normalised": lambda theta, grad, eta: theta - eta * grad / np.linalg.norm(grad),
    },
    "descend": {key: _descend_variant(key) for key in _DESCEND_BUGS},
}
