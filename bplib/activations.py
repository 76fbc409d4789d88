r"""Activation functions :math:`\sigma` and their derivatives :math:`\sigma'`.

Each activation is a small object with ``fn(z)`` and ``prime(z)``; both take and
return arrays of any shape, element-wise. The exception is ``softmax``, an output
activation that acts on each row as a whole (each output depends on every z of the
row): its derivative is a Jacobian, not an element-wise σ′, so it has no ``prime``
and is paired with the categorical cross-entropy cost, whose output error
δ^L = a^L − y needs none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .errors import check_name


@dataclass(frozen=True)
class Activation:
    """An element-wise activation: ``fn`` is sigma, ``prime`` is sigma'.

    ``elementwise=False`` marks an activation of a whole row (softmax).
    """

    name: str
    fn: Callable[[np.ndarray], np.ndarray]
    prime: Callable[[np.ndarray], np.ndarray]
    elementwise: bool = True

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
    # The kink at z = 0 gets slope 0 (a subgradient); see notebook 09.
    return (z > 0).astype(z.dtype)


def _identity(z):
    return z


def _identity_prime(z):
    return np.ones_like(z)


def _softmax(z):
    r"""Row-wise :math:`a_j = e^{z_j} / \sum_{j'} e^{z_{j'}}`; the row's maximum is subtracted
    first (the result is the same, and no exponential overflows)."""
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _softmax_prime(z):
    raise TypeError(
        "softmax has no element-wise derivative σ′: each output depends on every z of its row "
        "(the derivative is a Jacobian). Use it as the output activation with "
        "cost='categorical_cross_entropy', whose output error is δ^L = a^L − y."
    )


sigmoid = Activation("sigmoid", _sigmoid, _sigmoid_prime)
tanh = Activation("tanh", np.tanh, _tanh_prime)
relu = Activation("relu", _relu, _relu_prime)
identity = Activation("identity", _identity, _identity_prime)
softmax = Activation("softmax", _softmax, _softmax_prime, elementwise=False)

ACTIVATIONS = {a.name: a for a in (sigmoid, tanh, relu, identity, softmax)}


def get_activation(activation) -> Activation:
    """Look up an activation by name, or pass an :class:`Activation` through."""
    if isinstance(activation, Activation):
        return activation
    return ACTIVATIONS[check_name(activation, ACTIVATIONS, "activation")]
