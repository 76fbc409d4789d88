r"""The four equations of backpropagation, one function each.

Shapes are batch-first: ``n`` rows are examples, ``n_l`` is the number of units
in layer ``l``, and ``W`` of layer ``l`` is stored as ``(n_l, n_{l-1})`` so that
``W[j, k]`` is Nielsen's :math:`w^l_{jk}`.
"""
from __future__ import annotations

from .activations import sigmoid
from .costs import CrossEntropy


def output_error(a_L, y, z_L, cost, sigma):
    r"""BP1: the error of the output layer.

    .. math:: \delta^L = \nabla_a C \odot \sigma'(z^L)

    For the quadratic cost :math:`\nabla_a C = a^L - y`. For cross-entropy
    with a sigmoid output the :math:`\sigma'` cancels exactly and
    :math:`\delta^L = a^L - y`; that form is used because it stays exact when
    the neuron saturates.

    a_L, y, z_L : (n, n_L)        returns : (n, n_L)
    """
    if isinstance(cost, CrossEntropy) and sigma is sigmoid:
        return a_L - y
    return cost.grad_a(a_L, y) * sigma.prime(z_L)


def backpropagate_error(delta_next, W_next, z, sigma):
    r"""BP2: the error of layer l from the error of layer l+1.

    .. math:: \delta^l = (\delta^{l+1} W^{l+1}) \odot \sigma'(z^l)

    This is the batch form of :math:`((w^{l+1})^T \delta^{l+1}) \odot
    \sigma'(z^l)`. Note :math:`z^l`, not :math:`z^L` as the seed text writes.

    delta_next : (n, n_{l+1})   W_next : (n_{l+1}, n_l)   z : (n, n_l)
    returns    : (n, n_l)
    """
    return (delta_next @ W_next) * sigma.prime(z)


def bias_gradient(delta):
    r"""BP3: the gradient of the mean cost with respect to the biases of layer l.

    .. math:: \frac{\partial C}{\partial b^l_j} = \frac1n \sum_k \delta^l_{kj}

    delta : (n, n_l)            returns : (n_l,)
    """
    n = delta.shape[0]
    return delta.sum(axis=0) / n  # the mean over rows; sum / n has less overhead than .mean


def weight_gradient(delta, a_prev):
    r"""BP4: the gradient of the mean cost with respect to the weights of layer l.

    .. math:: \frac{\partial C}{\partial w^l_{jk}} = \frac1n \sum_k a^{l-1}_{k}\, \delta^l_{j}
              \quad\text{i.e.}\quad \nabla_{W^l} C = (\delta^l)^T a^{l-1} / n

    delta : (n, n_l)   a_prev : (n, n_{l-1})   returns : (n_l, n_{l-1})
    """
    n = delta.shape[0]
    # (delta / n).T @ a_prev is delta.T @ a_prev / n with the 1/n applied to the
    # small (n, n_l) factor instead of the large (n_l, n_{l-1}) product: one pass less.
    return (delta / n).T @ a_prev


def backprop(weights, biases, sigmas, cost, X, Y):
    r"""Gradients of the mean cost over the batch, from BP1-BP4.

    ``sigmas[l]`` is the activation of layer ``l`` (index 0 unused). Returns
    ``grad_W, grad_b``, lists shaped like ``weights`` and ``biases``.
    """
    L = len(weights)
    # Forward pass, keeping z^l and a^l for every layer l = 1..L (index 0 = input).
    zs, activations = [None], [X]
    for l in range(1, L + 1):
        z = activations[-1] @ weights[l - 1].T + biases[l - 1]
        zs.append(z)
        activations.append(sigmas[l].fn(z))
    grad_W, grad_b = [None] * L, [None] * L
    delta = output_error(activations[L], Y, zs[L], cost, sigmas[L])  # BP1
    for l in range(L, 0, -1):
        grad_b[l - 1] = bias_gradient(delta)  # BP3
        grad_W[l - 1] = weight_gradient(delta, activations[l - 1])  # BP4
        if l > 1:
            delta = backpropagate_error(delta, weights[l - 1], zs[l - 1], sigmas[l - 1])  # BP2
    return grad_W, grad_b
