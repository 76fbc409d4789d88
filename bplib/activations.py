r"""Activation functions :math:`\sigma` and their derivatives :math:`\sigma'`.

Each activation is a small object with ``fn(z)`` and ``prime(z)``; both take and
return arrays of any shape, element-wise.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import check_name


@dataclass(frozen=True)
class Activation:
    """An element-wise activation: ``fn`` is sigma, ``prime`` is sigma'."""

    name: str
    fn: Callable[[np.ndarray], np.ndarray]
    prime: Callable[[np.ndarray], np.ndarray]

    def __call__(self, z):
        return self.fn(z)

    def __repr__(self):
        return f"Activation({self.name!r})"


def _sigmoid(z):
    # sigma(z) = 1 / (1 + e^{-z}) = (1 + tanh(z/2)) / 2: one transcendental, no overflow.
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _sigmoid_prime(z):
    s = _sigmoid(z)
    return s * (1.0 - s)


def _tanh_prime(z):
    t = np.tanh(z)
    return 1.0 - t * t


def _relu(z):
    return np.maximum(z, 0.0)


def _relu_prime(z):
    # The kink at z = 0 gets slope 0 (a subgradient); see notebook 08.
    return (z > 0).astype(z.dtype)


def _identity(z):
    return z


def _identity_prime(z):
    return np.ones_like(z)


sigmoid = Activation("sigmoid", _sigmoid, _sigmoid_prime)
tanh = Activation("tanh", np.tanh, _tanh_prime)
relu = Activation("relu", _relu, _relu_prime)
identity = Activation("identity", _identity, _identity_prime)

ACTIVATIONS = {a.name: a for a in (sigmoid, tanh, relu, identity)}


def get_activation(activation) -> Activation:
    """Look up an activation by name, or pass an :class:`Activation` through."""
    if isinstance(activation, Activation):
        return activation
    return ACTIVATIONS[check_name(activation, ACTIVATIONS, "activation")]
