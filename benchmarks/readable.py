"""The cost of readability: bplib's training step as written, against its earlier fused form.

bplib writes BP3 as ``delta.mean(axis=0)``, BP4 as ``delta.T @ a_prev / n`` and the update
as ``W_l -= eta * grad_W_l`` (the gradients are left unchanged), as the notebooks write them.
The earlier form saved passes over memory: BP3 as ``delta.sum(axis=0) / n``, BP4 with the 1/n
applied to the small factor, ``(delta / n).T @ a_prev``, and an update that scaled the
gradient in place (``grad *= eta; W -= grad``), changing the caller's gradients.

Both run side by side in one process (interleaved rounds, the same data and weights):

    .venv/bin/python benchmarks/readable.py

prints, per network, dtype and batch size, the median time of one step of each and the
ratio fused / readable (below 1: the readable form is slower).
"""

from __future__ import annotations

import numpy as np
from common import fmt_time, interleaved, median
from step import DTYPES, ETA, NETWORKS, make_data

import bplib
from bplib.backward import backpropagate, output_error, weight_gradient
from bplib.forward import feedforward_layers
from bplib.training import descend


def fused_step(W, b, sigmas, cost, X, Y, eta):
    """One step in the earlier fused form (same forward pass and δ recursion)."""
    z, a = feedforward_layers(W, b, sigmas, X)
    L, n = len(W) - 1, X.shape[0]
    delta = backpropagate(output_error(a[L], Y, z[L], cost, sigmas[L]), W, z, sigmas)
    for l in range(1, L + 1):
        grad_b = delta[l].sum(axis=0) / n
        grad_W = (delta[l] / n).T @ a[l - 1]
        grad_W *= eta
        W[l] -= grad_W
        grad_b *= eta
        b[l] -= grad_b


def readable_step(W, b, sigmas, cost, X, Y, eta):
    grad_W, grad_b = bplib.backprop(W, b, sigmas, cost, X, Y)
    descend(W, b, grad_W, grad_b, eta)


def main(batches=(10, 64, 256), rounds=7, target=0.02):
    assert weight_gradient is bplib.weight_gradient
    print(
        f"{'network':<16}{'dtype':<9}{'batch':>6}{'readable':>12}{'fused':>12}{'fused/readable':>16}"
    )
    worst = 1.0
    with np.errstate(all="ignore"):
        for sizes in NETWORKS:
            for dtype in DTYPES:
                for batch in batches:
                    X, Y = make_data(sizes, batch, dtype)
                    impls = {}
                    for name, step in (("readable", readable_step), ("fused", fused_step)):
                        net = bplib.Network(sizes, dtype=dtype, seed=0)
                        args = (
                            net.W,
                            net.b,
                            net.sigmas,
                            net.cost_function,
                            X,
                            Y,
                            net.dtype.type(ETA),
                        )
                        impls[name] = ("numpy", lambda step=step, args=args: step(*args))
                    times = interleaved(impls, rounds, target)
                    r, f = median(times["readable"]), median(times["fused"])
                    worst = min(worst, f / r)
                    print(
                        f"{str(sizes):<16}{np.dtype(dtype).name:<9}{batch:>6}"
                        f"{fmt_time(r):>12}{fmt_time(f):>12}{f / r:>15.2f}x"
                    )
    print(f"worst case: the readable step takes {1 / worst:.2f}x the fused step's time")


if __name__ == "__main__":
    main()
