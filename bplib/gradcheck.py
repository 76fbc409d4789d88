"""Gradient checking: backprop against central finite differences."""

from __future__ import annotations

import numpy as np

from .errors import ShapeError


def numerical_gradients(net, X, Y, eps=1e-6):
    r"""Central differences :math:`\frac{C(\theta + \epsilon) - C(\theta - \epsilon)}{2\epsilon}`.

    Returns ``num_W, num_b`` indexed by layer like ``net.W, net.b`` (index 0 is
    ``None``). The network is left exactly as it was.
    """
    X, Y = net.check_XY(X, Y)
    out = []
    for params in (net.W, net.b):
        grads = [None]
        for p in params[1:]:
            g = np.zeros_like(p)
            flat, gflat = p.reshape(-1), g.reshape(-1)
            for i in range(flat.size):
                old = flat[i]
                flat[i] = old + eps
                c_plus = net.cost(X, Y)
                flat[i] = old - eps
                c_minus = net.cost(X, Y)
                flat[i] = old
                gflat[i] = (c_plus - c_minus) / (2 * eps)
            grads.append(g)
        out.append(grads)
    return out[0], out[1]


def relative_error(a, b):
    r""":math:`\lVert a - b \rVert / \max(\lVert a \rVert + \lVert b \rVert, 10^{-300})`.

    Infinite if either side holds NaN or infinity (so a check never passes on them).
    """
    a, b = np.asarray(a, float), np.asarray(b, float)
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        return float("inf")
    return float(np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300))


class GradientCheck:
    """Per-layer relative errors of a gradient against finite differences.

    ``errors_W[l]`` and ``errors_b[l]`` belong to layer ``l`` (index 0 is ``None``).
    """

    def __init__(self, errors_W, errors_b, tol):
        self.errors_W, self.errors_b, self.tol = errors_W, errors_b, tol

    def _layers(self):
        return [(l, self.errors_W[l], self.errors_b[l]) for l in range(1, len(self.errors_W))]

    @property
    def max_error(self):
        return max(max(ew, eb) for _, ew, eb in self._layers())

    @property
    def ok(self):
        return not self.bad_layers()

    def bad_layers(self):
        """Layer numbers (1..L) whose weight or bias gradient fails the check."""
        return [l for l, ew, eb in self._layers() if not max(ew, eb) <= self.tol]

    def __repr__(self):
        lines = [f"gradient check (tolerance {self.tol:.0e}):"]
        for l, ew, eb in self._layers():
            flag = "ok" if max(ew, eb) <= self.tol else "WRONG"  # NaN is WRONG too
            lines.append(f"  layer {l}: weights {ew:.1e}  biases {eb:.1e}  {flag}")
        return "\n".join(lines)


def _check_layers(name, grads, nums):
    """A clear error unless ``grads`` is indexed by layer like ``nums``, with the same shapes."""
    grads = list(grads)
    if len(grads) != len(nums) or grads[0] is not None:
        raise ShapeError(
            f"{name} must be indexed by layer: [None, {name}[1], ..., {name}[{len(nums) - 1}]], "
            f"with None for the input layer; got a list of {len(grads)} starting with "
            f"{type(grads[0]).__name__ if grads else 'nothing'}."
        )
    for l in range(1, len(nums)):
        if np.shape(grads[l]) != nums[l].shape:
            raise ShapeError(
                f"{name}[{l}] must have the shape of layer {l}'s parameters, {nums[l].shape}; "
                f"got {np.shape(grads[l])}."
            )


def gradient_check(net, X, Y, gradients=None, eps=1e-6, tol=1e-6):
    """Compare ``gradients(net, X, Y)`` (default: ``net.gradients``) with finite differences.

    ``gradients`` returns ``grad_W, grad_b`` indexed by layer. Returns a
    :class:`GradientCheck` whose repr is a per-layer table and whose ``.ok``
    says whether every relative error is at most ``tol``.
    """
    grad_W, grad_b = gradients(net, X, Y) if gradients is not None else net.gradients(X, Y)
    num_W, num_b = numerical_gradients(net, X, Y, eps=eps)
    for name, grads, nums in (("grad_W", grad_W, num_W), ("grad_b", grad_b, num_b)):
        _check_layers(name, grads, nums)
    layers = range(1, net.L + 1)
    return GradientCheck(
        [None] + [relative_error(grad_W[l], num_W[l]) for l in layers],
        [None] + [relative_error(grad_b[l], num_b[l]) for l in layers],
        tol,
    )
