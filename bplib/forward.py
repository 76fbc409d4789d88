r"""The forward pass: the only place in bplib where a network is run forward.

Lists are indexed by layer, as the equations are: ``W[l]`` is :math:`W^l`,
``b[l]`` is :math:`b^l`, ``sigmas[l]`` is the activation of layer ``l``, for
``l = 1 .. L``. Index 0 is the input layer, which has no parameters, so
``W[0]``, ``b[0]`` and ``sigmas[0]`` are ``None``. Shapes are batch-first: each
row of ``X`` is one example.
"""

from __future__ import annotations


def weighted_input(a_prev, W, b):
    r"""A dense layer's weighted input :math:`z^l = a^{l-1} (W^l)^T + b^l`, one row per example.

    a_prev : (n, n_{l-1})   W : (n_l, n_{l-1})   b : (n_l,)   returns : (n, n_l)
    """
    return a_prev @ W.T + b


def feedforward_layers(W, b, sigmas, X):
    r"""Run ``X`` through the network and keep every layer: returns ``z, a``.

    ``z[l]`` is :math:`z^l` and ``a[l]`` is :math:`a^l = \sigma(z^l)` for
    ``l = 1 .. L``; ``a[0]`` is the input ``X`` and ``z[0]`` is ``None``.
    Backprop needs them all; for the output alone use :func:`feedforward`.
    """
    z, a = [None], [X]
    for l in range(1, len(W)):
        z.append(weighted_input(a[l - 1], W[l], b[l]))
        a.append(sigmas[l].fn(z[l]))
    return z, a


def feedforward(W, b, sigmas, X):
    r"""The network's output :math:`a^L` for the batch ``X`` (Nielsen's ``feedforward``)."""
    return feedforward_layers(W, b, sigmas, X)[1][-1]
