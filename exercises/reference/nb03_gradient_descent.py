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


def descend(grad_C, theta0, eta, steps):
    """Run `steps` steps of gradient descent from theta0 and return the final theta.

    grad_C : a function, grad_C(theta) is the gradient of C at theta.
    """
    ### BEGIN SOLUTION
    theta = theta0
    for _ in range(steps):
        theta = theta - eta * grad_C(theta)
    return theta
    ### END SOLUTION


def _descend_variant(sign=-1, extra=0, stale=False):
    def fn(grad_C, theta0, eta, steps):
        theta, g0 = np.array(theta0, dtype=float), grad_C(theta0)
        for _ in range(steps + extra):
            theta = theta + sign * eta * (g0 if stale else grad_C(theta))
        return theta

    return fn


SOLUTIONS = [gd_step, descend]

BUGS = {
    "gd_step": {
        "added": lambda theta, grad, eta: theta + eta * grad,
        "no_eta": lambda theta, grad, eta: theta - grad,
        "divided_by_eta": lambda theta, grad, eta: theta - grad / eta,
        "step_only": lambda theta, grad, eta: -eta * grad,
        "normalised": lambda theta, grad, eta: theta - eta * grad / np.linalg.norm(grad),
    },
    "descend": {
        "added": _descend_variant(sign=+1),
        "stale_gradient": _descend_variant(stale=True),
        "one_step_short": _descend_variant(extra=-1),
        "one_step_extra": _descend_variant(extra=+1),
    },
}
