r"""Cost functions.

A cost has ``fn(a, y)``, the per-example cost :math:`C_i` for each row (shape
``(n,)``), ``grad_a(a, y)``, the per-example gradient :math:`\nabla_a C_i`
(shape ``(n, n_L)``), and ``delta(a_L, y, z_L, sigma)``, the output error
:math:`\delta^L` of BP1. The cost of a batch is the mean of :math:`C_i` over the rows.
"""

from __future__ import annotations

import numpy as np

from .activations import sigmoid, softmax
from .errors import check_name, check_pair


class Quadratic:
    r"""Quadratic cost :math:`C_i = \tfrac12 \lVert a_i - y_i \rVert^2`.

    With ``half=False`` it is the note's :math:`C_0 = (a - y)^2` summed over
    output nodes, whose gradient carries the factor 2: :math:`2(a - y)`.
    """

    def __init__(self, half: bool = True):
        self.half = bool(half)
        self.name = "quadratic" if self.half else "quadratic (no 1/2)"

    def fn(self, a, y):
        check_pair(a, y)
        c = np.sum((a - y) ** 2, axis=-1)
        return 0.5 * c if self.half else c

    def grad_a(self, a, y):
        check_pair(a, y)
        return (a - y) if self.half else 2.0 * (a - y)

    def delta(self, a_L, y, z_L, sigma):
        r"""BP1: :math:`\delta^L = \nabla_a C \odot \sigma'(z^L)`."""
        return self.grad_a(a_L, y) * sigma.prime(z_L)

    def __repr__(self):
        return f"Quadratic(half={self.half})"


class CrossEntropy:
    r"""Cross-entropy :math:`C_i = -\sum_j [y_j \ln a_j + (1 - y_j)\ln(1 - a_j)]`.

    ``a`` is clipped away from 0 and 1 so the logarithms stay finite. With a
    sigmoid output layer the :math:`\sigma'` of BP1 cancels exactly, giving
    :math:`\delta^L = a^L - y` (see :meth:`delta`).
    """

    name = "cross_entropy"
    _eps = 1e-12

    def _clip(self, a):
        # keep a inside (0, 1) by at least one unit of the dtype's precision (float32 too)
        eps = max(self._eps, float(np.finfo(a.dtype).eps)) if a.dtype.kind == "f" else self._eps
        return np.clip(a, eps, 1.0 - eps)

    def fn(self, a, y):
        check_pair(a, y)
        a = self._clip(a)
        return -np.sum(y * np.log(a) + (1.0 - y) * np.log1p(-a), axis=-1)

    def grad_a(self, a, y):
        check_pair(a, y)
        a = self._clip(a)
        return (a - y) / (a * (1.0 - a))

    def delta(self, a_L, y, z_L, sigma):
        r"""BP1. With a sigmoid output :math:`\sigma'(z^L) = a(1 - a)` cancels the
        denominator of :math:`\nabla_a C` exactly: :math:`\delta^L = a^L - y`, which
        stays exact when the neuron saturates. Other outputs use the general form."""
        if sigma is sigmoid:
            return a_L - y
        return self.grad_a(a_L, y) * sigma.prime(z_L)

    def __repr__(self):
        return "CrossEntropy()"


class CategoricalCrossEntropy:
    r"""Categorical cross-entropy :math:`C_i = -\sum_j y_j \ln a_j`, for a softmax output.

    ``y`` is one-hot (or any distribution over the classes) and ``a`` the softmax
    probabilities. Through the softmax Jacobian
    :math:`\partial a_j / \partial z_m = a_j(\delta_{jm} - a_m)`, the output error is
    :math:`\delta^L = a^L - y` (when each row of ``y`` sums to 1): no σ′ appears.
    """

    name = "categorical_cross_entropy"
    _eps = 1e-12

    def _clip(self, a):
        eps = max(self._eps, float(np.finfo(a.dtype).eps)) if a.dtype.kind == "f" else self._eps
        return np.clip(a, eps, 1.0)

    def fn(self, a, y):
        check_pair(a, y)
        return -np.sum(y * np.log(self._clip(a)), axis=-1)

    def grad_a(self, a, y):
        check_pair(a, y)
        return -y / self._clip(a)

    def delta(self, a_L, y, z_L, sigma):
        r"""BP1 for a softmax output: :math:`\delta^L = J^T \nabla_a C = a^L - y`."""
        if sigma is not softmax:
            raise ValueError(
                f"categorical cross-entropy expects a softmax output layer; got {sigma.name!r}. "
                "Use output_activation='softmax' (or cost='cross_entropy' for sigmoid outputs)."
            )
        return a_L - y

    def __repr__(self):
        return "CategoricalCrossEntropy()"


quadratic = Quadratic()
cross_entropy = CrossEntropy()
categorical_cross_entropy = CategoricalCrossEntropy()
COSTS = {
    "quadratic": quadratic,
    "cross_entropy": cross_entropy,
    "categorical_cross_entropy": categorical_cross_entropy,
}


def get_cost(cost):
    """Look up a cost by name, or pass a cost object through."""
    if isinstance(cost, (Quadratic, CrossEntropy, CategoricalCrossEntropy)):
        return cost
    return COSTS[check_name(cost, COSTS, "cost")]
