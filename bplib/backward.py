r"""The four equations of backpropagation, one function each, and ``backprop``.

Lists are indexed by layer (``W[l]`` is :math:`W^l`, ``delta[l]`` is
:math:`\delta^l`, index 0 is the input layer and holds ``None``). Shapes are
batch-first: ``n`` rows are examples, ``n_l`` is the number of units in layer
``l``, and :math:`W^l` is stored as ``(n_l, n_{l-1})`` so that ``W[l][j, k]`` is
:math:`w^l_{jk}`, from neuron ``k`` of layer ``l-1`` to neuron ``j`` of layer ``l``.
Row ``i`` of a batch matrix belongs to example ``i``: row ``i`` of ``delta[l]``
is :math:`\partial C_i / \partial z^l`, the error of that example alone.
"""

from __future__ import annotations

import numpy as np

from .forward import feedforward_layers


def output_error(a_L, y, z_L, cost, sigma):
    r"""BP1: the error of the output layer, :math:`\delta^L = \nabla_a C \odot \sigma'(z^L)`.

    The cost object owns this equation (``cost.delta``): for cross-entropy with a
    sigmoid output the :math:`\sigma'` cancels exactly and :math:`\delta^L = a^L - y`.

    a_L, y, z_L : (n, n_L)        returns : (n, n_L)
    """
    return cost.delta(a_L, y, z_L, sigma)


def backpropagate_error(delta_next, W_next, z, sigma):
    r"""BP2, one step: the error of layer l from the error of layer l+1.

    .. math:: \delta^l = (\delta^{l+1} W^{l+1}) \odot \sigma'(z^l)

    This is the batch form of :math:`((W^{l+1})^T \delta^{l+1}) \odot \sigma'(z^l)`.
    Note :math:`z^l`, the layer's own weighted input.

    delta_next : (n, n_{l+1})   W_next : (n_{l+1}, n_l)   z : (n, n_l)
    returns    : (n, n_l)
    """
    return (delta_next @ W_next) * sigma.prime(z)


def backpropagate(delta_L, W, z, sigmas):
    r"""The δ recursion: BP2 from the output layer down to layer 1.

    Returns ``delta`` with ``delta[l]`` = :math:`\delta^l` for ``l = 1 .. L``
    (``delta[0]`` is ``None``: the input has no error).
    """
    L = len(W) - 1
    delta = [None] * (L + 1)
    delta[L] = delta_L
    for l in range(L - 1, 0, -1):
        delta[l] = backpropagate_error(delta[l + 1], W[l + 1], z[l], sigmas[l])
    return delta


def bias_gradient(delta):
    r"""BP3: :math:`\partial C / \partial b^l_j = \frac1n \sum_i \delta^l_{ij}`, the mean of δ over rows.

    delta : (n, n_l)            returns : (n_l,)
    """
    return delta.mean(axis=0)


def weight_gradient(delta, a_prev):
    r"""BP4: :math:`\nabla_{W^l} C = (\delta^l)^T a^{l-1} / n`.

    Entry ``[j, k]`` is :math:`\frac1n \sum_i \delta^l_{ij}\, a^{l-1}_{ik}`.

    delta : (n, n_l)   a_prev : (n, n_{l-1})   returns : (n_l, n_{l-1})
    """
    n = delta.shape[0]
    return delta.T @ a_prev / n


def weight_gradient_per_example(delta, a_prev):
    r"""BP4 for each example alone: entry ``[i, j, k]`` is :math:`\delta^l_{ij}\, a^{l-1}_{ik}`.

    Their mean over ``i`` is :func:`weight_gradient`.

    delta : (n, n_l)   a_prev : (n, n_{l-1})   returns : (n, n_l, n_{l-1})
    """
    return delta[:, :, np.newaxis] * a_prev[:, np.newaxis, :]


def backprop(W, b, sigmas, cost, X, Y):
    r"""Gradients of the mean cost over the batch: one forward pass, then BP1-BP4.

    Returns ``grad_W, grad_b``, indexed by layer like ``W`` and ``b``
    (index 0 is ``None``).
    """
    z, a = feedforward_layers(W, b, sigmas, X)
    L = len(W) - 1
    delta = backpropagate(output_error(a[L], Y, z[L], cost, sigmas[L]), W, z, sigmas)  # BP1, BP2
    grad_W = [None] + [weight_gradient(delta[l], a[l - 1]) for l in range(1, L + 1)]  # BP4
    grad_b = [None] + [bias_gradient(delta[l]) for l in range(1, L + 1)]  # BP3
    return grad_W, grad_b
